//! Notices operators write for `/status`: incidents with a timeline of
//! updates (also opened by Alertmanager), and scheduled maintenance. Kept in
//! DuckDB, checked before they are stored, shown with Markdown rendered
//! safely.
//!
//! Errors: a refused request is a [`requests::Refusal`] (answered as 400,
//! 409 or 413 by the routes); storage fails with `db::DbError`.

pub mod alertmanager;
pub mod feed;
pub mod markdown;
pub mod requests;
pub mod store;
pub mod view;

pub use store::NoticeStore;
