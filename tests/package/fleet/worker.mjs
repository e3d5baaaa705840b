// One process of a fleet (tests/package/fleet.test.mjs): a Redis client (FLEET_WORKER.client,
// by package name), a RedisCoordinator on it, and calls made with fetchWithRetry when the
// parent asks. It tells the parent, over the IPC channel, what each call's hooks saw, each
// call's result, each report of the coordinator's onCoordinatorError, and each change of a
// shared breaker this process made.
import { fetchWithRetry } from "backup-errors";
import { RedisCoordinator } from "backup-errors/redis";
import { CLIENTS } from "./support.mjs";

const config = JSON.parse(process.env.FLEET_WORKER);
const send = (message) => process.send({ worker: config.name, ...message });

const { client, close } = await CLIENTS[config.client](config.redisUrl, { reachable: config.reachable !== false });
// A shared breaker's changes made in this process go to the parent.
const breaker = config.coordinator?.breaker ? { ...config.coordinator.breaker, onStateChange: (change) => send({ type: "breaker", ...change }) } : undefined;
const coordinator = new RedisCoordinator(client, {
  namespace: config.namespace,
  ...config.coordinator,
  ...(breaker ? { breaker } : {}),
  onCoordinatorError: (error, info) => send({ type: "coordinator-error", operation: info.operation, message: String(error?.message ?? error) }),
});

async function call({ id, url, method = "GET", options = {} }) {
  try {
    const response = await fetchWithRetry(
      url,
      { method, headers: { "x-worker": config.name, "x-call": id } },
      {
        ...options,
        coordinator,
        onRetry: ({ attempt, decision }) => send({ type: "retry", id, attempt, delayMs: decision.delayMs, reason: decision.reason }),
        onGiveUp: ({ attempt, decision }) => send({ type: "give-up", id, attempt, delayMs: decision.delayMs, reason: decision.reason }),
      },
    );
    send({ type: "result", id, status: response.status, body: await response.text() });
  } catch (error) {
    send({ type: "result", id, error: { name: error?.name, code: error?.code, message: String(error?.message ?? error), retryAfterMs: error?.retryAfterMs, namespace: error?.namespace } });
  }
}

/** Calls `url` back to back, one attempt each, for `ms`; sends how the calls ended. */
async function load({ id, url, ms, options = {} }) {
  const end = Date.now() + ms;
  const counts = { ok: 0, throttled: 0, thrown: {} };
  while (Date.now() < end) {
    try {
      const response = await fetchWithRetry(url, { headers: { "x-worker": config.name } }, { ...options, coordinator, maxAttempts: 1 });
      await response.arrayBuffer();
      counts[response.status === 429 ? "throttled" : "ok"]++;
    } catch (error) {
      counts.thrown[error?.code ?? error?.name] = (counts.thrown[error?.code ?? error?.name] ?? 0) + 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  send({ type: "result", id, counts });
}

process.on("message", async (message) => {
  if (message.type === "call") call(message);
  if (message.type === "load") load(message);
  if (message.type === "exit") {
    await close();
    process.exit(0);
  }
});
send({ type: "ready" });
