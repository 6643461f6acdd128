//! The search box as a reader uses it: typing in the header's box on any page, reading the
//! highlighted results, narrowing by a facet, and following a result to its case.

use crate::driver::{self, Browser};
use crate::support::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_box_searches_and_a_facet_narrows() {
    let app = TestApp::spawn().await;
    driver::run("search", app.base(), move |b: Browser| async move {
        b.open("/cases").await;
        let q = b.find("#site-q").await;
        q.send_keys("san luis potosi").await.unwrap();
        b.find(".sitesearch button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        b.wait_for_path("the search page", |p| p.starts_with("/search"))
            .await;
        b.shot("results").await;
        let marks = b.find_all(".hits mark").await;
        assert!(!marks.is_empty(), "highlighted words");
        let all = b.find_all(".hits li").await.len();
        assert!(all >= 2, "{all} results");

        b.find(".search-facets a").await.click().await.unwrap();
        b.wait_for_path("a facet applied", |p| {
            p.contains("stage=")
                || p.contains("year=")
                || p.contains("outcome=")
                || p.contains("state=")
                || p.contains("sector=")
        })
        .await;
        b.shot("narrowed").await;
        assert!(b.find_all(".search-facets a.selected").await.len() == 1);

        b.find(".hits h2 a").await.click().await.unwrap();
        let path = b
            .wait_for_path("a case page", |p| p.starts_with("/cases/"))
            .await;
        assert!(path.len() > "/cases/".len(), "{path}");
    })
    .await;
}
