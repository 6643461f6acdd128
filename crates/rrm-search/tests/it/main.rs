//! The search crate's integration tests: analyzers and ranking, access (canaries in both
//! indexes and on disk), hostile documents, and the indexer following a real store.

mod access;
mod analysis;
mod hostile;
mod indexer;
mod support;
