// How the browser entries load the wasm: fetched from `url` and compiled (streaming when the
// server sends application/wasm), then handed to core.js. The entries differ only in where
// the URL comes from: index.browser.js writes `new URL("./wasm/…", import.meta.url)`, which
// browsers, Vite, webpack 5 and Rollup's import.meta assets plug-in follow (Vite's dev server
// only when the package is left out of its dependency pre-bundling, which moves the module
// away from its .wasm); index.esbuild.js imports the file, which esbuild's `file` loader
// follows.
import { useModule } from "./core.js";

/** The line that makes each known setup serve the .wasm, for the errors below. */
const FIXES =
  "esbuild: --conditions=esbuild --loader:.wasm=file; Rollup: importMetaAssets(); " +
  'Vite\'s dev server: optimizeDeps: { exclude: ["backup-errors"] }; docs/bundlers.md: With a bundler';

/** Fetches and compiles the module at `url`; throws a readable error when it is not there. */
export async function load(url) {
  const response = await fetch(url);
  if (!response.ok) {
    // What a bundler that did not emit the .wasm leads to.
    throw new Error(`backup-errors: HTTP ${response.status} for ${url}: the .wasm is not served there; a bundler must emit it (${FIXES})`);
  }
  if (typeof WebAssembly.compileStreaming === "function" && response.headers.get("content-type") === "application/wasm") {
    useModule(await WebAssembly.compileStreaming(response));
    return;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!(bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d)) {
    // A server that answers every path with a page (a dev server's fallback to index.html):
    // what Vite's dev server does when it pre-bundled the package away from its .wasm.
    const what = bytes[0] === 0x3c ? "an HTML page" : `${bytes.length} bytes that are not WebAssembly`;
    throw new Error(`backup-errors: ${url} answered with ${what}, not the .wasm: the .wasm is not served there (${FIXES})`);
  }
  useModule(await WebAssembly.compile(bytes));
}
