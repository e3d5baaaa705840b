//! The wasm module's exports (wasm32 only): one per operation of `crate::wire::ops`, each
//! taking its input from the buffer [`begin`] handed out and returning the address of its
//! result. No conversion of JS values happens here: `pkg-template/api.js` writes the input
//! and reads the result (layouts in `crate::wire`), and every argument check and every error
//! is made in the core. The module keeps no state a caller depends on between calls (see
//! `crate::wire`), so the JS layer can replace an instance that trapped with a fresh one.
//!
//! Built with the `standalone` feature (the npm package), the crate is `no_std`: a bump
//! allocator that `begin` resets (`heap`) down to the registered vendors (`vendors`), and a panic handler that traps without formatting
//! anything. Without it (the wasm tests), std's allocator and panic handler are used.

#[cfg(feature = "standalone")]
mod heap;

use crate::wire::slots::PolicySlots;
use crate::wire::{ops, out::Out, Last, Meaning};
use core::cell::Cell;
use wasm_bindgen::prelude::wasm_bindgen;

crate::local_state! {
    /// The input buffer of the current operation: address and length.
    static INPUT: Cell<(usize, usize)> = Cell::new((0, 0));
}

crate::local_state! {
    /// The last code and summary a classification block sent.
    static LAST: Last = Last::new();
}

crate::local_state! {
    /// The policies kept in the module (a cache of the JS objects' blocks).
    static SLOTS: PolicySlots = PolicySlots::new();
}

#[cfg(not(feature = "standalone"))]
crate::local_state! {
    /// With std's allocator, the current input and result stay owned here until the next
    /// operation replaces them.
    static KEPT: core::cell::RefCell<(alloc::vec::Vec<u8>, Option<Out>)> =
        core::cell::RefCell::new((alloc::vec::Vec::new(), None));
}

/// Starts an operation: frees what the previous one allocated and returns the address of a
/// zeroed input buffer of `len` bytes for the JS layer to fill.
#[wasm_bindgen]
pub fn begin(len: u32) -> u32 {
    #[cfg(feature = "standalone")]
    heap::reset();
    let mut buffer = alloc::vec![0u8; len as usize];
    let at = buffer.as_mut_ptr() as usize;
    INPUT.with(|input| input.set((at, len as usize)));
    #[cfg(feature = "standalone")]
    core::mem::forget(buffer);
    #[cfg(not(feature = "standalone"))]
    KEPT.with(|kept| kept.borrow_mut().0 = buffer);
    at as u32
}

/// The input [`begin`] handed out.
fn input() -> &'static [u8] {
    let (at, len) = INPUT.with(Cell::get);
    if at == 0 {
        return &[];
    }
    // SAFETY: `begin` allocated `len` bytes at `at`; they stay allocated until the next
    // `begin` (the bump heap is reset only there; with std the buffer is kept in `KEPT`).
    unsafe { core::slice::from_raw_parts(at as *const u8, len) }
}

/// Returns a result's address, keeping the result alive until the next operation.
fn done(mut out: Out) -> u32 {
    let at = out.finish();
    #[cfg(feature = "standalone")]
    core::mem::forget(out);
    #[cfg(not(feature = "standalone"))]
    KEPT.with(|kept| kept.borrow_mut().1 = Some(out));
    at
}

/// The name tables (`ops::names`).
#[wasm_bindgen]
pub fn names() -> u32 {
    done(ops::names())
}

/// `classify` (`ops::classify`).
#[wasm_bindgen]
pub fn classify() -> u32 {
    done(ops::classify(input()))
}

/// `explain` (`ops::explain`).
#[wasm_bindgen]
pub fn explain() -> u32 {
    done(ops::explain(input()))
}

/// The HTTP rules' texts (`ops::texts`).
#[wasm_bindgen]
pub fn texts() -> u32 {
    done(ops::texts())
}

/// `catalog` (`ops::catalog`).
#[wasm_bindgen]
pub fn catalog() -> u32 {
    done(ops::catalog(input()))
}

/// `new RetryPolicy` (`ops::policy`).
#[wasm_bindgen]
pub fn policy() -> u32 {
    done(SLOTS.with(|slots| ops::policy(input(), slots)))
}

/// A policy kept again (`ops::keep`).
#[wasm_bindgen]
pub fn keep() -> u32 {
    done(SLOTS.with(|slots| ops::keep(input(), slots)))
}

/// `policy.resolvedOptions()` (`ops::resolved`).
#[wasm_bindgen]
pub fn resolved() -> u32 {
    done(ops::resolved(input()))
}

/// `RetryPolicy.presets()` (`ops::presets`).
#[wasm_bindgen]
pub fn presets() -> u32 {
    done(ops::presets())
}

/// `policy.decide` (`ops::decide`).
#[wasm_bindgen]
pub fn decide() -> u32 {
    done(LAST.with(|last| ops::decide(input(), last)))
}

/// `policy.decide` for a policy kept in a slot (`ops::decide_at`), after [`begin`] handed out
/// the buffer for the texts it needs: 0 when the slot holds another policy now.
#[wasm_bindgen(js_name = decideAt)]
#[allow(clippy::too_many_arguments)]
pub fn decide_at(
    slot: u32,
    stamp: u32,
    rng_lo: u32,
    rng_hi: u32,
    prev_lo: u32,
    prev_hi: u32,
    prev_set: u32,
    vendor: u32,
    status: u32,
    meaning: u32,
    retry_after: f64,
    items: u32,
    attempt: f64,
    elapsed: f64,
    flags: u32,
) -> u32 {
    let at = ops::DecideAt {
        slot,
        stamp,
        state: [rng_lo, rng_hi, prev_lo, prev_hi, prev_set],
        meaning: Meaning {
            vendor,
            status,
            category: meaning & 0xff,
            action: meaning >> 8 & 0xff,
            processed: meaning >> 16 & 0xff,
            retry_after,
            items,
        },
        attempt,
        elapsed,
        flags,
    };
    let out = SLOTS.with(|slots| LAST.with(|last| ops::decide_at(input(), &at, slots, last)));
    out.map_or(0, done)
}

/// `policy.plan` and `policy.schedule` (`ops::plan`).
#[wasm_bindgen]
pub fn plan() -> u32 {
    done(LAST.with(|last| ops::plan(input(), last)))
}

/// `new RetryBudget` (`ops::budget`).
#[wasm_bindgen]
pub fn budget() -> u32 {
    done(ops::budget(input()))
}

/// `new CircuitBreaker` (`ops::breaker`).
#[wasm_bindgen]
pub fn breaker() -> u32 {
    done(ops::breaker(input()))
}

/// `new Pacer` (`ops::pacer`).
#[wasm_bindgen]
pub fn pacer() -> u32 {
    done(ops::pacer(input()))
}

/// A turn or an answer of a pacer (`ops::pacer_event`).
#[wasm_bindgen(js_name = pacerEvent)]
pub fn pacer_event() -> u32 {
    done(ops::pacer_event(input()))
}

/// An admission or an outcome of a circuit breaker (`ops::breaker_event`).
#[wasm_bindgen(js_name = breakerEvent)]
pub fn breaker_event() -> u32 {
    done(ops::breaker_event(input()))
}

/// An attempt without a response, classified (`ops::outcome`).
#[wasm_bindgen]
pub fn outcome() -> u32 {
    done(ops::outcome(input()))
}

/// One step of a call (`ops::step`).
#[wasm_bindgen]
pub fn step() -> u32 {
    done(SLOTS.with(|slots| LAST.with(|last| ops::step(input(), last, slots))))
}

/// The end of a call (`ops::finish`).
#[wasm_bindgen]
pub fn finish() -> u32 {
    done(ops::finish(input()))
}

/// `new RedisCoordinator` (`ops::coordinator`).
#[wasm_bindgen]
pub fn coordinator() -> u32 {
    done(ops::coordinator(input()))
}

/// Before an attempt of a coordinated call (`ops::admit`).
#[wasm_bindgen]
pub fn admit() -> u32 {
    done(SLOTS.with(|slots| ops::admit(input(), slots)))
}

/// `exitCode` (`ops::exit_code`).
#[wasm_bindgen(js_name = exitCode)]
pub fn exit_code() -> u32 {
    done(LAST.with(|last| ops::exit_code(input(), last)))
}

/// `registerVendor` (`ops::vendors`): the registry is the one thing the module keeps between
/// operations. In the standalone module it is rebuilt at the bottom of the heap, from the
/// input moved there (`heap::rebase`), and kept below the floor the next operations reset
/// the heap to (`heap::keep`); each registration starts from the bottom again, so
/// registering again and again does not grow memory.
#[wasm_bindgen]
pub fn vendors() -> u32 {
    let relocate = || {
        #[cfg(feature = "standalone")]
        INPUT.with(|input| {
            let (at, len) = input.get();
            input.set((heap::rebase(at, len), len));
        });
        input()
    };
    let keep = || {
        #[cfg(feature = "standalone")]
        heap::keep();
    };
    done(ops::vendors(input(), relocate, keep))
}

/// An error the JS layer found (`ops::failure`).
#[wasm_bindgen]
pub fn failure() -> u32 {
    done(ops::failure(input()))
}

/// Executes `unreachable`: the module traps. For the test that proves a trapped instance is
/// replaced (`__testing.forceTrap()` in the JS layer).
#[wasm_bindgen(js_name = forceTrap)]
pub fn force_trap() {
    core::arch::wasm32::unreachable()
}
