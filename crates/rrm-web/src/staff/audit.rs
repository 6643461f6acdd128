//! The audit views: `/staff/cases/{id}/audit`, one case's trail (supervisors and admins on its
//! team), and `/staff/audit`, the whole log (admins). Both list entries newest first, a page
//! at a time, with the actor and any account named resolved to its name and email, and say
//! whether the log's hash chain verifies.
//!
//! Entries hold only ids, receipts and hashes (`rrm_app::audit`), so showing them reveals
//! nothing confidential; an account is shown by name and email, which staff already see.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{context, value::Serde, Value};
use rrm_store::{AuditEntry, AuditReport, User, UserId};
use serde::{Deserialize, Serialize};

use super::{staff_context, Staff};
use crate::error::WebError;
use crate::page::Page;
use crate::Web;

/// Entries a page.
pub const PER_PAGE: u64 = 100;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    page: Option<u64>,
}

#[derive(Debug, Serialize)]
struct Line {
    seq: u64,
    at: String,
    actor: String,
    action: String,
    case: Option<String>,
    subject: String,
    /// The subject as the log has it, when `subject` shortens it.
    subject_full: String,
    detail: Vec<(String, String)>,
}

/// A SHA-256 in hex is shown by its first 12 digits (the page's title attribute has it all).
fn short(text: &str) -> String {
    let (prefix, rest) = text.rsplit_once(':').unwrap_or(("", text));
    let is_hash = rest.len() == 64 && rest.bytes().all(|b| b.is_ascii_hexdigit());
    match (is_hash, prefix.is_empty()) {
        (false, _) => text.to_string(),
        (true, true) => format!("{}…", &rest[..12]),
        (true, false) => format!("{prefix}:{}…", &rest[..12]),
    }
}

/// `GET /staff/cases/{id}/audit`
pub async fn case(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Path(id): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let (user, n) = (staff.session.user.clone(), p.page.unwrap_or(1).max(1));
    let case = id.clone();
    let ctx = web
        .blocking(move |w| {
            let rrm = w.rrm();
            let mut entries = rrm.case_audit(&user, &case)?;
            let report = rrm.verify_audit_for(&user, Some(&case))?;
            entries.reverse();
            let pages = (entries.len() as u64).div_ceil(PER_PAGE).max(1);
            let skip = usize::try_from((n - 1).saturating_mul(PER_PAGE)).unwrap_or(usize::MAX);
            let shown: Vec<AuditEntry> = entries
                .into_iter()
                .skip(skip)
                .take(PER_PAGE as usize)
                .collect();
            listing(w, &shown, &report, n, pages)
        })
        .await?;
    let ctx = context! { staff => staff_context(&staff), case => id, ..ctx };
    Ok(Html(web.html("staff_audit.html", &page, ctx)?.0).into_response())
}

/// `GET /staff/audit`
pub async fn all(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let (user, n) = (staff.session.user.clone(), p.page.unwrap_or(1).max(1));
    let ctx = web
        .blocking(move |w| {
            let found = w.rrm().audit_page(&user, n, PER_PAGE)?;
            listing(w, &found.entries, &found.report, found.page, found.pages)
        })
        .await?;
    let ctx = context! { staff => staff_context(&staff), ..ctx };
    Ok(Html(web.html("staff_audit.html", &page, ctx)?.0).into_response())
}

fn listing(
    web: &Web,
    entries: &[AuditEntry],
    report: &AuditReport,
    page: u64,
    pages: u64,
) -> Result<Value, WebError> {
    let mut accounts = Accounts::default();
    let mut lines = Vec::with_capacity(entries.len());
    for e in entries {
        lines.push(line(web, &mut accounts, e)?);
    }
    let broken = report
        .first_broken
        .as_ref()
        .map(|(seq, why)| context! { seq => seq, why => why });
    Ok(context! {
        lines => Serde(lines), page, pages,
        newer => (page > 1).then(|| page - 1), older => (page < pages).then(|| page + 1),
        verified => context! { entries => report.entries, broken },
    })
}

/// Accounts looked up once per page.
#[derive(Default)]
struct Accounts(HashMap<i64, Option<User>>);

impl Accounts {
    /// `Name <email>` for `user:N`, or the name as the log has it.
    fn show(&mut self, web: &Web, name: &str) -> Result<String, WebError> {
        let Some(id) = name
            .strip_prefix("user:")
            .and_then(|n| n.parse::<i64>().ok())
        else {
            return Ok(name.to_string());
        };
        Ok(match self.user(web, id)? {
            Some(u) => format!("{} <{}>", u.display_name, u.email),
            None => format!("{name} (no such account)"),
        })
    }

    fn user(&mut self, web: &Web, id: i64) -> Result<Option<&User>, WebError> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.0.entry(id) {
            slot.insert(web.rrm().workspace.user(UserId(id))?);
        }
        Ok(self.0.get(&id).and_then(Option::as_ref))
    }
}

fn line(web: &Web, accounts: &mut Accounts, e: &AuditEntry) -> Result<Line, WebError> {
    let entry = &e.entry;
    let detail = match serde_json::from_str::<serde_json::Value>(&entry.detail) {
        Ok(serde_json::Value::Object(facts)) => {
            let mut pairs = Vec::new();
            for (key, value) in facts {
                let shown = match (key.as_str(), &value) {
                    ("user", serde_json::Value::Number(n)) => {
                        accounts.show(web, &format!("user:{n}"))?
                    }
                    (_, serde_json::Value::String(s)) => short(s),
                    _ => value.to_string(),
                };
                pairs.push((key, shown));
            }
            pairs
        }
        _ => vec![("detail".to_string(), entry.detail.clone())],
    };
    Ok(Line {
        seq: e.seq,
        at: entry.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        actor: accounts.show(web, &entry.actor)?,
        action: entry.action.clone(),
        case: entry.case_id.clone(),
        subject: short(&accounts.show(web, &entry.subject)?),
        subject_full: entry.subject.clone(),
        detail,
    })
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn hashes_are_shortened_and_other_names_kept() {
        let hash = "9e8b17f0a30d54671130541bf59eb12302c8c315986e6d63995d6f26d9326aa1";
        assert_eq!(short(&format!("file:{hash}")), "file:9e8b17f0a30d…");
        assert_eq!(short(hash), "9e8b17f0a30d…");
        assert_eq!(short("team:autos"), "team:autos");
        assert_eq!(short("file:not-a-hash"), "file:not-a-hash");
    }
}
