//! Signed webhooks, following the Standard Webhooks specification: events
//! about incidents, maintenance and service status are written to an
//! outbox in DuckDB when they happen, then POSTed to each `[[webhook]]`
//! that wants them, signed (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature`), and retried with growing waits until the receiver
//! answers 2xx. An event in the outbox survives a restart or a crash; a
//! receiver may see one twice (after a crash mid-delivery) and tells by its
//! `webhook-id`.
//!
//! `[[webhook]]` is read at start: a changed list needs a restart.

pub mod delivery;
pub mod event;
pub mod maintenance_watch;
pub mod outbox;
pub mod signature;

pub use event::Event;
pub use outbox::Outbox;
