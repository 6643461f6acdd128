//! PDF text with lopdf: streams are decompressed through lopdf's own limit (a small file
//! cannot inflate to gigabytes), object nesting is bounded by lopdf's parser, at most
//! [`MAX_PDF_PAGES`] pages are read and reading stops once the text cap is reached. A page
//! whose text cannot be read is skipped; a file none of whose pages read, or with no text at
//! all (a scan), is reported as such.

use lopdf::{Document, LoadOptions};

use super::{append_capped, MAX_DECOMPRESSED_BYTES, MAX_PDF_PAGES};

pub(crate) fn text(bytes: &[u8]) -> Result<String, String> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_DECOMPRESSED_BYTES),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| format!("could not be read: {e}"))?;
    if doc.is_encrypted() {
        return Err("is encrypted".into());
    }
    let pages: Vec<u32> = doc
        .get_pages()
        .keys()
        .copied()
        .take(MAX_PDF_PAGES)
        .collect();
    if pages.is_empty() {
        return Err("has no pages".into());
    }
    let mut out = String::new();
    let mut read = 0;
    let mut first_error = None;
    for page in pages {
        match doc.extract_text_with_limit(&[page], MAX_DECOMPRESSED_BYTES) {
            Ok(t) => {
                read += 1;
                if !append_capped(&mut out, &t) || !append_capped(&mut out, "\n") {
                    break;
                }
            }
            Err(e) => {
                first_error.get_or_insert_with(|| format!("page {page}: {e}"));
            }
        }
    }
    match (read, first_error) {
        (0, Some(e)) => Err(format!("has no readable page ({e})")),
        _ if out.trim().is_empty() => Err("has no text to extract (a scan, or damaged)".into()),
        _ => Ok(out),
    }
}
