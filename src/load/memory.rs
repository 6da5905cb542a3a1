//! Giving freed memory back to the system between stages.
//!
//! Loading a large design builds a document tree (about a third of the peak at tier XL) that is
//! dropped once the model is decoded. glibc keeps freed memory in the arena of the thread that
//! freed it, and the firewall compile that follows allocates in its worker threads' own
//! arenas, so the tree's pages would stay resident beside them for the rest of the run.
//! `malloc_trim` returns them. Elsewhere (other C libraries, other systems) this does nothing.

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
