// esbuild's entry, chosen by the "esbuild" export condition: build with
// `--conditions=esbuild --loader:.wasm=file`. esbuild does not follow
// `new URL(…, import.meta.url)` (index.browser.js), but it follows an import: its `file`
// loader emits the .wasm into the output and turns the import into the emitted file's path,
// relative to the output file that imports it (absolute with --public-path), so it is
// resolved against import.meta.url. The rest is index.browser.js's: one module instance.
import { load } from "./load.js";
import wasm from "./wasm/backup_errors_bg.wasm";

await load(new URL(wasm, import.meta.url));

export * from "./api.js";
