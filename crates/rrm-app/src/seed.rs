//! The public RRM record shipped with rrm (`data/cases/`), embedded at build time so a new data
//! directory starts with every public case and no file outside the binary is needed.

use include_dir::{include_dir, Dir};

use crate::ImportSource;

static PUBLIC_CASES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../data/cases");

/// Every shipped public case file, by file name, in name order.
pub fn public_record() -> Vec<ImportSource> {
    let mut files: Vec<ImportSource> = PUBLIC_CASES
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "json"))
        .map(|f| ImportSource {
            name: format!("data/cases/{}", f.path().display()),
            text: f
                .contents_utf8()
                .expect("shipped case files are UTF-8")
                .to_string(),
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}
