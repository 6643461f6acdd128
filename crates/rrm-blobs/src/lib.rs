//! Where rrm keeps file bytes outside its database, behind `rrm_store::BlobStore`: a
//! content-addressed local directory ([`DirBlobStore`]) or S3-compatible object storage
//! ([`S3BlobStore`]), and [`BlobsSpec`], the `--blobs` value that picks one.
//!
//! Both keep `rrm_store`'s blob invariants (checked by its `conformance_blobs` suite): the key
//! is the SHA-256 the store computes of the bytes, a put is durable and idempotent, a walk
//! trusts no name it did not make. What the bytes are is not their concern: the application
//! seals every confidential file before a backend passes it here.

mod dir;
mod http;
mod s3;
mod spec;
#[cfg(feature = "test-support")]
pub mod test_support;

pub use dir::DirBlobStore;
pub use s3::{S3BlobStore, S3Settings};
pub use spec::BlobsSpec;
