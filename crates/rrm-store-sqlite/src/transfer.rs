//! [`Tables`] on SQLite: the raw rows `rrm migrate`, `rrm backup` and `rrm restore` copy.
//! Tables come from the schema itself (`sqlite_master`, `pragma table_info`,
//! `pragma foreign_key_list`), so a table a later migration adds is copied without code here.

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{params_from_iter, Connection, TransactionBehavior};

use rrm_store::tables::{check_shape, column_list, quoted, referenced_first};
use rrm_store::{BlobPlacement, RowWriter, StoreError, StoreResult, TableShape, Tables, Value};

use crate::sql_error::Context;
use crate::SqliteStore;

/// Bookkeeping the destination keeps for itself: where its file bytes are.
const NOT_DATA: &[&str] = &["blob_store"];

impl Tables for SqliteStore {
    fn tables(&self) -> StoreResult<Vec<TableShape>> {
        tables(&self.lock())
    }

    fn scan(
        &self,
        table: &TableShape,
        each: &mut dyn FnMut(&[Value]) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        let conn = self.lock();
        let sql = format!("select {} from {}", column_list(table), quoted(&table.name));
        let mut stmt = conn
            .prepare(&sql)
            .with_context(|| format!("reading table {}", table.name))?;
        let mut rows = stmt.query([]).context("reading rows")?;
        let mut values = Vec::with_capacity(table.columns.len());
        let mut count = 0;
        while let Some(row) = rows.next().context("reading a row")? {
            values.clear();
            for i in 0..table.columns.len() {
                values.push(value(row.get_ref(i).context("reading a value")?));
            }
            each(&values)?;
            count += 1;
        }
        Ok(count)
    }

    fn load(&self, fill: &mut dyn FnMut(&mut dyn RowWriter) -> StoreResult<()>) -> StoreResult<()> {
        if !matches!(self.blobs, BlobPlacement::InDatabase) {
            return Err(StoreError::Conflict(format!(
                "this store keeps its files in {}; load into a store that keeps them in the \
                 database, then move them with `rrm blobs migrate`",
                self.blobs.location()
            )));
        }
        let mut conn = self.lock();
        let shapes = tables(&conn)?;
        for shape in &shapes {
            let sql = format!("select exists (select 1 from {})", quoted(&shape.name));
            let any: bool = conn.query_row(&sql, [], |r| r.get(0)).context("counting")?;
            if any {
                return Err(StoreError::Conflict(format!(
                    "the destination is not empty (table {} has rows); load only into a new store",
                    shape.name
                )));
            }
        }
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context("starting the load")?;
        {
            let mut writer = Writer {
                conn: &tx,
                shapes: &shapes,
                checked: None,
            };
            fill(&mut writer)?;
        }
        tx.commit().context("committing the load")
    }
}

struct Writer<'a> {
    conn: &'a Connection,
    shapes: &'a [TableShape],
    /// The table whose shape was last checked: rows come table by table.
    checked: Option<String>,
}

impl RowWriter for Writer<'_> {
    fn row(&mut self, table: &TableShape, values: &[Value]) -> StoreResult<()> {
        if self.checked.as_deref() != Some(table.name.as_str()) {
            check_shape(self.shapes, table)?;
            self.checked = Some(table.name.clone());
        }
        let placeholders = vec!["?"; table.columns.len()].join(", ");
        let sql = format!(
            "insert into {} ({}) values ({placeholders})",
            quoted(&table.name),
            column_list(table)
        );
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .with_context(|| format!("writing table {}", table.name))?;
        stmt.execute(params_from_iter(values.iter().map(sql_value)))
            .with_context(|| format!("writing a row of table {}", table.name))?;
        Ok(())
    }
}

fn tables(conn: &Connection) -> StoreResult<Vec<TableShape>> {
    let names: Vec<String> = conn
        .prepare("select name from sqlite_master where type = 'table' order by rowid")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .context("listing tables")?;
    let names = names
        .into_iter()
        .filter(|n| !n.starts_with("sqlite_") && !NOT_DATA.contains(&n.as_str()))
        .collect();
    let references = |table: &str| -> Vec<String> {
        conn.prepare(&format!("pragma foreign_key_list({})", quoted(table)))
            .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(2))?.collect())
            .unwrap_or_default()
    };
    let ordered = referenced_first(names, &references)?;
    ordered
        .into_iter()
        .map(|name| {
            let columns = conn
                .prepare(&format!("pragma table_info({})", quoted(&name)))
                .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(1))?.collect())
                .with_context(|| format!("reading the columns of {name}"))?;
            Ok(TableShape { name, columns })
        })
        .collect()
}

fn value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
    }
}

fn sql_value(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Int(i) => SqlValue::Integer(*i),
        Value::Real(f) => SqlValue::Real(*f),
        Value::Text(t) => SqlValue::Text(t.clone()),
        Value::Bytes(b) => SqlValue::Blob(b.clone()),
    }
}
