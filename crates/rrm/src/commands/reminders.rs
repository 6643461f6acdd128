//! `rrm reminders`: the deadline reminders sent, and `--send` to send today's now (for an
//! installation that runs no server, or prefers a cron job to `rrm serve`'s own timer).

use serde_json::json;

use rrm_app::Rrm;
use rrm_store::Reminder;

use crate::exit::Failure;

pub fn run(rrm: &Rrm, send: bool, limit: u64, json: bool) -> Result<(), Failure> {
    if send {
        let sent = rrm.send_due_reminders(
            crate::clock::today(),
            crate::clock::now(),
            &super::serve::default_instance(),
        )?;
        eprintln!("Sent {} reminder(s)", sent.len());
    }
    let listed = rrm.reminders_sent(limit)?;
    if json {
        for r in &listed {
            println!("{}", to_json(r));
        }
        return Ok(());
    }
    println!(
        "{:<20} {:<32} {:<26} {:<10} {:<8} SERVER",
        "SENT", "CASE", "CLOCK", "DUE", "NOTICE"
    );
    for r in &listed {
        println!(
            "{:<20} {:<32} {:<26} {:<10} {:<8} {}",
            r.sent.format("%Y-%m-%d %H:%M:%S"),
            r.case_id,
            r.clock,
            r.due,
            r.notice.as_str(),
            r.instance
        );
    }
    Ok(())
}

fn to_json(r: &Reminder) -> serde_json::Value {
    json!({
        "sent": r.sent.to_rfc3339(),
        "case": r.case_id,
        "clock": r.clock,
        "due": r.due.to_string(),
        "notice": r.notice.as_str(),
        "server": r.instance,
    })
}
