//! Loading procedure definitions: the shipped files load, and malformed files are refused with
//! the file, line and problem.

use super::*;

/// Loads an edited Annex 31-A beside the shipped US petition fragment it includes.
fn load_one(text: &str) -> Result<ProcedureSet, ProcedureError> {
    let mut files: Vec<SourceFile> = shipped_sources()
        .into_iter()
        .filter(|f| f.name.ends_with("us-ilc-petition.toml"))
        .collect();
    files.push(SourceFile {
        name: "edited.toml".into(),
        text: text.into(),
    });
    load_procedures(&files)
}

/// The shipped Annex 31-A file with one line replaced, as a lawyer's edit would.
fn edited(from: &str, to: &str) -> String {
    let shipped = shipped_sources();
    let a = shipped
        .iter()
        .find(|f| f.name.ends_with("usmca-31a.toml"))
        .unwrap();
    assert!(a.text.contains(from), "test edit target `{from}` exists");
    a.text.replacen(from, to, 1)
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn shipped_definitions_load_with_their_statuses() {
    let set = shipped().unwrap();
    assert_eq!(set.ids().collect::<Vec<_>>(), ["usmca-31a", "usmca-31b"]);
    let a = set.get("usmca-31a").unwrap();
    let answer = a.clock(a.clock_by_name("mexico_answer").unwrap());
    assert_eq!(
        (answer.length.clone(), answer.status),
        (ClockLength::Days(10), RuleStatus::Verified)
    );
    let b = set.get("usmca-31b").unwrap();
    let answer_b = b.clock(b.clock_by_name("mexico_answer").unwrap());
    assert_eq!(
        answer_b.status,
        RuleStatus::Secondary,
        "31-B clocks are secondary until checked"
    );
    assert!(
        a.sources.iter().any(|s| s.contains("4646")),
        "fragment sources are kept"
    );
}

#[test]
fn a_lawyer_can_change_a_clock_by_editing_the_file() {
    let text = edited("length = 45", "length = 60");
    let set = load_one(&text).unwrap();
    let p = set.get("usmca-31a").unwrap();
    let review = p.clock(p.clock_by_name("mexico_review").unwrap());
    assert_eq!(review.length, ClockLength::Days(60));
}

#[test]
fn a_toml_syntax_error_names_the_file_and_line() {
    let text = edited("length = 45", "length = = 45");
    let err = load_one(&text).unwrap_err();
    assert_eq!(err.file, "edited.toml");
    assert_eq!(err.line, line_of(&text, "length = = 45"));
}

#[test]
fn an_unknown_key_is_refused_not_ignored() {
    let text = edited("length = 45", "lenght = 45");
    let err = load_one(&text).unwrap_err();
    assert!(err.problem.contains("lenght"), "{err}");
}

#[test]
fn an_unknown_event_kind_stage_or_status_names_its_line() {
    for (from, to, problem) in [
        (
            "stops_on = [\"review_report\"",
            "stops_on = [\"review_reprot\"",
            "unknown event kind `review_reprot`",
        ),
        (
            "to = \"under_review\"",
            "to = \"under_reveiw\"",
            "no stage is named `under_reveiw`",
        ),
        (
            "status = \"unverified\"",
            "status = \"probable\"",
            "unknown status `probable`",
        ),
        (
            "unit = \"business_days\"",
            "unit = \"working_days\"",
            "unknown unit `working_days`",
        ),
        (
            "\"@panel\", \"resolved\"",
            "\"@panels\", \"resolved\"",
            "no stage group is named `panels`",
        ),
        (
            "when = { consented = true }",
            "when = { consented = \"yes\" }",
            "`consented` takes true or false",
        ),
        (
            "requires = [\"remedy_in_force\"]",
            "requires = [\"remedy_on\"]",
            "unknown requirement `remedy_on`",
        ),
    ] {
        let text = edited(from, to);
        let err = load_one(&text).unwrap_err();
        assert!(err.problem.contains(problem), "{from} -> {to}: {err}");
        assert_eq!(err.line, line_of(&text, to), "{err}");
        assert_eq!(err.to_string().split(':').next(), Some("edited.toml"));
    }
}

#[test]
fn a_missing_include_and_a_second_initial_stage_are_refused() {
    let text = edited(
        "includes = [\"us-ilc-petition\"]",
        "includes = [\"nowhere\"]",
    );
    assert!(load_one(&text)
        .unwrap_err()
        .problem
        .contains("no procedure file has this id"));
    let text = edited(
        "id = \"under_review\"",
        "id = \"under_review\"\ninitial = true",
    );
    let err = load_one(&text).unwrap_err();
    assert!(
        err.problem
            .contains("second stage is marked `initial = true`"),
        "{err}"
    );
}
