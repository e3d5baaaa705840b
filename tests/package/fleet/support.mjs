// Test support for backup-errors/redis: a redis-server of the test's own on a free loopback
// port (Debian's package; scripts/toolchain.sh installs it), stopped by its pid; a free port;
// a loopback HTTP server that records when each request arrives; the Redis clients the tests
// use, by package name.
import { spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { before, after } from "node:test";

/** A loopback port that was free a moment ago. */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether a Redis server answers PING on `port`. */
function ping(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    let reply = "";
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk;
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

const running = new Set();
// A test process that ends in any way leaves no server behind.
process.once("exit", () => running.forEach((pid) => {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}));

/**
 * Starts `redis-server` on a free loopback port, in the foreground, without persistence, and
 * waits until it answers. `stop()` ends it by its pid (SIGTERM) and waits for its exit;
 * `kill()` ends it at once (SIGKILL), as a crash would.
 */
export async function startRedis() {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const spawned = await new Promise((resolve) => {
    child.once("spawn", () => resolve(null));
    child.once("error", resolve);
  });
  if (spawned !== null) throw new Error(`redis-server could not be started (scripts/toolchain.sh --browser installs it): ${spawned.message}`);
  running.add(child.pid);
  const end = async (signal) => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, signal);
    await exited;
    running.delete(child.pid);
  };
  // Bounded: a server that does not answer within ~20 s turns into a failure, not a hang.
  for (let i = 0; !(await ping(port)); i++) {
    if (child.exitCode !== null || i >= 400) {
      await end("SIGKILL");
      throw new Error(`redis-server did not start on port ${port}:\n${log}`);
    }
    await delay(50);
  }
  return { port, url: `redis://127.0.0.1:${port}`, pid: child.pid, stop: () => end("SIGTERM"), kill: () => end("SIGKILL") };
}

/** The Redis clients the package is tested with: package name → how to connect one. */
export const CLIENTS = {
  ioredis: async (url, options) => newIoredis((await import("ioredis")).default, url, options),
  "ioredis-5": async (url, options) => newIoredis((await import("ioredis-5")).default, url, options),
  redis: async (url, options) => newNodeRedis(await import("redis"), url, options),
  "redis-5": async (url, options) => newNodeRedis(await import("redis-5"), url, options),
  "redis-4": async (url, options) => newNodeRedis(await import("redis-4"), url, options),
};

/** An ioredis client; connection errors are expected in outage tests and not logged. */
function newIoredis(Redis, url) {
  const client = new Redis(url);
  client.on("error", () => {});
  return { client, close: async () => client.disconnect() };
}

/**
 * A node-redis client, connected (without waiting when `reachable` is false: it keeps trying
 * in the background, as an application's client does while Redis is down).
 */
async function newNodeRedis(lib, url, { reachable = true } = {}) {
  const client = lib.createClient({ url });
  client.on("error", () => {});
  const connecting = client.connect();
  if (reachable) await connecting;
  else connecting.catch(() => {});
  return {
    client,
    close: async () => {
      try {
        if (typeof client.destroy === "function") client.destroy();
        else await client.disconnect();
      } catch {
        // already closed
      }
    },
  };
}

/**
 * A loopback HTTP server: `handler(req, res, arrival)` answers; `arrivals` records each
 * request as `{ at, worker, call, method }` (`at`: performance.now() when it arrived, the
 * clock the tests compare with).
 */
export async function startHttp(handler) {
  const arrivals = [];
  const server = http.createServer((req, res) => {
    const arrival = { at: performance.now(), worker: req.headers["x-worker"], call: req.headers["x-call"], method: req.method };
    arrivals.push(arrival);
    handler(req, res, arrival);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    arrivals,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      }),
  };
}

/**
 * A redis-server for the calling test file: started before its tests, stopped after them,
 * with an ioredis client of the test's own (`admin`, to read and set keys). Returns an object
 * whose `redis` ({ url, stop, kill }) and `admin` are set once the server runs.
 */
export function useRedis() {
  const shared = { redis: null, admin: null };
  before(async () => {
    shared.redis = await startRedis();
    const Redis = (await import("ioredis")).default;
    shared.admin = new Redis(shared.redis.url);
  });
  after(async () => {
    shared.admin?.disconnect();
    await shared.redis?.stop();
  });
  return shared;
}
