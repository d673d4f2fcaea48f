//! Memory handed back for the next replication, not to the system.
//!
//! A national year draws a docket of about 120 MB, and every replication of an
//! ensemble, sweep, fit or solve draws a new one. glibc's malloc serves blocks of that
//! size with fresh pages from the system and returns them when they are freed, so
//! every replication faulted its pages in again: about a quarter of a national year's
//! time went to the kernel's page faults (docs/performance.md). Told to serve blocks up
//! to 32 MiB (its largest setting) from its heaps and never to trim them, it reuses
//! the freed pages. Peak memory is unchanged: what is kept is what the next
//! replication takes again.

/// Sets glibc's malloc to keep freed memory (`M_MMAP_THRESHOLD` 32 MiB, no trimming).
/// Called first thing in `main`, before any other thread starts; elsewhere it does
/// nothing.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets two of malloc's tuning parameters; it is called before
    // any other thread exists, and both values lie in the ranges glibc accepts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
    }
}
