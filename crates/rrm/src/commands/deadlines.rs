//! `rrm deadlines`: running deadlines across all cases, as a table or JSON.

use serde_json::json;

use rrm_app::{DeadlineLine, DeadlineWindow, Rrm};

use crate::cli::DeadlinesArgs;
use crate::exit::Failure;

pub fn run(rrm: &Rrm, args: &DeadlinesArgs) -> Result<(), Failure> {
    let as_of = args.as_of.unwrap_or_else(crate::clock::today);
    let window = match (args.overdue, args.within) {
        (true, _) => DeadlineWindow::Overdue,
        (false, Some(days)) => DeadlineWindow::Within(days),
        (false, None) => DeadlineWindow::All,
    };
    let lines = rrm.deadlines(as_of, window, args.limit)?;
    if args.json {
        let items: Vec<_> = lines.iter().map(to_json).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&items).expect("JSON serializes")
        );
        return Ok(());
    }
    println!(
        "{:<32} {:<26} {:<10} {:>9} {:<8} RULE",
        "CASE", "CLOCK", "DUE", "DAYS LEFT", "STATUS"
    );
    for l in &lines {
        println!(
            "{:<32} {:<26} {:<10} {:>9} {:<8} {} [{}]",
            l.case,
            l.clock,
            l.due,
            l.days_left,
            status(l),
            l.citation,
            l.rule_status.as_str()
        );
    }
    eprintln!("{} deadlines as of {as_of}", lines.len());
    Ok(())
}

fn status(line: &DeadlineLine) -> &'static str {
    if line.overdue {
        "overdue"
    } else {
        "open"
    }
}

fn to_json(l: &DeadlineLine) -> serde_json::Value {
    json!({
        "case": l.case,
        "procedure": l.procedure,
        "clock": l.clock,
        "name": l.name.en,
        "started": l.started.map(|d| d.to_string()),
        "due": l.due.to_string(),
        "days_left": l.days_left,
        "status": status(l),
        "citation": l.citation,
        "rule_status": l.rule_status.as_str(),
    })
}
