//! [`Reminders`] on SQLite: `insert or ignore` on the reminder's identity is the claim.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use rrm_store::{Notice, Reminder, Reminders, StoreError, StoreResult};

use crate::sql_error::Context;
use crate::SqliteStore;

impl Reminders for SqliteStore {
    fn claim_reminder(&self, r: &Reminder) -> StoreResult<bool> {
        let conn = self.lock();
        let known: Option<i64> = conn
            .query_row("select 1 from cases where id = ?1", [&r.case_id], |row| {
                row.get(0)
            })
            .optional()
            .context("reading the case")?;
        if known.is_none() {
            return Err(StoreError::NotFound(r.case_id.clone()));
        }
        let inserted = conn
            .prepare_cached(
                "insert or ignore into reminders (case_id, clock, due, notice, sent, instance) \
                 values (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    r.case_id,
                    r.clock,
                    r.due.to_string(),
                    r.notice.as_str(),
                    rrm_store::instant::time_text(r.sent),
                    r.instance
                ])
            })
            .context("recording a reminder")?;
        Ok(inserted == 1)
    }

    fn reminders(&self, limit: u64) -> StoreResult<Vec<Reminder>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "select case_id, clock, due, notice, sent, instance from reminders \
                 order by sent desc, case_id, clock, notice limit ?1",
            )
            .context("reading reminders")?;
        let rows = stmt
            .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?,
                ))
            })
            .context("reading reminders")?;
        rows.map(|row| {
            let (case_id, clock, due, notice, sent, instance) =
                row.context("reading a reminder")?;
            decode(case_id, clock, &due, &notice, &sent, instance)
        })
        .collect()
    }
}

fn decode(
    case_id: String,
    clock: String,
    due: &str,
    notice: &str,
    sent: &str,
    instance: String,
) -> StoreResult<Reminder> {
    let bad = |what: &str, text: &str| StoreError::Other(format!("reminder {what} `{text}`"));
    Ok(Reminder {
        due: due.parse::<NaiveDate>().map_err(|_| bad("due date", due))?,
        notice: Notice::parse(notice).ok_or_else(|| bad("notice", notice))?,
        sent: rrm_store::instant::parse_time(sent, "reminder sent")?,
        case_id,
        clock,
        instance,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn reminders_conform() {
        rrm_store::conformance_reminders::run_all_reminders(&|| {
            crate::SqliteStore::open_in_memory().unwrap()
        });
    }
}
