//! How the server's heap gives memory back (glibc only; elsewhere these do nothing).
//!
//! An atlas reload parses a ~5 MB JSON file and builds a new atlas and ranker while the old
//! ones still serve. glibc's allocator keeps what such large, short-lived blocks leave behind
//! unless told otherwise, so each reload could leave the heap a little larger. Measured by
//! `tests/serve_process.rs::fifty_reloads_keep_memory_flat` (resident memory of the bundled
//! atlas reloaded; ranges over repeated runs on a shared 2-core machine):
//!
//! | setting                                   | after 1 | later                    |
//! |-------------------------------------------|---------|--------------------------|
//! | glibc defaults                            | 32 MiB  | 51 MiB after 3, then flat |
//! | `malloc_trim` after each reload           | 27 MiB  | 37–46 MiB after 50        |
//! | + fixed mmap threshold (this module)      | 27 MiB  | 28.5–30 MiB after 50      |
//!
//! Later the atlas grew (named places) and the same test measured 7–12 % growth over 50
//! reloads, past issue 11's bound of 10 %. Two changes brought it to 5.0–5.5 % (8 runs, also
//! with a test build running beside it): gap reasons as a `MissingTable` (~17,000 fewer small
//! allocations per atlas: 6.8–8.4 %), and every reload built on one `AtlasLoader` thread, so
//! in one malloc arena rather than in whichever arena the blocking pool's thread had. Tried
//! without effect: mimalloc and jemalloc as the global allocator (more memory, and still ~10 %
//! growth with jemalloc's decay at 0), mmap thresholds from 8 KiB to 128 KiB.

/// Fixes glibc's mmap threshold at 1 MiB. By default the threshold adapts: freeing a large
/// mmapped block (a reload's file buffer) raises it to that block's size, so the next reload's
/// blocks come from the heap, where they fragment it and stay. With a fixed threshold, every
/// block of 1 MiB or more is its own mapping and goes back to the system when freed. Blocks
/// that large are rare on the request path (rank answers are a few KiB).
pub fn fix_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it has no memory preconditions.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Hands the heap's free pages back to the system (glibc's `malloc_trim`), e.g. once a
/// replaced atlas has been freed. Blocks (it walks every arena): call it off the async workers.
pub fn give_back_free_pages() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions: it only hands free heap pages back to the
    // system and touches no memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}
