//! Figures about the whole record, computed from the case index: the home page's key figures
//! and the statistics page's series (also served as CSV and JSON).
//!
//! Only what the record supports is counted: a case whose request or resolution day is
//! unknown is left out of the durations, never given an invented date.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use crate::listing::Entry;

/// The home page's key figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KeyFigures {
    pub requests: u64,
    pub open: u64,
    pub resolved: u64,
    /// Ended without resolution (closed, declined, not pursued).
    pub closed: u64,
    pub panels: u64,
    pub workers: i64,
    /// Cases whose sources give a number of workers.
    pub workers_known: u64,
}

pub fn key_figures(entries: &[Entry]) -> KeyFigures {
    let mut k = KeyFigures::default();
    for e in entries {
        let p = &e.row.projection;
        k.requests += u64::from(e.has_request);
        k.open += u64::from(!p.closed);
        k.resolved += u64::from(p.closed && p.stage == "resolved");
        k.closed += u64::from(p.closed && p.stage != "resolved");
        k.panels += u64::from(p.has_panel);
        if let Some(w) = p.facets.workers {
            k.workers += w;
            k.workers_known += 1;
        }
    }
    k
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearCount {
    pub year: i32,
    pub requests: u64,
    pub cumulative: u64,
}

/// Days from the request for review to the case's end, for one outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duration {
    pub outcome: String,
    pub cases: u64,
    pub median_days: i64,
    pub min_days: i64,
    pub max_days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub key: String,
    pub count: u64,
}

/// Every series on the statistics page.
#[derive(Debug, Clone, Serialize)]
pub struct Statistics {
    pub requests_per_year: Vec<YearCount>,
    /// Requests for review whose day is not known, left out of `requests_per_year`.
    pub undated_requests: u64,
    pub resolution_days: Vec<Duration>,
    /// Outcome or closing reason of ended cases, plus `open`.
    pub outcomes: Vec<Count>,
    /// Broad sector: the sector's text before any parenthesis ("auto parts (castings)").
    pub sectors: Vec<Count>,
    pub states: Vec<Count>,
}

/// The chart ids, as used in `/statistics/{chart}.csv`.
pub const CHARTS: [&str; 5] = [
    "requests-per-year",
    "resolution-time",
    "outcomes",
    "sectors",
    "states",
];

pub fn statistics(entries: &[Entry]) -> Statistics {
    Statistics {
        requests_per_year: per_year(entries),
        undated_requests: entries
            .iter()
            .filter(|e| e.has_request && e.request_date.is_none())
            .count() as u64,
        resolution_days: durations(entries),
        outcomes: counted(entries.iter().map(|e| {
            let p = &e.row.projection;
            Some(p.outcome.clone().unwrap_or_else(|| "open".into()))
        })),
        sectors: counted(
            entries
                .iter()
                .map(|e| e.row.projection.facets.sector.as_deref().map(broad_sector)),
        ),
        states: counted(
            entries
                .iter()
                .map(|e| e.row.projection.facets.state.clone()),
        ),
    }
}

fn per_year(entries: &[Entry]) -> Vec<YearCount> {
    let mut years: BTreeMap<i32, u64> = BTreeMap::new();
    for d in entries.iter().filter_map(|e| e.request_date) {
        *years.entry(d.year()).or_default() += 1;
    }
    let (Some(&first), Some(&last)) = (years.keys().next(), years.keys().next_back()) else {
        return Vec::new();
    };
    // Every year in the range, so a year without requests shows as zero, not as a gap.
    let mut cumulative = 0;
    (first..=last)
        .map(|year| {
            let requests = years.get(&year).copied().unwrap_or(0);
            cumulative += requests;
            YearCount {
                year,
                requests,
                cumulative,
            }
        })
        .collect()
}

fn durations(entries: &[Entry]) -> Vec<Duration> {
    let mut by_outcome: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for e in entries {
        let (Some(start), Some(end), Some(outcome)) =
            (e.request_date, e.end_date, e.row.projection.outcome.clone())
        else {
            continue;
        };
        by_outcome
            .entry(outcome)
            .or_default()
            .push((end - start).num_days());
    }
    let mut out: Vec<Duration> = by_outcome
        .into_iter()
        .map(|(outcome, mut days)| {
            days.sort_unstable();
            Duration {
                cases: days.len() as u64,
                median_days: median(&days),
                min_days: days[0],
                max_days: days[days.len() - 1],
                outcome,
            }
        })
        .collect();
    out.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.outcome.cmp(&b.outcome)));
    out
}

/// The median of sorted values, rounded down for an even count.
fn median(sorted: &[i64]) -> i64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]).div_euclid(2)
    }
}

fn broad_sector(sector: &str) -> String {
    sector
        .split('(')
        .next()
        .unwrap_or(sector)
        .trim()
        .to_string()
}

/// Counts per key, largest first; cases without a value are left out.
fn counted(keys: impl Iterator<Item = Option<String>>) -> Vec<Count> {
    let mut by_key: BTreeMap<String, u64> = BTreeMap::new();
    for k in keys.flatten() {
        *by_key.entry(k).or_default() += 1;
    }
    let mut out: Vec<Count> = by_key
        .into_iter()
        .map(|(key, count)| Count { key, count })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[5]), 5);
        assert_eq!(median(&[1, 2, 10]), 2);
        assert_eq!(median(&[1, 2, 3, 10]), 2);
    }

    #[test]
    fn broad_sector_drops_the_parenthesis() {
        assert_eq!(broad_sector("auto parts (castings)"), "auto parts");
        assert_eq!(broad_sector("glass"), "glass");
    }
}
