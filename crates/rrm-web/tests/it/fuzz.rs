//! Fuzzing the petition endpoints with proptest: `POST /api/v1/petitions` with arbitrary and
//! mutated JSON and with arbitrary multipart bodies, and `POST /petitions/new` with arbitrary
//! multipart forms behind a valid CSRF token. The server never answers 5xx; every refusal is
//! a 4xx with a message; a refusal stores nothing and an acceptance opens exactly one case.
//!
//! Bounded for CI: 48 requests per property unless `PROPTEST_CASES` says otherwise. To fuzz
//! longer: `PROPTEST_CASES=20000 cargo test -p rrm-web --test it fuzz --release`.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

use crate::browser::Browser;
use crate::support::TestApp;

fn config() -> Config {
    let mut c = Config::default();
    if std::env::var("PROPTEST_CASES").is_err() {
        c.cases = 48;
    }
    c
}

/// A server on its own runtime, so proptest's synchronous runner can drive it.
fn server() -> (tokio::runtime::Runtime, TestApp) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = rt.block_on(TestApp::spawn());
    (rt, app)
}

fn footprint(app: &TestApp) -> (u64, Vec<String>) {
    (
        app.rrm.store.stats().unwrap().cases,
        app.rrm.workspace.unpublished().unwrap(),
    )
}

/// The rule every answer follows: success opens one case, anything else is a 4xx with words
/// and leaves the store as it was.
fn judge(
    app: &TestApp,
    before: (u64, Vec<String>),
    status: u16,
    ok: u16,
    body: &str,
) -> Result<(), TestCaseError> {
    prop_assert!(status < 500, "{status}: {body}");
    if status == ok {
        prop_assert_eq!(footprint(app).0, before.0 + 1);
    } else {
        prop_assert!((400..500).contains(&status), "{status}");
        prop_assert!(body.len() > 20, "no message: {body}");
        prop_assert_eq!(
            footprint(app),
            before,
            "a refused petition stored something"
        );
    }
    Ok(())
}

fn petition() -> Value {
    json!({
        "office": "us_ilc", "facility": "Planta Fuzz", "state": "Puebla",
        "allegations": ["other"], "narrative": "Relato.", "anonymous": true,
        "consent": true, "language": "es"
    })
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "\\PC{0,30}".prop_map(Value::String),
        prop::sample::select(vec!["us_ilc", "canada_nao", "other", "es"]).prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A valid petition with one field replaced, removed or added, or arbitrary JSON.
fn petition_json() -> impl Strategy<Value = Vec<u8>> {
    let fields = prop::sample::select(vec![
        "office",
        "facility",
        "company",
        "city",
        "state",
        "allegations",
        "narrative",
        "anonymous",
        "organization",
        "contact",
        "consent",
        "language",
        "unknown_field",
    ]);
    prop_oneof![
        (fields, json_value(), any::<bool>()).prop_map(|(f, v, remove)| {
            let mut p = petition();
            if remove {
                p.as_object_mut().unwrap().remove(f);
            } else {
                p[f] = v;
            }
            p.to_string().into_bytes()
        }),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..200),
    ]
}

/// One multipart part: a name, maybe a file name, and content.
fn part() -> impl Strategy<Value = (String, Option<String>, Vec<u8>)> {
    let name = prop::sample::select(vec![
        "petition",
        "evidence",
        "csrf",
        "facility",
        "narrative",
        "consent",
        "office",
        "allegations",
        "other",
    ]);
    let content = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        Just(b"%PDF-1.7 fuzz".to_vec()),
        Just(petition().to_string().into_bytes()),
    ];
    (name, prop::option::of("[a-zA-Z0-9._ -]{0,16}"), content)
        .prop_map(|(n, f, c)| (n.to_string(), f, c))
}

fn multipart(
    parts: &[(String, Option<String>, Vec<u8>)],
    csrf: Option<&str>,
) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    if let Some(token) = csrf {
        form = form.text("csrf", token.to_string());
    }
    for (name, file_name, bytes) in parts {
        let mut p = reqwest::multipart::Part::bytes(bytes.clone());
        if let Some(f) = file_name {
            p = p.file_name(f.clone());
        }
        form = form.part(name.clone(), p);
    }
    form
}

#[test]
fn the_petition_api_takes_any_json_and_any_multipart_without_failing() {
    let (rt, app) = server();
    let mut runner = TestRunner::new(config());
    runner
        .run(&petition_json(), |body| {
            let before = footprint(&app);
            let (status, text) = rt.block_on(async {
                let r = app
                    .client
                    .post(app.url("/api/v1/petitions"))
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            });
            judge(&app, before, status, 201, &text)
        })
        .unwrap();
    let parts = prop::collection::vec(part(), 0..8);
    runner
        .run(&parts, |parts| {
            let before = footprint(&app);
            let (status, text) = rt.block_on(async {
                let r = app
                    .client
                    .post(app.url("/api/v1/petitions"))
                    .multipart(multipart(&parts, None))
                    .send()
                    .await
                    .unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            });
            judge(&app, before, status, 201, &text)
        })
        .unwrap();
}

#[test]
fn the_petition_form_takes_any_multipart_without_failing() {
    let (rt, app) = server();
    let mut runner = TestRunner::new(config());
    let raw = prop_oneof![
        prop::collection::vec(part(), 0..10).prop_map(Ok),
        prop::collection::vec(any::<u8>(), 0..300).prop_map(Err),
    ];
    runner
        .run(&raw, |input| {
            let before = footprint(&app);
            let (status, text) = rt.block_on(async {
                let mut b = Browser::new(&app);
                let csrf = b.get("/petitions/new").await.csrf();
                let page = match input {
                    Ok(parts) => {
                        let mut form = multipart(&parts, Some(&csrf));
                        form = form.text("office", "us_ilc").text("consent", "on");
                        b.post_multipart("/petitions/new", form).await
                    }
                    Err(garbage) => {
                        let r = app
                            .client
                            .post(app.url("/petitions/new"))
                            .header("cookie", format!("rrm_csrf={csrf}"))
                            .header("content-type", "multipart/form-data; boundary=XyZ")
                            .body(garbage)
                            .send()
                            .await
                            .unwrap();
                        let status = r.status().as_u16();
                        return (status, r.text().await.unwrap());
                    }
                };
                (page.status, page.body)
            });
            // The form answers 200 with a receipt, or shows itself again with the problem.
            let ok = if text.contains("RRM-") && status == 200 {
                200
            } else {
                0
            };
            judge(&app, before, status, if ok == 200 { 200 } else { 1 }, &text)
        })
        .unwrap();
}
