//! A browser for the tests: keeps the cookies the server sets (so sessions and CSRF cookies
//! work as in a real browser), reads forms' CSRF tokens, and signs staff in.

use std::collections::BTreeMap;

use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::multipart;
use rrm_store::{Confidential, Role};

use crate::support::{noon, TestApp, TODAY};

/// A password every test user has; it meets the rules.
pub const PASSWORD: &str = "correct horse battery staple";

/// One response, read whole.
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    /// The value of the first hidden `csrf` field of the page.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("the page has a CSRF field");
        let rest = &self.body[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    pub fn location(&self) -> &str {
        self.headers["location"].to_str().unwrap()
    }
}

pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        Browser {
            app,
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn read(&mut self, r: reqwest::Response) -> Page {
        for v in r.headers().get_all(SET_COOKIE) {
            let pair = v.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || v.to_str().unwrap().contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        Page {
            status: r.status().as_u16(),
            headers: r.headers().clone(),
            body: r.text().await.unwrap(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let r = self
            .app
            .client
            .get(self.app.url(path))
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.read(r).await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let r = self
            .app
            .client
            .post(self.app.url(path))
            .header(COOKIE, self.cookie_header())
            .form(fields)
            .send()
            .await
            .unwrap();
        self.read(r).await
    }

    pub async fn post_multipart(&mut self, path: &str, form: multipart::Form) -> Page {
        let r = self
            .app
            .client
            .post(self.app.url(path))
            .header(COOKIE, self.cookie_header())
            .multipart(form)
            .send()
            .await
            .unwrap();
        self.read(r).await
    }

    /// Signs in through the form; panics unless it worked.
    pub async fn sign_in(&mut self, email: &str) {
        let csrf = self.get("/staff/login").await.csrf();
        let r = self
            .post_form(
                "/staff/login",
                &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            (r.status, r.location()),
            (303, "/staff"),
            "sign-in: {}",
            r.body
        );
    }

    /// The staff CSRF token of the signed-in session (from the dashboard's forms).
    pub async fn staff_csrf(&mut self) -> String {
        let page = self.get("/staff").await;
        assert_eq!(page.status, 200, "signed in");
        page.csrf()
    }
}

/// Adds an account with [`PASSWORD`]; a staff account joins the intake team, which reaches
/// every case of a test app (none is assigned to a team).
pub fn add_user(app: &TestApp, email: &str, role: Role) -> rrm_store::User {
    let user = add_account(app, email, role);
    if role.is_staff() {
        app.rrm
            .set_team_member(
                rrm_app::Actor::Operator,
                rrm_app::DEFAULT_TEAM,
                &user,
                true,
                noon(TODAY.parse().unwrap()),
            )
            .unwrap();
    }
    user
}

/// Adds an account with [`PASSWORD`] on no team.
pub fn add_account(app: &TestApp, email: &str, role: Role) -> rrm_store::User {
    let now = noon(TODAY.parse().unwrap());
    app.rrm
        .add_user(
            email,
            "Test Staff",
            role,
            &Confidential::new(PASSWORD.into()),
            now,
        )
        .unwrap()
}

/// A signed-in browser for a new user of `role`.
pub async fn staff<'a>(app: &'a TestApp, email: &str, role: Role) -> Browser<'a> {
    add_user(app, email, role);
    let mut b = Browser::new(app);
    b.sign_in(email).await;
    b
}

/// A minimal valid PDF, PNG and a Windows executable, by their first bytes.
pub const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01";
pub const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode.";

/// The petition form's fields, filled with `narrative` and `organization`.
pub fn petition_fields(
    csrf: &str,
    narrative: &str,
    organization: &str,
    contact: &str,
) -> multipart::Form {
    multipart::Form::new()
        .text("csrf", csrf.to_string())
        .text("office", "us_ilc")
        .text("facility", "Planta de Prueba Norte")
        .text("company", "Autopartes de Prueba S.A.")
        .text("city", "Saltillo")
        .text("state", "Coahuila")
        .text("allegations", "dismissal_for_union_activity")
        .text("allegations", "protection_contract")
        .text("narrative", narrative.to_string())
        .text("organization", organization.to_string())
        .text("contact", contact.to_string())
        .text("consent", "on")
}

/// A file part.
pub fn file(name: &str, bytes: &[u8], declared: &str) -> multipart::Part {
    multipart::Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str(declared)
        .unwrap()
}

/// The receipt code and secret a receipt page shows.
pub fn receipt_of(page: &Page) -> (String, String) {
    let codes: Vec<&str> = page
        .body
        .split("<code>")
        .skip(1)
        .map(|s| s.split("</code>").next().unwrap())
        .collect();
    assert_eq!(codes.len(), 2, "a receipt page: {}", page.body);
    (codes[0].to_string(), codes[1].to_string())
}
