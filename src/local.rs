//! State kept between calls: per thread natively (tests run on many threads), once per module
//! in the standalone wasm build, which is single-threaded and has no `std` to ask for threads.

/// Declares a `static` read with `NAME.with(|value| …)` in both builds.
#[macro_export]
macro_rules! local_state {
    ($(#[$meta:meta])* static $name:ident: $t:ty = $init:expr;) => {
        #[cfg(not(feature = "standalone"))]
        ::std::thread_local! {
            $(#[$meta])*
            static $name: $t = const { $init };
        }
        #[cfg(feature = "standalone")]
        $(#[$meta])*
        static $name: $crate::local::Single<$t> = $crate::local::Single($init);
    };
}

/// A value of the single-threaded standalone module, shared by every call.
#[cfg(feature = "standalone")]
pub struct Single<T>(pub T);

// SAFETY: the standalone module is built for wasm32 without threads: one thread ever runs it.
#[cfg(feature = "standalone")]
unsafe impl<T> Sync for Single<T> {}

#[cfg(feature = "standalone")]
impl<T> Single<T> {
    /// Calls `f` with the value, as `LocalKey::with` does.
    pub fn with<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.0)
    }
}
