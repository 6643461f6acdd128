//! Integration tests against a real PostgreSQL server (see `support.rs`), one binary as the
//! house style asks: the `Store` trait (`store.rs`), the schema mirroring SQLite's
//! (`mirror.rs`), the workspace, vault and access suites (`workspace.rs`), the audit chain
//! and the store version under two servers (`audit.rs`), sign-in security under two servers
//! (`sign_in.rs`), file bytes in an external directory and the `blobs` table as a blob store
//! (`blobs.rs`), where a database's files are and refusing another place (`placements.rs`),
//! and moving and sweeping them (`blob_admin.rs`).

mod audit;
mod blob_admin;
mod blobs;
mod mirror;
mod placements;
mod sign_in;
mod store;
mod support;
mod workspace;
