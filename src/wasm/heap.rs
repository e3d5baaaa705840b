//! The standalone module's memory and panics.
//!
//! Every operation is a function of its input (`crate::wire`), so nothing it allocates
//! outlives the next operation: the global allocator is a bump allocator, and [`reset`]
//! (called by `begin`, before each operation) frees everything at once. Allocating is a
//! pointer increment, freeing a whole classification tree costs nothing, and the allocator
//! is a few dozen instructions. Memory grows by whole wasm pages when an operation needs more
//! (a large body); it is reused by later operations and never shrinks (wasm memory cannot).
//!
//! A panic (none is expected: `unwrap`, `expect` and `panic!` are denied outside tests)
//! traps without formatting a message; the JS layer then replaces the instance.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;

const PAGE: usize = 65_536;

struct Bump {
    /// Where the heap starts (the end of memory when first used); 0 before.
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
    floor: Cell::new(0),
    top: Cell::new(0),
    end: Cell::new(0),
};

impl Bump {
    fn start(&self) {
        if self.floor.get() == 0 {
            let end = core::arch::wasm32::memory_size::<0>() * PAGE;
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

/// Frees everything allocated since the last `keep` (or since the start).
pub fn reset() {
    HEAP.start();
    HEAP.top.set(HEAP.floor.get());
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
