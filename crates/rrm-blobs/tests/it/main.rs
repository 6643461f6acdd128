//! The integration tests of rrm-blobs, in one binary: the blob conformance suite on a
//! directory and on a real S3-compatible server (started by `scripts/test.sh`), what each
//! store does with names it did not write, the S3 store from every kind of thread, and S3
//! over HTTPS with its certificate checked.

mod conformance;
mod names;
mod threads;
mod tls;
