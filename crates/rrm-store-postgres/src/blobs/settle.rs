//! Where this database keeps its file bytes, checked at every open (SQLite's
//! `blobs/settle.rs`): the `blob_store` row records the place and the external store's mark,
//! and a store opened against another place is refused, unless no file is stored yet.
//!
//! Not yet ported: `PostgresStore::connect_with_placement` uses the placement it is given.
