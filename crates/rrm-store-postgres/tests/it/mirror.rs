//! The PostgreSQL schema mirrors SQLite's table for table and column for column, in order,
//! with the agreed type for each column: what lets `rrm migrate`, `backup` and `restore` copy
//! between the backends with one generic row copier (see `migrations/0002_workspace.sql`).
//! A migration added to one backend and not the other fails here.

use rusqlite::Connection;

use crate::support::Schema;

/// Tables only PostgreSQL has; the copier skips them.
const POSTGRES_ONLY: &[&str] = &["schema_migrations", "store_version"];

/// Columns SQLite declares `text` but fills with sealed bytes; `bytea` in PostgreSQL.
const SEALED_TEXT: &[(&str, &str)] = &[
    ("submissions", "content"),
    ("evidence_files", "file_name"),
    ("notes", "text"),
    ("documents", "name"),
];

/// The tables of 0001, whose dates and booleans PostgreSQL types (the copier converts them).
const CASE_RECORD: &[&str] = &["cases", "events", "case_projection", "running_clocks"];

/// Whether PostgreSQL's `pg` type is the agreed counterpart of SQLite's `sqlite` type.
fn agrees(table: &str, column: &str, sqlite: &str, pg: &str) -> bool {
    let case_record = CASE_RECORD.contains(&table);
    match (sqlite.to_ascii_lowercase().as_str(), pg) {
        ("integer", "bigint") | ("blob", "bytea") | ("text", "text") => true,
        ("real", "double precision") => true,
        ("text", "bytea") => SEALED_TEXT.contains(&(table, column)),
        ("text", "date") | ("integer", "boolean") | ("integer", "integer") => case_record,
        _ => false,
    }
}

fn sqlite_schema() -> Vec<(String, Vec<(String, String)>)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mirror.db");
    drop(rrm_store_sqlite::SqliteStore::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    let mut tables: Vec<String> = conn
        .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    tables
        .into_iter()
        .map(|t| {
            let columns = conn
                .prepare(&format!(
                    "select name, type from pragma_table_info('{t}') order by cid"
                ))
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            (t, columns)
        })
        .collect()
}

fn postgres_schema(schema: &Schema) -> Vec<(String, Vec<(String, String)>)> {
    let _store = schema.store();
    let mut client = postgres::Client::connect(&schema.url(), postgres::NoTls).unwrap();
    let rows = client
        .query(
            "select table_name::text, column_name::text, data_type::text \
             from information_schema.columns where table_schema = $1 \
             order by table_name, ordinal_position",
            &[&schema.name()],
        )
        .unwrap();
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for row in rows {
        let (table, column, ty): (String, String, String) = (row.get(0), row.get(1), row.get(2));
        if POSTGRES_ONLY.contains(&table.as_str()) {
            continue;
        }
        match out.last_mut() {
            Some((t, columns)) if *t == table => columns.push((column, ty)),
            _ => out.push((table, vec![(column, ty)])),
        }
    }
    out
}

#[test]
fn the_postgresql_schema_mirrors_sqlites_column_for_column() {
    let sqlite = sqlite_schema();
    let pg = postgres_schema(&Schema::new());
    let names = |s: &[(String, Vec<(String, String)>)]| -> Vec<String> {
        s.iter().map(|(t, _)| t.clone()).collect()
    };
    assert_eq!(names(&pg), names(&sqlite), "the same tables");
    assert!(names(&sqlite).len() > 20, "{:?}", names(&sqlite));
    for ((table, lite), (_, pg)) in sqlite.iter().zip(&pg) {
        let lite_names: Vec<&str> = lite.iter().map(|(c, _)| c.as_str()).collect();
        let pg_names: Vec<&str> = pg.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(pg_names, lite_names, "the columns of `{table}`, in order");
        for ((column, lite_type), (_, pg_type)) in lite.iter().zip(pg) {
            assert!(
                agrees(table, column, lite_type, pg_type),
                "`{table}.{column}`: SQLite `{lite_type}`, PostgreSQL `{pg_type}`"
            );
        }
    }
}
