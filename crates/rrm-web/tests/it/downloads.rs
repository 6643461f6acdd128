//! Bulk downloads: the JSON is the case file format (it imports back), the CSV one row a case.

use crate::support::TestApp;

#[tokio::test]
async fn the_json_download_is_every_case_in_the_case_file_format() {
    let app = TestApp::spawn().await;
    let r = app.get("/downloads/cases.json").await;
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let all: Vec<serde_json::Value> = r.json().await.unwrap();
    assert_eq!(all.len(), 39);
    for case in all {
        assert_eq!(case["format"], "rrm-case/1");
        rrm_casefile::case_from_value(case).expect("a downloaded case parses back");
    }
}

#[tokio::test]
async fn the_csv_download_has_one_row_per_case() {
    let app = TestApp::spawn().await;
    let csv = app.text("/downloads/cases.csv").await;
    let mut lines = csv.lines();
    let head = lines.next().unwrap();
    assert!(head.starts_with("id,procedure,request_number,facility"));
    assert!(head.contains("request_date") && head.contains("outcome"));
    assert_eq!(lines.count(), 39);
    assert!(csv.contains("gm-silao-2021,usmca-31a,1,General Motors Silao"));
}

#[tokio::test]
async fn each_chart_has_its_csv() {
    let app = TestApp::spawn().await;
    let years = app.text("/statistics/requests-per-year.csv").await;
    assert!(years.starts_with("year,requests,cumulative\n2021,"));
    let stats = app.text("/statistics").await;
    for chart in [
        "requests-per-year",
        "resolution-time",
        "outcomes",
        "sectors",
        "states",
    ] {
        assert!(
            stats.contains(&format!("href=\"/statistics/{chart}.csv\"")),
            "{chart}"
        );
        assert!(stats.contains(&format!("id=\"{chart}\"")));
    }
    assert_eq!(stats.matches("<figure>").count(), 5);
    assert_eq!(stats.matches("<figcaption>").count(), 5);
    assert!(stats.matches("<table").count() >= 5);
}
