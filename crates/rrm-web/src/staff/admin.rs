//! The admin pages: `/staff/admin/accounts` (every account with its role, teams and whether it
//! is disabled; forms to change the role, disable or enable it, and put it on or take it off
//! a team) and `/staff/admin/teams` (every team with its members; forms to create a team,
//! intake or not, and to add and remove members). Creating accounts stays at the server's
//! command line (`rrm user add`), because it needs a password typed by the operator.
//!
//! Invariant: the routes' rule (`policy.admin`) admits admins only, and the application
//! authorizes and audits every change (`Action::ManageAccounts`); an admin cannot disable
//! their own account or change their own role (`access.admin`).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::{context, value::Serde, Value};
use rrm_app::{Action, Actor, AppError};
use rrm_store::{Role, User};
use serde::Deserialize;

use super::outcome::{done, shown_again};
use super::workspace::Notice;
use super::{staff_context, Staff};
use crate::error::{whole_page, WebError};
use crate::page::Page;
use crate::upload::field;
use crate::Web;

const DONE: [&str; 6] = ["role", "disable", "enable", "join", "leave", "create"];

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    done: Option<String>,
}

/// Which admin page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Accounts,
    Teams,
}

impl Which {
    fn template(self) -> &'static str {
        match self {
            Which::Accounts => "staff_admin_accounts.html",
            Which::Teams => "staff_admin_teams.html",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Which::Accounts => "/staff/admin/accounts",
            Which::Teams => "/staff/admin/teams",
        }
    }
}

/// `GET /staff/admin/accounts`
pub async fn accounts(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let notice = done(p.done, &DONE);
    render(&web, &page, &staff, Which::Accounts, notice, StatusCode::OK).await
}

/// `GET /staff/admin/teams`
pub async fn teams(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let notice = done(p.done, &DONE);
    render(&web, &page, &staff, Which::Teams, notice, StatusCode::OK).await
}

/// `POST /staff/admin/accounts` (`op`: `role` with `role`, `disable`, `enable`, `join` or
/// `leave` with `team`; each with the account's `email`)
pub async fn change_account(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    change(web, page, staff, Which::Accounts, fields).await
}

/// `POST /staff/admin/teams` (`op`: `create` with `name` and `intake`; `join` or `leave`
/// with `team` and `email`)
pub async fn change_team(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    change(web, page, staff, Which::Teams, fields).await
}

async fn change(
    web: Web,
    page: Page,
    staff: Staff,
    which: Which,
    fields: Vec<(String, String)>,
) -> Result<Response, WebError> {
    staff.check(field(&fields, "csrf"))?;
    let user = staff.session.user.clone();
    let result = web.blocking(move |w| apply(w, &user, which, &fields)).await;
    match result {
        Ok(what) => Ok(Redirect::to(&format!("{}?done={what}", which.path())).into_response()),
        Err(e) => match shown_again(&e) {
            Some((status, notice)) => {
                render(&web, &page, &staff, which, Some(notice), status).await
            }
            None => Err(e),
        },
    }
}

fn apply(
    web: &Web,
    user: &User,
    which: Which,
    fields: &[(String, String)],
) -> Result<&'static str, WebError> {
    let rrm = web.rrm();
    let (actor, now) = (Actor::Account(user), web.now());
    let value = |name| field(fields, name).unwrap_or("").trim();
    let op = value("op");
    let ops: &[&'static str] = match which {
        Which::Accounts => &["role", "disable", "enable", "join", "leave"],
        Which::Teams => &["create", "join", "leave"],
    };
    let Some(&what) = ops.iter().find(|o| **o == op) else {
        return Err(
            AppError::BadInput(format!("op: `{op}` is not a change this page makes")).into(),
        );
    };
    if what == "create" {
        rrm.add_team(actor, value("name"), value("intake") == "on", now)?;
        return Ok(what);
    }
    let account = rrm.account(value("email"))?;
    match what {
        "role" => {
            let name = value("role");
            let role = Role::parse(name).ok_or_else(|| {
                AppError::BadInput(format!("role: `{name}` is not a role of this system"))
            })?;
            rrm.set_role(actor, &account, role, now)?;
        }
        "disable" | "enable" => rrm.set_disabled(actor, &account, what == "disable", now)?,
        _ => rrm.set_team_member(actor, value("team"), &account, what == "join", now)?,
    }
    Ok(what)
}

async fn render(
    web: &Web,
    page: &Page,
    staff: &Staff,
    which: Which,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let user = staff.session.user.clone();
    let ctx = web.blocking(move |w| build(w, &user, which)).await?;
    let ctx = context! { staff => staff_context(staff), notice => Serde(notice), ..ctx };
    Ok(whole_page(status, web.html(which.template(), page, ctx)?))
}

fn account(u: &User, me: &User, teams: Vec<String>) -> Value {
    context! {
        email => u.email.clone(), name => u.display_name.clone(), role => u.role.as_str(),
        staff => u.role.is_staff(), teams, me => u.id == me.id,
        disabled => u.disabled.map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string()),
    }
}

fn build(web: &Web, user: &User, which: Which) -> Result<Value, WebError> {
    let rrm = web.rrm();
    rrm.authorize(user, Action::ManageAccounts)?;
    let all_teams = rrm.access.teams()?;
    let names: Vec<String> = all_teams.iter().map(|t| t.name.clone()).collect();
    match which {
        Which::Accounts => {
            let mut accounts = Vec::new();
            for u in rrm.access.users()? {
                let teams = rrm.access.teams_of(u.id)?.into_iter().map(|t| t.name);
                accounts.push(account(&u, user, teams.collect()));
            }
            let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            Ok(context! { accounts, teams => names, roles })
        }
        Which::Teams => {
            let mut teams = Vec::new();
            for t in all_teams {
                let mut members = Vec::new();
                for id in rrm.access.team_members(t.id)? {
                    if let Some(u) = rrm.workspace.user(id)? {
                        members.push(account(&u, user, Vec::new()));
                    }
                }
                teams.push(context! {
                    name => t.name, intake => t.intake, members,
                    created => t.created.format("%Y-%m-%d").to_string(),
                });
            }
            Ok(context! { teams })
        }
    }
}
