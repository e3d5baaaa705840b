// Writing an operation's input: the values of the caller's arguments, each read exactly once
// (so getters and proxies run here, in JavaScript, before the module is entered), in the
// encoding src/args/ and src/wire/ read. Nothing here decides whether an argument is valid:
// the module checks everything and reports every error. The encoder's bounds and the kinds'
// tags are the crate's (layout.js, generated from src/wire/layout.rs).
import { KIND, MAX_BODY_BYTES, MAX_DEPTH, MAX_ENTRIES, MAX_HEADER_TEXT, MAX_HEADER_TEXT_IN_ALL } from "./layout.js";

export { MAX_BODY_BYTES };

const encoder = new TextEncoder();

/** Texts up to this many characters are copied byte by byte when they are ASCII. */
const SHORT_TEXT = 64;

/**
 * Writes `s` as UTF-8 into `buf` at `at` (room for `s.length * 3` bytes); returns the bytes
 * written. A short ASCII text (field names, header names and values, methods, codes) is
 * copied in a loop: `TextEncoder.encodeInto` costs more than the copy for a few bytes.
 */
function writeUtf8(s, buf, at) {
  const n = s.length <= SHORT_TEXT ? asciiInto(s, buf, at) : -1;
  return n >= 0 ? n : encoder.encodeInto(s, buf.subarray(at)).written;
}

/** Copies an ASCII `s` into `buf` at `at`; returns its length, or -1 when `s` is not ASCII. */
function asciiInto(s, buf, at) {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0x80) return -1;
    buf[at + k] = c;
  }
  return s.length;
}

/** Whether typed arrays are little-endian here, as the module's memory is. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const isBytes = (v) => ArrayBuffer.isView(v) || v instanceof ArrayBuffer || (typeof SharedArrayBuffer === "function" && v instanceof SharedArrayBuffer);

/** The bytes of a buffer or view, or `null` when it was detached. */
function bytesOf(v) {
  try {
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    return new Uint8Array(v);
  } catch {
    return null; // a detached ArrayBuffer
  }
}

/** An operation's input: a growing byte buffer, and optionally a body written straight into the module's memory. */
export class Input {
  constructor() {
    this.buf = new Uint8Array(256);
    this.view = new DataView(this.buf.buffer);
    this.n = 0;
    this.body = null; // { text } or { bytes, truncated }
    this.onSuccess = null; // what the writer remembers once the operation succeeded
    this.headerRoom = -1; // while headers are written: characters of text left; -1 otherwise
  }

  /** Empty again, for the next operation. */
  reset() {
    this.n = 0;
    this.body = null;
    this.onSuccess = null;
    this.headerRoom = -1;
  }

  /**
   * Runs `remember` once the operation has succeeded (core.js `run`), not before: a caller's
   * getter that throws later in the writing, or an error the module reports, leaves nothing
   * remembered.
   */
  afterSuccess(remember) {
    this.onSuccess = remember;
    return this;
  }

  /** The operation succeeded: what the writer asked to remember is remembered now. */
  succeeded() {
    this.onSuccess?.();
  }

  reserve(k) {
    if (this.n + k > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
      grown.set(this.buf.subarray(0, this.n));
      this.buf = grown;
      this.view = new DataView(grown.buffer);
    }
  }

  u8(v) {
    this.reserve(1);
    this.buf[this.n++] = v;
    return this;
  }

  u32(v) {
    this.reserve(4);
    this.view.setUint32(this.n, v >>> 0, true);
    this.n += 4;
    return this;
  }

  f64(v) {
    this.reserve(8);
    this.view.setFloat64(this.n, v, true);
    this.n += 8;
    return this;
  }

  /** The words of a `Uint32Array`, each as `u32` writes it; `bytes` views the same memory. */
  words(words, bytes) {
    if (!LITTLE_ENDIAN) {
      for (let k = 0; k < words.length; k++) this.u32(words[k]);
      return this;
    }
    this.reserve(bytes.length);
    this.buf.set(bytes, this.n);
    this.n += bytes.length;
    return this;
  }

  /** A text: u32 byte length, UTF-8. While headers are written, only their bounded prefix. */
  text(s) {
    if (this.headerRoom >= 0) {
      const n = Math.min(s.length, MAX_HEADER_TEXT, this.headerRoom);
      this.headerRoom -= n;
      if (n < s.length) s = s.slice(0, n);
    }
    this.reserve(4 + s.length * 3);
    const written = writeUtf8(s, this.buf, this.n + 4);
    this.view.setUint32(this.n, written, true);
    this.n += 4 + written;
    return this;
  }

  /** A text in mode form: 0 none, 2 a text. */
  optionalText(s) {
    return typeof s === "string" ? this.u32(2).text(s) : this.u32(0);
  }

  /** Raw bytes. */
  bytes(b) {
    this.reserve(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
    return this;
  }

  /** Any value, in the argument encoding (src/args/mod.rs). */
  arg(v, depth = 0) {
    if (v === undefined) return this.u8(0);
    if (v === null) return this.u8(1);
    switch (typeof v) {
      case "boolean":
        return this.u8(v ? 3 : 2);
      case "number":
        return this.u8(4).f64(v);
      case "string":
        return this.u8(5).text(v);
      case "bigint":
        return this.u8(6).text(String(v));
      case "function":
        return this.u8(11).u8(KIND.function);
      case "symbol":
        return this.u8(11).u8(KIND.symbol);
    }
    if (depth >= MAX_DEPTH) return this.u8(12).u8(1);
    if (Array.isArray(v)) {
      const n = Math.min(v.length, MAX_ENTRIES);
      this.u8(9).u32(n + (v.length > MAX_ENTRIES ? 1 : 0));
      for (let k = 0; k < n; k++) this.arg(v[k], depth + 1);
      if (v.length > MAX_ENTRIES) this.u8(12).u8(2);
      return this;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return this.object(v, depth);
    if (isBytes(v)) return this.u8(11).u8(KIND.bytes);
    if (v instanceof Date) return this.u8(11).u8(KIND.date);
    if (v instanceof RegExp) return this.u8(11).u8(KIND.regexp);
    if (v instanceof Error) return this.u8(11).u8(KIND.error);
    if (v instanceof Promise) return this.u8(11).u8(KIND.promise);
    if (v instanceof Set) return this.u8(11).u8(KIND.set);
    if (typeof Blob === "function" && v instanceof Blob) return this.u8(11).u8(KIND.blob);
    if (v instanceof Map) {
      const entries = [];
      for (const [k, value] of v) {
        if (typeof k !== "string") continue;
        if (entries.length === MAX_ENTRIES) return this.pairs(entries, depth, true);
        entries.push([k, value]);
      }
      return this.pairs(entries, depth, false);
    }
    if (typeof v[Symbol.iterator] === "function") return this.iterable(v, depth);
    return this.object(v, depth);
  }

  /** An object's own enumerable string keys, each value read once. */
  object(v, depth) {
    const keys = Object.keys(v);
    const n = Math.min(keys.length, MAX_ENTRIES);
    this.u8(10).u32(n + (keys.length > MAX_ENTRIES ? 1 : 0));
    for (let k = 0; k < n; k++) {
      this.text(keys[k]);
      this.arg(v[keys[k]], depth + 1);
    }
    if (keys.length > MAX_ENTRIES) this.text("").u8(12).u8(2);
    return this;
  }

  pairs(entries, depth, cut) {
    this.u8(10).u32(entries.length + (cut ? 1 : 0));
    for (const [k, value] of entries) {
      this.text(k);
      this.arg(value, depth + 1);
    }
    if (cut) this.text("").u8(12).u8(2);
    return this;
  }

  /** An iterable (a `Headers`, a generator), as an array of at most MAX_ENTRIES items. */
  iterable(v, depth) {
    const items = [];
    let cut = false;
    for (const item of v) {
      if (items.length === MAX_ENTRIES) {
        cut = true;
        break;
      }
      items.push(item);
    }
    this.u8(9).u32(items.length + (cut ? 1 : 0));
    for (const item of items) this.arg(item, depth + 1);
    if (cut) this.u8(12).u8(2);
    return this;
  }

  /** Response headers, in any form `arg` reads, their names and values bounded (MAX_HEADER_TEXT). */
  headers(v) {
    this.headerRoom = MAX_HEADER_TEXT_IN_ALL;
    try {
      return this.arg(v);
    } finally {
      this.headerRoom = -1;
    }
  }

  /**
   * A response body, last: text and bytes are passed as they are (cut at MAX_BODY_BYTES), a
   * detached buffer as such, a `Blob` as a Blob (the module refuses it: it needs an await),
   * anything else as its JSON text (a value JSON.stringify refuses counts as empty).
   */
  setBody(body) {
    if (body === undefined || body === null) return this.u8(0);
    if (typeof body === "string") {
      this.body = { text: body };
      return this;
    }
    if (isBytes(body)) {
      const bytes = bytesOf(body);
      if (bytes === null) return this.u8(11).u8(KIND.detached);
      this.body = bytes.length > MAX_BODY_BYTES ? { bytes: bytes.subarray(0, MAX_BODY_BYTES), truncated: true } : { bytes, truncated: false };
      return this;
    }
    if (typeof Blob === "function" && body instanceof Blob) return this.u8(11).u8(KIND.blob);
    let text;
    try {
      text = JSON.stringify(body);
    } catch {
      text = undefined;
    }
    this.body = { text: typeof text === "string" ? text : "" };
    return this;
  }

  /** Bytes the module must hand out for this input. */
  size() {
    if (this.body === null) return this.n;
    if (this.body.text !== undefined) return this.n + 5 + Math.min(this.body.text.length * 3, MAX_BODY_BYTES);
    return this.n + 5 + this.body.bytes.length;
  }

  /** Copies the input into the module's memory at `at` (the body written in place). */
  copyTo(mem, at) {
    mem.set(this.buf.subarray(0, this.n), at);
    const body = this.body;
    if (body === null) return;
    const start = at + this.n + 5;
    let length;
    let truncated;
    if (body.text !== undefined) {
      const room = Math.min(body.text.length * 3, MAX_BODY_BYTES);
      const { read, written } = encoder.encodeInto(body.text, mem.subarray(start, start + room));
      length = written;
      truncated = read < body.text.length;
    } else {
      mem.set(body.bytes, start);
      length = body.bytes.length;
      truncated = body.truncated;
    }
    const p = at + this.n;
    mem[p] = truncated ? 8 : 7;
    mem[p + 1] = length & 0xff;
    mem[p + 2] = (length >>> 8) & 0xff;
    mem[p + 3] = (length >>> 16) & 0xff;
    mem[p + 4] = length >>> 24;
  }
}

