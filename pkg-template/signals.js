// Aborts, timers and sleeps as every executor and plug-in uses them: one signal for a call
// made of the caller's signals, an attempt's own signal (its timeout and the call's deadline),
// sleeps and awaited hooks that end at once on abort.

const noop = () => {};

/** setTimeout's largest delay; longer sleeps are chained. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Milliseconds from a monotonic clock where there is one. */
export const now = typeof globalThis.performance?.now === "function" ? () => globalThis.performance.now() : () => Date.now();

/** What an abort rejects with: the signal's reason if it is an Error, else an AbortError. */
export function abortError(reason) {
  if (reason instanceof Error) return reason;
  const detail = reason === undefined ? "" : `: ${String(reason)}`;
  return new DOMException(`The operation was aborted${detail}`, "AbortError");
}

/**
 * One signal for the whole call that aborts when any of `sources` aborts (AbortSignal.any
 * is not in Node 18). `unlink()` removes the listeners from the caller's signals.
 */
export function linkSignals(sources) {
  const controller = new AbortController();
  const unlinks = [];
  for (const source of sources) {
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    const relay = () => controller.abort(source.reason);
    source.addEventListener("abort", relay, { once: true });
    unlinks.push(() => source.removeEventListener("abort", relay));
  }
  return { signal: controller.signal, unlink: () => unlinks.forEach((f) => f()) };
}

/** Waits `ms` (chained timers past setTimeout's limit); rejects at once when `signal` aborts. */
export function sleep(ms, signal) {
  if (signal.aborted) return Promise.reject(abortError(signal.reason));
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let remaining = ms;
    let timer;
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal.reason));
    };
    const step = () => {
      if (remaining <= 0) {
        signal.removeEventListener("abort", onAbort);
        resolve();
        return;
      }
      const chunk = Math.min(remaining, MAX_TIMER_MS);
      remaining -= chunk;
      timer = setTimeout(step, chunk);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    step();
  });
}

/** `promise`, or a rejection as soon as `signal` aborts (the promise's own end is then ignored). */
export function abortable(promise, signal) {
  if (signal.aborted) {
    Promise.resolve(promise).catch(noop);
    return Promise.reject(abortError(signal.reason));
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortError(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    Promise.resolve(promise).then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The running attempt's own signal: it aborts when the call's signal does, after
 * `timeoutMs` (`reason.name` "TimeoutError", `ended()` "timeout") and when the call's
 * deadline passes (`ended()` "deadline"). `clear()` stops its timers.
 */
export function attemptSignal(callSignal, timeoutMs, remainingMs) {
  const controller = new AbortController();
  let ended = null;
  const relay = () => controller.abort(callSignal.reason);
  callSignal.addEventListener("abort", relay, { once: true });
  const limit = (ms, kind, message) =>
    ms != null && ms < Infinity
      ? setTimeout(() => {
          ended = kind;
          controller.abort(new DOMException(message, "TimeoutError"));
        }, Math.max(0, Math.min(ms, MAX_TIMER_MS)))
      : undefined;
  const timers = [
    limit(timeoutMs, "timeout", `No response within timeoutMs (${timeoutMs} ms)`),
    // The deadline bounds the running attempt as well as the waits.
    timeoutMs == null || remainingMs < timeoutMs ? limit(remainingMs, "deadline", "The call's deadline (deadlineMs) passed during the attempt") : undefined,
  ];
  return {
    signal: controller.signal,
    ended: () => ended,
    clear() {
      timers.forEach((t) => clearTimeout(t));
      callSignal.removeEventListener("abort", relay);
    },
  };
}
