//! What the case workspace shows of a case's confidential side — the petition's submission and
//! evidence, later evidence, internal notes — and its documents, as template values. The
//! confidential side is read through one audited call (`Rrm::confidential_view`); without the
//! master key it is replaced by a notice saying so.

use std::collections::HashMap;

use minijinja::{context, Value};
use rrm_app::audit::hex;
use rrm_app::{AppError, ConfidentialView, EvidenceView, Rrm};
use rrm_store::{User, UserId};

use crate::error::WebError;

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn evidence(id: &str, files: &[EvidenceView]) -> Vec<Value> {
    files.iter().map(|e| context! {
        name => e.name.expose().clone(), sniffed => e.file.sniffed_type.clone(),
        declared => e.file.declared_type.clone(), size => e.file.size,
        sha256 => hex(&e.file.sha256), href => format!("/staff/cases/{id}/files/{}", hex(&e.file.sha256)),
    }).collect()
}

/// `{ unavailable, submission, evidence, notes }` for the workspace template.
pub fn confidential_context(
    rrm: &Rrm,
    user: &User,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Value, WebError> {
    let view: ConfidentialView = match rrm.confidential_view(user, id, now) {
        Ok(view) => view,
        Err(AppError::Unavailable(message)) => {
            let none: Vec<Value> = Vec::new();
            return Ok(
                context! { unavailable => message, evidence => none.clone(), notes => none },
            );
        }
        Err(e) => return Err(e.into()),
    };
    let submission = view.submission.map(|s| {
        let c = s.content.expose();
        context! {
            receipt => s.receipt, received => when(s.created),
            office => c.office.clone(), facility => c.facility.clone(), company => c.company.clone(),
            city => c.city.clone(), state => c.state.clone(), allegations => c.allegations.clone(),
            narrative => c.narrative.clone(), anonymous => c.anonymous, organization => c.organization.clone(),
            contact => c.contact.clone(), consent => c.consent, language => c.language.clone(),
            evidence => evidence(id, &s.evidence),
        }
    });
    let names = author_names(rrm, view.notes.iter().map(|n| n.author))?;
    let notes: Vec<Value> = view.notes.iter().map(|n| context! {
        author => names.get(&n.author).cloned(), text => n.text.expose().clone(), created => when(n.created),
    }).collect();
    Ok(context! { submission, evidence => evidence(id, &view.evidence), notes })
}

fn author_names(
    rrm: &Rrm,
    ids: impl Iterator<Item = UserId>,
) -> Result<HashMap<UserId, String>, WebError> {
    let mut names = HashMap::new();
    for id in ids {
        if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(id) {
            let name = rrm
                .workspace
                .user(id)?
                .map_or_else(|| format!("#{}", id.0), |u| u.display_name);
            slot.insert(name);
        }
    }
    Ok(names)
}

/// The case's documents; `None` when their names are sealed and the master key is absent.
pub fn documents_context(rrm: &Rrm, user: &User, id: &str) -> Result<Option<Vec<Value>>, WebError> {
    let documents = match rrm.documents(user, id) {
        Ok(d) => d,
        Err(AppError::Unavailable(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let names = author_names(rrm, documents.iter().map(|d| d.document.uploader))?;
    Ok(Some(documents.iter().map(|v| {
        let d = &v.document;
        context! {
            number => d.id.0, name => v.name.expose().clone(), content_type => d.content_type.clone(),
            size => d.size, uploader => names.get(&d.uploader).cloned(), created => when(d.created),
            classification => d.classification.as_str(), published => d.published,
            share_counterparts => d.sharing.counterparts, share_respondent => d.sharing.respondent,
            redacted_from => d.redacted_from.map(|f| f.0), action_item => d.action_item.clone(),
            sha256 => hex(&d.sha256), href => format!("/staff/cases/{id}/files/{}", hex(&d.sha256)),
        }
    }).collect()))
}
