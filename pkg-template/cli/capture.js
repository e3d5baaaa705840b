// Reading what `classify` is given: a file or stdin holding an HTTP response as `curl -si`
// prints it, split into status, headers and body.
import { readFile } from "node:fs/promises";
import { CliError, EXIT, PROG } from "./errors.js";

/** Reads the input: a file, or stdin for '-' / no file. */
export async function readInput(file) {
  if (file === undefined || file === "-") {
    if (process.stdin.isTTY) {
      throw new CliError("classify: no input: pipe a response into it (curl -si URL | backup-errors classify) or give a file", EXIT.usage, `see '${PROG} classify --help'`);
    }
    const chunks = [];
    try {
      for await (const chunk of process.stdin) chunks.push(chunk);
    } catch (e) {
      throw new CliError(`cannot read stdin: ${e?.message ?? e}`, EXIT.input);
    }
    return { bytes: Buffer.concat(chunks), name: "stdin" };
  }
  try {
    return { bytes: await readFile(file), name: file };
  } catch (e) {
    const why = { ENOENT: "no such file", EISDIR: "it is a directory", EACCES: "permission denied", EPERM: "permission denied" }[e?.code] ?? e?.message ?? String(e);
    const hint = file.trimStart().startsWith("{") ? "--policy takes no value; set policy options with --max-attempts N, --jitter none, ..." : null;
    throw new CliError(`cannot read '${file}': ${why}`, EXIT.input, hint);
  }
}

const STATUS_LINE = /^HTTP\/\d(?:\.\d)?[ \t]+(\d{3})(?:[ \t]+([^\r\n]*))?$/i;

/**
 * Splits `curl -si` output into { status, reason, headers: [name, value][], body: bytes }
 * of the last response. Headers are read as latin1 (bytes kept as they are); the body is
 * left as bytes for classify().
 */
export function parseResponse(bytes, name = "input") {
  if (bytes.length === 0) throw new CliError(`${name} is empty: expected an HTTP response as 'curl -si' prints it`, EXIT.input);
  let pos = 0;
  // A UTF-8 byte order mark, and blank lines before the first status line, are skipped.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
  const readLine = () => {
    if (pos >= bytes.length) return null;
    let end = bytes.indexOf(0x0a, pos);
    const next = end === -1 ? bytes.length : end + 1;
    if (end === -1) end = bytes.length;
    if (end > pos && bytes[end - 1] === 0x0d) end--;
    const line = bytes.toString("latin1", pos, end);
    pos = next;
    return line;
  };
  const skipBlank = () => {
    while (pos < bytes.length) {
      const save = pos;
      const line = readLine();
      if (line.trim() !== "") {
        pos = save;
        return;
      }
    }
  };

  skipBlank();
  let response = null;
  for (;;) {
    const save = pos;
    const first = readLine();
    const m = first === null ? null : STATUS_LINE.exec(first.trim());
    if (!m) {
      pos = save;
      break;
    }
    const headers = [];
    let ended = false;
    for (;;) {
      const line = readLine();
      if (line === null) break;
      if (line === "") {
        ended = true;
        break;
      }
      if (/^[ \t]/.test(line) && headers.length) {
        headers[headers.length - 1][1] += " " + line.trim(); // obsolete line folding
        continue;
      }
      const colon = line.indexOf(":");
      if (colon <= 0) continue; // not a header line: ignored
      headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
    response = { status: Number(m[1]), reason: (m[2] ?? "").trim(), headers, bodyStart: pos };
    if (!ended) break;
    // Another header block follows (an interim 1xx, a followed redirect, a proxy's CONNECT
    // reply): the last one is the response. Blank lines between blocks are tolerated.
    const before = pos;
    skipBlank();
    const peek = pos;
    const next = readLine();
    pos = peek;
    if (next === null || !STATUS_LINE.test(next.trim())) {
      pos = before;
      break;
    }
  }

  if (!response) {
    const text = bytes.toString("latin1", 0, Math.min(bytes.length, 200));
    const binary = /[\u0000-\u0008\u000e-\u001f]/.test(text);
    const start = text.trimStart();
    const what = binary
      ? "looks like binary data"
      : /^[{[]/.test(start)
        ? "looks like a bare body without the status line and headers (use curl -si, not curl -s)"
        : /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/.test(start)
          ? "starts with a header but has no status line before it"
          : "does not start with an HTTP status line";
    throw new CliError(
      `${name} ${what}: expected a response as 'curl -si' prints it, starting with a line like 'HTTP/1.1 429 Too Many Requests'`,
      EXIT.input,
    );
  }
  if (response.status < 200) {
    throw new CliError(`${name} ends after an interim ${response.status} response: the final response is missing`, EXIT.input);
  }
  return { status: response.status, reason: response.reason, headers: response.headers, body: new Uint8Array(bytes.subarray(response.bodyStart)) };
}

