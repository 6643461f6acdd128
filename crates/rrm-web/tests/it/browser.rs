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

    /// [`Browser::post_form`] with owned values.
    pub async fn post_form_owned(&mut self, path: &str, fields: &[(&str, String)]) -> Page {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.post_form(path, &borrowed).await
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

    /// The password step of signing in, as the form sends it.
    pub async fn password_step(&mut self, email: &str, password: &str) -> Page {
        let csrf = self.get("/staff/login").await.csrf();
        self.post_form(
            "/staff/login",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await
    }

    /// The second-factor page: on a first sign-in, the key it shows is kept as the user's
    /// authenticator app would keep it; the code for the server's "now" is sent (the clock
    /// moved on 30 seconds first when the app already has the key, since a step's code is
    /// accepted once).
    pub async fn second_factor(&mut self, email: &str) -> Page {
        let page = self.get("/staff/login/verify").await;
        assert_eq!(page.status, 200, "the second-factor page: {}", page.body);
        let key = {
            let mut apps = self.app.authenticators.lock().unwrap();
            match shown_key(&page) {
                Some(key) => {
                    apps.insert(email.to_string(), key);
                }
                None => self.app.advance(chrono::Duration::seconds(30)),
            }
            apps.get(email).expect("an enrolled authenticator").clone()
        };
        let code = authenticator_code(&key, self.app.now());
        self.post_form(
            "/staff/login/verify",
            &[("csrf", &page.csrf()), ("code", &code)],
        )
        .await
    }

    /// Signs in through the forms (password, then the authenticator, set up on the first
    /// sign-in); panics unless it worked and landed on the account's home: the workspace for
    /// ILC staff, the partner portal for counterparts and respondents.
    pub async fn sign_in(&mut self, email: &str) {
        let home = match self.app.rrm.account(email).unwrap().role.is_staff() {
            true => "/staff",
            false => "/shared",
        };
        let r = self.password_step(email, PASSWORD).await;
        assert_eq!(
            (r.status, r.location()),
            (303, "/staff/login/verify"),
            "sign-in: {}",
            r.body
        );
        let r = self.second_factor(email).await;
        let enrolled = r.status == 200
            && r.body.contains("recovery-codes")
            && r.body.contains(&format!("href=\"{home}\""));
        assert!(
            enrolled || (r.status == 303 && r.location() == home),
            "second factor: {} {}",
            r.status,
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

/// The key an enrollment page shows (base32 in groups), as bytes; `None` on a code page.
pub fn shown_key(page: &Page) -> Option<Vec<u8>> {
    let at = page.body.find("id=\"totp-secret\">")?;
    let rest = &page.body[at + "id=\"totp-secret\">".len()..];
    let key: String = rest[..rest.find('<')?].split_whitespace().collect();
    Some(
        totp_rs::Secret::try_from_base32(&key)
            .ok()?
            .as_bytes()
            .to_vec(),
    )
}

/// What an authenticator app shows for `key` at `at`: RFC 6238, SHA-1, six digits, 30 s.
pub fn authenticator_code(key: &[u8], at: chrono::DateTime<chrono::Utc>) -> String {
    totp_rs::Builder::new()
        .with_secret(key)
        .build()
        .unwrap()
        .generate(at.timestamp() as u64)
        .to_string()
}

/// The recovery codes a page shows.
pub fn recovery_codes(page: &Page) -> Vec<String> {
    page.body
        .split("<li><code>")
        .skip(1)
        .map(|s| s.split("</code>").next().unwrap().to_string())
        .collect()
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
