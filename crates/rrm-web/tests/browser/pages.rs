//! Reading the portal in a browser: the language switch, the statistics charts as drawn, a
//! case's clocks table, and the keyboard's first stop.

use fantoccini::key::Key;

use crate::driver::{self, Browser};
use crate::support::TestApp;

const CASE: &str = "/cases/gm-silao-2021";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_gives_spanish_text_and_dates() {
    let app = TestApp::spawn().await;
    driver::run("language", app.base(), |b: Browser| async move {
        b.open(CASE).await;
        assert_eq!(b.lang().await, "en", "English by default");
        assert!(b.page_text().await.contains("May 12, 2021"));
        assert_eq!(b.text("h2#timeline").await, "Timeline");
        b.shot("english").await;

        b.find("header.site a.lang").await.click().await.unwrap();
        b.wait_for_path("asking for Spanish", |p| p.ends_with("lang=es"))
            .await;
        assert_eq!(b.lang().await, "es");
        let text = b.page_text().await;
        assert_eq!(b.text("h2#timeline").await, "Cronología");
        assert!(text.contains("12 de mayo de 2021"), "a Spanish date");
        assert!(text.contains("Solicitud de revisión enviada a México"));
        assert!(text.contains("Cumplido con retraso"), "clock statuses too");
        assert_eq!(b.text("header.site a.lang").await, "English");
        b.shot("spanish").await;

        // The choice sticks (a cookie): the navigation's links carry no `lang`.
        b.find("nav a[href='/cases']").await.click().await.unwrap();
        b.wait_for_path("on the index", |p| p == "/cases").await;
        assert_eq!(b.lang().await, "es");
        assert_eq!(b.text("h1").await, "Casos");
        assert!(b.text("#count").await.starts_with("Se muestran 1–20 de"));
        let first_date = b.text("table.cases time").await;
        assert!(
            first_date.contains(" de 20"),
            "dates in the index are Spanish: {first_date}"
        );
        b.shot("spanish-index").await;

        b.find("header.site a.lang").await.click().await.unwrap();
        b.wait_for_path("asking for English", |p| p.ends_with("lang=en"))
            .await;
        assert_eq!(b.lang().await, "en");
        assert_eq!(b.text("h1").await, "Cases");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_statistics_page_draws_its_charts() {
    let app = TestApp::spawn().await;
    driver::run("statistics", app.base(), |b: Browser| async move {
        b.open("/statistics").await;
        let charts = b.find_all("svg.chart").await;
        assert_eq!(
            charts.len(),
            5,
            "years, durations, outcomes, sectors, states"
        );
        for chart in &charts {
            let (_, _, width, height) = chart.rectangle().await.unwrap();
            assert!(width > 300.0 && height > 50.0, "drawn at {width}x{height}");
            let label = chart.attr("aria-label").await.unwrap().unwrap_or_default();
            assert!(!label.is_empty(), "every chart is labelled");
            let bars = chart
                .find_all(fantoccini::Locator::Css("rect.bar"))
                .await
                .unwrap();
            assert!(!bars.is_empty(), "{label}: no bars");
            // The stylesheet loaded under the CSP and coloured the bars.
            let fill = bars[0].css_value("fill").await.unwrap();
            assert_ne!(fill, "rgb(0, 0, 0)", "{label}: unstyled bars");
        }
        b.shot("charts").await;

        // The requests chart draws what its data table says, year by year.
        let section = "section[aria-labelledby=requests-per-year]";
        let years = b.find_all(&format!("{section} table.data tbody tr")).await;
        let values = b.find_all(&format!("{section} svg text.value")).await;
        let dots = b.find_all(&format!("{section} svg circle.dot")).await;
        assert!(years.len() >= 5, "2021 to 2025 at least");
        assert_eq!(values.len(), years.len());
        assert_eq!(
            dots.len(),
            years.len(),
            "one point of the running total per year"
        );
        let (mut total, mut cumulative) = (0, String::new());
        for (row, value) in years.iter().zip(&values) {
            let cells = row.find_all(fantoccini::Locator::Css("td")).await.unwrap();
            let requests = cells[0].text().await.unwrap();
            assert_eq!(value.text().await.unwrap(), requests);
            total += requests.parse::<u32>().unwrap();
            cumulative = cells[1].text().await.unwrap();
        }
        assert_eq!(total.to_string(), cumulative, "the line ends at the total");
        let column = b.find(&format!("{section} svg rect.bar")).await;
        let height: f64 = column
            .attr("height")
            .await
            .unwrap()
            .unwrap()
            .parse()
            .unwrap();
        assert!(height > 0.0);
        b.scroll_to(section).await;
        b.shot("requests-per-year").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_page_shows_its_clocks() {
    let app = TestApp::spawn().await;
    let case = app.json("/api/v1/cases/gm-silao-2021").await;
    let clocks = case["clocks"].as_array().unwrap().clone();
    driver::run("case-clocks", app.base(), move |b: Browser| async move {
        b.open(CASE).await;
        assert!(b.text("h1").await.contains("General Motors"));
        let table = b.find("table.clocks").await;
        assert!(table.is_displayed().await.unwrap());
        assert!(b
            .text("table.clocks caption")
            .await
            .contains("November 23, 2026"));
        let rows = b.find_all("table.clocks tbody tr").await;
        assert_eq!(rows.len(), clocks.len(), "one row per clock");
        for (row, clock) in rows.iter().zip(&clocks) {
            let text = row.text().await.unwrap();
            let name = clock["name"]["en"].as_str().unwrap();
            assert!(text.starts_with(name), "{text}");
            let status = clock["status"].as_str().unwrap();
            let class = row.attr("class").await.unwrap().unwrap_or_default();
            assert_eq!(class, format!("clock-{status}"));
            assert!(text.contains(clock["citation"].as_str().unwrap()));
        }
        let first = rows[0].text().await.unwrap();
        assert!(
            first.contains("Met late") && first.contains("May 22, 2021"),
            "{first}"
        );
        let overdue = b.text("table.clocks tr.clock-overdue").await;
        assert!(
            overdue.contains("Overdue") && overdue.contains("days overdue"),
            "{overdue}"
        );
        b.scroll_to("section[aria-labelledby=clocks]").await;
        b.shot("clocks").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tab_reaches_the_skip_link_first() {
    let app = TestApp::spawn().await;
    driver::run("keyboard", app.base(), |b: Browser| async move {
        b.open("/").await;
        let skip = b.find("a.skip").await;
        let (x, ..) = skip.rectangle().await.unwrap();
        assert!(x < 0.0, "hidden off-screen until focused (x = {x})");

        b.press(Key::Tab).await;
        let focused = b.focused().await;
        assert_eq!(
            focused.attr("class").await.unwrap().as_deref(),
            Some("skip")
        );
        assert_eq!(focused.text().await.unwrap(), "Skip to main content");
        let (x, y, ..) = focused.rectangle().await.unwrap();
        assert!(
            x >= 0.0 && y >= 0.0,
            "shown on screen when focused ({x}, {y})"
        );
        b.shot("skip-link-focused").await;

        b.press(Key::Enter).await;
        let url = b.client.current_url().await.unwrap();
        assert_eq!(url.fragment(), Some("main"));
        let focused = b.focused().await;
        assert_eq!(focused.attr("id").await.unwrap().as_deref(), Some("main"));
        b.shot("main-focused").await;
    })
    .await;
}
