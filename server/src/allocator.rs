//! The allocator of every program that links the server: jemalloc.
//!
//! A fresh render allocates and frees thousands of small strings; glibc's
//! malloc spent about a third of its CPU there (`perf`, 2026-12-07: malloc,
//! free and the arena locks of frees from another thread). jemalloc's
//! background thread returns freed pages to the system after a burst of
//! load. Its settings (`.cargo/config.toml`, `JEMALLOC_SYS_WITH_MALLOC_CONF`)
//! skip the "muzzy" state: jemalloc would otherwise give pages back with
//! `MADV_FREE`, which leaves them counted in the process's RSS until the
//! kernel needs them, so memory came back in one run and not in the next.

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
