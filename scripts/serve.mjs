// Serves the demo (www/, at /) and the built package (pkg/, at /pkg/) on 127.0.0.1:$PORT
// (default 8080). Used by `npm start` and by the browser tests (import { serve }).
import { createServer } from "node:http";
import { createReadStream, existsSync, statSync } from "node:fs";
import { extname, join, normalize, dirname, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
};

/** Maps a URL path to a file under www/ or pkg/, refusing anything outside them. */
function resolve(urlPath, mounts) {
  const path = decodeURIComponent(urlPath.split("?")[0]);
  for (const [prefix, dir] of mounts) {
    if (path === prefix.slice(0, -1) || path.startsWith(prefix)) {
      let file = normalize(join(dir, path.slice(prefix.length)));
      if (!file.startsWith(dir + sep) && file !== dir) return null;
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
      return existsSync(file) ? file : null;
    }
  }
  return null;
}

/**
 * Starts the server. `mounts` maps URL prefixes to folders (longest first).
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export function serve({ port = 0, host = "127.0.0.1", mounts = [["/pkg/", join(root, "pkg")], ["/", join(root, "www")]] } = {}) {
  const server = createServer((req, res) => {
    const file = resolve(req.url ?? "/", mounts);
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found\n");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolvePromise({ url: `http://${host}:${actual}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 8080);
  const { url } = await serve({ port });
  console.log(`backup-errors demo: ${url}/  (package at ${url}/pkg/)`);
}
