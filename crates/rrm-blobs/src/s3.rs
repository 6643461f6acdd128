//! [`S3BlobStore`]: file bytes as objects in an S3-compatible bucket, under a prefix, named
//! `PREFIX/ab/cd/abcd…` like the directory store's files, through `object_store`.
//!
//! Invariants kept here:
//! - The store is synchronous outside and async inside: it owns a small tokio runtime of its
//!   own and waits for each request on a plain channel, so it works from any thread — the
//!   command line with no runtime, a `spawn_blocking` thread, even an async task — and is
//!   dropped without blocking (`shutdown_background`), also inside a runtime.
//! - An upload carries its SHA-256 (`x-amz-checksum-sha256`), so the server refuses bytes
//!   damaged on the way; a read is not checked here (`rrm verify` and custody checks are).
//! - Requests are bounded: a few retries within 30 seconds, then a clear error naming the
//!   bucket, never a hang.

use std::future::Future;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder, Checksum};
use object_store::path::Path;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};

use crate::http::HyperConnector;
use rrm_store::{
    key_hex, parse_key, sha256, BlobEntry, BlobKind, BlobLocation, BlobStore, Hash, StoreError,
    StoreResult,
};

/// The object that names the installation owning the prefix.
const OWNER_OBJECT: &str = "rrm-blobs-owner";

/// How to reach the storage and sign requests. `from_env` reads the usual variables.
#[derive(Clone, Default)]
pub struct S3Settings {
    /// `http://127.0.0.1:9000` for a local server (plain HTTP is then allowed); `None` for
    /// AWS itself.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
    /// A PEM file of certificate authorities to trust beside the system's.
    pub ca_file: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"[redacted]")
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl S3Settings {
    /// `RRM_S3_ENDPOINT` (else `AWS_ENDPOINT_URL`), `AWS_REGION` (else `AWS_DEFAULT_REGION`),
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `RRM_S3_CA_FILE`.
    /// Without keys, the instance's role is asked for credentials (on AWS).
    pub fn from_env() -> S3Settings {
        S3Settings {
            endpoint: env("RRM_S3_ENDPOINT").or_else(|| env("AWS_ENDPOINT_URL")),
            region: env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION")),
            access_key_id: env("AWS_ACCESS_KEY_ID"),
            secret_access_key: env("AWS_SECRET_ACCESS_KEY"),
            session_token: env("AWS_SESSION_TOKEN"),
            ca_file: env("RRM_S3_CA_FILE").map(Into::into),
        }
    }
}

/// A [`BlobStore`] in an S3-compatible bucket.
#[derive(Debug)]
pub struct S3BlobStore {
    s3: Arc<AmazonS3>,
    bucket: String,
    /// Without leading or trailing slashes; empty for the bucket's root.
    prefix: String,
    /// `None` only while dropping.
    runtime: Option<tokio::runtime::Runtime>,
}

fn s3_error(store: &S3BlobStore, doing: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("{doing} in {}: {e}", store.location()))
}

impl S3BlobStore {
    /// A store for `s3://bucket/prefix`. Makes no request: the first one (the backend asks
    /// for the owner mark when it opens) says whether the bucket is reachable.
    pub fn open(bucket: &str, prefix: &str, settings: &S3Settings) -> StoreResult<S3BlobStore> {
        let allow_http = settings
            .endpoint
            .as_deref()
            .is_some_and(|e| e.starts_with("http://"));
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_checksum_algorithm(Checksum::SHA256)
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(30),
                ..RetryConfig::default()
            });
        if let Some(endpoint) = &settings.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let Some(region) = &settings.region {
            builder = builder.with_region(region);
        }
        match (&settings.access_key_id, &settings.secret_access_key) {
            (Some(id), Some(secret)) => {
                builder = builder
                    .with_access_key_id(id)
                    .with_secret_access_key(secret);
            }
            (None, None) => {}
            // Half a key pair would silently fall back to the instance's role: say so instead.
            (Some(_), None) | (None, Some(_)) => {
                return Err(StoreError::Other(format!(
                    "s3://{bucket}: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set \
                     together"
                )))
            }
        }
        if let Some(token) = &settings.session_token {
            builder = builder.with_token(token);
        }
        let s3 = builder
            .with_client_options(ClientOptions::new().with_allow_http(allow_http))
            .with_http_connector(HyperConnector {
                allow_http,
                extra_roots: settings.ca_file.clone(),
            })
            .build()
            .map_err(|e| StoreError::Other(format!("cannot set up s3://{bucket}: {e}")))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("rrm-s3")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Other(format!("cannot start the S3 client: {e}")))?;
        Ok(S3BlobStore {
            s3: Arc::new(s3),
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
            runtime: Some(runtime),
        })
    }

    /// Runs `future` on the store's runtime and waits for it on this thread.
    fn run<T: Send + 'static>(&self, future: impl Future<Output = T> + Send + 'static) -> T {
        let (tx, rx) = mpsc::sync_channel(1);
        self.runtime().spawn(async move {
            let _ = tx.send(future.await);
        });
        rx.recv()
            .expect("the S3 runtime runs until the store is dropped")
    }

    fn runtime(&self) -> &tokio::runtime::Runtime {
        self.runtime
            .as_ref()
            .expect("the runtime lives as long as the store")
    }

    fn object(&self, name: &str) -> Path {
        match self.prefix.is_empty() {
            true => Path::from(name),
            false => Path::from(format!("{}/{name}", self.prefix)),
        }
    }

    fn path_of(&self, key: &Hash) -> Path {
        let hex = key_hex(key);
        self.object(&format!("{}/{}/{hex}", &hex[0..2], &hex[2..4]))
    }

    /// The key an object's full name stands for, if it is one of this store's objects.
    fn key_of(&self, location: &str) -> Option<Hash> {
        let rest = match self.prefix.is_empty() {
            true => location,
            false => location.strip_prefix(&self.prefix)?.strip_prefix('/')?,
        };
        let mut parts = rest.split('/');
        let (first, second, name) = (parts.next()?, parts.next()?, parts.next()?);
        let key = parse_key(name)?;
        let placed = parts.next().is_none() && name[0..2] == *first && name[2..4] == *second;
        placed.then_some(key)
    }

    fn get_object(&self, path: Path) -> StoreResult<Option<Vec<u8>>> {
        let s3 = self.s3.clone();
        let got = self.run(async move {
            match s3.get(&path).await {
                Ok(result) => result.bytes().await.map(Some),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        });
        got.map(|b| b.map(|b| b.to_vec()))
            .map_err(|e| s3_error(self, "cannot read a file", e))
    }

    /// Writes an object by name under the prefix, for tests that tamper behind the store.
    #[cfg(feature = "test-support")]
    pub(crate) fn put_named(&self, name: &str, bytes: Vec<u8>) -> StoreResult<()> {
        self.put_object(self.object(name), bytes)
    }

    fn put_object(&self, path: Path, bytes: Vec<u8>) -> StoreResult<()> {
        let s3 = self.s3.clone();
        self.run(async move { s3.put(&path, PutPayload::from(bytes)).await })
            .map(drop)
            .map_err(|e| s3_error(self, "cannot store a file", e))
    }
}

impl Drop for S3BlobStore {
    fn drop(&mut self) {
        // `Runtime`'s own drop blocks, which panics inside another runtime.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl BlobStore for S3BlobStore {
    fn put(&self, bytes: &[u8]) -> StoreResult<Hash> {
        let key = sha256(bytes);
        self.put_object(self.path_of(&key), bytes.to_vec())?;
        Ok(key)
    }

    fn get(&self, key: &Hash) -> StoreResult<Option<Vec<u8>>> {
        self.get_object(self.path_of(key))
    }

    fn walk(&self, visit: &mut dyn FnMut(BlobEntry) -> StoreResult<()>) -> StoreResult<()> {
        // The listing streams through a bounded channel: memory stays flat however many
        // objects there are, and the listing stops when `visit` does (the receiver drops).
        let (tx, rx) = mpsc::sync_channel(1_000);
        let s3 = self.s3.clone();
        let prefix = (!self.prefix.is_empty()).then(|| Path::from(self.prefix.as_str()));
        self.runtime().spawn(async move {
            let mut listing = s3.list(prefix.as_ref());
            while let Some(item) = listing.next().await {
                let failed = item.is_err();
                if tx.send(item).is_err() || failed {
                    break;
                }
            }
        });
        for item in rx {
            let meta = item.map_err(|e| s3_error(self, "cannot list the files", e))?;
            if let Some(key) = self.key_of(meta.location.as_ref()) {
                visit(BlobEntry {
                    key,
                    size: meta.size,
                    modified: Some(meta.last_modified),
                })?;
            }
        }
        Ok(())
    }

    fn delete(&self, key: &Hash) -> StoreResult<bool> {
        // S3 deletes succeed whether or not the object was there, so ask first.
        let (s3, path) = (self.s3.clone(), self.path_of(key));
        let deleted = self.run(async move {
            match s3.head(&path).await {
                Ok(_) => s3.delete(&path).await.map(|()| true),
                Err(object_store::Error::NotFound { .. }) => Ok(false),
                Err(e) => Err(e),
            }
        });
        deleted.map_err(|e| s3_error(self, "cannot delete a file", e))
    }

    fn location(&self) -> BlobLocation {
        BlobLocation {
            kind: BlobKind::S3,
            spec: match self.prefix.is_empty() {
                true => format!("s3://{}", self.bucket),
                false => format!("s3://{}/{}", self.bucket, self.prefix),
            },
        }
    }

    fn owner(&self) -> StoreResult<Option<String>> {
        let bytes = self.get_object(self.object(OWNER_OBJECT))?;
        Ok(bytes.map(|b| String::from_utf8_lossy(&b).trim().to_string()))
    }

    fn set_owner(&self, id: &str) -> StoreResult<()> {
        self.put_object(self.object(OWNER_OBJECT), format!("{id}\n").into_bytes())
    }
}
