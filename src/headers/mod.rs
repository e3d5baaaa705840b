//! Reading response headers: the server's requested wait (`Retry-After` and its relatives)
//! and the request id. Header names match in any letter case; bad values are ignored.

mod dates;
#[cfg(test)]
mod tests;

pub use dates::{http_date_epoch_ms, iso8601_epoch_ms};

use crate::prelude::*;
use crate::text::{is_space, trim};

/// The longest wait the crate will report, however large the server's value (one year).
pub const MAX_SERVER_WAIT_MS: u64 = 365 * 24 * 3600 * 1000;

/// How far the response's `Date` may be from the local clock before the local clock is taken
/// to be wrong: `Date` has whole seconds (up to 1 s behind the moment it stands for), and the
/// response spent some time on the way.
pub const CLOCK_SKEW_TOLERANCE_MS: f64 = 2_000.0;

/// Epoch values at or above this many seconds are read as timestamps, not as delays
/// (2001-09-09; no server asks a client to wait 31 years).
const EPOCH_SECONDS_FLOOR: f64 = 1_000_000_000.0;

/// The value of the first header called `name` (case-insensitive), trimmed.
pub fn get<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        // A classification compares a dozen names against every header, so: a name shorter
        // than `name` cannot match; one of the same length matches untrimmed (`name` is
        // ASCII without spaces); a longer one is trimmed only when it starts or ends with
        // whitespace or a non-ASCII character.
        .find(|(n, _)| match n.len().cmp(&name.len()) {
            core::cmp::Ordering::Less => false,
            core::cmp::Ordering::Equal => n.eq_ignore_ascii_case(name),
            core::cmp::Ordering::Greater => {
                let b = n.as_bytes();
                let may_pad = |c: Option<&u8>| c.is_some_and(|&c| !c.is_ascii() || is_space(c));
                (may_pad(b.first()) || may_pad(b.last())) && trim(n).eq_ignore_ascii_case(name)
            }
        })
        .map(|(_, v)| trim(v))
}

/// The wait the server asked for, in milliseconds, from the first of these that parses:
/// `retry-after-ms`, `x-ms-retry-after-ms` (milliseconds), `Retry-After` (seconds or an
/// HTTP-date), `RateLimit-Reset` / `X-RateLimit-Reset` (seconds, epoch seconds or
/// milliseconds, or an ISO 8601 timestamp). Dates in the past give 0; negative, non-numeric
/// and non-finite values are ignored; waits are capped at [`MAX_SERVER_WAIT_MS`].
pub fn retry_after_ms(headers: &[(String, String)], now_ms: u64) -> Option<u64> {
    retry_after_ms_with_clock(headers, &|| now_ms)
}

/// [`retry_after_ms`] reading the clock only when a value is a date or an epoch time (the
/// wasm build's clock is a call into JavaScript).
///
/// A date or an epoch time is measured against the server's clock when the local one is
/// wrong: when the response's `Date` header (set by the server's clock, like the wait's date)
/// differs from `local_now_ms` by more than [`CLOCK_SKEW_TOLERANCE_MS`], the `Date` is the
/// reference, so a local clock an hour slow neither stretches nor shortens the server's wait
/// (the AWS SDKs correct clock skew from the same header). Within the tolerance the local
/// clock is kept: it has milliseconds, and `Date` only whole seconds.
pub fn retry_after_ms_with_clock(
    headers: &[(String, String)],
    local_now_ms: &dyn Fn() -> u64,
) -> Option<u64> {
    let now_ms: &dyn Fn() -> u64 = &|| {
        let local = local_now_ms();
        let server = get(headers, "date")
            .and_then(http_date_epoch_ms)
            .filter(|ms| *ms >= 0.0);
        match server {
            Some(server) if (server - local as f64).abs() > CLOCK_SKEW_TOLERANCE_MS => {
                server as u64
            }
            _ => local,
        }
    };
    let millis = ["retry-after-ms", "x-ms-retry-after-ms"]
        .into_iter()
        .find_map(|name| get(headers, name).and_then(|v| non_negative(v).map(crate::num::ceil)));
    let wait = millis
        .or_else(|| get(headers, "retry-after").and_then(|v| retry_after_value(v, now_ms)))
        .or_else(|| {
            ["ratelimit-reset", "x-ratelimit-reset"]
                .into_iter()
                .find_map(|name| get(headers, name).and_then(|v| rate_limit_reset(v, now_ms)))
        })?;
    Some(clamp_ms(wait))
}

/// The request id: `x-request-id`, `request-id`, `x-ms-request-id`, `client-request-id`,
/// `x-correlation-id`, `atl-traceid`, in that order.
pub fn request_id(headers: &[(String, String)]) -> Option<String> {
    [
        "x-request-id",
        "request-id",
        "x-ms-request-id",
        "client-request-id",
        "x-correlation-id",
        "atl-traceid",
    ]
    .into_iter()
    .find_map(|name| get(headers, name).filter(|v| !v.is_empty()))
    .map(crate::text::bounded)
}

/// `Retry-After`: delta-seconds or an HTTP-date.
fn retry_after_value(value: &str, now_ms: &dyn Fn() -> u64) -> Option<f64> {
    if let Some(seconds) = non_negative(value) {
        return Some(seconds * 1000.0);
    }
    let at_ms = http_date_epoch_ms(value)?;
    Some((at_ms - now_ms() as f64).max(0.0))
}

/// `RateLimit-Reset`: seconds from now, epoch seconds, epoch milliseconds or ISO 8601.
fn rate_limit_reset(value: &str, now_ms: &dyn Fn() -> u64) -> Option<f64> {
    let now = || now_ms() as f64;
    if let Some(n) = non_negative(value) {
        return Some(if n >= EPOCH_SECONDS_FLOOR * 1000.0 {
            (n - now()).max(0.0)
        } else if n >= EPOCH_SECONDS_FLOOR {
            (n * 1000.0 - now()).max(0.0)
        } else {
            n * 1000.0
        });
    }
    let at_ms = iso8601_epoch_ms(value)?;
    Some((at_ms - now()).max(0.0))
}

fn non_negative(value: &str) -> Option<f64> {
    let n = crate::text::decimal(value)?;
    (n.is_finite() && n >= 0.0).then_some(n)
}

fn clamp_ms(ms: f64) -> u64 {
    if ms >= MAX_SERVER_WAIT_MS as f64 {
        MAX_SERVER_WAIT_MS
    } else {
        crate::num::ceil(ms.max(0.0)) as u64
    }
}
