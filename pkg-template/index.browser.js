// Browser and bundler entry: compiles the wasm with a top-level await, so `import` is all a
// page or an app needs (no init call). Bundlers that follow `new URL(…, import.meta.url)`
// (Vite, webpack 5, Rollup with importMetaAssets()) emit the .wasm as an asset; esbuild does
// not, and takes index.esbuild.js instead (the "esbuild" condition).
import { load } from "./load.js";

await load(new URL("./wasm/backup_errors_bg.wasm", import.meta.url));

export * from "./api.js";
