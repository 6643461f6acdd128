//! The `rrm-backup/1` archive: one gzip stream of tagged records, written table by table.
//!
//! ```text
//! "rrm-backup/1\n"
//! 'H' created:str source:str                      once
//! 'T' name:str columns:u32 column:str...          per table, then its rows
//! 'R' value...                                    per row (tag 0 null, 1 i64, 2 f64, 3 text, 4 bytes)
//! 'E' rows:u64 digest:[u8; 32]                    closes the table
//! 'Z' tables:u64                                  last
//! ```
//! Strings and byte strings are a u64 length and the bytes; numbers are little-endian. The
//! `E` record lets a reader check every table before anything is written anywhere, and the
//! `Z` record tells a truncated archive from a whole one. The master key is never in an
//! archive: sealed values stay sealed, so a backup is as safe to keep as the database.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;

use rrm_store::{StoreError, StoreResult, TableDigest, TableShape, Tables, Value};

use crate::{check_against, FillBytes};

/// The first line of every archive.
pub const FORMAT: &str = "rrm-backup/1";

/// What an archive holds: when and from what it was made, and each table's digest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveSummary {
    pub created: String,
    pub source: String,
    pub tables: Vec<(String, TableDigest)>,
}

impl ArchiveSummary {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, d)| d.rows).sum()
    }
}

/// Writes every table of `source` to a new archive at `path` (through a temporary file
/// renamed into place, so a failed backup never leaves a partial archive under the name),
/// then reads the file back and checks it.
pub fn write_archive(
    source: &dyn Tables,
    fill_bytes: FillBytes<'_>,
    path: &Path,
    created: &str,
    source_name: &str,
) -> StoreResult<ArchiveSummary> {
    let tmp = path.with_extension("partial");
    let file = File::create(&tmp).map_err(|e| io_error(&tmp, "creating", e))?;
    let mut out = Out(GzEncoder::new(BufWriter::new(file), Compression::fast()));
    let mut summary = ArchiveSummary {
        created: created.to_string(),
        source: source_name.to_string(),
        tables: Vec::new(),
    };
    let written = (|| {
        out.raw(format!("{FORMAT}\n").as_bytes())?;
        out.raw(b"H")?;
        out.str(created)?;
        out.str(source_name)?;
        for shape in source.tables()? {
            out.raw(b"T")?;
            out.str(&shape.name)?;
            out.u64(shape.columns.len() as u64)?;
            for c in &shape.columns {
                out.str(c)?;
            }
            let mut digest = TableDigest::default();
            crate::each_row(source, &shape, fill_bytes, &mut |row| {
                digest.add(row);
                out.raw(b"R")?;
                row.iter().try_for_each(|v| out.value(v))
            })?;
            out.raw(b"E")?;
            out.u64(digest.rows)?;
            out.raw(&digest.sum)?;
            summary.tables.push((shape.name, digest));
        }
        out.raw(b"Z")?;
        out.u64(summary.tables.len() as u64)?;
        let buffered = out.0.finish().map_err(|e| io_error(&tmp, "writing", e))?;
        let file = buffered
            .into_inner()
            .map_err(|e| io_error(&tmp, "writing", e.into_error()))?;
        file.sync_all().map_err(|e| io_error(&tmp, "syncing", e))
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, path).map_err(|e| io_error(path, "renaming into", e))?;
    let read_back = read_archive_digests(path)?;
    if read_back != summary {
        return Err(StoreError::Other(format!(
            "the archive {} does not read back as written",
            path.display()
        )));
    }
    Ok(summary)
}

/// Reads a whole archive and checks every table's rows against its `E` record; nothing is
/// written anywhere. Fails naming what is wrong: not an archive, truncated, or a table whose
/// rows differ from their digest.
pub fn read_archive_digests(path: &Path) -> StoreResult<ArchiveSummary> {
    read(path, &mut |_, _| Ok(()))
}

/// Restores an archive into `destination`, which must be empty: checks the whole archive
/// first, then loads it in one transaction, then reads the destination back and compares.
pub fn restore_archive(path: &Path, destination: &dyn Tables) -> StoreResult<ArchiveSummary> {
    let checked = read_archive_digests(path)?;
    let mut restored = None;
    destination.load(&mut |writer| {
        restored = Some(read(path, &mut |shape, row| writer.row(shape, row))?);
        Ok(())
    })?;
    // The file was checked whole before; reading it again must give the same archive.
    if restored.as_ref() != Some(&checked) {
        return Err(StoreError::Other(format!(
            "{} changed while it was being restored",
            path.display()
        )));
    }
    check_against(destination, &checked.tables)?;
    Ok(checked)
}

fn read(
    path: &Path,
    each: &mut dyn FnMut(&TableShape, &[Value]) -> StoreResult<()>,
) -> StoreResult<ArchiveSummary> {
    let file = File::open(path).map_err(|e| io_error(path, "opening", e))?;
    let mut input = In {
        inner: BufReader::new(GzDecoder::new(file)),
        path,
    };
    let mut magic = [0u8; FORMAT.len() + 1];
    input.exact(&mut magic).map_err(|_| not_archive(path))?;
    if magic[..FORMAT.len()] != *FORMAT.as_bytes() || magic[FORMAT.len()] != b'\n' {
        return Err(not_archive(path));
    }
    let mut summary = ArchiveSummary::default();
    input.expect_tag(b'H')?;
    summary.created = input.str()?;
    summary.source = input.str()?;
    loop {
        match input.tag()? {
            b'T' => {
                let name = input.str()?;
                let n = input.u64()?;
                let columns = (0..n).map(|_| input.str()).collect::<StoreResult<_>>()?;
                let shape = TableShape { name, columns };
                let digest = read_table(&mut input, &shape, each)?;
                summary.tables.push((shape.name, digest));
            }
            b'Z' => {
                let tables = input.u64()?;
                if tables != summary.tables.len() as u64 {
                    return Err(input.bad("the table count at its end is wrong"));
                }
                return Ok(summary);
            }
            other => return Err(input.bad(&format!("unexpected record `{}`", other as char))),
        }
    }
}

fn read_table(
    input: &mut In<'_>,
    shape: &TableShape,
    each: &mut dyn FnMut(&TableShape, &[Value]) -> StoreResult<()>,
) -> StoreResult<TableDigest> {
    let mut digest = TableDigest::default();
    let mut row = Vec::with_capacity(shape.columns.len());
    loop {
        match input.tag()? {
            b'R' => {
                row.clear();
                for _ in 0..shape.columns.len() {
                    row.push(input.value()?);
                }
                digest.add(&row);
                each(shape, &row)?;
            }
            b'E' => {
                let rows = input.u64()?;
                let mut sum = [0u8; 32];
                input.exact(&mut sum)?;
                if rows != digest.rows || sum != digest.sum {
                    return Err(input.bad(&format!(
                        "table {} holds {} rows that do not match its digest ({rows} rows)",
                        shape.name, digest.rows
                    )));
                }
                return Ok(digest);
            }
            other => {
                return Err(input.bad(&format!(
                    "unexpected record `{}` in table {}",
                    other as char, shape.name
                )))
            }
        }
    }
}

struct Out<W: Write>(GzEncoder<W>);

impl<W: Write> Out<W> {
    fn raw(&mut self, bytes: &[u8]) -> StoreResult<()> {
        self.0
            .write_all(bytes)
            .map_err(|e| StoreError::Other(format!("writing the archive: {e}")))
    }

    fn u64(&mut self, n: u64) -> StoreResult<()> {
        self.raw(&n.to_le_bytes())
    }

    fn str(&mut self, s: &str) -> StoreResult<()> {
        self.bytes(s.as_bytes())
    }

    fn bytes(&mut self, b: &[u8]) -> StoreResult<()> {
        self.u64(b.len() as u64)?;
        self.raw(b)
    }

    fn value(&mut self, v: &Value) -> StoreResult<()> {
        match v {
            Value::Null => self.raw(&[0]),
            Value::Int(i) => {
                self.raw(&[1])?;
                self.raw(&i.to_le_bytes())
            }
            Value::Real(f) => {
                self.raw(&[2])?;
                self.raw(&f.to_bits().to_le_bytes())
            }
            Value::Text(s) => {
                self.raw(&[3])?;
                self.str(s)
            }
            Value::Bytes(b) => {
                self.raw(&[4])?;
                self.bytes(b)
            }
        }
    }
}

/// The longest string or byte string an archive may hold (a file is at most tens of MiB).
const MAX_LEN: u64 = 1 << 30;

struct In<'p> {
    inner: BufReader<GzDecoder<File>>,
    path: &'p Path,
}

impl In<'_> {
    fn bad(&self, what: &str) -> StoreError {
        StoreError::Other(format!(
            "{} is not a whole {FORMAT} archive: {what}",
            self.path.display()
        ))
    }

    fn exact(&mut self, buf: &mut [u8]) -> StoreResult<()> {
        self.inner
            .read_exact(buf)
            .map_err(|e| self.bad(&format!("it ends early ({e})")))
    }

    fn tag(&mut self) -> StoreResult<u8> {
        let mut t = [0u8];
        self.exact(&mut t)?;
        Ok(t[0])
    }

    fn expect_tag(&mut self, want: u8) -> StoreResult<()> {
        match self.tag()? {
            t if t == want => Ok(()),
            t => Err(self.bad(&format!(
                "expected record `{}`, found `{}`",
                want as char, t as char
            ))),
        }
    }

    fn u64(&mut self) -> StoreResult<u64> {
        let mut b = [0u8; 8];
        self.exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn bytes(&mut self) -> StoreResult<Vec<u8>> {
        let len = self.u64()?;
        if len > MAX_LEN {
            return Err(self.bad(&format!("a value claims {len} bytes")));
        }
        let mut b = vec![0u8; len as usize];
        self.exact(&mut b)?;
        Ok(b)
    }

    fn str(&mut self) -> StoreResult<String> {
        let b = self.bytes()?;
        String::from_utf8(b).map_err(|_| self.bad("a text value is not UTF-8"))
    }

    fn value(&mut self) -> StoreResult<Value> {
        Ok(match self.tag()? {
            0 => Value::Null,
            1 => Value::Int(self.u64()? as i64),
            2 => Value::Real(f64::from_bits(self.u64()?)),
            3 => Value::Text(self.str()?),
            4 => Value::Bytes(self.bytes()?),
            t => return Err(self.bad(&format!("unknown value tag {t}"))),
        })
    }
}

fn not_archive(path: &Path) -> StoreError {
    StoreError::Other(format!(
        "{} is not an {FORMAT} archive (made by `rrm backup`)",
        path.display()
    ))
}

fn io_error(path: &Path, doing: &str, e: std::io::Error) -> StoreError {
    StoreError::Other(format!("{doing} {}: {e}", path.display()))
}
