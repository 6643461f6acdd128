//! The case index as a reader uses it: choosing facets in the filter form and paging, with the
//! site's script running (it drops the form's empty fields on submit).

use crate::driver::{self, Browser};
use crate::support::TestApp;

/// The case ids the API lists for a query, in the index's order.
async fn api_ids(app: &TestApp, query: &str) -> Vec<String> {
    let list = app
        .json(&format!("/api/v1/cases?{query}&per_page=100"))
        .await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_facet_form_filters_the_index() {
    let app = TestApp::spawn().await;
    let want = api_ids(&app, "stage=resolved&year=2023").await;
    driver::run("facets", app.base(), move |b: Browser| async move {
        b.open("/cases").await;
        assert_eq!(b.case_rows().await.len(), 20, "an unfiltered first page");
        b.shot("index").await;

        b.find("#f-stage")
            .await
            .select_by_value("resolved")
            .await
            .unwrap();
        b.find("#f-year")
            .await
            .select_by_value("2023")
            .await
            .unwrap();
        b.shot("facets-chosen").await;
        b.find(".facets button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        let path = b
            .wait_for_path("with the chosen facets", |p| p.contains("stage=resolved"))
            .await;
        // The script leaves untouched selects out, so the address stays short.
        assert_eq!(path, "/cases?stage=resolved&year=2023&sort=activity");
        b.shot("filtered").await;

        let rows = b.case_rows().await;
        assert_eq!(rows, want, "the rows the API lists for the same filter");
        // Known from the record: resolved cases requested in 2023, and two that are not.
        for id in [
            "unique-fabricating-2023",
            "san-martin-2023",
            "fujikura-2023",
        ] {
            assert!(rows.contains(&id.to_string()), "{id} is listed: {rows:?}");
        }
        assert!(
            !rows.contains(&"manufacturas-vu-2023".to_string()),
            "still open"
        );
        assert!(
            !rows.contains(&"tridonex-2021".to_string()),
            "requested in 2021"
        );
        let n = rows.len();
        assert_eq!(
            b.text("#count").await,
            format!("Showing 1–{n} of {n} cases")
        );
        // The form says what was asked.
        let stage = b.find("#f-stage").await.prop("value").await.unwrap();
        assert_eq!(stage.as_deref(), Some("resolved"));
        assert!(b.find_all("nav.pager").await.is_empty(), "one page only");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_walks_the_whole_index() {
    let app = TestApp::spawn().await;
    let total = api_ids(&app, "sort=facility").await.len();
    driver::run("paging", app.base(), move |b: Browser| async move {
        b.open("/cases?sort=facility").await;
        let first = b.case_rows().await;
        assert_eq!(first.len(), 20);
        assert_eq!(
            b.text("#count").await,
            format!("Showing 1–20 of {total} cases")
        );
        assert!(b.text("nav.pager").await.contains("Page 1 of 2"));
        b.shot("page-1").await;

        b.find("nav.pager a[rel=next]").await.click().await.unwrap();
        b.wait_for_path("on page 2", |p| p.contains("page=2")).await;
        let second = b.case_rows().await;
        b.shot("page-2").await;
        assert_eq!(
            first.len() + second.len(),
            total,
            "every case on one of the pages"
        );
        assert!(first.iter().all(|id| !second.contains(id)), "no case twice");
        assert_eq!(
            b.text("#count").await,
            format!("Showing 21–{total} of {total} cases")
        );
        assert!(
            b.find_all("nav.pager a[rel=next]").await.is_empty(),
            "the last page"
        );
        // Paging keeps the chosen order.
        let sort = b.find("#f-sort").await.prop("value").await.unwrap();
        assert_eq!(sort.as_deref(), Some("facility"));

        b.find("nav.pager a[rel=prev]").await.click().await.unwrap();
        b.wait_for_path("back on page 1", |p| p.contains("page=1"))
            .await;
        assert_eq!(b.case_rows().await, first);
    })
    .await;
}
