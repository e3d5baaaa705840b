// Regression tests for what a hostile test harness found against the package: arguments that
// throw, nest, grow or detach must never break the WebAssembly module for the calls after them.
//
// Every finding runs in a fresh Node process (a broken module must not leak into the next
// finding), in the consumer app, so `backup-errors` is the installed tarball. The child
//   1. performs the attack and reports what each call did (returned / threw what),
//   2. then makes the normal calls below and reports their answers,
// one JSON line per report ("@@hostile {key, value}"), as soon as it has it: a child that
// hangs or dies still tells what it got through. The parent judges the reports, collecting
// every problem of a finding before failing, so one run shows all that is wrong.
//
// No wall-clock bounds: a loaded 2-core machine breaks them. Work is asserted by counting
// (reads of an argument, FinalizationRegistry registrations), never by timing.
import { test } from "node:test";
import { ENTRIES, check, finding, showOutcome } from "./support/hostile.mjs";

// ── 1. Arguments that throw ───────────────────────────────────────────────────────────────

finding("1. arguments with throwing getters, throwing Proxies and revoked Proxies throw, and the module keeps working", ENTRIES, (entry) => {
  check(
    entry,
    String.raw`
    // Where a hostile value goes, a valid value for that place, and the keys worth a getter.
    // Today JS checks some places before wasm and wasm reads the others: options, and the
    // headers of an input that leaves the JS route (vendor "auto"). Exceptions thrown while
    // wasm reads are what broke the module, so the mix covers both.
    const policy = new RetryPolicy({ seed: 1 });
    const c503 = classify({ status: 503 });
    const ctx = { attempt: 1, elapsedMs: 0 };
    const PLACES = [
      { place: "classify(input)", valid: { status: 503, headers: { "Retry-After": "30" }, body: VEEAM_BUSY, vendor: "auto", method: "GET" },
        keys: ["status", "headers", "body", "vendor", "method"], call: (v) => classify(v) },
      { place: "classify({ headers })", valid: { "Retry-After": "30", "X-Request-Id": "r1" },
        keys: ["Retry-After", "X-Request-Id"], call: (v) => classify({ status: 503, vendor: "auto", headers: v }) },
      { place: "new RetryPolicy(options)", valid: { seed: 1, maxAttempts: 3, baseDelayMs: 100 },
        keys: ["seed", "maxAttempts", "baseDelayMs"], call: (v) => new RetryPolicy(v) },
      { place: "new RetryPolicy({ busy: options })", valid: { maxAttempts: 3, baseDelayMs: 100 },
        keys: ["maxAttempts", "baseDelayMs"], call: (v) => new RetryPolicy({ seed: 1, busy: v }) },
      { place: "decide(classification)", valid: c503,
        keys: ["vendor", "status", "category", "action"], call: (v) => policy.decide(v, ctx) },
      { place: "decide(_, context)", valid: ctx,
        keys: ["attempt", "elapsedMs"], call: (v) => policy.decide(c503, v) },
    ];
    const KINDS = {
      "throwing getter": (valid, key) => {
        const o = { ...valid };
        Object.defineProperty(o, key, { enumerable: true, configurable: true, get() { throw new HostileError("getter " + key); } });
        return o;
      },
      "throwing Proxy": (valid) => new Proxy({ ...valid }, {
        get(_, key) { throw new HostileError("get " + String(key)); },
        has(_, key) { throw new HostileError("has " + String(key)); },
        ownKeys() { throw new HostileError("ownKeys"); },
      }),
      "revoked Proxy": (valid) => {
        const { proxy, revoke } = Proxy.revocable({ ...valid }, {});
        revoke();
        return proxy;
      },
    };
    const kinds = Object.keys(KINDS);

    // What each call did, by "place · kind": { "ok: …" | "bad: …": count }.
    const seen = {};
    let firstBad = null;
    const ATTACKS = 3000;
    for (let i = 0; i < ATTACKS; i++) {
      const { place, valid, keys, call } = PLACES[i % PLACES.length];
      const kind = kinds[Math.floor(i / PLACES.length) % kinds.length];
      const key = keys[Math.floor(i / (PLACES.length * kinds.length)) % keys.length];
      const hostile = KINDS[kind](valid, key);
      let verdict;
      try {
        call(hostile);
        verdict = "bad: returned";
      } catch (e) {
        const f = describeError(e);
        if (f.wasmRuntimeError) verdict = "bad: WebAssembly " + f.name + ": " + f.message;
        else if (f.hostile) verdict = "ok: the caller's own exception";
        else if (f.name === "BackupErrorsError") verdict = "ok: BackupErrorsError " + f.code;
        else if (kind === "revoked Proxy" && f.name === "TypeError" && /revoked/.test(f.message)) verdict = "ok: TypeError (revoked Proxy)";
        else verdict = "bad: " + f.name + ": " + f.message.slice(0, 120);
      }
      if (verdict.startsWith("bad: ") && firstBad === null) firstBad = { attack: i + 1, place, kind, verdict };
      const bucket = (seen[place + " · " + kind] ??= {});
      bucket[verdict] = (bucket[verdict] ?? 0) + 1;
    }
    emit("attacks", seen);
    emit("first bad", firstBad);
    emit("after", normalCalls());
    `,
    (p) => {
      const seen = p.report("attacks");
      if (seen) {
        const total = Object.values(seen).reduce((n, bucket) => n + Object.values(bucket).reduce((a, b) => a + b, 0), 0);
        p.expect(total === 3000, `expected 3000 attacks, the child made ${total}`);
        const first = p.report("first bad");
        if (first) p.add(`the first bad call was attack ${first.attack} of 3000 (${first.place} · ${first.kind}): ${first.verdict.slice(5)}`);
        p.expect(Object.keys(seen).length === 18, `expected 6 places × 3 kinds of attack, got ${Object.keys(seen).join(", ")}`);
        // Every call threw, and what it threw is the caller's own exception or the package's.
        for (const [bucket, verdicts] of Object.entries(seen)) {
          for (const [verdict, count] of Object.entries(verdicts)) {
            p.expect(verdict.startsWith("ok: "), `${bucket}: ${count} call(s): ${verdict.slice(5)}`);
          }
        }
      }
      p.normalCalls();
    },
  );
});

// ── 2. Options nested 3,000 deep ──────────────────────────────────────────────────────────

// Array nests are what broke the module (wasm's reader recursed until it overran its stack).
// The object nest ({ busy: { busy: … } }) is refused today already, as an unknown field of
// busy; the rewrite converts the whole value before checking fields, so it reports depth.
finding("2. options nested 3,000 deep are refused with a message about depth, and the module keeps working", ENTRIES, (entry) => {
  const DEPTH = /depth|nest|deep/i;
  check(
    entry,
    String.raw`
    const DEPTH = 3000;
    const objects = (key) => { let o = {}; for (let i = 0; i < DEPTH; i++) o = { [key]: o }; return o; };
    const arrays = () => { let a = []; for (let i = 0; i < DEPTH; i++) a = [a]; return a; };
    emit("busy objects", outcome(() => new RetryPolicy(objects("busy"))));
    emit("busy arrays", outcome(() => new RetryPolicy({ busy: arrays() })));
    emit("budget arrays", outcome(() => new RetryBudget({ capacity: arrays() })));
    emit("after", normalCalls());
    `,
    (p) => {
      const codes = ["ERR_INVALID_OPTION", "ERR_INVALID_ARGUMENT"];
      p.threwCode(p.report("busy objects"), codes, "new RetryPolicy({ busy: { busy: { … } } }) 3,000 deep", DEPTH);
      p.threwCode(p.report("busy arrays"), codes, "new RetryPolicy({ busy: [[[…]]] }) 3,000 deep", DEPTH);
      p.threwCode(p.report("budget arrays"), codes, "new RetryBudget({ capacity: [[[…]]] }) 3,000 deep", DEPTH);
      p.normalCalls();
    },
  );
});

// ── 3. A 2 GiB body ───────────────────────────────────────────────────────────────────────

// `import` only: the child needs 2 GiB of memory (fine on the 24 GiB test machine), once.
finding("3. a 2 GiB body is classified from its prefix, marked truncated, and the module keeps working", ["import"], (entry) => {
  check(
    entry,
    String.raw`
    const prefix = new TextEncoder().encode(VEEAM_BUSY);
    const body = new Uint8Array(2 ** 31);
    body.fill(0x20); // spaces: the whole body is still valid JSON
    body.set(prefix, 0);
    emit("huge", outcome(() => {
      const c = classify({ status: 520, body });
      return { vendor: c.vendor, category: c.category, truncated: c.truncated };
    }));
    emit("small truncated", outcome(() => [classify({ status: 503 }).truncated, classify({ status: 520, body: VEEAM_BUSY }).truncated]));
    emit("after", normalCalls());
    `,
    (p) => {
      p.returned(p.report("huge"), { vendor: "veeam", category: "busy", truncated: true }, "classify({ status: 520, body: 2 GiB of Veeam's busy JSON and spaces }) { vendor, category, truncated }");
      p.returned(p.report("small truncated"), [false, false], "[classify({ status: 503 }).truncated, classify(Veeam's busy body).truncated]");
      p.normalCalls();
    },
  );
});

// ── 4. Linear work: each part of an argument is read once ─────────────────────────────────

// Today the quadratic work on 100,000 unknown keys is inside wasm, where counting from JS
// cannot see it; what the counts pin down is the rewrite's contract: JS reads each part of
// an argument once (ownKeys once, each key at most once), then hands wasm plain data.
// Today classify's full route (vendor "auto", a numeric header) reads each input field twice.
finding("4. 100,000 unknown option keys are refused with each key read at most once; classify reads each input field at most once", ENTRIES, (entry) => {
  check(
    entry,
    String.raw`
    // A Proxy that counts every read: get / has / getOwnPropertyDescriptor per key, ownKeys.
    function counted(target) {
      const per = { get: new Map(), has: new Map(), getOwnPropertyDescriptor: new Map() };
      let ownKeys = 0;
      const bump = (trap, key) => per[trap].set(key, (per[trap].get(key) ?? 0) + 1);
      const proxy = new Proxy(target, {
        get(t, key, receiver) { bump("get", key); return Reflect.get(t, key, receiver); },
        has(t, key) { bump("has", key); return Reflect.has(t, key); },
        getOwnPropertyDescriptor(t, key) { bump("getOwnPropertyDescriptor", key); return Reflect.getOwnPropertyDescriptor(t, key); },
        ownKeys(t) { ownKeys++; return Reflect.ownKeys(t); },
      });
      // Per trap: how many keys, how many reads in all, the most reads of one key (and which).
      const summary = () => {
        const out = { ownKeys };
        for (const [trap, counts] of Object.entries(per)) {
          let total = 0, most = 0, mostKey = null;
          for (const [key, n] of counts) { total += n; if (n > most) { most = n; mostKey = String(key); } }
          out[trap] = { keys: counts.size, total, most, mostKey };
        }
        return out;
      };
      const reads = (key) => per.get.get(key) ?? 0;
      return { proxy, summary, reads };
    }

    const KEYS = 100000;
    const target = {};
    for (let i = 0; i < KEYS; i++) target["unknown" + i] = i;
    const options = counted(target);
    emit("unknown keys", outcome(() => new RetryPolicy(options.proxy)));
    emit("unknown keys reads", options.summary());

    // classify input Proxies: a body with string headers, the same asking to detect the
    // vendor ("auto"), and a header given as a number.
    const FIELDS = ["status", "headers", "body", "vendor", "method"];
    const inputs = {
      "Veeam busy": { status: 520, headers: { "x-request-id": "r1" }, body: VEEAM_BUSY, method: "GET" },
      "Veeam busy, vendor auto": { status: 520, headers: { "x-request-id": "r1" }, body: VEEAM_BUSY, vendor: "auto", method: "GET" },
      "numeric Retry-After": { status: 503, headers: { "Retry-After": 30 }, method: "GET" },
    };
    for (const [name, input] of Object.entries(inputs)) {
      const c = counted(input);
      const result = outcome(() => {
        const r = classify(c.proxy);
        return { vendor: r.vendor, category: r.category, retryAfterMs: r.retryAfterMs };
      });
      emit("input " + name, { result, reads: Object.fromEntries(FIELDS.map((f) => [f, c.reads(f)])) });
    }
    emit("after", normalCalls());
    `,
    (p) => {
      p.threwCode(p.report("unknown keys"), ["ERR_INVALID_OPTION"], "new RetryPolicy(100,000 unknown keys)");
      const reads = p.report("unknown keys reads");
      if (reads) {
        p.expect(reads.ownKeys <= 1, `options with 100,000 keys: ownKeys called ${reads.ownKeys} times, expected at most once`);
        for (const trap of ["get", "has", "getOwnPropertyDescriptor"]) {
          const r = reads[trap];
          p.expect(r.most <= 1, `options with 100,000 keys: ${trap} read key ${r.mostKey} ${r.most} times, expected at most once (${r.total} ${trap} reads of ${r.keys} keys)`);
        }
      }
      const expected = {
        "Veeam busy": { vendor: "veeam", category: "busy", retryAfterMs: null },
        "Veeam busy, vendor auto": { vendor: "veeam", category: "busy", retryAfterMs: null },
        "numeric Retry-After": { vendor: "generic", category: "server_error", retryAfterMs: 30_000 },
      };
      for (const [name, want] of Object.entries(expected)) {
        const r = p.report(`input ${name}`);
        if (!r) continue;
        p.returned(r.result, want, `classify(Proxy of ${name} input)`);
        for (const [field, n] of Object.entries(r.reads)) {
          p.expect(n <= 1, `classify(Proxy of ${name} input) read ${field} ${n} times, expected at most once`);
        }
      }
      p.normalCalls();
    },
  );
});

// ── 5. Unusual bodies ─────────────────────────────────────────────────────────────────────

finding("5. a detached ArrayBuffer reads as empty, a SharedArrayBuffer is read, a Blob is refused with advice", ENTRIES, (entry) => {
  check(
    entry,
    String.raw`
    const pick = (c) => ({ vendor: c.vendor, status: c.status, category: c.category, action: c.action, code: c.code });
    const detached = new ArrayBuffer(8);
    structuredClone(detached, { transfer: [detached] });
    emit("detached", outcome(() => pick(classify({ status: 502, body: detached }))));
    emit("empty", outcome(() => pick(classify({ status: 502, body: "" }))));
    const bytes = new TextEncoder().encode(VEEAM_BUSY);
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    emit("shared", outcome(() => {
      const c = classify({ status: 520, body: shared });
      return { vendor: c.vendor, category: c.category };
    }));
    emit("blob", outcome(() => classify({ status: 520, body: new Blob([VEEAM_BUSY]) })));
    emit("after", normalCalls());
    `,
    (p) => {
      const empty = p.report("empty");
      if (empty && !empty.threw) p.returned(p.report("detached"), empty.returned, "classify({ status: 502, body: a detached ArrayBuffer }), compared with an empty body");
      else p.add(`classify({ status: 502, body: "" }) is the reference and must work: ${empty && showOutcome(empty)}`);
      p.returned(p.report("shared"), { vendor: "veeam", category: "busy" }, "classify({ status: 520, body: a SharedArrayBuffer of Veeam's busy JSON }) { vendor, category }");
      p.threwCode(p.report("blob"), ["ERR_INVALID_ARGUMENT"], "classify({ status: 520, body: a Blob })", /arrayBuffer\(\)|classifyResponse/);
      p.normalCalls();
    },
  );
});

// ── 6. Odd option values, endless headers, freed objects ──────────────────────────────────

finding("6. non-finite options, a Date as options, endless headers and freed objects", ENTRIES, async (entry) => {
  check(
    entry,
    String.raw`
    const results = {};
    for (const field of ["maxAttempts", "baseDelayMs", "multiplier", "deadlineMs"]) {
      for (const [label, value] of [["NaN", NaN], ["Infinity", Infinity], ["1e309", 1e309]]) {
        results[field + ": " + label] = outcome(() => new RetryPolicy({ [field]: value }) && "a RetryPolicy");
      }
    }
    emit("non-finite", results);
    emit("date", outcome(() => new RetryPolicy(new Date()) && "a RetryPolicy"));
    emit("after options", normalCalls());

    const policy = new RetryPolicy({ seed: 1 });
    policy.free();
    emit("freed decide", outcome(() => policy.decide(classify({ status: 503 }), { attempt: 1, elapsedMs: 0 })));
    emit("freed schedule", outcome(() => policy.schedule(classify({ status: 503 }))));
    const budget = new RetryBudget();
    budget.free();
    let fetches = 0;
    const fakeFetch = async () => { fetches++; return new Response("", { status: 503 }); };
    emit("freed budget", await outcomeAsync(async () => {
      const r = await fetchWithRetry("https://backup.example/api", {}, { budget, fetch: fakeFetch, maxAttempts: 2, baseDelayMs: 1 });
      return "a Response " + r.status + " after " + fetches + " fetch(es)";
    }));
    emit("after freed", normalCalls());

    // Last: today this one may never return.
    function* endless() {
      yield ["Retry-After", "30"];
      for (let i = 0; ; i++) yield ["x-filler-" + (i % 100), "1"];
    }
    emit("endless headers", outcome(() => {
      const c = classify({ status: 503, headers: endless() });
      return { status: c.status, category: c.category };
    }));
    emit("after", normalCalls());
    `,
    (p) => {
      const nonFinite = p.report("non-finite");
      if (nonFinite) {
        for (const [what, o] of Object.entries(nonFinite)) {
          const field = what.split(":")[0];
          p.threwCode(o, ["ERR_INVALID_OPTION"], `new RetryPolicy({ ${what} })`, new RegExp(`\\b${field}\\b`));
        }
      }
      p.threwCode(p.report("date"), ["ERR_INVALID_ARGUMENT"], "new RetryPolicy(new Date())");
      p.normalCalls("after options");
      p.threwCode(p.report("freed decide"), ["ERR_FREED"], "a freed RetryPolicy's decide()");
      p.threwCode(p.report("freed schedule"), ["ERR_FREED"], "a freed RetryPolicy's schedule()");
      p.threwCode(p.report("freed budget"), ["ERR_FREED"], "fetchWithRetry with a freed RetryBudget as budget");
      p.normalCalls("after freed");
      // It returns: headers past the cap are ignored.
      p.returned(p.report("endless headers"), { status: 503, category: "server_error" }, "classify({ status: 503, headers: an endless generator }) { status, category }");
      p.normalCalls();
    },
  );
});

// ── 7. A million policies hold no wasm memory ─────────────────────────────────────────────

// `import` only: a million policies is the expensive one.
finding("7. a million RetryPolicy objects without free() register (almost) nothing with a FinalizationRegistry", ["import"], (entry) => {
  check(
    entry,
    String.raw`
    const COUNT = 1000000;
    let right = 0, decided = 0;
    const c503 = classify({ status: 503 });
    for (let i = 0; i < COUNT; i++) {
      const policy = new RetryPolicy({ seed: 1 });
      if (i % 1000 === 0) {
        const d = policy.decide(c503, { attempt: 1, elapsedMs: 0 });
        decided++;
        if (d.retry === true && d.delayMs === 783) right++;
      }
    }
    emit("policies", { created: COUNT, decided, right, registered: globalThis.__registered() });
    emit("after", normalCalls());
    `,
    (p) => {
      const r = p.report("policies");
      if (r) {
        p.expect(r.decided === 1000 && r.right === 1000, `every 1000th policy's decide: ${r.right} of ${r.decided} right, expected 1000 of 1000`);
        p.expect(r.registered < 10, `FinalizationRegistry.register was called ${r.registered} times for ${r.created} policies, expected fewer than 10`);
      }
      p.normalCalls();
    },
    {
      // Count registrations: the package's glue creates its registries when it is loaded.
      before: String.raw`
      let registered = 0;
      globalThis.FinalizationRegistry = class CountingFinalizationRegistry extends FinalizationRegistry {
        register(...args) { registered++; return super.register(...args); }
      };
      globalThis.__registered = () => registered;
      `,
    },
  );
});

// ── 8. A trap is contained ────────────────────────────────────────────────────────────────

finding("8. after the instance traps, the next calls get a fresh one and existing policies still decide", ENTRIES, (entry) => {
  check(
    entry,
    String.raw`
    const before = new RetryPolicy({ seed: 1 });
    emit("trap", outcome(() => pkg.__testing.forceTrap()));
    emit("after", normalCalls());
    emit("old policy", outcome(() => {
      const d = before.decide(classify({ status: 503 }), { attempt: 1, elapsedMs: 0 });
      return { retry: d.retry, delayMs: d.delayMs, reason: d.reason.split(":")[0] };
    }));
    `,
    (p) => {
      const trap = p.report("trap");
      if (trap) {
        const e = trap.threw;
        p.expect(e && (e.name === "RuntimeError" || (e.name === "BackupErrorsError" && e.code === "ERR_INTERNAL")), `__testing.forceTrap(): expected a RuntimeError or a BackupErrorsError ERR_INTERNAL, ${showOutcome(trap)}`);
      }
      p.normalCalls();
      p.returned(p.report("old policy"), { retry: true, delayMs: 783, reason: "5xx-backoff" }, "a RetryPolicy({ seed: 1 }) made before the trap: decide(503, attempt 1) { retry, delayMs, reason's rule }");
    },
  );
});
