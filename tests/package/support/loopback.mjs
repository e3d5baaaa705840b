// A loopback HTTP server for the package tests: it records every request and lets the test
// answer it; it is closed when the test ends.
import http from "node:http";
import { performance } from "node:perf_hooks";

/**
 * Starts a server on 127.0.0.1. `handler(req, res, n, entry)` answers request number `n`
 * (1-based); `entry` is what `requests` records for it: method, url, headers, the body as
 * text, and its arrival (`at`, performance.now(); `wall`, Date.now()). Returns the `url` of
 * `path` on the server, `requests` and the `server`.
 */
export async function serve(t, handler, path = "/backups") {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const entry = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: performance.now(),
        wall: Date.now(),
      };
      requests.push(entry);
      handler(req, res, requests.length, entry);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${server.address().port}${path}`, requests, server };
}

/**
 * A handler that answers the first request with a 200 whose body is cut off (the headers
 * promise 100 bytes; the connection is destroyed after 7), and every later one with "ok".
 */
export function cutOffFirstBody(req, res, n) {
  if (n === 1) {
    res.writeHead(200, { "content-length": "100" });
    res.write("partial");
    setImmediate(() => res.socket.destroy());
    return;
  }
  res.end("ok");
}
