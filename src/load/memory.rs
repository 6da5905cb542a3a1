//! How the process's memory is handed out and given back, around loading a large design.
//!
//! Loading a large design builds a document tree (about a third of the peak at tier XL) that is
//! dropped once the model is decoded. glibc keeps freed memory in the arena of the thread that
//! freed it, and the firewall compile that follows allocates in its worker threads' own
//! arenas, so the tree's pages would stay resident beside them for the rest of the run.
//! `malloc_trim` returns them ([`release_free_memory`]).
//!
//! The model itself is decoded on every core, so most of it is allocated in worker threads'
//! arenas. glibc makes such an arena's memory usable a page at a time, one `mprotect` system
//! call each, as it grows: 38,000 calls at tier L, and a second of loading at tier XL.
//! [`grow_in_large_steps`] asks for a new arena's whole heap at once instead. Only address
//! space is reserved that way; pages count as memory when first written, as before. glibc then
//! also stops raising its threshold for giving large blocks their own mapping, so a large block
//! freed goes straight back to the system. Elsewhere (other C libraries, other systems) both
//! do nothing.

/// Returns the free pages of every malloc arena to the system (glibc on Linux only).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim takes no pointers and only returns unused pages of glibc's own
        // arenas; it is safe to call at any time from any thread.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// glibc's `M_TOP_PAD`: the bytes added to every request for more memory from the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const M_TOP_PAD: std::ffi::c_int = -2;

/// A thread arena's heap (64 MiB on 64-bit systems): with this pad, a new heap is usable whole.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const HEAP_BYTES: std::ffi::c_int = 64 << 20;

/// Makes malloc grow thread arenas a heap at a time (glibc on Linux only; see the module).
pub fn grow_in_large_steps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
        }
        // SAFETY: mallopt takes no pointers and only changes glibc's allocation parameters;
        // it is safe to call at any time from any thread.
        unsafe {
            mallopt(M_TOP_PAD, HEAP_BYTES);
        }
    }
}
