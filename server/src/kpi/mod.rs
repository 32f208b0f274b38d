//! Growth KPIs. For now the built-in demo history, so a fresh install shows
//! realistic growth before any real source is configured.

pub mod demo;
