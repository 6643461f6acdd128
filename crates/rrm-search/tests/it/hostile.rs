//! Text extraction on good files and on broken or hostile ones, all made here: every bad file
//! gives a status that names the problem, and nothing panics, hangs or eats memory.

use std::io::Write;

use rrm_search::extract::{extract, ExtractStatus, MAX_TEXT_BYTES};

const PDF: &str = "application/pdf";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A one-page PDF whose page content stream is `content` (with `/Filter /FlateDecode` when
/// `deflated`), with a correct cross-reference table.
pub fn pdf(content: &[u8], deflated: bool) -> Vec<u8> {
    let stream = if deflated {
        deflate(content)
    } else {
        content.to_vec()
    };
    let filter = if deflated {
        "/Filter /FlateDecode "
    } else {
        ""
    };
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
           /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        [
            format!("<< {filter}/Length {} >>\nstream\n", stream.len()).into_bytes(),
            stream,
            b"\nendstream".to_vec(),
        ]
        .concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    out
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    for chunk in bytes.chunks(1 << 20) {
        e.write_all(chunk).unwrap();
    }
    e.finish().unwrap()
}

/// A DOCX (a ZIP with `word/document.xml`) holding `xml`, plus `extra` empty entries.
pub fn docx(xml: &[u8], extra: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", deflated).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("word/document.xml", deflated).unwrap();
    for chunk in xml.chunks(1 << 20) {
        zip.write_all(chunk).unwrap();
    }
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..extra {
        zip.start_file(format!("x/{i}"), stored).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn failed(status: &ExtractStatus) -> &str {
    match status {
        ExtractStatus::Failed(why) => why,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn good_files_give_their_text() {
    let p = extract(
        PDF,
        &pdf(
            b"BT /F1 12 Tf 72 720 Td (Despido en Potos\\355) Tj ET",
            true,
        ),
    );
    assert_eq!(p.status, ExtractStatus::Ok);
    assert!(p.text.contains("Despido en Potosí"), "{:?}", p.text);
    let xml = "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>Acta de la asamblea</w:t></w:r>\
               </w:p><w:p><w:r><w:t>R&amp;D &#241;</w:t></w:r></w:p></w:body></w:document>";
    let d = extract(DOCX, &docx(xml.as_bytes(), 0));
    assert_eq!(d.status, ExtractStatus::Ok);
    assert_eq!(d.text, "Acta de la asamblea\nR&D ñ");
    // Detected from the bytes when the declared type says nothing.
    assert_eq!(extract("", &docx(xml.as_bytes(), 0)).text, d.text);
    let h = extract(
        "text/html",
        b"<p>Sindicato <b>independiente</b></p><script>x()</script>",
    );
    assert_eq!(h.text, "Sindicato independiente");
    let t = extract(
        "text/plain",
        "  trabajadores\r\n\r\n despedidos ".as_bytes(),
    );
    assert_eq!(t.text, "trabajadores\ndespedidos");
}

#[test]
fn empty_files_and_unknown_kinds() {
    assert_eq!(failed(&extract(PDF, b"").status), "the file is empty");
    let png = extract("image/png", b"\x89PNG\r\n\x1a\n....");
    assert_eq!(png.status, ExtractStatus::Unsupported("image/png".into()));
    assert_eq!(
        png.status.to_string(),
        "no text: image/png files are not read"
    );
}

#[test]
fn truncated_and_garbage_pdfs_are_reported() {
    let good = pdf(b"BT /F1 12 Tf 72 720 Td (hola) Tj ET", false);
    for cut in [9, good.len() / 3, good.len() / 2, good.len() - 20] {
        let r = extract(PDF, &good[..cut]);
        assert!(r.text.is_empty() || r.status == ExtractStatus::Ok, "{r:?}");
        if r.status != ExtractStatus::Ok {
            assert!(failed(&r.status).starts_with("PDF "), "{r:?}");
        }
    }
    let garbage = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
                    2 0 obj <<<< ((((( ]]]] /Kids [3 0 R 3 0 R] endobj\n3 0 obj 3 0 R endobj\n\
                    xref\n0 1\nnot a table\ntrailer << /Root 1 0 R /Size 99999999 >>\n%%EOF";
    let r = extract(PDF, garbage);
    assert!(failed(&r.status).starts_with("PDF "), "{r:?}");
    let mut nested = b"%PDF-1.4\n1 0 obj ".to_vec();
    nested.extend(std::iter::repeat_n(b'[', 500_000));
    nested.extend(b" endobj\ntrailer << /Root 1 0 R >>\n%%EOF");
    assert!(failed(&extract(PDF, &nested).status).starts_with("PDF "));
    let mut noise = b"%PDF-1.4\n".to_vec();
    noise.extend((0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    assert!(failed(&extract(PDF, &noise).status).starts_with("PDF "));
}

#[test]
fn a_pdf_decompression_bomb_is_refused() {
    let bomb = vec![b' '; 33 * 1024 * 1024];
    let file = pdf(&bomb, true);
    assert!(
        file.len() < 1024 * 1024,
        "the bomb is small: {}",
        file.len()
    );
    let r = extract(PDF, &file);
    assert!(failed(&r.status).contains("page"), "{r:?}");
}

#[test]
fn a_docx_zip_bomb_and_a_zip_of_many_entries_are_refused() {
    let mut xml = b"<w:document><w:t>".to_vec();
    xml.resize(33 * 1024 * 1024, b' ');
    let file = docx(&xml, 0);
    assert!(file.len() < 1024 * 1024);
    let r = extract(DOCX, &file);
    assert!(failed(&r.status).contains("decompression bomb"), "{r:?}");
    let many = docx(b"<w:t>x</w:t>", 10_001);
    let r = extract(DOCX, &many);
    assert!(failed(&r.status).contains("entries"), "{r:?}");
    let mut broken = docx(b"<w:t>x</w:t>", 0);
    broken.truncate(broken.len() / 2);
    assert!(failed(&extract(DOCX, &broken).status).starts_with("DOCX "));
    let malformed = docx(b"<w:t>unclosed <<<< </w:x>", 0);
    let r = extract(DOCX, &malformed);
    assert!(
        r.status != ExtractStatus::Ok || !r.text.contains('<'),
        "{r:?}"
    );
}

#[test]
fn deep_html_and_invalid_utf8() {
    let deep = format!(
        "{}fondo{}",
        "<div><span>".repeat(300_000),
        "</b>".repeat(1000)
    );
    let r = extract("text/html", deep.as_bytes());
    assert_eq!((r.status, r.text.as_str()), (ExtractStatus::Ok, "fondo"));
    let r = extract("text/plain", b"Le\xf3n, Guanajuato \xff\xfe\x00\x01");
    assert_eq!(r.status, ExtractStatus::Ok);
    assert!(r.text.starts_with("León, Guanajuato"), "{:?}", r.text);
    let r = extract("text/html", b"<p>\xe9l\xe8ve</p>\x80\x81");
    assert!(r.text.starts_with("élève"), "{:?}", r.text);
}

#[test]
fn long_text_is_cut_at_the_cap() {
    let long = "palabra ".repeat(MAX_TEXT_BYTES / 4);
    let r = extract("text/plain", long.as_bytes());
    assert_eq!(r.status, ExtractStatus::Truncated);
    assert!(r.text.len() <= MAX_TEXT_BYTES);
    let big = vec![b'a'; 17 * 1024 * 1024];
    assert!(failed(&extract("text/plain", &big).status).contains("larger than"));
}
