//! Listing cases: the filters of a [`CaseFilter`] become conditions on `case_projection`, its
//! sort an `order by`, and the running clocks of the page's cases come in one more query.
//!
//! Every order ends with the case id, so pages never overlap or skip a case, and cases without
//! the sort's date come last in every order (`nulls last`: PostgreSQL sorts NULL first in a
//! descending order, SQLite last, so the order says it).

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, Row};

use rrm_store::{CaseFilter, CaseRow, CaseSort, Facets, ProjectedClock, Projection, StoreResult};

use crate::error::{from_sql_int, to_sql_int, Context};

const COLUMNS: &str = "p.case_id, p.procedure, p.stage, p.closed, p.outcome, p.has_panel, \
    p.first_date, p.last_date, p.title, p.company, p.sector, p.state, p.year, p.workers, \
    c.head_seq";

pub(crate) fn list_cases(client: &mut Client, f: &CaseFilter) -> StoreResult<(Vec<CaseRow>, u64)> {
    let doing = "listing cases";
    let mut args: Vec<&(dyn ToSql + Sync)> = Vec::new();
    let conditions = conditions(f, &mut args);
    let count_sql = format!("select count(*) from case_projection p{conditions}");
    let total: i64 = client.query_one(&count_sql, &args).context(doing)?.get(0);
    let (limit, offset) = (to_sql_int(f.limit), to_sql_int(f.offset));
    args.push(&limit);
    args.push(&offset);
    let sql = format!(
        "select {COLUMNS} from case_projection p join cases c on c.id = p.case_id{conditions} \
         order by {} limit ${} offset ${}",
        order_by(f.sort),
        args.len() - 1,
        args.len()
    );
    let rows = client.query(&sql, &args).context(doing)?;
    let ids: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    let mut clocks = clocks_of(client, &ids)?;
    let listed = rows
        .iter()
        .map(|r| decode(r, clocks.remove(&r.get::<_, String>(0)).unwrap_or_default()))
        .collect::<StoreResult<_>>()?;
    Ok((listed, from_sql_int(total, doing)?))
}

fn order_by(sort: CaseSort) -> &'static str {
    match sort {
        CaseSort::LastDateDesc => "p.last_date desc nulls last, p.case_id",
        CaseSort::FirstDateDesc => "p.first_date desc nulls last, p.case_id",
        CaseSort::FirstDateAsc => "p.first_date asc nulls last, p.case_id",
        CaseSort::Title => "p.title, p.case_id",
    }
}

/// The `where` clause of a filter, pushing its arguments onto `args` in order.
fn conditions<'a>(f: &'a CaseFilter, args: &mut Vec<&'a (dyn ToSql + Sync)>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut equals = |column: &str, value: Option<&'a (dyn ToSql + Sync)>| {
        if let Some(value) = value {
            args.push(value);
            parts.push(format!("{column} = ${}", args.len()));
        }
    };
    let text = |s: &'a Option<String>| s.as_ref().map(|s| s as &(dyn ToSql + Sync));
    equals("p.procedure", text(&f.procedure));
    equals("p.stage", text(&f.stage));
    equals("p.outcome", text(&f.outcome));
    equals("p.sector", text(&f.sector));
    equals("p.state", text(&f.state));
    equals("p.year", f.year.as_ref().map(|y| y as &(dyn ToSql + Sync)));
    equals(
        "p.closed",
        f.closed.as_ref().map(|b| b as &(dyn ToSql + Sync)),
    );
    equals(
        "p.has_panel",
        f.has_panel.as_ref().map(|b| b as &(dyn ToSql + Sync)),
    );
    // Publication lives in its own small table (the migration says why).
    match f.published {
        Some(true) => parts.push(
            "not exists (select 1 from unpublished_cases u where u.case_id = p.case_id)".into(),
        ),
        Some(false) => parts
            .push("exists (select 1 from unpublished_cases u where u.case_id = p.case_id)".into()),
        None => {}
    }
    match parts.is_empty() {
        true => String::new(),
        false => format!(" where {}", parts.join(" and ")),
    }
}

/// The running clocks of the listed cases, each case's by due date then name.
fn clocks_of(
    client: &mut Client,
    ids: &[String],
) -> StoreResult<HashMap<String, Vec<ProjectedClock>>> {
    let sql = "select case_id, clock, started, due from running_clocks \
               where case_id = any($1) order by case_id, due, clock";
    let rows = client
        .query(sql, &[&ids])
        .context("reading the running clocks of listed cases")?;
    let mut out: HashMap<String, Vec<ProjectedClock>> = HashMap::new();
    for r in rows {
        out.entry(r.get(0)).or_default().push(ProjectedClock {
            clock: r.get(1),
            started: r.get(2),
            due: r.get(3),
        });
    }
    Ok(out)
}

fn decode(r: &Row, clocks: Vec<ProjectedClock>) -> StoreResult<CaseRow> {
    let id: String = r.get(0);
    let what = format!("projection of case `{id}`");
    Ok(CaseRow {
        event_count: from_sql_int(r.get(14), &what)?,
        procedure: r.get(1),
        projection: Projection {
            stage: r.get(2),
            closed: r.get(3),
            outcome: r.get(4),
            has_panel: r.get(5),
            first_date: r.get(6),
            last_date: r.get(7),
            clocks,
            facets: Facets {
                title: r.get(8),
                company: r.get(9),
                sector: r.get(10),
                state: r.get(11),
                year: r.get(12),
                workers: r.get(13),
            },
        },
        id,
    })
}
