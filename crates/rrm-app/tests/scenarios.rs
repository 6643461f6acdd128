//! Scenario tests: the real public cases shipped in data/cases replay through the engine to
//! the stages and clocks the public record supports.

use rrm_app::public_record;
use rrm_casefile::{parse_case_file, CaseFile};
use rrm_core::engine::{CaseContext, CaseState, ClockStatus, Liquidation};
use rrm_core::procedure::{shipped, Procedure, ProcedureSet};
use rrm_core::NaiveDate;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

struct Replayed {
    procedures: ProcedureSet,
    case: CaseFile,
    state: CaseState,
}

impl Replayed {
    fn of(id: &str) -> Replayed {
        let procedures = shipped().unwrap();
        let source = public_record()
            .into_iter()
            .find(|s| s.name.ends_with(&format!("/{id}.json")))
            .unwrap_or_else(|| panic!("{id} is shipped"));
        let case = parse_case_file(&source.text).unwrap();
        let p = procedures.get(&case.header.procedure).unwrap().clone();
        let state = CaseState::replay(&p, CaseContext::default(), &case.events)
            .unwrap_or_else(|(i, r)| panic!("{id} event {i}: {r}"));
        Replayed {
            procedures,
            case,
            state,
        }
    }

    fn procedure(&self) -> &Procedure {
        self.procedures.get(&self.case.header.procedure).unwrap()
    }

    fn stage(&self) -> &str {
        &self.procedure().stage(self.state.stage()).id
    }

    /// (due, status) of the last run of a clock as of a date.
    fn clock(&self, id: &str, as_of: &str) -> (Option<NaiveDate>, ClockStatus) {
        let v = self
            .state
            .clocks(self.procedure(), d(as_of))
            .filter(|v| v.def.id == id)
            .last()
            .unwrap_or_else(|| panic!("clock {id} ran"));
        (v.run.due, v.status)
    }
}

const TODAY: &str = "2026-11-23";

#[test]
fn every_public_case_replays_under_its_procedure() {
    let procedures = shipped().unwrap();
    let sources = public_record();
    assert_eq!(sources.len(), 39);
    for s in sources {
        let case = parse_case_file(&s.text).unwrap();
        let p = procedures.get(&case.header.procedure).unwrap();
        if let Err((i, r)) = CaseState::replay(p, CaseContext::default(), &case.events) {
            panic!("{} event {i}: {r}", s.name);
        }
    }
}

#[test]
fn gm_silao_self_initiated_plan_with_an_agreed_end_date_is_still_open() {
    let r = Replayed::of("gm-silao-2021");
    assert_eq!(r.stage(), "remediation");
    // Mexico never answered within 10 days; the plan came 57 days after the request.
    assert_eq!(
        r.clock("mexico_answer", TODAY),
        (Some(d("2021-05-22")), ClockStatus::MetLate)
    );
    assert_eq!(
        r.clock("mexico_review", TODAY),
        (Some(d("2021-06-26")), ClockStatus::MetLate)
    );
    // The agreed end of remediation passed with no resolution on record.
    assert_eq!(
        r.clock("remediation_period", "2021-09-01"),
        (Some(d("2021-09-20")), ClockStatus::Open)
    );
    assert_eq!(
        r.clock("remediation_period", TODAY),
        (Some(d("2021-09-20")), ClockStatus::Overdue)
    );
    assert!(matches!(
        r.state.liquidation(),
        Liquidation::Suspended { since: None }
    ));
    assert_eq!(r.state.actions().len(), 6);
    assert!(r
        .state
        .actions()
        .iter()
        .any(|a| a.item.id == "vote" && a.completed.is_some()));
}

#[test]
fn unique_fabricating_was_remedied_during_mexicos_review() {
    let r = Replayed::of("unique-fabricating-2023");
    assert_eq!(r.stage(), "resolved");
    assert_eq!(
        r.state.ending(),
        Some(("remedied_during_review", Some(d("2023-04-24"))))
    );
    assert_eq!(
        r.clock("ilc_determination", TODAY),
        (Some(d("2023-03-04")), ClockStatus::MetLate)
    );
    assert_eq!(
        r.clock("mexico_answer", TODAY),
        (Some(d("2023-03-16")), ClockStatus::MetLate)
    );
    assert_eq!(
        r.clock("mexico_review", TODAY),
        (Some(d("2023-04-20")), ClockStatus::Met)
    );
    assert_eq!(r.state.running_clocks(r.procedure(), d(TODAY)).count(), 0);
}

#[test]
fn goodyear_found_a_denial_agreed_a_plan_and_resolved() {
    let r = Replayed::of("goodyear-slp-2023");
    assert_eq!(r.stage(), "resolved");
    assert_eq!(
        r.state.ending(),
        Some(("remediated", Some(d("2024-02-05"))))
    );
    // The finding is undated, so its consultation clock has no invented due date.
    assert_eq!(
        r.clock("remediation_consultation", TODAY),
        (None, ClockStatus::Stopped)
    );
    assert_eq!(r.clock("mexico_review", TODAY).1, ClockStatus::Stopped);
    let stages: Vec<&str> = r
        .state
        .history()
        .iter()
        .map(|h| r.procedure().stage(h.stage).id.as_str())
        .collect();
    assert_eq!(
        stages,
        [
            "start",
            "ilc_review",
            "awaiting_answer",
            "consultation",
            "remediation",
            "resolved"
        ]
    );
}

#[test]
fn grupo_yazaki_mexico_declined_to_review() {
    let r = Replayed::of("grupo-yazaki-2023");
    assert!(r
        .state
        .history()
        .iter()
        .any(|h| r.procedure().stage(h.stage).id == "review_declined"));
    assert_eq!(r.stage(), "resolved");
    // Declined on day 11: one day after the 10-day answer clock.
    assert_eq!(
        r.clock("mexico_answer", TODAY),
        (Some(d("2023-08-17")), ClockStatus::MetLate)
    );
    assert!(matches!(
        r.state.liquidation(),
        Liquidation::Resumed { on: None }
    ));
}

#[test]
fn san_martin_went_to_the_first_panel_which_found_no_denial() {
    let r = Replayed::of("san-martin-2023");
    assert_eq!(r.stage(), "resolved");
    assert_eq!(
        r.state.ending(),
        Some(("panel_no_denial", Some(d("2024-05-13"))))
    );
    assert_eq!(
        r.clock("mexico_review", TODAY),
        (Some(d("2023-07-31")), ClockStatus::Met)
    );
    assert_eq!(
        r.clock("panel_selection", TODAY),
        (Some(d("2023-08-25")), ClockStatus::MetLate)
    );
    assert_eq!(r.state.denial_determinations(), 0);
    let before = Replayed::of("san-martin-2023");
    let p = before.procedure();
    let at_determination =
        CaseState::replay(p, CaseContext::default(), &before.case.events[..8]).unwrap();
    assert_eq!(p.stage(at_determination.stage()).id, "panel_no_denial");
}

#[test]
fn camino_rojo_is_before_a_panel_after_mexico_accepted_the_review() {
    let r = Replayed::of("camino-rojo-2024");
    assert_eq!(r.stage(), "panel_selection");
    assert_eq!(
        r.clock("ilc_determination", TODAY),
        (Some(d("2024-07-24")), ClockStatus::MetLate)
    );
    assert_eq!(
        r.clock("mexico_answer", TODAY),
        (Some(d("2024-09-08")), ClockStatus::Met)
    );
    // The panel request is undated: the review clock ended unmet on an unknown day.
    assert_eq!(
        r.clock("mexico_review", TODAY),
        (Some(d("2024-10-13")), ClockStatus::Cancelled)
    );
    assert_eq!(
        r.clock("panel_selection", TODAY),
        (None, ClockStatus::OpenUndated)
    );
    let next: Vec<&str> = r
        .state
        .next_events(r.procedure(), d(TODAY))
        .iter()
        .map(|n| n.kind.as_str())
        .collect();
    assert!(next.contains(&"panel_constituted"), "{next:?}");
}

#[test]
fn atento_panel_found_the_first_denial_of_rights() {
    let r = Replayed::of("atento-2024");
    assert_eq!(r.stage(), "denial_determined");
    assert_eq!(r.state.denial_determinations(), 1);
    let next: Vec<&str> = r
        .state
        .next_events(r.procedure(), d(TODAY))
        .iter()
        .map(|n| n.kind.as_str())
        .collect();
    assert!(next.contains(&"remedy_notice"), "{next:?}");
}

#[test]
fn manufacturas_vu_second_request_ended_with_the_plant_closing() {
    let r = Replayed::of("manufacturas-vu-2023");
    assert!(r.state.facility_closed().is_some());
    assert_eq!(
        r.clock("remediation_period", TODAY).1,
        ClockStatus::Cancelled
    );
    let first = Replayed::of("manufacturas-vu-2022");
    assert_eq!(
        first.case.header.facility.id, r.case.header.facility.id,
        "same facility, second request"
    );
}
