//! The synthetic load: cases that look like the public record (header documents and event
//! payloads of realistic size and shape), made deterministically from the case number so
//! that every part of the benchmark writes and reads the same cases.

use std::time::{Duration, Instant};

use chrono::{Datelike, Days, NaiveDate};

use rrm_store::{
    event_hash, header_hash, CaseHeader, Facets, NewCase, NewEvent, ProjectedClock, Projection,
};

/// The day the deadline queries ask about.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date")
}

/// A well-mixed 64-bit value for `n` (splitmix64), so shares and dates look random but are
/// the same on every run.
pub fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub fn case_id(i: u64) -> String {
    format!("syn-{i:08}")
}

const KINDS: &[&str] = &[
    "petition_filed",
    "request_for_review",
    "review_accepted",
    "review_report",
    "remediation_agreed",
    "remediation_progress",
    "liquidation_suspended",
    "remediation_verified",
    "panel_requested",
    "panel_determination",
    "remedy_imposed",
    "case_closed",
];
const NOTE: &str = "Según el expediente público, la autoridad informó avances en el registro \
                    sindical y la legitimación del contrato colectivo de la planta";
const SECTORS: &[&str] = &[
    "auto parts",
    "mining",
    "apparel",
    "food",
    "electronics",
    "services",
];
const STATES: &[&str] = &[
    "Aguascalientes",
    "Coahuila",
    "Durango",
    "Guanajuato",
    "Jalisco",
    "Nuevo León",
    "Puebla",
    "Querétaro",
    "San Luis Potosí",
    "Sonora",
    "Tamaulipas",
    "Zacatecas",
];

fn pick<'a>(list: &[&'a str], n: u64) -> &'a str {
    list[(n % list.len() as u64) as usize]
}

/// The date of event `seq` (1-based) of case `i`: cases start from mid-2019 on, events follow
/// one another every one to four weeks.
fn event_date(i: u64, seq: u64) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(2019, 7, 1).expect("a date");
    start + Days::new(mix(i) % 2_000 + seq * 7 + mix(i ^ seq) % 21)
}

/// Event `seq` of case `i`; its payload is 150 to 250 bytes of JSON, as the case files write.
pub fn event(i: u64, seq: u64) -> NewEvent {
    let kind = KINDS[((seq - 1) as usize) % KINDS.len()];
    let date = event_date(i, seq);
    let body = match kind {
        "panel_determination" | "review_report" => {
            format!(r#","denial_found":{}"#, mix(i + seq).is_multiple_of(3))
        }
        _ => String::new(),
    };
    let note: String = NOTE
        .chars()
        .take(40 + (mix(i * seq) % 60) as usize)
        .collect();
    NewEvent {
        kind: kind.to_string(),
        date: Some(date),
        payload: format!(
            r#"{{"kind":"{kind}","date":"{date}"{body},"note":"{note}","source":"https://www.dol.gov/agencies/ilab/rrm/{}/{seq}"}}"#,
            case_id(i)
        ),
    }
}

/// The running clocks of case `i`: 2 % of cases have one that is overdue (due in the year
/// before `as_of`), 5 % one due within the six weeks after it, the rest none.
fn clocks(i: u64) -> Vec<ProjectedClock> {
    let share = mix(i ^ 0xc10c) % 100;
    let due = match share {
        0..=1 => as_of() - Days::new(1 + mix(i) % 365),
        2..=6 => as_of() + Days::new(mix(i) % 42),
        _ => return vec![],
    };
    vec![ProjectedClock {
        clock: pick(&["mexico_answer", "review", "remediation"], i).to_string(),
        started: Some(due - Days::new(45)),
        due,
    }]
}

/// The projection of case `i` once it has `n` events.
pub fn projection(i: u64, n: u64) -> Projection {
    let clocks = clocks(i);
    let closed = clocks.is_empty() && mix(i ^ 0xc105).is_multiple_of(3);
    let first = event_date(i, 1);
    Projection {
        stage: KINDS[((n.max(1) - 1) as usize) % KINDS.len()].to_string(),
        closed,
        outcome: closed.then(|| pick(&["remedied", "withdrawn", "denial_found"], i).to_string()),
        has_panel: n >= 9,
        first_date: Some(first),
        last_date: Some(event_date(i, n.max(1))),
        clocks,
        facets: Facets {
            title: format!("Planta {} de {}", i, pick(SECTORS, mix(i) >> 8)),
            company: Some(format!("Compañía {} S.A. de C.V.", mix(i) % 50_000)),
            sector: Some(pick(SECTORS, mix(i) >> 8).to_string()),
            state: Some(pick(STATES, mix(i) >> 16).to_string()),
            year: Some(first.year()),
            workers: Some((mix(i) % 5_000) as i64 + 50),
        },
    }
}

/// Case `i` with `n` events: a header document of about 400 bytes, like a case file's.
pub fn case(i: u64, n: u64) -> NewCase {
    let id = case_id(i);
    let procedure = if i.is_multiple_of(10) {
        "usmca-31b"
    } else {
        "usmca-31a"
    };
    let facility = format!("fac-{:07}", i / 2);
    let document = format!(
        r#"{{"format":"rrm-case/1","id":"{id}","procedure":"{procedure}","facility":{{"id":"{facility}","name":"Planta {i}","company":"Compañía {} S.A. de C.V.","sector":"{}","state":"{}"}},"petitioners":["Sindicato Nacional Independiente"],"sources":["https://www.dol.gov/agencies/ilab/rrm/{id}","https://www.gob.mx/stps/{id}"],"data_gaps":[]}}"#,
        mix(i) % 50_000,
        pick(SECTORS, mix(i) >> 8),
        pick(STATES, mix(i) >> 16),
    );
    NewCase {
        header: CaseHeader {
            id,
            procedure: procedure.to_string(),
            facility_key: Some(facility),
            document,
        },
        events: (1..=n).map(|seq| event(i, seq)).collect(),
        projection: projection(i, n),
    }
}

/// How long the hash chains of `batch` take to compute, alone: the share of `create_cases`
/// that is SHA-256 rather than SQLite.
pub fn time_hashing(batch: &[NewCase]) -> Duration {
    let started = Instant::now();
    for c in batch {
        let h = &c.header;
        let mut prev = header_hash(&h.id, &h.procedure, &h.document);
        for (e, seq) in c.events.iter().zip(1..) {
            let date = e.date.map(|d| d.to_string());
            prev = event_hash(&prev, &h.id, seq, &e.kind, date.as_deref(), &e.payload);
        }
        std::hint::black_box(prev);
    }
    started.elapsed()
}
