// How the browser entries load the wasm: fetched from `url` and compiled (streaming when the
// server sends application/wasm), then handed to core.js. The entries differ only in where
// the URL comes from: index.browser.js writes `new URL("./wasm/…", import.meta.url)`, which
// browsers, Vite, webpack 5 and Rollup's import.meta assets plug-in follow; index.esbuild.js
// imports the file, which esbuild's `file` loader follows.
import { useModule } from "./core.js";

/** Fetches and compiles the module at `url`; throws a readable error when it is missing. */
export async function load(url) {
  const response = await fetch(url);
  if (!response.ok) {
    // What a bundler that did not emit the .wasm leads to; the line that fixes it.
    throw new Error(
      `backup-errors: HTTP ${response.status} for ${url}: the .wasm is not served there; a bundler must emit it ` +
        "(esbuild: --conditions=esbuild --loader:.wasm=file; Rollup: importMetaAssets(); README.md: Supported runtimes and bundlers)",
    );
  }
  useModule(
    typeof WebAssembly.compileStreaming === "function" && response.headers.get("content-type") === "application/wasm"
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer()),
  );
}
