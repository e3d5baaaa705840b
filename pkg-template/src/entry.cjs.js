// Source of index.cjs (bundled by esbuild at build time): the Node `require()` entry.
// No init call is needed: the wasm is read and compiled synchronously on the first call that
// needs it, not at `require()` (see index.node.js).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useModule } from "./core.js";

useModule(() => new WebAssembly.Module(readFileSync(join(__dirname, "wasm", "backup_errors_bg.wasm"))));

export * from "./api.js";
