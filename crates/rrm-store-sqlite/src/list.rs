//! Listing cases: the filters of a [`CaseFilter`] become conditions on `case_projection`, its
//! sort an `order by`. The default order and every filter are served by the one covering index
//! of migration 0001 (why only one is explained there); other orders sort at query time.
//!
//! Every order ends with the case id, so pages never overlap or skip a case, and cases without
//! the sort's date come last in every order (SQLite and PostgreSQL disagree on where NULL sorts,
//! so the order says it).

use rusqlite::{params_from_iter, types::Value, Connection, Row};

use rrm_store::{CaseFilter, CaseRow, CaseSort, Facets, Projection, StoreResult};

use crate::codec::{from_sql_int, parse_opt_date, to_sql_int};
use crate::read::clocks_of;
use crate::sql_error::Context;

const COLUMNS: &str = "p.case_id, p.procedure, p.stage, p.closed, p.outcome, p.has_panel, \
    p.first_date, p.last_date, p.title, p.company, p.sector, p.state, p.year, p.workers, \
    c.head_seq";

pub(crate) fn list_cases(conn: &Connection, f: &CaseFilter) -> StoreResult<(Vec<CaseRow>, u64)> {
    let mut filter = Conditions::of(f);
    let doing = "listing cases";
    let count_sql = format!("select count(*) from case_projection p{}", filter.sql);
    let total: i64 = conn
        .prepare_cached(&count_sql)
        .context(doing)?
        .query_row(params_from_iter(&filter.args), |r| r.get(0))
        .context(doing)?;
    let sql = format!(
        "select {COLUMNS} from case_projection p join cases c on c.id = p.case_id{} \
         order by {} limit ? offset ?",
        filter.sql,
        order_by(f.sort)
    );
    filter.args.push(Value::Integer(to_sql_int(f.limit)));
    filter.args.push(Value::Integer(to_sql_int(f.offset)));
    let mut stmt = conn.prepare_cached(&sql).context(doing)?;
    let mut rows = stmt.query(params_from_iter(&filter.args)).context(doing)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().context(doing)? {
        let raw = RawRow::read(row).context(doing)?;
        let clocks = clocks_of(conn, &raw.id)?;
        out.push(raw.decode(clocks)?);
    }
    Ok((out, from_sql_int(total, doing)?))
}

fn order_by(sort: CaseSort) -> &'static str {
    match sort {
        // In a descending order SQLite puts NULL last already.
        CaseSort::LastDateDesc => "p.last_date desc, p.case_id",
        CaseSort::FirstDateDesc => "p.first_date desc, p.case_id",
        CaseSort::FirstDateAsc => "p.first_date is null, p.first_date, p.case_id",
        CaseSort::Title => "p.title, p.case_id",
    }
}

/// A `where` clause and its arguments, in order.
struct Conditions {
    sql: String,
    args: Vec<Value>,
}

impl Conditions {
    fn of(f: &CaseFilter) -> Conditions {
        let mut c = Conditions {
            sql: String::new(),
            args: Vec::new(),
        };
        let text = |s: &Option<String>| s.clone().map(Value::Text);
        c.equals("p.procedure", text(&f.procedure));
        c.equals("p.stage", text(&f.stage));
        c.equals("p.outcome", text(&f.outcome));
        c.equals("p.sector", text(&f.sector));
        c.equals("p.state", text(&f.state));
        c.equals("p.year", f.year.map(|y| Value::Integer(y.into())));
        // Booleans are written into the SQL rather than bound, so the planner sees the value.
        c.flag("p.closed", f.closed);
        c.flag("p.has_panel", f.has_panel);
        // Publication lives in its own small table (migration 0002 says why).
        match f.published {
            Some(true) => c.push("p.case_id not in (select case_id from unpublished_cases)"),
            Some(false) => c.push("p.case_id in (select case_id from unpublished_cases)"),
            None => {}
        }
        c
    }

    fn equals(&mut self, column: &str, value: Option<Value>) {
        if let Some(value) = value {
            self.push(&format!("{column} = ?"));
            self.args.push(value);
        }
    }

    fn flag(&mut self, column: &str, value: Option<bool>) {
        if let Some(value) = value {
            self.push(&format!("{column} = {}", u8::from(value)));
        }
    }

    fn push(&mut self, condition: &str) {
        self.sql.push_str(if self.sql.is_empty() {
            " where "
        } else {
            " and "
        });
        self.sql.push_str(condition);
    }
}

/// A listing row as SQLite gives it, before its dates are parsed.
struct RawRow {
    id: String,
    procedure: String,
    stage: String,
    closed: bool,
    outcome: Option<String>,
    has_panel: bool,
    first_date: Option<String>,
    last_date: Option<String>,
    facets: Facets,
    head_seq: i64,
}

impl RawRow {
    fn read(r: &Row<'_>) -> rusqlite::Result<RawRow> {
        Ok(RawRow {
            id: r.get(0)?,
            procedure: r.get(1)?,
            stage: r.get(2)?,
            closed: r.get(3)?,
            outcome: r.get(4)?,
            has_panel: r.get(5)?,
            first_date: r.get(6)?,
            last_date: r.get(7)?,
            facets: Facets {
                title: r.get(8)?,
                company: r.get(9)?,
                sector: r.get(10)?,
                state: r.get(11)?,
                year: r.get(12)?,
                workers: r.get(13)?,
            },
            head_seq: r.get(14)?,
        })
    }

    fn decode(self, clocks: Vec<rrm_store::ProjectedClock>) -> StoreResult<CaseRow> {
        let what = format!("projection of case `{}`", self.id);
        Ok(CaseRow {
            event_count: from_sql_int(self.head_seq, &what)?,
            projection: Projection {
                stage: self.stage,
                closed: self.closed,
                outcome: self.outcome,
                has_panel: self.has_panel,
                first_date: parse_opt_date(self.first_date, &what)?,
                last_date: parse_opt_date(self.last_date, &what)?,
                clocks,
                facets: self.facets,
            },
            id: self.id,
            procedure: self.procedure,
        })
    }
}
