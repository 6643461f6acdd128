//! [`Tables`] on PostgreSQL: the raw rows `rrm migrate`, `rrm backup` and `rrm restore` copy.
//!
//! Tables and their references come from the catalog, so a table a later migration adds is
//! copied without code here. Values cross the seam in SQLite's encodings (see
//! `rrm_store::tables`): `date` columns as `YYYY-MM-DD` text, `boolean` as 0/1. Rows are
//! written with binary `COPY`, a batch at a time, inside the one load transaction: row by
//! row inserts would take minutes for ten million events.
//!
//! One column differs in kind: SQLite keeps a document's name as text when the document is
//! public and as sealed bytes otherwise, in one column; PostgreSQL's column is `bytea`, the
//! public name its UTF-8 (see 0002_workspace.sql). The scan gives a public name back as text,
//! and the load turns any text bound for `bytea` into its UTF-8.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, Transaction};

use rrm_store::tables::{check_shape, column_list, quoted, referenced_first};
use rrm_store::{BlobPlacement, RowWriter, StoreError, StoreResult, TableShape, Tables, Value};

use crate::error::Context;
use crate::version::begin_write;
use crate::PostgresStore;

/// Bookkeeping each database keeps for itself: applied migrations, the version counter, and
/// where its file bytes are.
const NOT_DATA: &[&str] = &["schema_migrations", "store_version", "blob_store"];

/// Rows buffered per table before a `COPY` writes them.
const BATCH: usize = 20_000;

const INSTANT: &str = "%Y-%m-%dT%H:%M:%SZ";

impl Tables for PostgresStore {
    fn tables(&self) -> StoreResult<Vec<TableShape>> {
        tables(&mut self.lock())
    }

    fn scan(
        &self,
        table: &TableShape,
        each: &mut dyn FnMut(&[Value]) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        let mut client = self.lock();
        let sql = format!("select {} from {}", column_list(table), quoted(&table.name));
        // A portal inside a transaction streams the rows instead of loading them all.
        let mut tx = client.transaction().context("starting a scan")?;
        let portal = tx
            .bind(sql.as_str(), &[])
            .with_context(|| format!("reading table {}", table.name))?;
        let mut count = 0;
        let mut values = Vec::with_capacity(table.columns.len());
        loop {
            let rows = tx.query_portal(&portal, 5_000).context("reading rows")?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                values.clear();
                for (i, column) in row.columns().iter().enumerate() {
                    values.push(value(row, i, column.type_(), &table.name)?);
                }
                public_name_as_text(table, &mut values)?;
                each(&values)?;
                count += 1;
            }
        }
        tx.commit().context("ending a scan")?;
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
        let mut client = self.lock();
        let shapes = tables(&mut client)?;
        // The version bump comes first: it is the database's write lock (see version.rs).
        let mut tx = begin_write(&mut client, "the load")?;
        for shape in &shapes {
            let sql = format!("select exists (select 1 from {})", quoted(&shape.name));
            let any: bool = tx.query_one(sql.as_str(), &[]).context("counting")?.get(0);
            if any {
                return Err(StoreError::Conflict(format!(
                    "the destination is not empty (table {} has rows); load only into a new store",
                    shape.name
                )));
            }
        }
        let mut writer = Writer {
            tx: &mut tx,
            shapes: &shapes,
            table: None,
            rows: Vec::new(),
        };
        fill(&mut writer)?;
        writer.flush()?;
        for shape in &shapes {
            reset_identity(&mut tx, &shape.name)?;
        }
        tx.commit().context("committing the load")
    }
}

struct Writer<'a, 't> {
    tx: &'a mut Transaction<'t>,
    shapes: &'a [TableShape],
    /// The table being buffered, with its column types.
    table: Option<(TableShape, Vec<Type>)>,
    rows: Vec<Vec<Param>>,
}

impl RowWriter for Writer<'_, '_> {
    fn row(&mut self, table: &TableShape, values: &[Value]) -> StoreResult<()> {
        if self.table.as_ref().map(|(t, _)| &t.name) != Some(&table.name) {
            self.flush()?;
            self.start(table)?;
        }
        let (shape, types) = self.table.as_ref().expect("started");
        let row = values
            .iter()
            .zip(types)
            .zip(&shape.columns)
            .map(|((v, ty), column)| param(v, ty, &shape.name, column))
            .collect::<StoreResult<Vec<Param>>>()?;
        self.rows.push(row);
        if self.rows.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }
}

impl Writer<'_, '_> {
    fn start(&mut self, table: &TableShape) -> StoreResult<()> {
        check_shape(self.shapes, table)?;
        let sql = format!(
            "select {} from {} limit 0",
            column_list(table),
            quoted(&table.name)
        );
        let stmt = self.tx.prepare(&sql).context("reading column types")?;
        let types = stmt.columns().iter().map(|c| c.type_().clone()).collect();
        self.table = Some((table.clone(), types));
        Ok(())
    }

    fn flush(&mut self) -> StoreResult<()> {
        let Some((shape, types)) = &self.table else {
            return Ok(());
        };
        if self.rows.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "copy {} ({}) from stdin binary",
            quoted(&shape.name),
            column_list(shape)
        );
        let sink = self.tx.copy_in(sql.as_str()).context("starting a copy")?;
        let mut copy = BinaryCopyInWriter::new(sink, types);
        for row in self.rows.drain(..) {
            let params: Vec<&(dyn ToSql + Sync)> =
                row.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            copy.write(&params)
                .with_context(|| format!("writing a row of table {}", shape.name))?;
        }
        copy.finish()
            .with_context(|| format!("writing table {}", shape.name))?;
        Ok(())
    }
}

fn tables(client: &mut Client) -> StoreResult<Vec<TableShape>> {
    let names: Vec<String> = client
        .query(
            "select c.relname::text from pg_class c \
             join pg_namespace n on n.oid = c.relnamespace \
             where n.nspname = current_schema() and c.relkind = 'r' order by c.oid",
            &[],
        )
        .context("listing tables")?
        .iter()
        .map(|r| r.get::<_, String>(0))
        .filter(|n| !NOT_DATA.contains(&n.as_str()))
        .collect();
    let references: Vec<(String, String)> = client
        .query(
            "select c.relname::text, f.relname::text from pg_constraint k \
             join pg_class c on c.oid = k.conrelid \
             join pg_class f on f.oid = k.confrelid \
             join pg_namespace n on n.oid = c.relnamespace \
             where n.nspname = current_schema() and k.contype = 'f'",
            &[],
        )
        .context("listing references")?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let refs = |t: &str| -> Vec<String> {
        references
            .iter()
            .filter(|(from, _)| from == t)
            .map(|(_, to)| to.clone())
            .collect()
    };
    let ordered = referenced_first(names, &refs)?;
    ordered
        .into_iter()
        .map(|name| {
            let columns = client
                .query(
                    "select column_name::text from information_schema.columns \
                     where table_schema = current_schema() and table_name = $1 \
                     order by ordinal_position",
                    &[&name],
                )
                .with_context(|| format!("reading the columns of {name}"))?
                .iter()
                .map(|r| r.get(0))
                .collect();
            Ok(TableShape { name, columns })
        })
        .collect()
}

/// After rows arrive with their ids, identity columns must continue after the largest.
fn reset_identity(tx: &mut Transaction<'_>, table: &str) -> StoreResult<()> {
    let identity = tx
        .query(
            "select column_name::text from information_schema.columns \
             where table_schema = current_schema() and table_name = $1 \
             and (is_identity = 'YES' or column_default like 'nextval(%')",
            &[&table],
        )
        .context("reading identity columns")?;
    for row in identity {
        let column: String = row.get(0);
        let sql = format!(
            "select setval(pg_get_serial_sequence($1, $2), coalesce(max({c}), 1), \
             max({c}) is not null) from {t}",
            c = quoted(&column),
            t = quoted(table)
        );
        tx.query_one(sql.as_str(), &[&quoted(table), &column])
            .with_context(|| format!("moving the identity of {table}.{column}"))?;
    }
    Ok(())
}

/// A public document's name as SQLite keeps it: text.
fn public_name_as_text(table: &TableShape, values: &mut [Value]) -> StoreResult<()> {
    if table.name != "documents" {
        return Ok(());
    }
    let (Some(name), Some(class)) = (table.position("name"), table.position("classification"))
    else {
        return Ok(());
    };
    if values[class] != Value::Text("public".into()) {
        return Ok(());
    }
    if let Value::Bytes(bytes) = &values[name] {
        let text = String::from_utf8(bytes.clone())
            .map_err(|_| StoreError::Other("a public document's name is not UTF-8 text".into()))?;
        values[name] = Value::Text(text);
    }
    Ok(())
}

fn value(row: &postgres::Row, i: usize, ty: &Type, table: &str) -> StoreResult<Value> {
    let got = |e: postgres::Error| StoreError::Other(format!("reading {table}: {e}"));
    Ok(match *ty {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)
            .map_err(got)?
            .map(Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .map_err(got)?
            .map(|v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .map_err(got)?
            .map(|v| Value::Int(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)
            .map_err(got)?
            .map(|v| Value::Int(v.into())),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(i)
            .map_err(got)?
            .map(Value::Real),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row
            .try_get::<_, Option<String>>(i)
            .map_err(got)?
            .map(Value::Text),
        Type::BYTEA => row
            .try_get::<_, Option<Vec<u8>>>(i)
            .map_err(got)?
            .map(Value::Bytes),
        Type::DATE => row
            .try_get::<_, Option<NaiveDate>>(i)
            .map_err(got)?
            .map(|d| Value::Text(d.to_string())),
        Type::TIMESTAMPTZ => row
            .try_get::<_, Option<DateTime<Utc>>>(i)
            .map_err(got)?
            .map(|t| Value::Text(t.format(INSTANT).to_string())),
        _ => {
            return Err(StoreError::Other(format!(
                "table {table}: column {} has type {ty}, which the copy does not know",
                row.columns()[i].name()
            )))
        }
    }
    .unwrap_or(Value::Null))
}

/// A value ready for a column of a known type.
#[derive(Debug)]
enum Param {
    Null,
    I64(i64),
    I32(i32),
    I16(i16),
    Bool(bool),
    F64(f64),
    Text(String),
    Bytes(Vec<u8>),
    Date(NaiveDate),
    Instant(DateTime<Utc>),
}

fn param(v: &Value, ty: &Type, table: &str, column: &str) -> StoreResult<Param> {
    let wrong = || {
        StoreError::Other(format!(
            "table {table}: column {column} ({ty}) cannot hold the value {v:?}"
        ))
    };
    Ok(match (v, ty) {
        (Value::Null, _) => Param::Null,
        (Value::Int(i), &Type::INT8) => Param::I64(*i),
        (Value::Int(i), &Type::INT4) => Param::I32((*i).try_into().map_err(|_| wrong())?),
        (Value::Int(i), &Type::INT2) => Param::I16((*i).try_into().map_err(|_| wrong())?),
        (Value::Int(i), &Type::BOOL) => Param::Bool(*i != 0),
        (Value::Int(i), &Type::FLOAT8) => Param::F64(*i as f64),
        (Value::Real(f), &Type::FLOAT8) => Param::F64(*f),
        (Value::Text(t), &Type::TEXT | &Type::VARCHAR | &Type::BPCHAR) => Param::Text(t.clone()),
        (Value::Text(t), &Type::DATE) => Param::Date(t.parse().map_err(|_| wrong())?),
        (Value::Text(t), &Type::TIMESTAMPTZ) => Param::Instant(
            NaiveDateTime::parse_from_str(t, INSTANT)
                .map_err(|_| wrong())?
                .and_utc(),
        ),
        (Value::Bytes(b), &Type::BYTEA) => Param::Bytes(b.clone()),
        (Value::Text(t), &Type::BYTEA) => Param::Bytes(t.as_bytes().to_vec()),
        _ => return Err(wrong()),
    })
}

impl ToSql for Param {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Param::Null => Ok(IsNull::Yes),
            Param::I64(v) => v.to_sql(ty, out),
            Param::I32(v) => v.to_sql(ty, out),
            Param::I16(v) => v.to_sql(ty, out),
            Param::Bool(v) => v.to_sql(ty, out),
            Param::F64(v) => v.to_sql(ty, out),
            Param::Text(v) => v.to_sql(ty, out),
            Param::Bytes(v) => v.to_sql(ty, out),
            Param::Date(v) => v.to_sql(ty, out),
            Param::Instant(v) => v.to_sql(ty, out),
        }
    }

    /// `param` chose the variant from the column's type.
    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}
