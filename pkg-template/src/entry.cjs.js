// Source of index.cjs (bundled by esbuild at build time): the Node `require()` entry.
// It loads the wasm synchronously from the file next to it, so no init call is needed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "./wasm/backup_errors.js";

initSync({ module: readFileSync(join(__dirname, "wasm", "backup_errors_bg.wasm")) });

export * from "./api.js";
