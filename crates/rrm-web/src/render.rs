//! Server-side rendering with minijinja: templates embedded in the binary, HTML auto-escaped,
//! and the helpers templates use to speak the reader's language.
//!
//! Template helpers:
//! - `t("key", name=value)`: a UI string from the catalog, `{name}` filled in (numbers written
//!   per language). A missing key is an error, so a test rendering every page in both
//!   languages catches it.
//! - `value|label("outcome")`: the catalog's name for a data code (`outcome.remediated`),
//!   falling back to the code itself, because data may carry codes newer than the catalog.
//! - `iso_date|date`, `n|num`: dates and numbers written per language.
//! - `asset("app.css")`: the content-hashed URL of an embedded asset.
//! - `s is web_url`: whether a source may become a link (http or https only).

use std::sync::Arc;

use chrono::NaiveDate;
use minijinja::value::{Kwargs, Value};
use minijinja::{context, AutoEscape, Environment, Error, ErrorKind, Output, State};

use crate::error::{ErrorBody, WebError};
use crate::i18n::{number, Catalogs, Lang};
use crate::page::Page;

macro_rules! embedded_templates {
    ($env:ident, $($name:literal),+ $(,)?) => {
        $($env
            .add_template($name, include_str!(concat!("../templates/", $name)))
            .expect(concat!("template ", $name, " compiles"));)+
    };
}

pub struct Templates {
    env: Environment<'static>,
}

fn lang_of(state: &State) -> Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .unwrap_or_default()
}

impl Templates {
    pub fn new(catalogs: Arc<Catalogs>) -> Templates {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::SemiStrict);
        env.set_formatter(format_escaped);
        embedded_templates!(
            env,
            "base.html",
            "macros.html",
            "home.html",
            "cases.html",
            "case.html",
            "case_body.html",
            "deadlines.html",
            "statistics.html",
            "downloads.html",
            "error.html",
            "search.html",
            "petition_form.html",
            "petition_receipt.html",
            "petition_status.html",
            "staff_macros.html",
            "staff_login.html",
            "staff_verify.html",
            "staff_recovery_codes.html",
            "staff_dashboard.html",
            "staff_case.html",
            "staff_calendar.html",
            "staff_access.html",
            "staff_audit.html",
            "staff_admin_accounts.html",
            "staff_admin_teams.html",
            "partner_cases.html",
            "partner_case.html",
        );
        let c = catalogs.clone();
        env.add_function("t", move |state: &State, key: &str, kwargs: Kwargs| {
            translate(&c, lang_of(state), key, &kwargs)
        });
        let c = catalogs.clone();
        env.add_filter("label", move |state: &State, code: &str, prefix: &str| {
            c.text(lang_of(state), &format!("{prefix}.{code}"))
                .unwrap_or(code)
                .to_string()
        });
        let c = catalogs;
        env.add_filter("date", move |state: &State, iso: &str| {
            iso.parse::<NaiveDate>()
                .map(|d| c.date(lang_of(state), d))
                .unwrap_or_else(|_| iso.to_string())
        });
        env.add_filter("num", |state: &State, n: i64| number(lang_of(state), n));
        // Only http(s) addresses become links: a `javascript:` source must never be clickable.
        env.add_test("web_url", |v: Value| {
            v.as_str()
                .is_some_and(|s| s.starts_with("https://") || s.starts_with("http://"))
        });
        env.add_function("asset", |name: &str| {
            crate::assets::url(name)
                .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("no asset {name}")))
        });
        Templates { env }
    }

    /// Renders a page template with the page's language and address added to `ctx`.
    pub fn render(&self, name: &str, page: &Page, ctx: Value) -> Result<String, WebError> {
        let base = context! {
            lang => page.lang.code(),
            other_lang => page.lang.other().code(),
            path => page.path.clone(),
            switch_href => page.switch_href.clone(),
        };
        self.env
            .get_template(name)
            .and_then(|t| t.render(context! { ..base, ..ctx }))
            .map_err(|e| WebError::Internal(format!("template {name}: {e:#}")))
    }

    /// The HTML error page, in the reader's language.
    pub fn error_page(&self, lang: Lang, body: &ErrorBody) -> Result<String, WebError> {
        let page = Page {
            lang,
            path: String::new(),
            switch_href: format!("/?lang={}", lang.other().code()),
        };
        let ctx = context! {
            status => body.status.as_u16(),
            code => body.code,
            message => body.message.clone(),
        };
        self.render("error.html", &page, ctx)
    }
}

/// Escapes `& < > " '` in HTML templates. minijinja's default also escapes `/`, which is not
/// needed inside quoted attributes or text and turns every URL into `&#x2f;assets&#x2f;...`.
fn format_escaped(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    match value.as_str() {
        Some(s) if matches!(state.auto_escape(), AutoEscape::Html) && !value.is_safe() => {
            let mut escaped = String::with_capacity(s.len() + 8);
            for c in s.chars() {
                match c {
                    '&' => escaped.push_str("&amp;"),
                    '<' => escaped.push_str("&lt;"),
                    '>' => escaped.push_str("&gt;"),
                    '"' => escaped.push_str("&quot;"),
                    '\'' => escaped.push_str("&#39;"),
                    c => escaped.push(c),
                }
            }
            out.write_str(&escaped)
                .map_err(|_| Error::from(ErrorKind::WriteFailure))
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

fn translate(catalogs: &Catalogs, lang: Lang, key: &str, kwargs: &Kwargs) -> Result<String, Error> {
    let text = catalogs.text(lang, key).ok_or_else(|| {
        Error::new(
            ErrorKind::UndefinedError,
            format!("no string `{key}` in locales/{}.toml", lang.code()),
        )
    })?;
    let mut out = text.to_string();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let shown = match i64::try_from(value.clone()) {
            Ok(n) if value.is_number() => number(lang, n),
            _ => value.to_string(),
        };
        out = out.replace(&format!("{{{name}}}"), &shown);
    }
    Ok(out)
}
