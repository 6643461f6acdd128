//! Uploaded files: which kinds are accepted, decided by reading the file's first bytes (magic
//! numbers), never by its name or the type the browser declared; and the size limits.
//!
//! Accepted: PDF, PNG, JPEG, and the office documents DOCX, XLSX and ODT (ZIP containers,
//! told apart by the entries every such file has). An executable renamed `.pdf` is refused; a
//! PNG named `.pdf` is accepted as the PNG it is.

use rrm_store::Confidential;

use crate::AppError;

pub const MIB: usize = 1024 * 1024;
/// Per file.
pub const MAX_FILE_BYTES: usize = 10 * MIB;
/// Per petition.
pub const MAX_FILES: usize = 5;
/// Per request, all files and fields together.
pub const MAX_REQUEST_BYTES: usize = 25 * MIB;

/// A kind of file rrm accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Odt,
}

impl FileKind {
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The kind of a file, from its content alone.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(FileKind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileKind::Jpeg);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    // An OpenDocument file starts with an uncompressed `mimetype` entry naming its type.
    if bytes.get(30..38) == Some(b"mimetype") {
        let odt = b"application/vnd.oasis.opendocument.text";
        return bytes
            .get(38..38 + odt.len())
            .filter(|m| *m == odt)
            .map(|_| FileKind::Odt);
    }
    // Office Open XML: entry names are stored uncompressed in the headers.
    if contains(bytes, b"[Content_Types].xml") {
        if contains(bytes, b"word/document.xml") {
            return Some(FileKind::Docx);
        }
        if contains(bytes, b"xl/workbook.xml") {
            return Some(FileKind::Xlsx);
        }
    }
    None
}

/// A file as received.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: Confidential<String>,
    pub declared_type: String,
    pub bytes: Vec<u8>,
}

/// The name a file is kept under: the last path component (some browsers send a full path),
/// without control characters, at most 200 characters.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    match clean.trim() {
        "" => "unnamed".into(),
        t => t.to_string(),
    }
}

/// An upload that passed the checks, still as received: the caller seals it for its case.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub file_name: Confidential<String>,
    pub declared_type: String,
    pub sniffed_type: String,
    pub bytes: Vec<u8>,
}

/// Checks one upload's size and kind, naming the file in any refusal.
pub fn accept(upload: Upload) -> Result<Accepted, AppError> {
    let name = clean_file_name(upload.file_name.expose());
    if upload.bytes.is_empty() {
        return Err(AppError::BadInput(format!("evidence: `{name}` is empty")));
    }
    if upload.bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::TooLarge(format!(
            "evidence: `{name}` is larger than the limit of 10 MiB per file"
        )));
    }
    let kind = sniff(&upload.bytes).ok_or_else(|| {
        AppError::BadInput(format!(
            "evidence: `{name}` is not a PDF, PNG, JPEG, DOCX, XLSX or ODT file \
             (its content was checked, not its name)"
        ))
    })?;
    Ok(Accepted {
        file_name: Confidential::new(name),
        declared_type: upload.declared_type.chars().take(100).collect(),
        sniffed_type: kind.mime().to_string(),
        bytes: upload.bytes,
    })
}

/// Checks a petition's uploads: at most five, each within the limits.
pub fn accept_all(uploads: Vec<Upload>) -> Result<Vec<Accepted>, AppError> {
    if uploads.len() > MAX_FILES {
        return Err(AppError::TooLarge(format!(
            "evidence: {} files sent; the limit is {MAX_FILES} files per petition",
            uploads.len()
        )));
    }
    let total: usize = uploads.iter().map(|u| u.bytes.len()).sum();
    if total > MAX_REQUEST_BYTES {
        return Err(AppError::TooLarge(
            "evidence: the files together are larger than the limit of 25 MiB per petition".into(),
        ));
    }
    uploads.into_iter().map(accept).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(entries: &[&str]) -> Vec<u8> {
        let mut b = b"PK\x03\x04".to_vec();
        b.extend_from_slice(&[0; 26]);
        for e in entries {
            b.extend_from_slice(e.as_bytes());
            b.extend_from_slice(b"....");
        }
        b
    }

    #[test]
    fn kinds_come_from_content() {
        let odt = [
            &b"PK\x03\x04"[..],
            &[0; 26],
            b"mimetypeapplication/vnd.oasis.opendocument.text",
        ]
        .concat();
        let cases: [(Vec<u8>, Option<FileKind>); 9] = [
            (b"%PDF-1.7\n...".to_vec(), Some(FileKind::Pdf)),
            (b"\x89PNG\r\n\x1a\n....".to_vec(), Some(FileKind::Png)),
            (vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], Some(FileKind::Jpeg)),
            (
                zip_with(&["[Content_Types].xml", "word/document.xml"]),
                Some(FileKind::Docx),
            ),
            (
                zip_with(&["[Content_Types].xml", "xl/workbook.xml"]),
                Some(FileKind::Xlsx),
            ),
            (odt, Some(FileKind::Odt)),
            (zip_with(&["payload.exe"]), None),
            (
                b"MZ\x90\x00 this program cannot be run in DOS mode".to_vec(),
                None,
            ),
            (b"<html><script>".to_vec(), None),
        ];
        for (bytes, want) in cases {
            assert_eq!(
                sniff(&bytes),
                want,
                "{:?}",
                String::from_utf8_lossy(&bytes[..8])
            );
        }
    }

    #[test]
    fn refusals_name_the_file_and_the_limit() {
        let up = |name: &str, bytes: Vec<u8>| Upload {
            file_name: Confidential::new(name.into()),
            declared_type: "application/pdf".into(),
            bytes,
        };
        let exe = accept(up("C:\\fakepath\\run.pdf", b"MZ\x90".to_vec())).unwrap_err();
        assert!(exe.to_string().contains("`run.pdf` is not a PDF"), "{exe}");
        let big = accept(up("big.pdf", vec![b'%'; MAX_FILE_BYTES + 1])).unwrap_err();
        assert!(big.to_string().contains("`big.pdf`") && big.to_string().contains("10 MiB"));
        let png = accept(up("scan.pdf", b"\x89PNG\r\n\x1a\nxx".to_vec())).unwrap();
        assert_eq!(
            (png.sniffed_type.as_str(), png.declared_type.as_str()),
            ("image/png", "application/pdf")
        );
        let six = (0..6)
            .map(|i| up(&format!("{i}.pdf"), b"%PDF-1".to_vec()))
            .collect();
        assert!(accept_all(six)
            .unwrap_err()
            .to_string()
            .contains("limit is 5 files"));
    }
}
