//! DOCX and ODT: a ZIP container holding XML. The text is the character data of the main
//! part (`word/document.xml`, `content.xml`), with paragraph ends as line breaks.
//!
//! Bounds against hostile containers: at most [`MAX_ZIP_ENTRIES`] entries; the part is read
//! through a limit of [`MAX_DECOMPRESSED_BYTES`] whatever its header declares, and a part that
//! reaches it is refused as a decompression bomb; the XML reader builds no tree.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{append_capped, Format, MAX_DECOMPRESSED_BYTES, MAX_ZIP_ENTRIES};

/// DOCX or ODT, from the entry names in the archive.
pub(crate) fn sniff(bytes: &[u8]) -> Option<Format> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return None;
    }
    let names: Vec<&str> = archive.file_names().collect();
    if names.contains(&"word/document.xml") {
        Some(Format::Docx)
    } else if names.contains(&"content.xml") && names.contains(&"mimetype") {
        Some(Format::Odt)
    } else {
        None
    }
}

pub(crate) fn docx_text(bytes: &[u8]) -> Result<String, String> {
    // `w:p` ends a paragraph, `w:tab` and `w:br` separate words, `w:t` holds the text.
    let xml = part(bytes, "word/document.xml")?;
    xml_text(&xml, &["p", "br", "tab", "tr", "tc"])
}

pub(crate) fn odt_text(bytes: &[u8]) -> Result<String, String> {
    let xml = part(bytes, "content.xml")?;
    xml_text(&xml, &["p", "h", "line-break", "tab", "s"])
}

/// One entry's bytes, read through the decompression limit.
fn part(bytes: &[u8], name: &str) -> Result<Vec<u8>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("is not a readable ZIP container: {e}"))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(format!(
            "has {} entries, more than the {MAX_ZIP_ENTRIES} allowed",
            archive.len()
        ));
    }
    let entry = archive
        .by_name(name)
        .map_err(|e| format!("has no readable `{name}`: {e}"))?;
    let mut out = Vec::new();
    let limit = MAX_DECOMPRESSED_BYTES as u64;
    entry
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("`{name}` does not decompress: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!(
            "`{name}` decompresses to more than {} MiB (a decompression bomb?)",
            MAX_DECOMPRESSED_BYTES / 1024 / 1024
        ));
    }
    Ok(out)
}

/// The character data of an XML part; `breaks` are local element names that end a line.
fn xml_text(xml: &[u8], breaks: &[&str]) -> Result<String, String> {
    let xml = std::str::from_utf8(xml).map_err(|e| format!("has XML that is not UTF-8: {e}"))?;
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("has malformed XML at byte {}: {e}", reader.error_position()))?;
        let more = match event {
            Event::Start(e) | Event::Empty(e) if breaks.contains(&e.local_name().as_ref()) => {
                append_capped(&mut out, "\n")
            }
            Event::End(e) if breaks.contains(&e.local_name().as_ref()) => {
                append_capped(&mut out, "\n")
            }
            Event::Text(t) => append_capped(&mut out, &t.xml10_content()),
            Event::CData(c) => append_capped(&mut out, &c.xml10_content()),
            Event::GeneralRef(r) => append_capped(&mut out, &entity(&r)),
            Event::Eof => break,
            _ => true,
        };
        if !more {
            break;
        }
    }
    Ok(out)
}

/// The text of `&amp;`, `&#241;` and the other predefined references; others are dropped.
fn entity(r: &quick_xml::events::BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name: &str = &r.xml10_content();
    match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    }
    .to_string()
}
