//! Text extraction from documents — PDF, DOCX and ODT, HTML, plain text — for the index.
//!
//! Invariant: [`extract`] never panics, never runs unbounded, and never fails: whatever the
//! bytes, it returns some (possibly empty) text and an [`ExtractStatus`] saying what happened,
//! which is stored with the document's entry and shown to staff and by `rrm reindex`. A bad
//! file is reported and skipped, never the end of the indexer. The bounds:
//! - input over [`MAX_INPUT_BYTES`] is not parsed; extracted text is cut at [`MAX_TEXT_BYTES`];
//! - ZIP containers: at most [`MAX_ZIP_ENTRIES`] entries, each entry read is cut at
//!   [`MAX_DECOMPRESSED_BYTES`] whatever its header claims (decompression bombs);
//! - PDF: streams decompress to at most [`MAX_DECOMPRESSED_BYTES`] each, at most
//!   [`MAX_PDF_PAGES`] pages are read;
//! - every parser runs on its own thread under `catch_unwind`, and is abandoned after
//!   [`EXTRACT_TIMEOUT`] (a parser that loops keeps its thread, but not the indexer).

mod html;
mod pdf;
mod text;
mod zipped;

use std::fmt;
use std::sync::mpsc;
use std::time::Duration;

pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;
pub const MAX_ZIP_ENTRIES: usize = 10_000;
pub const MAX_DECOMPRESSED_BYTES: usize = 32 * 1024 * 1024;
pub const MAX_PDF_PAGES: usize = 2_000;
pub const EXTRACT_TIMEOUT: Duration = Duration::from_secs(20);
/// Parsers recurse on nested structure; a large stack keeps a deep-but-legal file from
/// overflowing it (the parsers used also bound their own nesting).
const PARSER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// The kinds of file text is extracted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
    Odt,
    Html,
    Text,
}

impl Format {
    /// The format of a file, from its declared media type and then its first bytes.
    pub fn detect(content_type: &str, bytes: &[u8]) -> Option<Format> {
        let mime = content_type.split(';').next().unwrap_or("").trim();
        match mime {
            "application/pdf" => return Some(Format::Pdf),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                return Some(Format::Docx)
            }
            "application/vnd.oasis.opendocument.text" => return Some(Format::Odt),
            "text/html" | "application/xhtml+xml" => return Some(Format::Html),
            "text/plain" | "text/markdown" | "text/csv" => return Some(Format::Text),
            _ => {}
        }
        if bytes.starts_with(b"%PDF-") {
            Some(Format::Pdf)
        } else if bytes.starts_with(b"PK\x03\x04") {
            zipped::sniff(bytes)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
            Format::Odt => "ODT",
            Format::Html => "HTML",
            Format::Text => "text",
        }
    }
}

/// What extraction did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtractStatus {
    /// All the text was extracted.
    Ok,
    /// The text was longer than [`MAX_TEXT_BYTES`] and was cut there.
    Truncated,
    /// Not a kind text is extracted from (an image, a spreadsheet): indexed by name only.
    Unsupported(String),
    /// The file could not be read; indexed by name only. The reason names the problem.
    Failed(String),
}

impl fmt::Display for ExtractStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtractStatus::Ok => write!(f, "ok"),
            ExtractStatus::Truncated => {
                write!(f, "truncated: text cut at {} KiB", MAX_TEXT_BYTES / 1024)
            }
            ExtractStatus::Unsupported(kind) => write!(f, "no text: {kind} files are not read"),
            ExtractStatus::Failed(why) => write!(f, "failed: {why}"),
        }
    }
}

/// A document's text and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub text: String,
    pub status: ExtractStatus,
}

impl Extracted {
    fn failed(why: impl Into<String>) -> Extracted {
        Extracted {
            text: String::new(),
            status: ExtractStatus::Failed(why.into()),
        }
    }
}

/// The text of a file of media type `content_type` (as sniffed on upload).
pub fn extract(content_type: &str, bytes: &[u8]) -> Extracted {
    if bytes.is_empty() {
        return Extracted::failed("the file is empty");
    }
    if bytes.len() > MAX_INPUT_BYTES {
        return Extracted::failed(format!(
            "the file is larger than {} MiB",
            MAX_INPUT_BYTES / 1024 / 1024
        ));
    }
    let Some(format) = Format::detect(content_type, bytes) else {
        let kind = content_type.split(';').next().unwrap_or("").trim();
        return Extracted {
            text: String::new(),
            status: ExtractStatus::Unsupported(
                if kind.is_empty() { "unknown" } else { kind }.into(),
            ),
        };
    };
    let result = guarded(format, bytes.to_vec());
    match result {
        Ok(text) => finish(text),
        Err(why) => Extracted::failed(format!("{} {why}", format.name())),
    }
}

/// Runs the parser for `format` on its own thread, catching panics, waiting at most
/// [`EXTRACT_TIMEOUT`].
fn guarded(format: Format, bytes: Vec<u8>) -> Result<String, String> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("rrm-extract".into())
        .stack_size(PARSER_STACK_BYTES)
        .spawn(move || {
            let outcome = std::panic::catch_unwind(|| parse(format, &bytes));
            let _ = tx.send(outcome);
        });
    if let Err(e) = spawned {
        return Err(format!("could not be read: no thread for the parser ({e})"));
    }
    match rx.recv_timeout(EXTRACT_TIMEOUT) {
        Ok(Ok(result)) => result,
        Ok(Err(_panic)) => Err("could not be read: the parser failed on it".into()),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "could not be read within {} seconds",
            EXTRACT_TIMEOUT.as_secs()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err("could not be read: the parser stopped".into())
        }
    }
}

fn parse(format: Format, bytes: &[u8]) -> Result<String, String> {
    match format {
        Format::Pdf => pdf::text(bytes),
        Format::Docx => zipped::docx_text(bytes),
        Format::Odt => zipped::odt_text(bytes),
        Format::Html => Ok(html::text(&text::decode(bytes).0)),
        Format::Text => Ok(text::decode(bytes).0),
    }
}

/// Normalizes whitespace and cuts the text at [`MAX_TEXT_BYTES`].
fn finish(raw: String) -> Extracted {
    let mut text = String::with_capacity(raw.len().min(MAX_TEXT_BYTES));
    let mut truncated = false;
    for line in raw.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        if text.len() + line.len() + 1 > MAX_TEXT_BYTES {
            truncated = true;
            let room = MAX_TEXT_BYTES.saturating_sub(text.len() + 1);
            let mut end = room.min(line.len());
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            push_line(&mut text, &line[..end]);
            break;
        }
        push_line(&mut text, &line);
    }
    Extracted {
        text,
        status: if truncated {
            ExtractStatus::Truncated
        } else {
            ExtractStatus::Ok
        },
    }
}

fn push_line(text: &mut String, line: &str) {
    if line.is_empty() {
        return;
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(line);
}

/// Appends `more` to `out` unless `out` already holds [`MAX_TEXT_BYTES`]; says whether there
/// is room for more. Parsers use it to stop early on huge documents.
pub(crate) fn append_capped(out: &mut String, more: &str) -> bool {
    if out.len() > MAX_TEXT_BYTES {
        return false;
    }
    out.push_str(more);
    out.len() <= MAX_TEXT_BYTES
}
