//! Engine tests against the shipped procedure definitions: rules, refusals and invariants.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::event::{EventBody as B, EventKind};
use crate::procedure::{shipped, Procedure, ProcedureSet};

fn procedures() -> ProcedureSet {
    shipped().expect("shipped procedures load")
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn ev(date: &str, body: B) -> Event {
    Event::on(d(date), body)
}

fn replay(p: &Procedure, events: &[Event]) -> CaseState {
    CaseState::replay(p, CaseContext::default(), events).expect("sequence is allowed")
}

fn stage(p: &Procedure, s: &CaseState) -> String {
    p.stage(s.stage()).id.clone()
}

fn clock<'a>(p: &'a Procedure, s: &'a CaseState, id: &str, as_of: &str) -> ClockView<'a> {
    s.clocks(p, d(as_of))
        .filter(|v| v.def.id == id)
        .last()
        .unwrap_or_else(|| panic!("clock {id} has run"))
}

#[test]
fn shipped_procedures_define_every_named_clock() {
    let set = procedures();
    let a = set.get("usmca-31a").unwrap();
    for id in [
        "ilc_determination",
        "ustr_panel_decision",
        "mexico_answer",
        "mexico_review",
        "remediation_consultation",
        "remediation_period",
        "panel_selection",
        "request_confirmation",
        "verification_answer",
        "verification",
        "panel_determination",
        "remedy_notice",
    ] {
        assert!(a.clock_by_name(id).is_some(), "31-A lacks clock {id}");
    }
    let b = set.get("usmca-31b").unwrap();
    assert!(
        b.clock_by_name("ilc_determination").is_none(),
        "no US statute in 31-B"
    );
    assert!(
        set.get("us-ilc-petition").is_none(),
        "fragments are not procedures"
    );
}

#[test]
fn petition_starts_the_ilc_clock_and_the_request_stops_it() {
    let set = procedures();
    let p = set.get("usmca-31a").unwrap();
    let s = replay(
        p,
        &[ev(
            "2023-02-02",
            B::PetitionFiled {
                allegations: vec![],
            },
        )],
    );
    assert_eq!(stage(p, &s), "ilc_review");
    let ilc = clock(p, &s, "ilc_determination", "2023-02-20");
    assert_eq!(ilc.run.due, Some(d("2023-03-04")));
    assert_eq!(ilc.status, ClockStatus::Open);
    assert_eq!(ilc.days_left, Some(12));
    assert_eq!(
        clock(p, &s, "ilc_determination", "2023-03-05").status,
        ClockStatus::Overdue
    );
    let s = s
        .apply(
            p,
            &ev(
                "2023-03-06",
                B::RequestForReview {
                    self_initiated: false,
                },
            ),
        )
        .unwrap();
    assert_eq!(
        clock(p, &s, "ilc_determination", "2023-03-06").status,
        ClockStatus::MetLate
    );
    assert_eq!(
        clock(p, &s, "mexico_answer", "2023-03-06").run.due,
        Some(d("2023-03-16"))
    );
    assert_eq!(
        clock(p, &s, "mexico_review", "2023-03-06").run.due,
        Some(d("2023-04-20"))
    );
}

#[test]
fn an_event_the_stage_does_not_allow_is_refused_naming_the_procedure_and_stage() {
    let set = procedures();
    let p = set.get("usmca-31a").unwrap();
    let s = CaseState::new(p, CaseContext::default());
    let err = s
        .apply(p, &ev("2024-01-01", B::ReviewAccepted))
        .unwrap_err();
    assert_eq!(err.rule(), "usmca-31a/start");
    let text = err.to_string();
    assert!(
        text.contains("no rule allows `review_accepted` in stage `start`"),
        "{text}"
    );
    assert!(
        text.contains("request_for_review"),
        "lists what is allowed: {text}"
    );
}

#[test]
fn a_panel_before_mexico_answer_expires_is_refused_by_its_rule() {
    let set = procedures();
    let p = set.get("usmca-31a").unwrap();
    let s = replay(
        p,
        &[ev(
            "2024-08-29",
            B::RequestForReview {
                self_initiated: true,
            },
        )],
    );
    let early = s
        .apply(p, &ev("2024-09-05", B::PanelRequested))
        .unwrap_err();
    assert_eq!(early.rule(), "panel_after_silence");
    assert!(early.to_string().contains("Art. 31-A.4.2"), "{early}");
    // Silence past the 10 days: the complainant may request a panel.
    let s = s.apply(p, &ev("2024-09-09", B::PanelRequested)).unwrap();
    assert_eq!(stage(p, &s), "panel_selection");
    assert_eq!(
        clock(p, &s, "mexico_answer", "2024-09-09").status,
        ClockStatus::Lapsed
    );
    // The panel request ends Mexico's review clock unmet, before it was due.
    assert_eq!(
        clock(p, &s, "mexico_review", "2024-09-09").status,
        ClockStatus::Cancelled
    );
}

#[test]
fn events_out_of_date_order_are_refused() {
    let set = procedures();
    let p = set.get("usmca-31a").unwrap();
    let s = replay(
        p,
        &[ev(
            "2024-08-29",
            B::RequestForReview {
                self_initiated: true,
            },
        )],
    );
    let err = s
        .apply(p, &ev("2024-08-01", B::ReviewAccepted))
        .unwrap_err();
    assert_eq!(err.rule(), "chronology");
}

#[test]
fn future_events_are_refused_as_of_today() {
    let set = procedures();
    let p = set.get("usmca-31a").unwrap();
    let s = CaseState::new(p, CaseContext::default());
    let e = ev(
        "2030-01-01",
        B::RequestForReview {
            self_initiated: true,
        },
    );
    let err = s.apply_as_of(p, &e, d("2026-11-23")).unwrap_err();
    assert_eq!(err.rule(), "future_date");
}

#[test]
fn agreed_extension_moves_the_due_date_and_must_move_it_later() {
    let set = procedures();
    let p = set.get("usmca-31a").unwrap();
    let s = replay(
        p,
        &[
            ev(
                "2023-05-22",
                B::RequestForReview {
                    self_initiated: false,
                },
            ),
            ev(
                "2023-06-20",
                B::ReviewReport {
                    denial_found: true,
                    remedied: false,
                },
            ),
        ],
    );
    assert_eq!(stage(p, &s), "consultation");
    assert_eq!(
        clock(p, &s, "remediation_consultation", "2023-06-20")
            .run
            .due,
        Some(d("2023-06-30"))
    );
    let extend = |ext| B::DeadlineExtended {
        clock: "remediation_consultation".into(),
        extension: ext,
    };
    let s = s
        .apply(
            p,
            &ev("2023-06-29", extend(Extension::Until(d("2023-07-20")))),
        )
        .unwrap();
    let c = clock(p, &s, "remediation_consultation", "2023-07-01");
    assert_eq!(
        (c.run.due, c.status, c.run.extensions),
        (Some(d("2023-07-20")), ClockStatus::Open, 1)
    );
    let earlier = s.apply(
        p,
        &ev("2023-06-30", extend(Extension::Until(d("2023-07-01")))),
    );
    assert!(earlier
        .unwrap_err()
        .to_string()
        .contains("moves a due date later"));
    let unknown = s.apply(
        p,
        &ev(
            "2023-06-30",
            B::DeadlineExtended {
                clock: "nope".into(),
                extension: Extension::ByDays(3),
            },
        ),
    );
    assert!(unknown
        .unwrap_err()
        .to_string()
        .contains("no clock is named `nope`"));
}

fn panel_to_denial(date_of_determination: &str) -> Vec<Event> {
    vec![
        ev(
            "2024-01-18",
            B::RequestForReview {
                self_initiated: false,
            },
        ),
        ev(
            "2024-03-01",
            B::ReviewReport {
                denial_found: true,
                remedied: true,
            },
        ),
        ev("2024-04-16", B::PanelRequested),
        ev("2024-04-18", B::PanelConstituted { panelists: vec![] }),
        ev("2024-04-24", B::RequestConfirmed),
        ev("2024-05-01", B::VerificationRequested),
        ev("2024-05-08", B::VerificationAnswered { consented: true }),
        ev("2024-06-01", B::VerificationHeld),
        ev(
            date_of_determination,
            B::PanelDetermination { denial_found: true },
        ),
    ]
}

#[test]
fn a_panel_runs_its_business_day_clocks_and_a_verification_restarts_the_determination() {
    let set = procedures();
    let p = set.get("usmca-31a").unwrap();
    let s = replay(p, &panel_to_denial("2024-06-20")[..4]);
    // 5 Mexican business days after Thursday 18 April 2024.
    assert_eq!(
        clock(p, &s, "request_confirmation", "2024-04-18").run.due,
        Some(d("2024-04-25"))
    );
    let s = replay(p, &panel_to_denial("2024-06-20")[..8]);
    let runs: Vec<_> = s
        .clocks(p, d("2024-06-01"))
        .filter(|v| v.def.id == "panel_determination")
        .collect();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].status, ClockStatus::Restarted);
    assert_eq!(runs[1].run.due, Some(d("2024-07-01")));
}

#[test]
fn remedies_wait_for_the_notice_period_and_denial_of_entry_needs_a_third_determination() {
    let set = procedures();
    let p = set.get("usmca-31a").unwrap();
    let mut events = panel_to_denial("2024-06-20");
    events.push(ev("2024-06-21", B::RemedyNotice));
    let s = replay(p, &events);
    assert_eq!(stage(p, &s), "remedies_noticed");
    let penalty = |date| {
        ev(
            date,
            B::RemedyImposed {
                remedy: Remedy::Penalty,
            },
        )
    };
    let early = s.apply(p, &penalty("2024-06-24")).unwrap_err();
    assert_eq!(early.rule(), "remedy_imposed");
    let s2 = s.apply(p, &penalty("2024-06-27")).unwrap();
    assert_eq!(stage(p, &s2), "remedies_in_force");
    let entry = ev(
        "2024-06-27",
        B::RemedyImposed {
            remedy: Remedy::DenialOfEntry,
        },
    );
    let refused = s.apply(p, &entry).unwrap_err();
    assert_eq!(refused.rule(), "denial_of_entry_for_repeat_offence");
    assert!(
        refused.to_string().contains("this is determination 1"),
        "{refused}"
    );
    let repeat = CaseContext {
        prior_denial_determinations: 2,
    };
    let s3 = CaseState::replay(p, repeat, &events)
        .unwrap()
        .apply(p, &entry)
        .unwrap();
    assert_eq!(s3.repeat_offence_count(), 3);
    let lifted = s3
        .apply(
            p,
            &ev(
                "2024-09-01",
                B::RemedyLifted {
                    remedy: Remedy::DenialOfEntry,
                },
            ),
        )
        .unwrap();
    assert_eq!(lifted.remedies_in_force().count(), 0);
    let again = lifted.apply(
        p,
        &ev(
            "2024-09-02",
            B::RemedyLifted {
                remedy: Remedy::DenialOfEntry,
            },
        ),
    );
    assert_eq!(again.unwrap_err().rule(), "remedy_lifted");
}

#[test]
fn a_facility_closing_mid_remediation_stops_the_plan_and_refuses_a_new_one() {
    let set = procedures();
    let p = set.get("usmca-31a").unwrap();
    let item = ActionItem {
        id: "reinstatement".into(),
        description: "reinstate".into(),
        responsible: None,
        due: None,
    };
    let s = replay(
        p,
        &[
            ev(
                "2023-01-30",
                B::RequestForReview {
                    self_initiated: false,
                },
            ),
            ev(
                "2023-03-31",
                B::RemediationAgreed {
                    actions: vec![item],
                    due: Some(d("2023-09-30")),
                },
            ),
            ev("2023-10-10", B::FacilityClosed),
        ],
    );
    assert_eq!(
        clock(p, &s, "remediation_period", "2023-10-10").status,
        ClockStatus::Lapsed
    );
    let during_review = replay(
        p,
        &[
            ev(
                "2023-01-30",
                B::RequestForReview {
                    self_initiated: false,
                },
            ),
            ev("2023-02-10", B::FacilityClosed),
        ],
    );
    let plan = during_review.apply(
        p,
        &ev(
            "2023-03-01",
            B::RemediationAgreed {
                actions: vec![],
                due: None,
            },
        ),
    );
    let refusal = plan.unwrap_err();
    assert_eq!(refusal.rule(), "remediation_agreed");
    assert!(
        refusal.to_string().contains("the facility has closed"),
        "{refusal}"
    );
    let closed = s
        .apply(
            p,
            &ev(
                "2023-10-12",
                B::CaseClosed {
                    reason: "facility_closed".into(),
                    summary: None,
                },
            ),
        )
        .unwrap();
    assert!(closed.is_closed(p));
    assert!(closed
        .next_events(p, d("2023-10-12"))
        .iter()
        .all(|n| n.kind != EventKind::RemediationAgreed));
}

#[test]
fn action_items_are_completed_and_verified_by_each_government_once() {
    let set = procedures();
    let p = set.get("usmca-31a").unwrap();
    let item = ActionItem {
        id: "neutrality".into(),
        description: "statement".into(),
        responsible: Some("company".into()),
        due: None,
    };
    let s = replay(
        p,
        &[
            ev(
                "2023-05-31",
                B::RequestForReview {
                    self_initiated: true,
                },
            ),
            ev(
                "2023-07-31",
                B::RemediationAgreed {
                    actions: vec![item],
                    due: None,
                },
            ),
            ev(
                "2023-08-10",
                B::ActionCompleted {
                    action: "neutrality".into(),
                    evidence: vec!["posted".into()],
                },
            ),
            ev(
                "2023-08-20",
                B::ActionVerified {
                    action: "neutrality".into(),
                    by: Party::UnitedStates,
                },
            ),
        ],
    );
    assert_eq!(s.actions()[0].verified_by.len(), 1);
    let twice = s.apply(
        p,
        &ev(
            "2023-08-21",
            B::ActionVerified {
                action: "neutrality".into(),
                by: Party::UnitedStates,
            },
        ),
    );
    assert!(twice
        .unwrap_err()
        .to_string()
        .contains("already verified by US"));
    let unknown = s.apply(
        p,
        &ev(
            "2023-08-21",
            B::ActionCompleted {
                action: "x".into(),
                evidence: vec![],
            },
        ),
    );
    assert!(unknown
        .unwrap_err()
        .to_string()
        .contains("no action item `x`"));
    // The plan has no agreed end date: the period runs with no due date rather than an invented one.
    assert_eq!(
        clock(p, &s, "remediation_period", "2023-09-01").status,
        ClockStatus::OpenUndated
    );
}

#[test]
fn undated_events_move_the_stage_but_start_no_dated_clock() {
    let set = procedures();
    let p = set.get("usmca-31a").unwrap();
    let undated = Event {
        date: None,
        date_text: Some("June 2022".into()),
        ..ev(
            "2022-06-01",
            B::RequestForReview {
                self_initiated: false,
            },
        )
    };
    let s = replay(p, &[undated]);
    assert_eq!(stage(p, &s), "awaiting_answer");
    assert_eq!(
        clock(p, &s, "mexico_review", "2026-01-01").status,
        ClockStatus::OpenUndated
    );
}

fn any_body() -> impl Strategy<Value = B> {
    let remedy = prop_oneof![
        Just(Remedy::Penalty),
        Just(Remedy::TariffPreferenceSuspension),
        Just(Remedy::DenialOfEntry)
    ];
    let action = prop_oneof![Just("a".to_string()), Just("b".to_string())];
    prop_oneof![
        Just(B::PetitionFiled {
            allegations: vec![]
        }),
        any::<bool>().prop_map(|affirmative| B::IlcDetermination { affirmative }),
        any::<bool>().prop_map(|self_initiated| B::RequestForReview { self_initiated }),
        Just(B::LiquidationSuspended),
        Just(B::LiquidationResumed),
        Just(B::ReviewAccepted),
        Just(B::ReviewDeclined { reason: None }),
        (any::<bool>(), any::<bool>()).prop_map(|(denial_found, remedied)| B::ReviewReport {
            denial_found,
            remedied
        }),
        proptest::option::of(0u32..400).prop_map(|due| B::RemediationAgreed {
            actions: vec![ActionItem {
                id: "a".into(),
                description: "x".into(),
                responsible: None,
                due: None
            }],
            due: due.map(|n| d("2023-01-01") + chrono::Days::new(u64::from(n))),
        }),
        action.clone().prop_map(|action| B::ActionCompleted {
            action,
            evidence: vec![]
        }),
        (
            action,
            prop_oneof![Just(Party::UnitedStates), Just(Party::Mexico)]
        )
            .prop_map(|(action, by)| B::ActionVerified { action, by }),
        (0u32..20).prop_map(|n| B::DeadlineExtended {
            clock: "remediation_consultation".into(),
            extension: Extension::ByDays(n + 1)
        }),
        Just(B::PanelRequested),
        Just(B::PanelConstituted { panelists: vec![] }),
        Just(B::RequestConfirmed),
        Just(B::VerificationRequested),
        any::<bool>().prop_map(|consented| B::VerificationAnswered { consented }),
        Just(B::VerificationHeld),
        any::<bool>().prop_map(|denial_found| B::PanelDetermination { denial_found }),
        Just(B::RemedyNotice),
        remedy
            .clone()
            .prop_map(|remedy| B::RemedyImposed { remedy }),
        remedy.prop_map(|remedy| B::RemedyLifted { remedy }),
        Just(B::CaseResolved {
            outcome: "other".into(),
            summary: None
        }),
        Just(B::CaseClosed {
            reason: "other".into(),
            summary: None
        }),
        Just(B::FacilityClosed),
    ]
}

fn any_events() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec((0u32..40, proptest::bool::weighted(0.9), any_body()), 0..40).prop_map(
        |steps| {
            let mut date = d("2023-01-01");
            steps
                .into_iter()
                .map(|(gap, dated, body)| {
                    date = date + chrono::Days::new(u64::from(gap));
                    Event {
                        date: dated.then_some(date),
                        date_text: None,
                        body,
                        note: None,
                        source: None,
                    }
                })
                .collect()
        },
    )
}

/// Applies what the engine accepts, skipping refusals, as a user retrying would.
fn accepted(p: &Procedure, prior: u32, events: &[Event]) -> (CaseState, Vec<Event>) {
    let mut state = CaseState::new(
        p,
        CaseContext {
            prior_denial_determinations: prior,
        },
    );
    let mut kept = Vec::new();
    for e in events {
        if let Ok(next) = state.apply(p, e) {
            state = next;
            kept.push(e.clone());
        }
    }
    (state, kept)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_event_sequence_yields_an_impossible_state(events in any_events(), prior in 0u32..3, annex in prop_oneof![Just("usmca-31a"), Just("usmca-31b")]) {
        let set = procedures();
        let p = set.get(annex).unwrap();
        let (s, kept) = accepted(p, prior, &events);
        let as_of = d("2030-01-01");
        if s.is_closed(p) {
            prop_assert_eq!(s.running_clocks(p, as_of).count(), 0, "a closed case runs no clocks");
        }
        for run in s.clock_runs() {
            if let (Some(start), Some(due)) = (run.started, run.due) {
                prop_assert!(due >= start, "due {} before start {}", due, start);
            }
        }
        for r in s.remedies() {
            prop_assert!(s.denial_determinations() > 0, "remedy {:?} without a determination", r);
            if r.remedy == Remedy::DenialOfEntry {
                prop_assert!(s.repeat_offence_count() >= 3);
            }
        }
        let dated: Vec<_> = kept.iter().filter_map(|e| e.date).collect();
        prop_assert!(dated.windows(2).all(|w| w[0] <= w[1]), "accepted events keep date order");
        prop_assert_eq!(s.event_count(), kept.len());
        // Replay is deterministic: the accepted events replay to the same state.
        let again = CaseState::replay(p, CaseContext { prior_denial_determinations: prior }, &kept);
        prop_assert_eq!(again.as_ref(), Ok(&s));
    }
}
