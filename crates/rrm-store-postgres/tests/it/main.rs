//! Integration tests against a real PostgreSQL server (see `support.rs`), one binary as the
//! house style asks: the `Store` trait (`store.rs`), the workspace, vault and access suites
//! (`workspace.rs`), the audit chain under two servers (`audit.rs`), and file bytes in an
//! external directory (`blobs.rs`).

mod audit;
mod blobs;
mod store;
mod support;
mod workspace;
