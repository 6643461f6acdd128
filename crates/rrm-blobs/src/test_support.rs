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
    let endpoint = s3_endpoint();
    let host = endpoint
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("{ENDPOINT_VAR} must be an http:// URL, not {endpoint}"))
        .trim_end_matches('/');
    let status = put_bucket(host, &bucket).unwrap_or_else(|e| {
        panic!(
            "the S3 test server at {endpoint} is unreachable ({e}); start it with scripts/test.sh"
        )
    });
    assert!(
        status.contains(" 200"),
        "the S3 test server at {endpoint} refused to create bucket {bucket}: {status}"
    );
    bucket
}

/// `PUT /bucket` by hand (the test server accepts it unsigned): the status line.
fn put_bucket(host: &str, bucket: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response.lines().next().unwrap_or_default().to_string())
}
