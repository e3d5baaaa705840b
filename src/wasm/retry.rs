//! Bindings of the retry side: `RetryPolicy`, `RetryBudget`, and the per-call handle the
//! JS executors drive (`RetryCall`, internal). Options arrive as JS objects and are
//! validated by the core; a bad option throws `ERR_INVALID_OPTION`.

use super::raw::{action_at, category_at, processed_at, vendor_at, with_out};
use super::{get, js_error, read, read_input, read_optional_string, read_vendor, to_js, type_name};
use crate::budget::{BudgetOptions, RetryBudget};
use crate::call::{CallRequest, Outcome, RetryCall};
use crate::error::Error;
use crate::json::Value;
use crate::model::{Classification, ItemError};
use crate::retry::{DecisionContext, RetryOptions, RetryPolicy, VENDOR_PRESETS};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// JS options object → JSON, `undefined`/`null` → `{}`.
fn options_json(options: &JsValue, what: &'static str) -> Result<Value<'static>, Error> {
    if options.is_undefined() || options.is_null() {
        return Ok(Value::Object(Default::default()));
    }
    if !options.is_object() {
        return Err(Error::InvalidArgument {
            name: what.into(),
            expected: "an options object".into(),
            got: type_name(options),
        });
    }
    read::json(options).map_err(|e| Error::InvalidOption {
        name: what,
        problem: format!("cannot be read: {e}"),
    })
}

pub(super) fn read_classification(value: &JsValue) -> Result<Classification, Error> {
    read::classification(value).map_err(|e| Error::InvalidArgument {
        name: "classification".into(),
        expected: "a Classification returned by classify()".into(),
        got: format!("{} ({e})", type_name(value)),
    })
}

/// Milliseconds from a JS number: finite and positive, rounded, capped; else 0.
fn ms_from_f64(n: f64) -> u64 {
    if n.is_finite() && n > 0.0 {
        n.round().min(crate::retry::MAX_MS as f64) as u64
    } else {
        0
    }
}

fn non_negative_ms(value: &JsValue) -> u64 {
    value.as_f64().map_or(0, ms_from_f64)
}

/// `attempt` from a JS number: finite and ≥ 1, capped; else the default (1).
fn attempt_from_f64(n: f64) -> Option<u32> {
    (n.is_finite() && n >= 1.0).then(|| n.min(u32::MAX as f64) as u32)
}

fn read_context(value: &JsValue) -> DecisionContext {
    let mut ctx = DecisionContext::default();
    if !value.is_object() {
        return ctx;
    }
    if let Some(n) = get(value, "attempt").as_f64().and_then(attempt_from_f64) {
        ctx.attempt = n;
    }
    ctx.elapsed_ms = non_negative_ms(&get(value, "elapsedMs"));
    ctx.method = get(value, "method").as_string();
    ctx.earlier_ambiguous_failure = get(value, "earlierAmbiguousFailure").is_truthy();
    ctx.idempotent = get(value, "idempotent").is_truthy();
    ctx
}

/// The second argument of `schedule` and `plan`: a number of attempts (default 10, at most
/// 100), or `{ attempts?, method?, idempotent? }`.
fn read_schedule_args(value: &JsValue) -> (u32, DecisionContext) {
    let attempts = |v: &JsValue| {
        v.as_f64()
            .filter(|n| n.is_finite() && *n >= 1.0)
            .map_or(10, |n| n.min(100.0) as u32)
    };
    if value.is_object() {
        let mut request = read_context(value);
        request.attempt = 1;
        request.elapsed_ms = 0;
        request.earlier_ambiguous_failure = false;
        (attempts(&get(value, "attempts")), request)
    } else {
        (attempts(value), DecisionContext::default())
    }
}

fn borrow_error() -> JsValue {
    js_error(Error::InvalidArgument {
        name: "policy".into(),
        expected: "not in use by another call at the same instant".into(),
        got: "a re-entrant call".into(),
    })
}

/// Decides retries: backoff on 5xx, never on 409, the server's wait on 429/503, the busy
/// schedule for running jobs, vendor presets, deadlines.
#[wasm_bindgen(js_name = RetryPolicy, skip_typescript)]
pub struct JsRetryPolicy {
    inner: Rc<RefCell<RetryPolicy>>,
}

#[wasm_bindgen(js_class = RetryPolicy)]
impl JsRetryPolicy {
    /// Validates `options`; without a `seed`, one is drawn from `Math.random()` so a fleet of
    /// consoles does not retry in lockstep.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsRetryPolicy, JsValue> {
        let mut json = options_json(&options, "options").map_err(js_error)?;
        if let Value::Object(map) = &mut json {
            if map.get("seed").is_none_or(Value::is_null) {
                let seed = (js_sys::Math::random() * crate::retry::MAX_MS as f64) as u64;
                map.insert("seed", Value::from(seed));
            }
        }
        let options = RetryOptions::from_json(&json).map_err(js_error)?;
        let policy = RetryPolicy::new(options).map_err(js_error)?;
        Ok(JsRetryPolicy {
            inner: Rc::new(RefCell::new(policy)),
        })
    }

    /// What to do after `context.attempt` ended with `classification`.
    pub fn decide(&self, classification: JsValue, context: JsValue) -> Result<JsValue, JsValue> {
        let c = read_classification(&classification).map_err(js_error)?;
        let ctx = read_context(&context);
        let mut policy = self.inner.try_borrow_mut().map_err(|_| borrow_error())?;
        Ok(to_js(&policy.decide(&c, &ctx)))
    }

    /// The decisions attempts 1…`attempts` (default: 10) would get, up to the first stop;
    /// the second argument may also be `{ attempts?, method?, idempotent? }`.
    pub fn schedule(&self, classification: JsValue, attempts: JsValue) -> Result<JsValue, JsValue> {
        let c = read_classification(&classification).map_err(js_error)?;
        let (n, request) = read_schedule_args(&attempts);
        let policy = self.inner.try_borrow().map_err(|_| borrow_error())?;
        Ok(to_js(&policy.schedule(&c, n, &request)))
    }

    /// `schedule`, with the schedule the classification gets and the range of each delay.
    pub fn plan(&self, classification: JsValue, attempts: JsValue) -> Result<JsValue, JsValue> {
        let c = read_classification(&classification).map_err(js_error)?;
        let (n, request) = read_schedule_args(&attempts);
        let policy = self.inner.try_borrow().map_err(|_| borrow_error())?;
        Ok(to_js(&policy.plan(&c, n, &request)))
    }

    /// Every option with the value the policy uses (defaults filled in, the seed it drew).
    #[wasm_bindgen(js_name = resolvedOptions)]
    pub fn resolved_options(&self) -> Result<JsValue, JsValue> {
        let policy = self.inner.try_borrow().map_err(|_| borrow_error())?;
        Ok(to_js(&policy.resolved()))
    }

    /// The schedules vendors document, applied to the fields a caller leaves unset.
    pub fn presets() -> JsValue {
        to_js(&VENDOR_PRESETS)
    }

    /// Starts one call's retry state (used by the executors): `request` is
    /// `{ method?, idempotent?, canReauthenticate?, replayable?, vendor? }`.
    #[wasm_bindgen(js_name = beginCall)]
    pub fn begin_call(&self, request: JsValue) -> Result<JsRetryCall, JsValue> {
        Ok(JsRetryCall {
            policy: Rc::clone(&self.inner),
            budget: None,
            call: RetryCall::new(read_call_request(&request).map_err(js_error)?),
        })
    }

    /// [`JsRetryPolicy::begin_call`], gated by a shared budget.
    #[wasm_bindgen(js_name = beginCallWithBudget)]
    pub fn begin_call_with_budget(
        &self,
        request: JsValue,
        budget: &JsRetryBudget,
    ) -> Result<JsRetryCall, JsValue> {
        Ok(JsRetryCall {
            policy: Rc::clone(&self.inner),
            budget: Some(Rc::clone(&budget.inner)),
            call: RetryCall::new(read_call_request(&request).map_err(js_error)?),
        })
    }
}

fn read_call_request(request: &JsValue) -> Result<CallRequest, Error> {
    Ok(CallRequest {
        method: read_optional_string(&get(request, "method"), "method")?,
        idempotent: get(request, "idempotent").is_truthy(),
        can_reauthenticate: get(request, "canReauthenticate").is_truthy(),
        replayable: get(request, "replayable").is_truthy(),
        vendor: read_vendor(&get(request, "vendor"))?,
    })
}

thread_local! {
    /// The last `code` and `summary` api.js sent to [`decide_raw`]: a policy is usually asked
    /// about the same classification several times, so api.js sends them only when they
    /// change (they are stored before anything can fail, and api.js only relies on a value it
    /// sent in a call that returned).
    static LAST: RefCell<(Option<String>, String)> = const { RefCell::new((None, String::new())) };
}

/// `policy.decide(classification, context)` for api.js, with the classification's fields
/// already read and checked in JS (it falls back to `decide` above for anything unusual).
/// Only the fields the policy reads cross: status, vendor, category, action, code, summary,
/// retryAfterMs (`< 0` → null), processed (an index; out of range → what the status and
/// category say) and the number of items. `code_mode` 0 keeps the last code,
/// 1 means none, 2 takes `code`; `summary` `None` keeps the last summary. The context's raw
/// values are converted exactly as `read_context` converts them. The decision is written to
/// the raw output buffer (layout in `raw.rs`).
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = decideRaw, skip_typescript)]
pub fn decide_raw(
    policy: &JsRetryPolicy,
    status: u16,
    vendor: u32,
    category: u32,
    action: u32,
    retry_after_ms: f64,
    items: u32,
    code_mode: u32,
    code: Option<String>,
    summary: Option<String>,
    attempt: f64,
    elapsed_ms: f64,
    method: Option<String>,
    earlier_ambiguous_failure: bool,
    idempotent: bool,
    processed: u32,
) -> Result<u32, JsValue> {
    let (code, summary) = LAST.with(|last| {
        let mut last = last.borrow_mut();
        match code_mode {
            0 => {}
            1 => last.0 = None,
            _ => last.0 = code,
        }
        if let Some(summary) = summary {
            last.1 = summary;
        }
        last.clone()
    });
    let (Some(vendor), Some(category), Some(action)) =
        (vendor_at(vendor), category_at(category), action_at(action))
    else {
        return Err(js_error(Error::InvalidArgument {
            name: "classification".into(),
            expected: "a Classification returned by classify()".into(),
            got: "an object".into(),
        }));
    };
    let c = Classification {
        vendor,
        status,
        code,
        message: None,
        category,
        action,
        retryable: action.is_retryable(),
        processed: processed_at(processed)
            .unwrap_or_else(|| crate::classify::processed(status, category)),
        retry_after_ms: (retry_after_ms >= 0.0).then_some(retry_after_ms as u64),
        summary,
        remediation: None,
        parameter: None,
        request_id: None,
        documented: false,
        items: vec![ItemError::default(); items as usize],
    };
    let mut ctx = DecisionContext::default();
    if let Some(n) = attempt_from_f64(attempt) {
        ctx.attempt = n;
    }
    ctx.elapsed_ms = ms_from_f64(elapsed_ms);
    ctx.method = method;
    ctx.earlier_ambiguous_failure = earlier_ambiguous_failure;
    ctx.idempotent = idempotent;
    let mut policy = policy.inner.try_borrow_mut().map_err(|_| borrow_error())?;
    let decision = policy.decide(&c, &ctx);
    Ok(with_out(|out| out.decision(&decision)))
}

/// A retry token bucket shared by one client (the AWS SDK retry quota).
#[wasm_bindgen(js_name = RetryBudget, skip_typescript)]
pub struct JsRetryBudget {
    inner: Rc<RefCell<RetryBudget>>,
}

#[wasm_bindgen(js_class = RetryBudget)]
impl JsRetryBudget {
    /// Validates `options` (`capacity`, `retryCost`, `timeoutCost`, `successRefund`).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsRetryBudget, JsValue> {
        let json = options_json(&options, "options").map_err(js_error)?;
        let options = BudgetOptions::from_json(&json).map_err(js_error)?;
        let budget = RetryBudget::new(options).map_err(js_error)?;
        Ok(JsRetryBudget {
            inner: Rc::new(RefCell::new(budget)),
        })
    }

    /// Tokens left now.
    #[wasm_bindgen(getter)]
    pub fn available(&self) -> u32 {
        self.inner.try_borrow().map_or(0, |b| b.available())
    }

    /// Tokens when full.
    #[wasm_bindgen(getter)]
    pub fn capacity(&self) -> u32 {
        self.inner.try_borrow().map_or(0, |b| b.capacity())
    }
}

/// One call's retry state, driven by the JS executors: `next()` after each attempt,
/// `finish()` at the end.
#[wasm_bindgen(js_name = RetryCall, skip_typescript)]
pub struct JsRetryCall {
    policy: Rc<RefCell<RetryPolicy>>,
    budget: Option<Rc<RefCell<RetryBudget>>>,
    call: RetryCall,
}

#[wasm_bindgen(js_class = RetryCall)]
impl JsRetryCall {
    /// The attempt running now (1-based).
    #[wasm_bindgen(getter)]
    pub fn attempt(&self) -> u32 {
        self.call.attempt()
    }

    /// Tells a call begun without a method what its request is (see
    /// `RetryCall::learn_request`).
    #[wasm_bindgen(js_name = learnRequest)]
    pub fn learn_request(&mut self, method: String, idempotent: bool) {
        self.call.learn_request(method, idempotent);
    }

    /// Milliseconds left before the call's deadline, `elapsed_ms` after the first attempt
    /// started: the longest the running attempt may take.
    #[wasm_bindgen(js_name = remainingMs)]
    pub fn remaining_ms(&self, elapsed_ms: JsValue) -> Result<f64, JsValue> {
        let policy = self.policy.try_borrow().map_err(|_| borrow_error())?;
        Ok(self
            .call
            .remaining_ms(&policy, non_negative_ms(&elapsed_ms)) as f64)
    }

    /// The current attempt got a failed response (`input` as `classify()` takes it; its
    /// `vendor`, when given, wins over the call's): `{ classification, decision }`, the
    /// decision a proposal until [`JsRetryCall::settle`].
    pub fn response(&mut self, input: JsValue, elapsed_ms: JsValue) -> Result<JsValue, JsValue> {
        let input = read_input(&input).map_err(js_error)?;
        self.step(
            Outcome::Response {
                status: input.status,
                headers: &input.headers,
                body: &input.body,
                vendor: input.vendor,
            },
            &elapsed_ms,
        )
    }

    /// The current attempt got no response: `kind` is `"timeout"` (after `timeout_ms`, when
    /// given), `"not-sent"` (no connection: refused, host not found), `"connection-lost"`
    /// (the connection failed after sending, or the failure does not say) or `"deadline"`.
    pub fn failure(
        &mut self,
        kind: String,
        elapsed_ms: JsValue,
        timeout_ms: JsValue,
    ) -> Result<JsValue, JsValue> {
        let outcome = match kind.as_str() {
            "timeout" => Outcome::Timeout(timeout_ms.as_f64().map(ms_from_f64)),
            "not-sent" => Outcome::NotSent,
            "deadline" => Outcome::DeadlinePassed,
            _ => Outcome::ConnectionLost,
        };
        self.step(outcome, &elapsed_ms)
    }

    /// Settles the judged attempt with the caller's `shouldRetry` answer (`true`, `false`,
    /// or `undefined` to keep the decision):
    /// `{ retry, delayMs, reason, attempt, earlierAttemptMayHaveSucceeded, reauthenticate }`.
    pub fn settle(&mut self, should_retry: JsValue) -> Result<JsValue, JsValue> {
        let answer = should_retry.as_bool();
        let mut policy = self.policy.try_borrow_mut().map_err(|_| borrow_error())?;
        let decision = match &self.budget {
            Some(budget) => {
                let mut budget = budget.try_borrow_mut().map_err(|_| borrow_error())?;
                self.call.settle(&mut policy, Some(&mut budget), answer)
            }
            None => self.call.settle(&mut policy, None, answer),
        };
        Ok(to_js(&decision))
    }

    /// Ends the call and settles the budget: `succeeded` refunds the last retry's tokens.
    pub fn finish(&mut self, succeeded: bool) {
        match &self.budget {
            Some(budget) => {
                if let Ok(mut budget) = budget.try_borrow_mut() {
                    self.call.finish(Some(&mut budget), succeeded);
                }
            }
            None => self.call.finish(None, succeeded),
        }
    }
}

impl JsRetryCall {
    /// Judges `outcome`: `{ classification, decision }`.
    fn step(&mut self, outcome: Outcome, elapsed_ms: &JsValue) -> Result<JsValue, JsValue> {
        let now_ms = js_sys::Date::now().max(0.0) as u64;
        let mut policy = self.policy.try_borrow_mut().map_err(|_| borrow_error())?;
        let (classification, decision) =
            self.call
                .next(&mut policy, outcome, non_negative_ms(elapsed_ms), now_ms);
        Ok(to_js(&Step {
            classification,
            decision,
        }))
    }
}

/// What [`JsRetryCall`] returns for an attempt.
#[derive(serde::Serialize)]
struct Step {
    classification: Classification,
    decision: crate::call::CallDecision,
}
