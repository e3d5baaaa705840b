//! The standalone module's memory and panics.
//!
//! Every operation is a function of its input (`crate::wire`), so nothing it allocates
//! outlives the next operation: the global allocator is a bump allocator, and [`reset`]
//! (called by `begin`, before each operation) frees everything at once. Allocating is a
//! pointer increment, freeing a whole classification tree costs nothing, and the allocator
//! is a few dozen instructions. Memory grows by whole wasm pages when an operation needs more
//! (a large body); it is reused by later operations and never shrinks (wasm memory cannot).
//!
//! One thing outlives operations: the registry of vendors a caller registered
//! (`crate::vendors::registered`). The operation that rebuilds it drops the old one, moves
//! its input to the base of the heap ([`rebase`]), builds the registry above it, and raises
//! the floor [`reset`] returns to above what it built ([`keep`]). Every rebuild starts from
//! the base again, so the kept region is as large as the last registry (and its input), and
//! registering any number of times does not grow memory.
//!
//! A panic (none is expected: `unwrap`, `expect` and `panic!` are denied outside tests)
//! traps without formatting a message; the JS layer then replaces the instance.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;

const PAGE: usize = 65_536;

struct Bump {
    /// Where the heap starts (the end of memory when first used); 0 before.
    base: Cell<usize>,
    /// Where [`reset`] frees down to: the base, or above the kept registry.
    floor: Cell<usize>,
    /// The first free byte.
    top: Cell<usize>,
    /// The end of memory.
    end: Cell<usize>,
}

// SAFETY: the standalone module runs on one thread (wasm32 without atomics).
unsafe impl Sync for Bump {}

#[global_allocator]
static HEAP: Bump = Bump {
    base: Cell::new(0),
    floor: Cell::new(0),
    top: Cell::new(0),
    end: Cell::new(0),
};

impl Bump {
    fn start(&self) {
        if self.base.get() == 0 {
            let end = core::arch::wasm32::memory_size::<0>() * PAGE;
            self.base.set(end);
            self.floor.set(end);
            self.top.set(end);
            self.end.set(end);
        }
    }

    /// Makes memory reach `end`; false when it cannot grow.
    fn reach(&self, end: usize) -> bool {
        if end <= self.end.get() {
            return true;
        }
        let pages = (end - self.end.get()).div_ceil(PAGE);
        if core::arch::wasm32::memory_grow::<0>(pages) == usize::MAX {
            return false;
        }
        self.end.set(self.end.get() + pages * PAGE);
        true
    }
}

// SAFETY: blocks are handed out from [top, end) aligned as asked, never twice before a reset;
// `dealloc` and `realloc` only move `top` back for the block that ends at it.
unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.start();
        let start = (self.top.get() + layout.align() - 1) & !(layout.align() - 1);
        match start.checked_add(layout.size()) {
            Some(end) if self.reach(end) => {
                self.top.set(end);
                start as *mut u8
            }
            _ => core::ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ptr as usize + layout.size() == self.top.get() {
            self.top.set(ptr as usize);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let at = ptr as usize;
        if at + layout.size() == self.top.get() {
            // The last block grows or shrinks in place.
            return match at.checked_add(new_size) {
                Some(end) if self.reach(end) => {
                    self.top.set(end);
                    ptr
                }
                _ => core::ptr::null_mut(),
            };
        }
        // SAFETY: `new_size` with the old alignment is a valid layout (GlobalAlloc contract).
        let new =
            unsafe { self.alloc(Layout::from_size_align_unchecked(new_size, layout.align())) };
        if !new.is_null() {
            // SAFETY: both blocks are live and do not overlap (the new one is above `top`).
            unsafe { core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size)) };
        }
        new
    }
}

/// Frees everything allocated since the last [`keep`] (or since the start).
pub fn reset() {
    HEAP.start();
    HEAP.top.set(HEAP.floor.get());
}

/// Frees everything, the kept region included, except `len` bytes at `at` (the current
/// operation's input, which lies in the heap), which are moved to the base of the heap;
/// allocation goes on right after them. Returns their new address. The caller has dropped
/// everything that pointed below `at` (the registry, and the memo of lookups into it).
pub fn rebase(at: usize, len: usize) -> usize {
    HEAP.start();
    let base = HEAP.base.get();
    if len > 0 && at != base {
        // SAFETY: [at, at + len) is the live input, allocated in the heap at or above `base`;
        // `copy` allows the ranges to overlap.
        unsafe { core::ptr::copy(at as *const u8, base as *mut u8, len) };
    }
    HEAP.floor.set(base);
    HEAP.top.set(base + len);
    base
}

/// Keeps everything allocated so far through later operations: [`reset`] frees down to here.
pub fn keep() {
    HEAP.start();
    HEAP.floor.set(HEAP.top.get());
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
