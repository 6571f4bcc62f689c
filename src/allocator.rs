//! The allocator settings of deprov's binaries (jemalloc, where it builds). jemalloc's default
//! keeps freed pages for ten seconds, and pages it frees lazily stay resident until the kernel
//! wants them back: a shard that has just let go of one family's parsed exports still counts
//! them while it reads the next. Returned to the system after one second and at once instead,
//! a shard's peak resident memory is what it holds, not what it held (8 shards of a million
//! credentials: about a tenth lower, in the same time; `docs/SCALING.md`). At run time the
//! environment variable `_RJEM_MALLOC_CONF` (jemalloc's symbols are prefixed `_rjem_`) adds to
//! or overrides these.

use std::ffi::{c_char, CStr};

/// jemalloc's options, in its `malloc_conf` syntax.
pub const SETTINGS: &CStr = c"dirty_decay_ms:1000,muzzy_decay_ms:0";

/// What jemalloc reads at start: a pointer to [`SETTINGS`].
#[repr(transparent)]
pub struct Settings(pub *const c_char);

// A pointer to a constant string, never written.
unsafe impl Sync for Settings {}

/// Gives a binary deprov's allocator settings. Expanded beside the binary's
/// `#[global_allocator]`: jemalloc reads them from a symbol, which must be in the binary's own
/// object to take the place of jemalloc's default (in a library the linker need not pull it in).
#[macro_export]
macro_rules! allocator_settings {
    () => {
        #[cfg(not(target_env = "msvc"))]
        #[export_name = "_rjem_malloc_conf"]
        static ALLOCATOR_SETTINGS: $crate::allocator::Settings =
            $crate::allocator::Settings($crate::allocator::SETTINGS.as_ptr());
    };
}
