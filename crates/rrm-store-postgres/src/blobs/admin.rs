//! Moving file bytes between places and sweeping orphans (SQLite's `blobs/admin.rs`).
//!
//! Not yet ported.
