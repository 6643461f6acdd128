//! `rrm case list` and `rrm case show ID`.

use chrono::NaiveDate;
use serde_json::json;

use rrm_app::{CaseView, Rrm};
use rrm_casefile::event_to_json;
use rrm_store::{CaseFilter, CaseSort};

use crate::exit::Failure;

pub fn list(
    rrm: &Rrm,
    stage: Option<String>,
    open: Option<bool>,
    as_json: bool,
) -> Result<(), Failure> {
    let filter = CaseFilter {
        stage,
        closed: open.map(|o| !o),
        sort: CaseSort::FirstDateDesc,
        ..CaseFilter::default()
    };
    let (rows, total) = rrm
        .store
        .list_cases(&filter)
        .map_err(rrm_app::AppError::from)?;
    if as_json {
        let items: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({
                    "id": r.id, "procedure": r.procedure, "stage": r.projection.stage,
                    "closed": r.projection.closed, "outcome": r.projection.outcome,
                    "facility": r.projection.facets.title, "year": r.projection.facets.year,
                    "events": r.event_count,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&items).expect("JSON serializes")
        );
        return Ok(());
    }
    println!(
        "{:<30} {:<24} {:<5} {:<24} FACILITY",
        "ID", "STAGE", "YEAR", "OUTCOME"
    );
    for r in &rows {
        let year = r
            .projection
            .facets
            .year
            .map(|y| y.to_string())
            .unwrap_or_default();
        let outcome = r.projection.outcome.as_deref().unwrap_or("");
        println!(
            "{:<30} {:<24} {:<5} {:<24} {}",
            r.id, r.projection.stage, year, outcome, r.projection.facets.title
        );
    }
    eprintln!("{total} cases");
    Ok(())
}

pub fn show(rrm: &Rrm, id: &str, as_of: Option<NaiveDate>, as_json: bool) -> Result<(), Failure> {
    let view = rrm.case_view(id, as_of.unwrap_or_else(crate::clock::today))?;
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&view_json(&view)).expect("JSON serializes")
        );
    } else {
        print_view(&view);
    }
    Ok(())
}

fn view_json(v: &CaseView) -> serde_json::Value {
    json!({
        "id": v.id,
        "as_of": v.as_of.to_string(),
        "stage": v.stage,
        "closed": v.closed,
        "header": v.header,
        "events": v.events.iter().map(event_to_json).collect::<Vec<_>>(),
        "clocks": v.clocks.iter().map(|c| json!({
            "clock": c.clock, "started": c.started.map(|d| d.to_string()), "due": c.due.map(|d| d.to_string()),
            "status": c.status.as_str(), "days_left": c.days_left, "extensions": c.extensions,
            "citation": c.citation, "rule_status": c.rule_status.as_str(),
        })).collect::<Vec<_>>(),
        "next": v.next.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        "head_hash": v.head_hash,
    })
}

fn print_view(v: &CaseView) {
    let f = &v.header.facility;
    println!("{}  ({})", f.name, v.id);
    for (label, value) in [
        ("Company", &f.company),
        ("Parent", &f.parent_company),
        ("Sector", &f.sector),
    ] {
        if let Some(value) = value {
            println!("  {label:<8} {value}");
        }
    }
    let place: Vec<&str> = [f.city.as_deref(), f.state.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    println!("  {:<8} {}", "Place", place.join(", "));
    println!(
        "  {:<8} {} ({}){}",
        "Stage",
        v.stage_name.en,
        v.stage,
        if v.closed { ", ended" } else { "" }
    );
    println!("\nTimeline");
    for e in &v.events {
        let date = e
            .date
            .map(|d| d.to_string())
            .or_else(|| e.date_text.clone())
            .unwrap_or_default();
        println!("  {date:<12} {}", e.kind());
    }
    println!("\nClocks as of {}", v.as_of);
    for c in &v.clocks {
        let due = c
            .due
            .map(|d| d.to_string())
            .unwrap_or_else(|| "unknown".into());
        let left = c
            .days_left
            .filter(|_| c.status.is_running())
            .map(|d| format!("{d} days left"))
            .unwrap_or_default();
        println!(
            "  {:<26} due {due:<10} {:<12} {left:<14} {} [{}]",
            c.clock,
            c.status.as_str(),
            c.citation,
            c.rule_status.as_str()
        );
    }
    let next: Vec<&str> = v.next.iter().map(|k| k.as_str()).collect();
    println!(
        "\nMay come next: {}",
        if next.is_empty() {
            "nothing (ended)".into()
        } else {
            next.join(", ")
        }
    );
    for gap in &v.header.data_gaps {
        println!("Data gap ({}): {}", gap.about, gap.note);
    }
    for s in &v.header.sources {
        println!("Source: {s}");
    }
}
