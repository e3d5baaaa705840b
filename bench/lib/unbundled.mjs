// The package's unbundled modules loaded once in the bench process (throughput and scaling).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { pkg, wasmFile, glueFile, layout } from "./context.mjs";

/**
 * The package's unbundled modules (api.js with core.js, or with the glue before 836ea9d),
 * loaded once in this process next to the bundled Node entry, with their module instance
 * kept: `instance` (its memory is what scaling reads) and, today's layout, the calls of the
 * operations made while `capture` is on, by export: `{ bytes, args, words }`, the input
 * `begin` handed out, the export's arguments (decideAt takes fifteen numbers; the others
 * none) and the first RESULT_WORDS words of its result (null when it returned 0); and the
 * same calls in the order they were made, as `[export, call]` in `sequence`.
 * WebAssembly.Instance is wrapped while the copy instantiates; today's exports object
 * (frozen) is handed to core.js as a plain object whose operations note their call.
 */
export const RESULT_WORDS = 40;
let unbundledCopy = null;
export async function unbundled() {
  if (unbundledCopy !== null) return unbundledCopy;
  const copy = { api: null, instance: null, capture: false, captured: new Map(), sequence: [] };
  const capturing = (ex) => {
    let at = 0;
    let size = 0;
    const wrapped = {};
    for (const [key, value] of Object.entries(ex)) {
      if (key === "begin") wrapped.begin = (n) => ((size = n), (at = value(n)));
      else if (typeof value !== "function") wrapped[key] = value;
      else
        wrapped[key] = (...args) => {
          if (!copy.capture) return value(...args);
          const call = { bytes: new Uint8Array(ex.memory.buffer, at, size).slice(), args, words: null };
          if (!copy.captured.has(key)) copy.captured.set(key, []);
          copy.captured.get(key).push(call);
          copy.sequence.push([key, call]);
          const p = value(...args);
          // The result's first words (for an operation that returns one): status, then the
          // record, e.g. the slot a policy was kept in.
          if (typeof p === "number" && p !== 0) {
            const from = p >>> 0;
            const n = Math.min(RESULT_WORDS, (ex.memory.buffer.byteLength - from) >>> 2);
            call.words = new Uint32Array(ex.memory.buffer, from, n).slice();
          }
          return p;
        };
    }
    return wrapped;
  };
  const Instance = WebAssembly.Instance;
  WebAssembly.Instance = new Proxy(Instance, {
    construct(target, argv) {
      copy.instance = Reflect.construct(target, argv);
      return layout === "direct" ? { exports: capturing(copy.instance.exports) } : copy.instance;
    },
  });
  try {
    const module = new WebAssembly.Module(readFileSync(wasmFile));
    if (layout === "glue") (await import(pathToFileURL(glueFile).href)).initSync({ module });
    else (await import(pathToFileURL(join(pkg, "core.js")).href)).useModule(module);
    copy.api = await import(pathToFileURL(join(pkg, "api.js")).href);
    copy.api.classify({ status: 503 }); // instantiates (today's layout), under the wrapper
  } finally {
    WebAssembly.Instance = Instance;
  }
  return (unbundledCopy = copy);
}
