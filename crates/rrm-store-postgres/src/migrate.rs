//! Migrations: the numbered files in `migrations/`, applied in order, each recorded in
//! `schema_migrations`, all under a transaction-scoped advisory lock so that two servers
//! starting together do not both apply the same file.

use postgres::Client;

use rrm_store::StoreResult;

use crate::error::Context;

/// The migrations, in order: (version, sql). Append-only.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_workspace.sql")),
];

/// The schema version this build brings a database to.
pub const SCHEMA_VERSION: i32 = 2;

/// The advisory lock key migrations hold ("rrm" plus a 1, as one bigint).
const LOCK_KEY: i64 = 0x7272_6d00_0000_0001;

/// Applies every migration the database lacks, in one transaction.
pub(crate) fn run(client: &mut Client) -> StoreResult<()> {
    let doing = "migrating the postgresql schema";
    let mut tx = client.transaction().context(doing)?;
    // Held until commit or rollback; a second server waits here, then finds nothing to do.
    tx.execute("select pg_advisory_xact_lock($1)", &[&LOCK_KEY])
        .context(doing)?;
    tx.batch_execute(
        "create table if not exists schema_migrations (\
             version integer primary key, \
             applied_at timestamptz not null default now())",
    )
    .context(doing)?;
    let applied: i32 = tx
        .query_one(
            "select coalesce(max(version), 0) from schema_migrations",
            &[],
        )
        .context(doing)?
        .get(0);
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > applied) {
        let doing = || format!("applying migration {version:04}");
        tx.batch_execute(sql).with_context(doing)?;
        tx.execute(
            "insert into schema_migrations (version) values ($1)",
            &[version],
        )
        .with_context(doing)?;
    }
    tx.commit().context(doing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_up_to_the_schema_version() {
        let versions: Vec<i32> = MIGRATIONS.iter().map(|(v, _)| *v).collect();
        let expected: Vec<i32> = (1..=SCHEMA_VERSION).collect();
        assert_eq!(versions, expected);
    }
}
