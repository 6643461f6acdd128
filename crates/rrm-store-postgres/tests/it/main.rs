//! Integration tests against a real PostgreSQL server (see `support.rs`), one binary as the
//! house style asks: the `Store` trait (`store.rs`), the schema mirroring SQLite's
//! (`mirror.rs`), the workspace, vault and access suites (`workspace.rs`), the audit chain
//! and the store version under two servers (`audit.rs`), and file bytes in an external
//! directory and the `blobs` table as a blob store (`blobs.rs`).

mod audit;
mod blobs;
mod mirror;
mod store;
mod support;
mod workspace;
