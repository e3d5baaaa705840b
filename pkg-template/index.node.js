// Node ESM entry: no init call is needed. The wasm is read and compiled synchronously on the
// first call that needs it (~3 ms), not at import: a script whose calls all succeed never
// pays for it. `process.getBuiltinModule` (Node ≥ 20.16 / 22.3) instead of
// `import … from "node:fs"`, whose ESM import alone took ~4 ms; older Nodes import it.
import { useModule } from "./core.js";

const fs = process.getBuiltinModule?.("node:fs") ?? (await import("node:fs"));
useModule(() => new WebAssembly.Module(fs.readFileSync(new URL("./wasm/backup_errors_bg.wasm", import.meta.url))));

export * from "./api.js";
