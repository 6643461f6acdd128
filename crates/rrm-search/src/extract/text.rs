//! Plain text: decoded as UTF-8 (or UTF-16 with a byte-order mark), and otherwise as
//! Windows-1252, the usual encoding of older Spanish and English documents — every byte
//! sequence decodes to something, so invalid UTF-8 is never an error. Control characters
//! other than line breaks and tabs are dropped.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// The text and the name of the encoding it was decoded from.
pub(crate) fn decode(bytes: &[u8]) -> (String, &'static str) {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes),
        None => (WINDOWS_1252, bytes),
    };
    let (text, _) = encoding.decode_without_bom_handling(body);
    let clean = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .collect();
    (clean, encoding.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_utf16_and_windows_1252() {
        assert_eq!(decode("Potosí".as_bytes()), ("Potosí".into(), "UTF-8"));
        assert_eq!(decode(b"Potos\xed\x00").0, "Potosí");
        assert_eq!(decode(b"Potos\xed").1, "windows-1252");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("sí".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16).0, "sí");
    }
}
