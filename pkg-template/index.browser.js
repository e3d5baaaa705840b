// Browser and bundler entry: loads the wasm with a top-level await, so `import` is all a
// page or an app needs (no init call). Bundlers (Vite, webpack 5) emit the .wasm as an asset.
import init from "./wasm/backup_errors.js";

await init({ module_or_path: new URL("./wasm/backup_errors_bg.wasm", import.meta.url) });

export * from "./api.js";
