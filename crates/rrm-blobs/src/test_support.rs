//! For tests in this workspace (feature `test-support`): the S3-compatible server that
//! `scripts/test.sh` starts, and fresh buckets on it. A test that needs the server fails,
//! never skips, when it is not there.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::S3Settings;

/// The variable `scripts/test.sh` exports with the server's URL (`http://127.0.0.1:PORT`).
pub const ENDPOINT_VAR: &str = "RRM_TEST_S3_ENDPOINT";

/// The test server's URL.
///
/// # Panics
/// When the variable is not set: the S3 tests must fail, not pass by skipping.
pub fn s3_endpoint() -> String {
    std::env::var(ENDPOINT_VAR).unwrap_or_else(|_| {
        panic!(
            "{ENDPOINT_VAR} is not set: the S3 tests need an S3-compatible server; \
             `bash scripts/test.sh` starts one (moto_server) and sets it"
        )
    })
}

/// Settings for the test server: any keys do, but they must be given (signing is real).
pub fn s3_settings() -> S3Settings {
    S3Settings {
        endpoint: Some(s3_endpoint()),
        region: Some("us-east-1".into()),
        access_key_id: Some("rrm-test-key".into()),
        secret_access_key: Some("rrm-test-secret".into()),
        session_token: None,
    }
}

/// Creates a new, empty bucket on the test server and returns its name.
///
/// # Panics
/// When the server cannot be reached or refuses.
pub fn fresh_bucket() -> String {
    static MADE: AtomicU64 = AtomicU64::new(0);
    let n = MADE.fetch_add(1, Ordering::Relaxed);
    let bucket = format!("rrm-test-{}-{n}", std::process::id());
    raw_put(&bucket, b"");
    bucket
}

/// Writes `bytes` as the object `name` under `s3://BUCKET/PREFIX` behind the store's back, as
/// someone with access to the bucket could: the name need not be the bytes' hash.
///
/// # Panics
/// When the spec is not an S3 one or the server refuses.
pub fn overwrite_object(spec: &str, name: &str, bytes: &[u8]) {
    let Ok(crate::BlobsSpec::S3 { bucket, prefix }) = crate::BlobsSpec::parse(spec) else {
        panic!("not an S3 location: {spec}");
    };
    let store = crate::S3BlobStore::open(&bucket, &prefix, &s3_settings()).unwrap();
    store.put_named(name, bytes.to_vec()).unwrap();
}

fn raw_put(path: &str, bytes: &[u8]) {
    let endpoint = s3_endpoint();
    let host = endpoint
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("{ENDPOINT_VAR} must be an http:// URL, not {endpoint}"))
        .trim_end_matches('/');
    let status = put(host, path, bytes).unwrap_or_else(|e| {
        panic!(
            "the S3 test server at {endpoint} is unreachable ({e}); start it with scripts/test.sh"
        )
    });
    assert!(
        status.contains(" 200"),
        "the S3 test server at {endpoint} refused PUT /{path}: {status}"
    );
}

/// `PUT /path` by hand (the test server accepts a new bucket unsigned): the status line.
fn put(host: &str, path: &str, body: &[u8]) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "PUT /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response.lines().next().unwrap_or_default().to_string())
}
