//! The search benchmark: a plain main (harness = false) that indexes synthetic cases, events
//! and documents, then prints indexing throughput, query latency (p50, p99) for typical
//! queries, a single-case update's latency, index size on disk and peak memory.
//!
//! `cargo bench -p rrm-search --bench search`; parameters (environment):
//! - `RRM_BENCH_DOCS` documents (default 100000), a few KB of Spanish/English text each;
//! - `RRM_BENCH_EVENTS` events (default 1000000), spread over the cases;
//! - `RRM_BENCH_CASES` cases (default 10000); 90% published;
//! - `RRM_BENCH_QUERIES` runs per query kind (default 300).
//!
//! A quick run: `RRM_BENCH_DOCS=5000 RRM_BENCH_EVENTS=50000 RRM_BENCH_CASES=1000`.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use rrm_casefile::{CaseFile, CaseHeaderDoc, Petitioner};
use rrm_core::event::{Event, EventBody};
use rrm_search::extract::{ExtractStatus, Extracted};
use rrm_search::{
    Audience, CaseMeta, CaseScope, CaseSource, Classification, DocumentSource, Indexes,
    SearchFilters,
};

const ES: &[&str] = &[
    "despido",
    "despidos",
    "trabajadores",
    "sindicato",
    "votación",
    "contrato",
    "colectivo",
    "planta",
    "empresa",
    "amenazas",
    "represalias",
    "asamblea",
    "líder",
    "delegado",
    "acuerdo",
    "reinstalación",
    "salarios",
    "caídos",
    "legitimación",
    "protección",
    "libertad",
    "sindical",
    "negociación",
    "huelga",
    "Secretaría",
    "Trabajo",
    "Previsión",
    "Social",
    "junta",
    "conciliación",
    "acta",
    "reunión",
    "turno",
    "nocturno",
    "línea",
    "producción",
    "capacitación",
    "inspección",
];
const EN: &[&str] = &[
    "workers",
    "union",
    "dismissal",
    "dismissed",
    "vote",
    "ballot",
    "collective",
    "bargaining",
    "agreement",
    "facility",
    "remediation",
    "plan",
    "review",
    "report",
    "denial",
    "rights",
    "interference",
    "employer",
    "reinstatement",
    "back",
    "pay",
    "training",
    "inspection",
    "shift",
    "panel",
    "determination",
    "tariff",
    "liquidation",
    "suspended",
    "meeting",
    "minutes",
    "the",
    "of",
    "and",
    "to",
    "in",
    "was",
    "were",
];
const COMPANIES: &[&str] = &[
    "Tridonex",
    "Autopartes",
    "Manufacturas",
    "Textiles",
    "Minera",
    "Goodyear",
    "Panasonic",
    "Industrias",
    "Aceros",
    "Cerámica",
    "Electrónica",
    "Cartones",
    "Vidrios",
    "Plásticos",
];
const STATES: &[&str] = &[
    "San Luis Potosí",
    "Querétaro",
    "Nuevo León",
    "Michoacán",
    "Coahuila",
    "Tamaulipas",
    "Guanajuato",
    "Estado de México",
    "Yucatán",
    "Zacatecas",
    "Puebla",
    "Jalisco",
];
const STAGES: &[&str] = &[
    "awaiting_answer",
    "under_review",
    "remediation",
    "resolved",
    "closed",
];

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator (xorshift64*), so every run indexes the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }

    /// `n` words, two Spanish to one English, with sentence breaks.
    fn text(&mut self, n: usize) -> String {
        let mut out = String::with_capacity(n * 9);
        for i in 0..n {
            let w = if self.below(3) < 2 {
                self.pick(ES)
            } else {
                self.pick(EN)
            };
            out.push_str(w);
            out.push(if i % 14 == 13 { '.' } else { ' ' });
            if i % 14 == 13 {
                out.push(' ');
            }
        }
        out
    }
}

fn facility(i: usize) -> String {
    format!("Planta {} {i}", COMPANIES[i % COMPANIES.len()])
}

fn case(rng: &mut Rng, i: usize, events: usize, docs: usize, next_doc: &mut i64) -> CaseSource {
    let day = NaiveDate::from_ymd_opt(2021 + (i % 5) as i32, 1 + (i % 12) as u32, 1).unwrap();
    let events = (0..events)
        .map(|_| Event {
            date: Some(day),
            date_text: None,
            body: EventBody::RequestForReview {
                self_initiated: false,
            },
            note: Some(rng.text(14)),
            source: None,
        })
        .collect();
    let mut header: CaseHeaderDoc = serde_json::from_value(serde_json::json!({
        "format": "rrm-case/1", "id": format!("case-{i:06}"), "procedure": "usmca-31a",
        "facility": {"name": facility(i), "company": format!("{} S.A. de C.V.", COMPANIES[i % COMPANIES.len()]),
                     "city": STATES[(i / 3) % STATES.len()], "state": STATES[i % STATES.len()],
                     "country": "MX", "sector": if i.is_multiple_of(2) { "auto parts" } else { "mining" }},
        "summary": rng.text(60),
    }))
    .expect("a valid header");
    header.petitioners = vec![Petitioner {
        name: format!("Sindicato Independiente {i}"),
        public: true,
    }];
    let documents = (0..docs)
        .map(|_| {
            *next_doc += 1;
            DocumentSource {
                id: *next_doc,
                name: format!("acta-{next_doc}.pdf"),
                classification: Classification::Restricted,
                extracted: Extracted {
                    text: rng.text(420),
                    status: ExtractStatus::Ok,
                },
            }
        })
        .collect();
    CaseSource {
        case: CaseFile { header, events },
        published: !i.is_multiple_of(10),
        meta: CaseMeta {
            stage: Some(STAGES[i % STAGES.len()].into()),
            outcome: None,
            year: Some(day.year()),
        },
        documents,
    }
}

fn generate(cases: usize, events: usize, docs: usize) -> Vec<CaseSource> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut next_doc = 0;
    (0..cases)
        .map(|i| {
            let share = |total: usize| total / cases + usize::from(i < total % cases);
            case(&mut rng, i, share(events), share(docs), &mut next_doc)
        })
        .collect()
}

fn text_bytes(sources: &[CaseSource]) -> usize {
    sources
        .iter()
        .map(|s| {
            let h = &s.case.header;
            let events: usize = s
                .case
                .events
                .iter()
                .map(|e| e.note.as_ref().map_or(0, String::len))
                .sum();
            let docs: usize = s
                .documents
                .iter()
                .map(|d| d.extracted.text.len() + d.name.len())
                .sum();
            h.facility.name.len() + h.summary.as_ref().map_or(0, String::len) + events + docs
        })
        .sum()
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

struct Kind {
    name: &'static str,
    audience: Audience,
    filters: SearchFilters,
    query: Box<dyn Fn(usize) -> String>,
}

fn kinds(cases: usize) -> Vec<Kind> {
    let staff = Audience::Staff {
        cases: CaseScope::All,
    };
    let scope: BTreeSet<String> = (0..cases)
        .step_by(cases.max(50) / 50)
        .map(|i| format!("case-{i:06}"))
        .collect();
    vec![
        Kind {
            name: "facility name (public)",
            audience: Audience::Public,
            filters: SearchFilters::default(),
            query: Box::new(move |i| {
                let j = (i * 7919) % cases;
                format!(
                    "planta {} {j}",
                    COMPANIES[j % COMPANIES.len()].to_lowercase()
                )
            }),
        },
        Kind {
            name: "accentless Spanish word (public)",
            audience: Audience::Public,
            filters: SearchFilters::default(),
            query: Box::new(|i| {
                [
                    "votacion",
                    "reinstalacion",
                    "proteccion",
                    "conciliacion",
                    "lider",
                ][i % 5]
                    .into()
            }),
        },
        Kind {
            name: "phrase (public)",
            audience: Audience::Public,
            filters: SearchFilters::default(),
            query: Box::new(|i| {
                [
                    "\"contrato colectivo\"",
                    "\"libertad sindical\"",
                    "\"collective bargaining\"",
                ][i % 3]
                    .into()
            }),
        },
        Kind {
            name: "facet-filtered (public, year+state)",
            audience: Audience::Public,
            filters: SearchFilters {
                year: Some(2023),
                state: Some("Querétaro".into()),
                ..SearchFilters::default()
            },
            query: Box::new(|i| ["despidos", "workers", "sindicato"][i % 3].into()),
        },
        Kind {
            name: "two words over documents (staff, all)",
            audience: staff,
            filters: SearchFilters::default(),
            query: Box::new(|i| {
                ["despidos asamblea", "huelga minutes", "represalias turno"][i % 3].into()
            }),
        },
        Kind {
            name: "staff-scoped (50 cases)",
            audience: Audience::Staff {
                cases: CaseScope::Only(scope),
            },
            filters: SearchFilters::default(),
            query: Box::new(|i| ["despidos", "acta", "votacion"][i % 3].into()),
        },
    ]
}

fn main() {
    let (docs, events, cases, runs) = (
        env("RRM_BENCH_DOCS", 100_000),
        env("RRM_BENCH_EVENTS", 1_000_000),
        env("RRM_BENCH_CASES", 10_000),
        env("RRM_BENCH_QUERIES", 300),
    );
    println!("search benchmark: {cases} cases, {events} events, {docs} documents");
    let t = Instant::now();
    let sources = generate(cases, events, docs);
    let bytes = text_bytes(&sources);
    println!(
        "generated in {:.1?}: {:.1} MiB of text; peak RSS {:.0} MiB",
        t.elapsed(),
        bytes as f64 / 1048576.0,
        peak_rss_mib()
    );

    let dir = tempfile::tempdir().expect("a temp dir");
    let indexes = Indexes::open(dir.path()).expect("the indexes open");
    let t = Instant::now();
    let (public, staff) = indexes
        .rebuild(sources, "bench", |_| {})
        .expect("the rebuild");
    let took = t.elapsed().as_secs_f64();
    let entries = (cases + docs) as f64;
    println!(
        "indexing: {took:.1} s for {public} public + {staff} staff entries: {:.0} cases+documents/s, {:.1} MB/s of text",
        entries / took,
        bytes as f64 / 1e6 / took
    );
    let (p, s) = (
        dir_size(&dir.path().join("public")),
        dir_size(&dir.path().join("staff")),
    );
    println!(
        "index size: public {:.1} MiB, staff {:.1} MiB",
        p as f64 / 1048576.0,
        s as f64 / 1048576.0
    );

    println!("{:<42} {:>9} {:>9} {:>9}", "query", "p50", "p99", "matches");
    for kind in kinds(cases) {
        let mut times = Vec::with_capacity(runs);
        let mut hits = 0;
        for i in 0..runs {
            let q = (kind.query)(i);
            let t = Instant::now();
            let r = indexes
                .search(&kind.audience, &q, &kind.filters, 20, 0)
                .expect("a search");
            times.push(t.elapsed());
            hits += r.total;
        }
        times.sort();
        println!(
            "{:<42} {:>9.2?} {:>9.2?} {:>9.1}",
            kind.name,
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            hits as f64 / runs as f64
        );
    }

    let mut rng = Rng(7);
    let mut times = Vec::new();
    for i in 0..20 {
        let mut next_doc = 1 << 40;
        let one = case(&mut rng, i * 13 % cases, events / cases, 0, &mut next_doc);
        let t = Instant::now();
        indexes.update(&[one], "bench-update").expect("an update");
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "single-case update (replace + commit, both indexes): p50 {:.1?}, max {:.1?}",
        percentile(&times, 0.5),
        times[times.len() - 1]
    );
    println!("peak RSS {:.0} MiB", peak_rss_mib());
}
