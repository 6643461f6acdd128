//! The staff workspace in a browser: sign in, record Mexico's acceptance of a review on a case
//! awaiting its answer, see the clocks change, sign out.

use rrm_store::Role;

use crate::driver::{self, Browser};
use crate::petitions::sign_in;
use crate::support::TestApp;

const CASE: &str = "acme-awaiting-2026";

/// A request for review sent five days before "today" (2026-11-23): Mexico's ten days to
/// answer are running.
const AWAITING: &str = r#"{"format":"rrm-case/1","id":"acme-awaiting-2026","procedure":"usmca-31a",
"facility":{"id":"acme-saltillo","name":"Acme brake plant","company":"Acme Frenos","state":"Coahuila","country":"MX","sector":"auto parts"},
"events":[{"kind":"petition_filed","date":"2026-11-10"},{"kind":"request_for_review","date":"2026-11-18"}]}"#;

/// The clock `mexico_answer` by its English name.
const ANSWER: &str = "Mexico says whether it will review";

/// The text of the clocks table's row for Mexico's answer, and the row's class.
async fn answer_clock(b: &Browser) -> (String, String) {
    b.find("table.clocks").await;
    for row in b.find_all("table.clocks tbody tr").await {
        let text = row.text().await.unwrap();
        if text.starts_with(ANSWER) {
            let class = row.attr("class").await.unwrap().unwrap_or_default();
            return (text, class);
        }
    }
    panic!("no clock `{ANSWER}` on {}", b.path().await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_record_mexicos_acceptance_and_the_clocks_change() {
    let app = TestApp::builder()
        .with_case("awaiting.json", AWAITING)
        .with_staff("analyst@example.org", Role::Analyst)
        .spawn()
        .await;
    driver::run("staff", app.base(), |b: Browser| async move {
        b.open("/staff").await;
        b.wait_for_path("sent to sign in", |p| p == "/staff/login")
            .await;
        b.shot("sign-in").await;
        sign_in(&b, "analyst@example.org").await;
        assert!(b
            .text(".staffbar")
            .await
            .contains("Signed in as Test Staff"));
        b.shot("dashboard").await;

        b.open(&format!("/staff/cases/{CASE}")).await;
        let (text, class) = answer_clock(&b).await;
        assert_eq!(class, "clock-open");
        assert!(
            text.contains("November 28, 2026") && text.contains("5 days left"),
            "{text}"
        );
        b.scroll_to("section[aria-labelledby=clocks]").await;
        b.shot("awaiting-answer").await;

        b.find("#kind")
            .await
            .select_by_value("review_accepted")
            .await
            .unwrap();
        b.find("form.inline button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        b.wait_for_path("with the acceptance's fields", |p| {
            p.contains("kind=review_accepted")
        })
        .await;
        let date = b.find("#f-date").await;
        // A date input takes typing in the browser's locale; set the ISO value directly.
        let script = "arguments[0].value = '2026-11-23'";
        let arg = serde_json::to_value(&date).unwrap();
        b.client.execute(script, vec![arg]).await.unwrap();
        b.scroll_to("section[aria-labelledby=record]").await;
        b.shot("record-form").await;
        b.find("section[aria-labelledby=record] form[method=post] button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        b.wait_for_path("back on the case", |p| p.contains("done=event"))
            .await;
        assert_eq!(b.text("#notice").await, "The event was recorded.");

        let (text, class) = answer_clock(&b).await;
        assert_eq!(class, "clock-met", "{text}");
        assert!(
            text.contains("Met") && !text.contains("days left"),
            "{text}"
        );
        assert!(b
            .text("section[aria-labelledby=timeline]")
            .await
            .contains("Mexico accepted the review"));
        b.scroll_to("section[aria-labelledby=clocks]").await;
        b.shot("answer-met").await;

        b.find(".staffbar form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        b.wait_for_path("signed out", |p| p == "/staff/login").await;
        assert!(b.find_all(".staffbar").await.is_empty());
        b.open("/staff").await;
        b.wait_for_path("sent to sign in again", |p| p == "/staff/login")
            .await;
        b.shot("signed-out").await;
    })
    .await;
    // The browser's form went through the engine into the store.
    let (case, _) = app.rrm.load_case(CASE).unwrap();
    let kinds: Vec<&str> = case.events.iter().map(|e| e.kind().as_str()).collect();
    assert_eq!(
        kinds,
        ["petition_filed", "request_for_review", "review_accepted"]
    );
}
