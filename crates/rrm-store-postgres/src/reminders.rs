//! [`Reminders`] on PostgreSQL: `insert ... on conflict do nothing` on the reminder's
//! identity is the claim, so two servers claiming the same reminder at once get one row and
//! one `true` between them.

use chrono::NaiveDate;

use rrm_store::{Notice, Reminder, Reminders, StoreError, StoreResult};

use crate::error::{to_sql_int, Context};
use crate::version::begin_write;
use crate::PostgresStore;

impl Reminders for PostgresStore {
    fn claim_reminder(&self, r: &Reminder) -> StoreResult<bool> {
        let mut client = self.lock();
        let mut tx = begin_write(&mut client, "recording a reminder")?;
        let known = tx
            .query_opt("select 1 from cases where id = $1", &[&r.case_id])
            .context("reading the case")?;
        if known.is_none() {
            return Err(StoreError::NotFound(r.case_id.clone()));
        }
        let inserted = tx
            .execute(
                "insert into reminders (case_id, clock, due, notice, sent, instance) \
                 values ($1, $2, $3, $4, $5, $6) on conflict do nothing",
                &[
                    &r.case_id,
                    &r.clock,
                    &r.due.to_string(),
                    &r.notice.as_str(),
                    &rrm_store::instant::time_text(r.sent),
                    &r.instance,
                ],
            )
            .context("recording a reminder")?;
        tx.commit().context("recording a reminder")?;
        Ok(inserted == 1)
    }

    fn reminders(&self, limit: u64) -> StoreResult<Vec<Reminder>> {
        let rows = self
            .lock()
            .query(
                "select case_id, clock, due, notice, sent, instance from reminders \
                 order by sent desc, case_id, clock, notice limit $1",
                &[&to_sql_int(limit)],
            )
            .context("reading reminders")?;
        rows.iter()
            .map(|row| {
                let text = |i: usize| -> String { row.get(i) };
                let bad = |what: &str, t: &str| StoreError::Other(format!("reminder {what} `{t}`"));
                let (due, notice, sent) = (text(2), text(3), text(4));
                Ok(Reminder {
                    case_id: text(0),
                    clock: text(1),
                    due: due
                        .parse::<NaiveDate>()
                        .map_err(|_| bad("due date", &due))?,
                    notice: Notice::parse(&notice).ok_or_else(|| bad("notice", &notice))?,
                    sent: rrm_store::instant::parse_time(&sent, "reminder sent")?,
                    instance: text(5),
                })
            })
            .collect()
    }
}
