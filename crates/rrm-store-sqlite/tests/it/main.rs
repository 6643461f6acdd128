//! The integration tests of rrm-store-sqlite, in one binary: the shared conformance suite (in
//! memory and on disk), tampering behind the store's back, killing an import mid-way, and the
//! behaviour only a file-backed SQLite store has; and file bytes kept in the database, a
//! directory or S3 (the S3 tests need the server `scripts/test.sh` starts).

mod blob_admin;
mod conformance;
mod crash;
mod file;
mod placement_rules;
mod placements;
mod support;
mod tamper;
