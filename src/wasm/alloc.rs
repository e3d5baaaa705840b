//! The wasm build's memory allocator: power-of-two size classes with a free list each.
//!
//! It replaces std's dlmalloc (~7 KB of wasm) with ~0.5 KB and is faster on what this crate
//! allocates — many small strings and JSON nodes that live for one call: allocation pops a
//! free list or bumps a pointer, freeing pushes. The price is up to 2× the requested size per
//! block and no coalescing: a freed block is reused only for its own class. Linear memory
//! never shrinks anyway, so memory is bounded by each class's peak use.
//!
//! Blocks of class `c` hold `2^c` bytes (16 bytes to 2 GiB). They are carved out of chunks
//! of `max(2^c, 4 KiB)` bytes taken from the end of memory, which grows as needed; chunks
//! start at multiples of 4 KiB, so every block is aligned to `min(2^c, 4 KiB)`, enough for
//! any `Layout` whose alignment does not exceed its size class (larger alignments are
//! refused). Single-threaded, as wasm32-unknown-unknown is.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;

const PAGE: usize = 65_536;
const CHUNK: usize = 4_096;
const MIN_CLASS: u32 = 4;
const CLASSES: usize = 32;

struct Heap {
    /// Head of each class's free list (0: empty); a free block's first word is the next.
    free: [usize; CLASSES],
    /// Each class's unused part of its current chunk: `[next, limit)`.
    next: [usize; CLASSES],
    limit: [usize; CLASSES],
    /// The end of memory handed out in chunks so far (0: not started).
    top: usize,
}

/// The allocator; `#[global_allocator]` in `wasm/mod.rs`.
pub struct SizeClasses(UnsafeCell<Heap>);

// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread.
unsafe impl Sync for SizeClasses {}

impl SizeClasses {
    pub const fn new() -> Self {
        SizeClasses(UnsafeCell::new(Heap {
            free: [0; CLASSES],
            next: [0; CLASSES],
            limit: [0; CLASSES],
            top: 0,
        }))
    }
}

/// The class of a layout: the smallest `c` with `2^c ≥ max(size, align, 16)`.
#[inline]
fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    let class = size.checked_next_power_of_two()?.trailing_zeros() as usize;
    (class < CLASSES && layout.align() <= CHUNK).then_some(class)
}

impl Heap {
    /// `bytes` (a multiple of 4 KiB) of fresh memory at the end, growing it as needed.
    fn chunk(&mut self, bytes: usize) -> Option<usize> {
        let end = core::arch::wasm32::memory_size(0) * PAGE;
        if self.top == 0 {
            self.top = end;
        }
        let start = self.top;
        let new_top = start.checked_add(bytes)?;
        if new_top > end {
            let pages = (new_top - end).div_ceil(PAGE);
            if core::arch::wasm32::memory_grow(0, pages) == usize::MAX {
                return None;
            }
        }
        self.top = new_top;
        Some(start)
    }

    #[inline]
    fn alloc(&mut self, class: usize) -> *mut u8 {
        let head = self.free[class];
        if head != 0 {
            // SAFETY: `head` is a free block of this class; its first word links the list.
            self.free[class] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        let block = 1usize << class;
        if self.next[class] == self.limit[class] {
            let bytes = block.max(CHUNK);
            match self.chunk(bytes) {
                Some(start) => {
                    self.next[class] = start;
                    self.limit[class] = start + bytes;
                }
                None => return std::ptr::null_mut(),
            }
        }
        let at = self.next[class];
        self.next[class] += block;
        at as *mut u8
    }

    #[inline]
    fn free(&mut self, ptr: *mut u8, class: usize) {
        // SAFETY: the block is ours, at least 16 bytes and aligned: room for the link.
        unsafe { *(ptr as *mut usize) = self.free[class] };
        self.free[class] = ptr as usize;
    }
}

unsafe impl GlobalAlloc for SizeClasses {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match class_of(layout) {
            // SAFETY: single-threaded, and no allocator call re-enters another.
            Some(class) => unsafe { (*self.0.get()).alloc(class) },
            None => std::ptr::null_mut(),
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(class) = class_of(layout) {
            // SAFETY: `ptr` came from `alloc`/`realloc` with this layout, so this class.
            unsafe { (*self.0.get()).free(ptr, class) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return std::ptr::null_mut();
        };
        if class_of(layout).is_some() && class_of(layout) == class_of(new_layout) {
            return ptr;
        }
        // SAFETY: as GlobalAlloc::realloc requires: a fresh block, the old contents copied.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}
