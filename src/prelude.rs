//! What `std`'s prelude gives and the standalone (`no_std`) build does not: the `alloc` types
//! the modules use. `use crate::prelude::*;` works in both builds.

pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::string::{String, ToString};
pub use alloc::vec;
pub use alloc::vec::Vec;
