//! S3 over HTTPS, as against AWS itself: the conformance suite through TLS (rustls on ring)
//! with the test server's authority trusted by `ca_file`, and the same server refused when
//! that authority is not trusted — the certificate really is checked. A CA file that holds no
//! certificate is an error naming it.

use rrm_blobs::test_support::{fresh_tls_bucket, s3_tls_settings};
use rrm_blobs::{S3BlobStore, S3Settings};
use rrm_store::conformance_blobs::run_all_blobs;
use rrm_store::BlobStore;

#[test]
fn s3_over_tls_conforms() {
    run_all_blobs(&|check| {
        check(&S3BlobStore::open(&fresh_tls_bucket(), "tls", &s3_tls_settings()).unwrap());
    });
}

#[test]
fn an_untrusted_certificate_is_refused() {
    let bucket = fresh_tls_bucket();
    let settings = S3Settings {
        ca_file: None,
        ..s3_tls_settings()
    };
    let store = S3BlobStore::open(&bucket, "tls", &settings).unwrap();
    let err = store.put(b"never sent").unwrap_err().to_string();
    assert!(err.to_lowercase().contains("certificate"), "{err}");
    let trusted = S3BlobStore::open(&bucket, "tls", &s3_tls_settings()).unwrap();
    let mut objects = 0;
    trusted
        .walk(&mut |_| {
            objects += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(objects, 0, "nothing reached the server");
}

#[test]
fn a_ca_file_without_certificates_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-a-ca.pem");
    std::fs::write(&path, "no certificate here\n").unwrap();
    let settings = S3Settings {
        ca_file: Some(path.clone()),
        ..s3_tls_settings()
    };
    let err = S3BlobStore::open("rrm-any", "x", &settings)
        .unwrap_err()
        .to_string();
    assert!(err.contains(&path.display().to_string()), "{err}");
}
