// backup-errors/axios: `attach(instance, options?)` makes an axios instance retry by the
// policy. A request interceptor begins one `Call` per request (so a first-try success settles
// the budget, as the executors do); a response interceptor reports each failure to it and,
// while the call says retry, waits and sends the request again with `instance.request()`.
// axios itself is never imported: the caller passes the instance.
//
// Re-sent requests go through the instance's interceptors like any request (an interceptor
// that sets a token runs again), marked so that this plug-in does not start a second loop
// for them. Each re-sent request records what reached this plug-in's response interceptor;
// the loop uses that, so response interceptors added after `attach()` apply once, to the
// final outcome, in the original request's chain.
import { failure } from "../core.js";
import { requestOf } from "../executor.js";
import { abortError, linkSignals } from "../signals.js";
import { admit, afterDecision, beginCall } from "../attempt.js";
import { isAbortSignal, isObject, judge, readPluginOptions } from "./common.js";

/** The config key this plug-in marks requests with (symbol keys survive axios' mergeConfig). */
const STATE = Symbol("backup-errors.axios");

/** A request this plug-in is retrying: its call, and the instance whose interceptor owns it. */
class Tracked {
  constructor(call, owner) {
    this.call = call;
    this.owner = owner;
  }
}

/** A request sent again by the loop: what reached this plug-in's response interceptor. */
class Resend {
  constructor(owner) {
    this.owner = owner;
    this.seen = null;
  }
}

/**
 * axios' error for a response whose body was cut off: the status line and headers arrived,
 * then the connection was lost ("stream has been aborted"). axios reports it as
 * ERR_BAD_RESPONSE carrying that response, whose status is not a failure (axios uses the
 * same code for a 5xx, which does carry a failed status). For the call it is a lost
 * connection, as got and fetch report it: the request reached the server.
 */
function lostWhileReadingBody(error) {
  const status = error?.response?.status;
  return error?.code === "ERR_BAD_RESPONSE" && typeof status === "number" && status < 400;
}

/** `headers` (AxiosHeaders or a plain object) with `extra` (a Headers) set, names in any case replaced. */
function withHeaders(headers, extra) {
  const out = isObject(headers) ? (typeof headers.toJSON === "function" ? headers.toJSON() : { ...headers }) : {};
  extra.forEach((value, name) => {
    for (const key of Object.keys(out)) if (key.toLowerCase() === name) delete out[key];
    out[name] = value;
  });
  return out;
}

/**
 * Makes `instance` (an axios instance, or the default `axios`) retry failed requests as the
 * policy decides. Returns `detach()`, which removes the interceptors (a loop already waiting
 * goes on until it ends; abort it with `signal`).
 *
 * @param {import("axios").AxiosInstance} instance
 * @param {import("../axios.js").AxiosRetryOptions} [options]
 * @returns {() => void}
 */
export function attachAxios(instance, options) {
  const interceptors = isObject(instance) || typeof instance === "function" ? instance.interceptors : undefined;
  if (!isObject(interceptors) || typeof interceptors.request?.use !== "function" || typeof interceptors.response?.use !== "function" || typeof instance.request !== "function") {
    throw failure("argument", "instance", "an axios instance (axios.create(), or axios itself)", instance);
  }
  const opts = readPluginOptions(options);
  const owner = {}; // tells this attachment's requests from another attachment's

  /**
   * Request interceptor: one Call per request, before it is sent. With a coordinator the
   * interceptor is asynchronous: the request waits for the namespace's server wait.
   */
  function begin(config) {
    if (config[STATE] instanceof Tracked && config[STATE].owner === owner) return config; // already begun
    const { method } = requestOf({ config });
    const call = beginCall(opts, { method: method ?? "GET", headers: config.headers, body: config.data });
    config[STATE] = new Tracked(call, owner);
    let admitting;
    try {
      admitting = admit(call, [opts.signal, config.signal]);
    } catch (error) {
      call.finish(false); // the breaker refused it: nothing is sent
      throw error;
    }
    if (admitting === null) return config;
    return admitting.then(
      () => config,
      (error) => {
        call.finish(false);
        throw error;
      },
    );
  }

  function fulfilled(response) {
    const mark = response?.config?.[STATE];
    if (mark instanceof Resend && mark.owner === owner) mark.seen = { response };
    else if (mark instanceof Tracked && mark.owner === owner) {
      const told = mark.call.finish(true);
      if (told !== undefined) return told.then(() => response); // a shared breaker hears of the success first
    }
    return response;
  }

  function rejected(error) {
    const mark = error?.config?.[STATE];
    if (mark instanceof Resend && mark.owner === owner) {
      mark.seen = { error };
      throw error;
    }
    if (!(mark instanceof Tracked) || mark.owner !== owner) throw error; // begun before attach()
    return loop(mark.call, error.config, error);
  }

  /** Until the call stops: judge the failure, settle, wait, send again. */
  async function loop(call, config, first) {
    const linked = linkSignals([opts.signal, config.signal].filter(isAbortSignal));
    const signal = linked.signal;
    let failure = first;
    let extra = null; // headers from reauthenticate(), set on every later attempt
    let succeeded = false;
    try {
      // Bounded: the call stops after maxAttempts (≤ 100) plus one re-authentication.
      for (;;) {
        const proposal = lostWhileReadingBody(failure) ? await call.failure("connection-lost", { error: failure }) : await judge(call, failure);
        if (proposal === null) throw failure; // a cancellation (axios' CanceledError) or a bug: not the policy's to judge
        if (signal.aborted) throw abortError(signal.reason);
        const info = await afterDecision(call, proposal, opts, signal, {
          freshHeaders: (fresh) => {
            extra ??= new Headers();
            fresh.forEach((value, name) => extra.set(name, value));
          },
        });
        if (info === null) throw failure;
        const admitting = call.admit(signal);
        if (admitting !== null) await admitting;
        const resend = new Resend(owner);
        const next = { ...config, [STATE]: resend };
        if (extra) next.headers = withHeaders(config.headers, extra);
        let settled;
        try {
          settled = { response: await instance.request(next) };
        } catch (error) {
          settled = { error };
        }
        const outcome = resend.seen ?? settled;
        if ("response" in outcome) {
          succeeded = true;
          return outcome.response;
        }
        failure = outcome.error;
      }
    } finally {
      linked.unlink();
      await call.finish(succeeded);
    }
  }

  const requestId = interceptors.request.use(begin, null, { synchronous: opts.coordinator == null && opts.pacer == null, runWhen: (config) => !(config?.[STATE] instanceof Resend) });
  const responseId = interceptors.response.use(fulfilled, rejected);
  let attached = true;
  return function detach() {
    if (!attached) return;
    attached = false;
    interceptors.request.eject(requestId);
    interceptors.response.eject(responseId);
  };
}
