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
        ca_file: None,
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

/// Settings for the HTTPS test server, trusting the throwaway authority `scripts/test.sh`
/// made (`RRM_TEST_S3_TLS_ENDPOINT`, `RRM_TEST_S3_CA_FILE`).
///
/// # Panics
/// When either variable is not set.
pub fn s3_tls_settings() -> S3Settings {
    let var = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| {
            panic!("{name} is not set: `bash scripts/test.sh` starts the HTTPS S3 test server")
        })
    };
    S3Settings {
        endpoint: Some(var("RRM_TEST_S3_TLS_ENDPOINT")),
        ca_file: Some(var("RRM_TEST_S3_CA_FILE").into()),
        ..s3_settings()
    }
}

/// Creates a new, empty bucket on the HTTPS test server and returns its name.
///
/// # Panics
/// When the server cannot be reached over TLS or refuses.
pub fn fresh_tls_bucket() -> String {
    static MADE: AtomicU64 = AtomicU64::new(0);
    let bucket = format!(
        "rrm-tls-{}-{}",
        std::process::id(),
        MADE.fetch_add(1, Ordering::Relaxed)
    );
    let settings = s3_tls_settings();
    let endpoint = settings.endpoint.unwrap();
    let status = put_over_tls(&endpoint, &settings.ca_file.unwrap(), &bucket)
        .unwrap_or_else(|e| panic!("the HTTPS S3 test server at {endpoint}: {e}"));
    assert!(
        status.contains(" 200"),
        "{endpoint} refused bucket {bucket}: {status}"
    );
    bucket
}

/// `PUT /bucket` over TLS by hand, trusting `ca`: the status line.
fn put_over_tls(endpoint: &str, ca: &std::path::Path, bucket: &str) -> Result<String, String> {
    use rustls::pki_types::{pem::PemObject, CertificateDer, ServerName};
    let host = endpoint
        .strip_prefix("https://")
        .ok_or("not an https:// URL")?
        .trim_end_matches('/');
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca).map_err(|e| e.to_string())? {
        roots
            .add(cert.map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from(host.split(':').next().unwrap_or(host).to_string())
        .map_err(|e| e.to_string())?;
    let conn = rustls::ClientConnection::new(std::sync::Arc::new(config), name)
        .map_err(|e| e.to_string())?;
    let sock = TcpStream::connect(host).map_err(|e| e.to_string())?;
    sock.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut tls = rustls::StreamOwned::new(conn, sock);
    let request = format!(
        "PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    tls.write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    // The server may close without a TLS close_notify: keep what was read.
    let _ = tls.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response);
    Ok(text.lines().next().unwrap_or_default().to_string())
}
