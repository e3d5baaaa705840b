// Browser and bundler entry: compiles the wasm with a top-level await, so `import` is all a
// page or an app needs (no init call). Bundlers (Vite, webpack 5) emit the .wasm as an asset.
import { useModule } from "./core.js";

const url = new URL("./wasm/backup_errors_bg.wasm", import.meta.url);
const response = await fetch(url);
useModule(
  typeof WebAssembly.compileStreaming === "function" && response.headers.get("content-type") === "application/wasm"
    ? await WebAssembly.compileStreaming(response)
    : await WebAssembly.compile(await response.arrayBuffer()),
);

export * from "./api.js";
