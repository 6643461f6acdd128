//! The integration tests of rrm-store-sqlite, in one binary: the shared conformance suite (in
//! memory and on disk), tampering behind the store's back, killing an import mid-way, and the
//! behaviour only a file-backed SQLite store has.

mod conformance;
mod crash;
mod file;
mod support;
mod tamper;
