//! The allocator of every program that links the server: jemalloc.
//!
//! A fresh render allocates and frees thousands of small strings; glibc's
//! malloc spent about a third of its CPU there. jemalloc's background thread
//! also returns freed pages to the system after a burst of load, which is
//! what the loaded-memory budget asks of the server.

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
