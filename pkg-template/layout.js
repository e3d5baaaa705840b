// Generated from the Rust crate (src/wire/layout.rs) by `UPDATE_LAYOUT=1 cargo test --test layout`;
// `npm test` fails when this file is stale. Edit the Rust side, not this file.

/** Words of a policy block (src/wire/mod.rs). */
export const POLICY_WORDS = 29;

/** The most nesting levels the encoder writes. */
export const MAX_DEPTH = 32;

/** The most entries of one array, iterable or object the encoder writes. */
export const MAX_ENTRIES = 10000;

/** The most body bytes passed to the module; a longer body is classified on its prefix. */
export const MAX_BODY_BYTES = 16777216;

/** The most characters of one header name or value written (a longer one: its prefix). */
export const MAX_HEADER_TEXT = 8192;

/** The most characters of header names and values written in all (the rest reads as empty). */
export const MAX_HEADER_TEXT_IN_ALL = 1048576;

/** The tag of each kind of value that is neither a primitive, an array nor a plain object. */
export const KIND = Object.freeze({ function: 1, symbol: 2, date: 3, set: 4, blob: 5, promise: 6, regexp: 7, error: 8, detached: 9, bytes: 10 });

/** How an attempt without a response ended, by its index on the wire. */
export const OUTCOME_KIND = Object.freeze({ "timeout": 0, "not-sent": 1, "connection-lost": 2, "deadline": 3 });

/** A circuit breaker's states, by their index on the wire (src/breaker). */
export const BREAKER_STATES = Object.freeze(["closed", "open", "half-open"]);

/** Why a circuit breaker changed state, by index on the wire. */
export const BREAKER_CHANGES = Object.freeze(["failure-threshold", "open-elapsed", "probes-succeeded", "probe-failed"]);

/** What an attempt says of the service, as a breaker event (0 asks to send it). */
export const HEALTH = Object.freeze({ healthy: 1, unhealthy: 2, unknown: 3 });
