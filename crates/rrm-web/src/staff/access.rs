//! `/staff/cases/{id}/access`: who reaches a case — the teams it is assigned to (none: the
//! intake teams) and the counterpart and respondent accounts granted it — with the forms that
//! assign and unassign teams and grant and revoke accounts by email.
//!
//! Invariant: the route's rule (`policy.manager_on_case`) asks `Action::ManageCaseAccess`
//! before the body is read, and the application asks again for every change, which it audits.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::{context, value::Serde, Value};
use rrm_app::{Action, Actor, AppError};
use rrm_store::User;
use serde::Deserialize;

use super::outcome::{done, shown_again};
use super::workspace::Notice;
use super::{staff_context, Staff};
use crate::error::{whole_page, WebError};
use crate::page::Page;
use crate::upload::field;
use crate::Web;

const DONE: [&str; 4] = ["assign", "unassign", "grant", "revoke"];

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    done: Option<String>,
}

/// `GET /staff/cases/{id}/access`
pub async fn show(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Path(id): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let notice = done(p.done, &DONE);
    render(&web, &page, &staff, id, notice, StatusCode::OK).await
}

async fn render(
    web: &Web,
    page: &Page,
    staff: &Staff,
    id: String,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let user = staff.session.user.clone();
    let ctx = web.blocking(move |w| build(w, &user, &id)).await?;
    let ctx = context! { staff => staff_context(staff), notice => Serde(notice), ..ctx };
    Ok(whole_page(
        status,
        web.html("staff_access.html", page, ctx)?,
    ))
}

fn account(u: &User) -> Value {
    context! {
        email => u.email.clone(), name => u.display_name.clone(), role => u.role.as_str(),
        disabled => u.disabled.is_some(),
    }
}

fn build(web: &Web, user: &User, id: &str) -> Result<Value, WebError> {
    let rrm = web.rrm();
    let (teams, granted) = rrm.case_access(Actor::Account(user), id)?;
    let all = rrm.access.teams()?;
    let assigned: Vec<String> = teams.into_iter().map(|t| t.name).collect();
    let intake: Vec<String> = all
        .iter()
        .filter(|t| t.intake)
        .map(|t| t.name.clone())
        .collect();
    let assignable: Vec<String> = all
        .into_iter()
        .map(|t| t.name)
        .filter(|n| !assigned.contains(n))
        .collect();
    let (case, _) = rrm.load_case(id)?;
    Ok(context! {
        case => id, facility => case.header.facility.name,
        assigned, intake, assignable,
        granted => granted.iter().map(account).collect::<Vec<_>>(),
        my_teams => rrm.access.teams_of(user.id)?.into_iter().map(|t| t.name).collect::<Vec<_>>(),
    })
}

/// `POST /staff/cases/{id}/access` (`op`: `assign`, `unassign` with `team`; `grant`,
/// `revoke` with `email`)
pub async fn change(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.check(field(&fields, "csrf"))?;
    let (user, case) = (staff.session.user.clone(), id.clone());
    let result = web.blocking(move |w| apply(w, &user, &case, &fields)).await;
    match result {
        // A supervisor who hands the case to a team they are not on no longer reaches it.
        Ok((what, true)) => {
            Ok(Redirect::to(&format!("/staff/cases/{id}/access?done={what}")).into_response())
        }
        Ok((_, false)) => Ok(Redirect::to("/staff").into_response()),
        Err(e) => match shown_again(&e) {
            Some((status, notice)) => render(&web, &page, &staff, id, Some(notice), status).await,
            None => Err(e),
        },
    }
}

/// Makes the change; says what was done and whether the account still manages the case.
fn apply(
    web: &Web,
    user: &User,
    case: &str,
    fields: &[(String, String)],
) -> Result<(&'static str, bool), WebError> {
    let rrm = web.rrm();
    let (actor, now) = (Actor::Account(user), web.now());
    let value = |name| field(fields, name).unwrap_or("").trim();
    let what = match value("op") {
        "assign" => "assign",
        "unassign" => "unassign",
        "grant" => "grant",
        "revoke" => "revoke",
        other => {
            return Err(AppError::BadInput(format!(
                "op: `{other}` is not assign, unassign, grant or revoke"
            ))
            .into())
        }
    };
    match what {
        "assign" | "unassign" => {
            rrm.assign_case(actor, case, value("team"), what == "assign", now)?
        }
        _ => {
            let grantee = rrm.account(value("email"))?;
            rrm.set_grant(actor, case, &grantee, what == "grant", now)?;
        }
    }
    let still = rrm.authorize(user, Action::ManageCaseAccess(case)).is_ok();
    Ok((what, still))
}
