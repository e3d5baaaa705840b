//! Policies kept in the module. A `RetryPolicy` of the JS layer is checked once, when it is
//! made, and its block is stored here in a slot; a decision then crosses as a handful of
//! numbers (the slot, its stamp, the generator's state, the classification's compact form,
//! attempt, elapsed time, flags) instead of the 29 words of the block ([`ops::decide_at`]).
//!
//! The slots are a cache, not the policy's home: the JS object keeps its block, so the table
//! can be small and fixed (no allocation: it lives in the module's zeroed static memory). A
//! policy whose slot was taken by a newer one, or that was made in an instance that has since
//! been replaced, finds a different stamp there, and the JS layer stores its block again
//! ([`PolicySlots::keep`]). So a million policies made and dropped occupy [`POLICY_SLOTS`]
//! slots, none has to be freed, and a fresh instance serves every live policy.
//!
//! [`ops::decide_at`]: super::ops::decide_at

use super::{policy_from_words, POLICY_WORDS};
use crate::retry::RetryPolicy;
use core::cell::{Cell, RefCell};

/// How many policies the module keeps at once.
pub const POLICY_SLOTS: usize = 256;

/// Words 24–28 of a block: the generator and the previous delay, which change with each
/// decision and so travel with it.
const STATE_WORDS: usize = 24;

/// The slots: each a stored block and the stamp it was stored under (0: empty).
#[derive(Debug)]
pub struct PolicySlots {
    blocks: RefCell<[[u32; POLICY_WORDS]; POLICY_SLOTS]>,
    stamps: RefCell<[u32; POLICY_SLOTS]>,
    /// The slot the next block goes to (the oldest, round robin).
    next: Cell<u32>,
    /// The last stamp given out.
    issued: Cell<u32>,
}

impl PolicySlots {
    /// No policy stored.
    pub const fn new() -> PolicySlots {
        PolicySlots {
            blocks: RefCell::new([[0; POLICY_WORDS]; POLICY_SLOTS]),
            stamps: RefCell::new([0; POLICY_SLOTS]),
            next: Cell::new(0),
            issued: Cell::new(0),
        }
    }

    /// Stores a checked block in the oldest slot; returns the slot and its new stamp.
    pub fn keep(&self, block: &[u32; POLICY_WORDS]) -> (u32, u32) {
        let slot = self.next.get();
        self.next.set((slot + 1) % POLICY_SLOTS as u32);
        // Stamps are never 0 and not reused before 2^32 - 1 stores.
        let stamp = self.issued.get().checked_add(1).unwrap_or(1);
        self.issued.set(stamp);
        self.blocks.borrow_mut()[slot as usize] = *block;
        self.stamps.borrow_mut()[slot as usize] = stamp;
        (slot, stamp)
    }

    /// The policy stored in `slot` under `stamp`, with the generator's state and previous
    /// delay the caller's object holds (`state`: words 24–28 of its block); `None` when the
    /// slot holds another policy now.
    pub fn policy(&self, slot: u32, stamp: u32, state: [u32; 5]) -> Option<RetryPolicy> {
        let at = slot as usize;
        if stamp == 0 || self.stamps.borrow().get(at) != Some(&stamp) {
            return None;
        }
        let mut block = self.blocks.borrow()[at];
        block[STATE_WORDS..].copy_from_slice(&state);
        Some(policy_from_words(&block))
    }
}

impl Default for PolicySlots {
    fn default() -> PolicySlots {
        PolicySlots::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::policy_words;

    fn block(max_attempts: u32) -> [u32; POLICY_WORDS] {
        let options = crate::retry::RetryOptions {
            max_attempts: Some(max_attempts),
            seed: Some(7),
            ..Default::default()
        };
        let policy = RetryPolicy::new(options).unwrap_or_default();
        policy_words(&policy)
    }

    fn state(b: &[u32; POLICY_WORDS]) -> [u32; 5] {
        let mut s = [0; 5];
        s.copy_from_slice(&b[STATE_WORDS..]);
        s
    }

    #[test]
    fn a_stored_policy_is_found_by_its_slot_and_stamp_until_the_slot_is_reused() {
        let slots = PolicySlots::new();
        let first = block(3);
        let (slot, stamp) = slots.keep(&first);
        let found = slots.policy(slot, stamp, state(&first));
        assert_eq!(found.map(|p| p.resolved().max_attempts), Some(3));
        assert!(slots.policy(slot, stamp + 1, state(&first)).is_none());
        assert!(slots.policy(slot, 0, state(&first)).is_none());
        assert!(slots
            .policy(POLICY_SLOTS as u32, stamp, state(&first))
            .is_none());
        // Every slot taken once more: the first policy's slot now holds another one.
        for k in 0..POLICY_SLOTS as u32 {
            let (s, t) = slots.keep(&block(4 + k % 5));
            assert_ne!(t, stamp);
            if s == slot {
                assert!(slots.policy(slot, stamp, state(&first)).is_none());
            }
        }
        assert!(slots.policy(slot, stamp, state(&first)).is_none());
        // Stored again, it gets a slot and a stamp of its own.
        let (again, fresh) = slots.keep(&first);
        assert_eq!(
            slots
                .policy(again, fresh, state(&first))
                .map(|p| p.resolved().max_attempts),
            Some(3)
        );
    }

    #[test]
    fn the_state_words_come_from_the_caller() {
        let slots = PolicySlots::new();
        let b = block(3);
        let (slot, stamp) = slots.keep(&b);
        let mut s = state(&b);
        s[0] ^= 0xdead_beef;
        let p = slots.policy(slot, stamp, s).unwrap_or_default();
        assert_eq!(policy_words(&p)[STATE_WORDS], s[0]);
    }
}
