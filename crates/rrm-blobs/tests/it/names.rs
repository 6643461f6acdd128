//! Names a store did not write are never objects: stray files, links, keys in the wrong
//! place, another prefix's objects. And an unreachable server is a prompt, clear error.

use std::time::{Duration, Instant};

use rrm_blobs::test_support::{fresh_bucket, s3_settings};
use rrm_blobs::{DirBlobStore, S3BlobStore, S3Settings};
use rrm_store::{key_hex, sha256, BlobKind, BlobStore, Hash};

fn keys(store: &dyn BlobStore) -> Vec<Hash> {
    let mut out = Vec::new();
    store
        .walk(&mut |e| {
            out.push(e.key);
            Ok(())
        })
        .unwrap();
    out
}

#[test]
fn a_directory_walk_skips_what_it_did_not_write() {
    let root = tempfile::tempdir().unwrap();
    let store = DirBlobStore::open(root.path()).unwrap();
    let real = store.put(b"evidence").unwrap();
    let stray = key_hex(&sha256(b"stray"));
    let misplaced = root.path().join("00").join("00");
    std::fs::create_dir_all(&misplaced).unwrap();
    std::fs::write(misplaced.join(&stray), b"stray").unwrap();
    std::fs::write(misplaced.join("notes.txt"), b"x").unwrap();
    let right_place = root.path().join(&stray[0..2]).join(&stray[2..4]);
    std::fs::create_dir_all(&right_place).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", right_place.join(&stray)).unwrap();
    std::fs::write(root.path().join("tmp").join("half-written"), b"x").unwrap();
    std::fs::create_dir_all(root.path().join("zz").join("zz")).unwrap();
    assert_eq!(keys(&store), vec![real], "only the object it wrote");
    assert_eq!(store.location().kind, BlobKind::Directory);
    let spec = store.location().spec;
    assert!(spec.starts_with("dir:/"), "an absolute path: {spec}");
}

#[test]
fn a_relative_directory_is_recorded_absolute() {
    let root = tempfile::tempdir().unwrap();
    let nested = root.path().join("a");
    std::fs::create_dir_all(&nested).unwrap();
    let store = DirBlobStore::open(&nested.join("..").join("files")).unwrap();
    let expected = std::fs::canonicalize(root.path()).unwrap().join("files");
    assert_eq!(store.root(), expected);
}

#[test]
fn an_s3_walk_sees_only_its_own_prefix() {
    let bucket = fresh_bucket();
    let outer = S3BlobStore::open(&bucket, "p", &s3_settings()).unwrap();
    let inner = S3BlobStore::open(&bucket, "p/inner", &s3_settings()).unwrap();
    let beside = S3BlobStore::open(&bucket, "p2", &s3_settings()).unwrap();
    let mine = outer.put(b"outer").unwrap();
    inner.put(b"inner").unwrap();
    beside.put(b"beside").unwrap();
    outer.set_owner("abc").unwrap();
    assert_eq!(keys(&outer), vec![mine]);
    assert_eq!(outer.location().spec, format!("s3://{bucket}/p"));
}

#[test]
fn an_unreachable_server_is_a_prompt_error_naming_the_bucket() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings = S3Settings {
        endpoint: Some(format!("http://127.0.0.1:{port}")),
        ..s3_settings()
    };
    let store = S3BlobStore::open("rrm-nowhere", "x", &settings).unwrap();
    let started = Instant::now();
    let err = store.put(b"bytes").unwrap_err().to_string();
    assert!(err.contains("s3://rrm-nowhere/x"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "bounded retries"
    );
    assert!(
        !err.contains("rrm-test-secret"),
        "no credentials in errors: {err}"
    );
}

#[test]
fn half_a_key_pair_is_refused() {
    let settings = S3Settings {
        secret_access_key: None,
        ..s3_settings()
    };
    let err = S3BlobStore::open("rrm-any", "x", &settings)
        .unwrap_err()
        .to_string();
    assert!(err.contains("must be set together"), "{err}");
}

#[test]
fn settings_never_print_the_secret() {
    let printed = format!("{:?}", s3_settings());
    assert!(!printed.contains("rrm-test-secret") && printed.contains("[redacted]"));
}
