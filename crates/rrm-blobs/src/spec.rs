//! [`BlobsSpec`]: where file bytes go, as `--blobs` (and `RRM_BLOBS`) names it —
//! `database`, `dir:PATH` or `s3://BUCKET/PREFIX` — parsed strictly, so a typo is an error
//! naming what is wrong, not a store somewhere unexpected.

use std::path::PathBuf;
use std::sync::Arc;

use rrm_store::{BlobPlacement, StoreResult};

use crate::{DirBlobStore, S3BlobStore, S3Settings};

/// A parsed `--blobs` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobsSpec {
    Database,
    Directory(PathBuf),
    S3 { bucket: String, prefix: String },
}

impl BlobsSpec {
    pub fn parse(text: &str) -> Result<BlobsSpec, String> {
        let text = text.trim();
        if text == "database" {
            return Ok(BlobsSpec::Database);
        }
        if let Some(path) = text.strip_prefix("dir:") {
            return match path.is_empty() {
                true => Err("`dir:` needs a path, as in `dir:/srv/rrm-files`".into()),
                false => Ok(BlobsSpec::Directory(PathBuf::from(path))),
            };
        }
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            check_bucket(bucket)?;
            let prefix = prefix.trim_end_matches('/');
            check_prefix(prefix)?;
            return Ok(BlobsSpec::S3 {
                bucket: bucket.into(),
                prefix: prefix.into(),
            });
        }
        Err(format!(
            "`{text}` is not a place for files: use `database`, `dir:PATH` or \
             `s3://BUCKET/PREFIX`"
        ))
    }

    /// Opens the place this names (the S3 client with `settings`).
    pub fn open(&self, settings: &S3Settings) -> StoreResult<BlobPlacement> {
        Ok(match self {
            BlobsSpec::Database => BlobPlacement::InDatabase,
            BlobsSpec::Directory(path) => {
                BlobPlacement::External(Arc::new(DirBlobStore::open(path)?))
            }
            BlobsSpec::S3 { bucket, prefix } => {
                BlobPlacement::External(Arc::new(S3BlobStore::open(bucket, prefix, settings)?))
            }
        })
    }
}

/// S3's bucket naming rules: 3 to 63 lowercase letters, digits, dots and hyphens, starting
/// and ending with a letter or digit.
fn check_bucket(bucket: &str) -> Result<(), String> {
    let allowed = bucket
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let ends = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let sized = (3..=63).contains(&bucket.len());
    match allowed && sized && ends(bucket.bytes().next()) && ends(bucket.bytes().last()) {
        true => Ok(()),
        false => Err(format!(
            "`{bucket}` is not an S3 bucket name (3 to 63 lowercase letters, digits, dots and \
             hyphens)"
        )),
    }
}

/// Path segments of letters, digits, `-`, `_` and `.` (never `.` or `..` alone).
fn check_prefix(prefix: &str) -> Result<(), String> {
    if prefix.is_empty() {
        return Ok(());
    }
    for segment in prefix.split('/') {
        let allowed = segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if segment.is_empty() || segment == "." || segment == ".." || !allowed {
            return Err(format!(
                "`{prefix}` is not a usable prefix: each part between slashes must be letters, \
                 digits, `-`, `_` or `.` (`{segment}` is not)"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_kinds_parse() {
        assert_eq!(BlobsSpec::parse("database"), Ok(BlobsSpec::Database));
        assert_eq!(
            BlobsSpec::parse("dir:/srv/files"),
            Ok(BlobsSpec::Directory("/srv/files".into()))
        );
        assert_eq!(
            BlobsSpec::parse("s3://rrm-files/prod/blobs/"),
            Ok(BlobsSpec::S3 {
                bucket: "rrm-files".into(),
                prefix: "prod/blobs".into()
            })
        );
        assert_eq!(
            BlobsSpec::parse("s3://rrm-files"),
            Ok(BlobsSpec::S3 {
                bucket: "rrm-files".into(),
                prefix: "".into()
            })
        );
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let err = |t: &str| BlobsSpec::parse(t).unwrap_err();
        assert!(err("dir:").contains("needs a path"));
        assert!(err("s3://Bad_Bucket/x").contains("not an S3 bucket name"));
        assert!(err("s3://ok-bucket/a/../b").contains("`..` is not"));
        assert!(err("s3://ok-bucket/a//b").contains("not a usable prefix"));
        assert!(err("ftp://x").contains("use `database`, `dir:PATH`"));
    }
}
