// Node ESM entry: compiles the wasm synchronously at import, so no init call is needed.
import { readFileSync } from "node:fs";
import { initSync } from "./wasm/backup_errors.js";

initSync({ module: readFileSync(new URL("./wasm/backup_errors_bg.wasm", import.meta.url)) });

export * from "./api.js";
