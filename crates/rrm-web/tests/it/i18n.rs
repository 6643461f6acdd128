//! English and Spanish: chosen by `?lang=` (kept in a cookie), else `Accept-Language`.

use crate::support::TestApp;

const CASE: &str = "/cases/gm-silao-2021";

#[tokio::test]
async fn english_is_the_default() {
    let app = TestApp::spawn().await;
    let html = app.text(CASE).await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("May 12, 2021"));
    assert!(html.contains("Timeline"));
    assert!(html.contains("6,000"), "workers written the English way");
}

#[tokio::test]
async fn lang_es_in_the_query_gives_spanish_and_a_cookie() {
    let app = TestApp::spawn().await;
    let r = app.get(&format!("{CASE}?lang=es")).await;
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("lang=es;") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let vary = r.headers()["vary"].to_str().unwrap().to_lowercase();
    assert!(vary.contains("accept-language") && vary.contains("cookie"));
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"es\">"));
    assert!(html.contains("12 de mayo de 2021"));
    assert!(html.contains("Cronología"));
    assert!(html.contains("Solicitud de revisión enviada a México"));
    // A stage name from the procedure definition, in Spanish.
    assert!(html.contains("Curso de remediación en marcha"));
    // RAE: four-digit numbers take no separator.
    assert!(html.contains("<dd>6000</dd>"));
    // The switch link leads back to English.
    assert!(html.contains("href=\"/cases/gm-silao-2021?lang=en\""));
}

#[tokio::test]
async fn accept_language_chooses_spanish() {
    let app = TestApp::spawn().await;
    let r = app
        .get_with(CASE, "accept-language", "es-MX,es;q=0.9")
        .await;
    assert!(
        r.headers().get("set-cookie").is_none(),
        "no cookie without a choice"
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"es\">"));
    assert!(html.contains("12 de mayo de 2021"));
    let en = app
        .get_with(CASE, "accept-language", "fr;q=1, en;q=0.8, es;q=0.5")
        .await;
    assert!(en.text().await.unwrap().contains("May 12, 2021"));
}

#[tokio::test]
async fn the_cookie_outranks_accept_language_and_the_query_outranks_both() {
    let app = TestApp::spawn().await;
    let r = app
        .client
        .get(app.url("/"))
        .header("cookie", "lang=es")
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("<html lang=\"es\">"));
    let r = app
        .client
        .get(app.url("/?lang=en"))
        .header("cookie", "lang=es")
        .send()
        .await
        .unwrap();
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("lang=en;"));
    assert!(r.text().await.unwrap().contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn error_pages_and_index_speak_spanish_too() {
    let app = TestApp::spawn().await;
    let r = app.get("/cases/nope?lang=es").await;
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Página no encontrada"));
    let html = app.text("/cases?lang=es&sort=oldest").await;
    assert!(html.contains("Se muestran 1–20 de 39 casos"));
    assert!(html.contains("Fecha de solicitud"));
    assert!(html.contains("de 2021</time>"));
}

#[tokio::test]
async fn the_api_and_assets_do_not_vary_by_language() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/cases?lang=es", "/assets/app.css?lang=es"] {
        let r = app.get(path).await;
        assert!(r
            .headers()
            .get("vary")
            .is_none_or(|v| !v.to_str().unwrap().contains("cookie")));
        assert!(r.headers().get("set-cookie").is_none(), "{path}");
    }
}
