//! Raw rows, for moving an installation between backends (`rrm migrate`) and in and out of a
//! backup archive (`rrm backup`, `rrm restore`).
//!
//! Every backend keeps the same tables with the same column names and the same value
//! encodings (instants as `YYYY-MM-DDTHH:MM:SSZ` text, booleans as 0/1 except where a backend
//! has a native type it converts at this seam), so one generic copier serves every pair of
//! backends and the archive does not depend on either. The copier checks what it copied with
//! a [`TableDigest`] per table: a row count and an order-independent sum of row hashes, so
//! the two sides can be compared without sorting millions of rows the same way.

use sha2::{Digest, Sha256};

use crate::{Hash, StoreResult};

/// One stored value, in the few types every backend has.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A table's name and columns, in the order its rows' values come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableShape {
    pub name: String,
    pub columns: Vec<String>,
}

impl TableShape {
    /// Where `column` is among the columns.
    pub fn position(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == column)
    }
}

/// Raw access to a backend's tables. Bookkeeping (applied migrations, the version counter,
/// the record of where file bytes are) is not a table here: the destination keeps its own.
pub trait Tables {
    /// The tables holding the installation's data, each before any table that references it.
    fn tables(&self) -> StoreResult<Vec<TableShape>>;

    /// Calls `each` with every row of `table`, values in `table.columns` order, in any order;
    /// returns how many rows there were.
    fn scan(
        &self,
        table: &TableShape,
        each: &mut dyn FnMut(&[Value]) -> StoreResult<()>,
    ) -> StoreResult<u64>;

    /// Writes rows in one transaction: `fill` is handed a writer and everything it writes is
    /// committed when it returns `Ok`, nothing otherwise. Refuses a store that already holds
    /// any row, and one whose file bytes are kept outside the database (the rows carry the
    /// bytes; move them afterwards with the backend's blob migration).
    fn load(&self, fill: &mut dyn FnMut(&mut dyn RowWriter) -> StoreResult<()>) -> StoreResult<()>;
}

/// Writes rows inside [`Tables::load`]'s transaction.
pub trait RowWriter {
    /// Writes one row of `table` (values in `table.columns` order).
    fn row(&mut self, table: &TableShape, values: &[Value]) -> StoreResult<()>;
}

/// A table's row count and the wrapping sum of its rows' SHA-256 hashes: equal digests mean
/// the same rows (as a set; rows are unique by primary key) whatever order they were read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableDigest {
    pub rows: u64,
    pub sum: Hash,
}

impl TableDigest {
    pub fn add(&mut self, values: &[Value]) {
        let row = row_hash(values);
        // 256-bit little-endian addition: commutative, so order does not matter.
        let mut carry = 0u16;
        for (s, r) in self.sum.iter_mut().zip(row.iter()) {
            let t = u16::from(*s) + u16::from(*r) + carry;
            *s = t as u8;
            carry = t >> 8;
        }
        self.rows += 1;
    }

    pub fn hex(&self) -> String {
        hex::encode(self.sum)
    }
}

/// The SHA-256 of a row's canonical encoding (each value tagged and length-prefixed).
pub fn row_hash(values: &[Value]) -> Hash {
    let mut h = Sha256::new();
    for v in values {
        match v {
            Value::Null => h.update([0u8]),
            Value::Int(i) => {
                h.update([1u8]);
                h.update(i.to_le_bytes());
            }
            Value::Real(f) => {
                h.update([2u8]);
                h.update(f.to_bits().to_le_bytes());
            }
            Value::Text(s) => {
                h.update([3u8]);
                h.update((s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
            Value::Bytes(b) => {
                h.update([4u8]);
                h.update((b.len() as u64).to_le_bytes());
                h.update(b);
            }
        }
    }
    h.finalize().into()
}

/// Refuses rows of `incoming` unless the destination has that table with the same columns
/// (in any order: rows are written by column name), naming what differs.
pub fn check_shape(destination: &[TableShape], incoming: &TableShape) -> StoreResult<()> {
    let Some(ours) = destination.iter().find(|s| s.name == incoming.name) else {
        return Err(crate::StoreError::Other(format!(
            "the destination has no table {}",
            incoming.name
        )));
    };
    if ours.columns.len() != incoming.columns.len()
        || incoming.columns.iter().any(|c| ours.position(c).is_none())
    {
        return Err(crate::StoreError::Other(format!(
            "table {}: the source has columns ({}), the destination ({})",
            incoming.name,
            incoming.columns.join(", "),
            ours.columns.join(", ")
        )));
    }
    Ok(())
}

/// `name` as a quoted SQL identifier (the same in SQLite and PostgreSQL).
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The table's columns, quoted, comma-separated, in order.
pub fn column_list(table: &TableShape) -> String {
    let quoted: Vec<String> = table.columns.iter().map(|c| quoted(c)).collect();
    quoted.join(", ")
}

/// Orders tables so that each comes after every table it references (`references` gives, for
/// a table, the tables its foreign keys name; a reference to itself or to a table not listed
/// is ignored). Ties keep the given order, so the result is deterministic.
pub fn referenced_first(
    names: Vec<String>,
    references: &dyn Fn(&str) -> Vec<String>,
) -> StoreResult<Vec<String>> {
    let deps: Vec<Vec<String>> = names
        .iter()
        .map(|n| {
            references(n)
                .into_iter()
                .filter(|r| r != n && names.contains(r))
                .collect()
        })
        .collect();
    let mut done: Vec<String> = Vec::with_capacity(names.len());
    while done.len() < names.len() {
        let next = names
            .iter()
            .zip(&deps)
            .find(|(n, d)| !done.contains(n) && d.iter().all(|r| done.contains(r)));
        match next {
            Some((n, _)) => done.push(n.clone()),
            None => {
                let stuck: Vec<&str> = names
                    .iter()
                    .filter(|n| !done.contains(n))
                    .map(String::as_str)
                    .collect();
                return Err(crate::StoreError::Other(format!(
                    "tables reference each other in a cycle: {}",
                    stuck.join(", ")
                )));
            }
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referenced_tables_come_first() {
        let refs = |t: &str| -> Vec<String> {
            match t {
                "evidence" => vec!["blobs".into(), "cases".into()],
                "blobs" => vec!["blobs".into()],
                "events" => vec!["cases".into(), "elsewhere".into()],
                _ => vec![],
            }
        };
        let names = ["evidence", "events", "blobs", "cases"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            referenced_first(names, &refs).unwrap(),
            ["blobs", "cases", "evidence", "events"]
        );
        let cycle = |t: &str| vec![if t == "a" { "b" } else { "a" }.to_string()];
        let err = referenced_first(vec!["a".into(), "b".into()], &cycle).unwrap_err();
        assert!(err.to_string().contains("cycle: a, b"), "{err}");
    }

    #[test]
    fn digests_ignore_row_order_but_not_content() {
        let rows = [
            vec![Value::Int(1), Value::Text("a".into())],
            vec![Value::Int(2), Value::Null],
            vec![Value::Int(3), Value::Bytes(vec![0, 1])],
        ];
        let mut forward = TableDigest::default();
        rows.iter().for_each(|r| forward.add(r));
        let mut backward = TableDigest::default();
        rows.iter().rev().for_each(|r| backward.add(r));
        assert_eq!(forward, backward);
        assert_eq!(forward.rows, 3);

        let mut changed = TableDigest::default();
        changed.add(&rows[0]);
        changed.add(&rows[1]);
        changed.add(&[Value::Int(3), Value::Bytes(vec![0, 2])]);
        assert_ne!(forward, changed);
        // Text and bytes with the same content are different values.
        assert_ne!(
            row_hash(&[Value::Text("ab".into())]),
            row_hash(&[Value::Bytes(b"ab".to_vec())])
        );
        // A value's boundary is part of the encoding.
        assert_ne!(
            row_hash(&[Value::Text("ab".into()), Value::Text("c".into())]),
            row_hash(&[Value::Text("a".into()), Value::Text("bc".into())])
        );
    }
}
