//! The access rule of every route, and the layer that enforces it before any handler runs.
//!
//! **Deny by default:** [`enforce`] looks up the matched route's rule in [`RULES`]; a route
//! without one is refused with 403 (`policy.deny_by_default`), so a new route is unreachable
//! until someone writes down who may use it. Role rules are checked here, once, from the
//! session or the API token; per-case rules (is the account on the case's team, is the case
//! granted to it) are the application's (`rrm_app::access`), asked by every handler.
//!
//! [`Routes`] records the path of every route as the site is assembled, so the authorization
//! matrix test enumerates the router itself rather than a list kept by hand.

use axum::extract::{Extension, FromRequestParts, MatchedPath, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::Method;
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use axum::Router;
use rrm_app::Action;
use rrm_store::{Role, User};

use crate::api::ApiUser;
use crate::error::WebError;
use crate::staff::Staff;
use crate::Web;

/// Who may reach a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, signed in or not: the public portal, the petition form, signing in.
    Public,
    /// A sign-in whose password was accepted and whose second factor is awaited (its own
    /// cookie, not a session).
    PendingSignIn,
    /// A signed-in account of any role (signing out).
    SignedIn,
    /// A signed-in ILC staff account: analyst, supervisor or admin.
    Staff,
    /// A staff account whose teams reach the case named by the route's `{id}`: checked here,
    /// before the body is read, so a case out of reach answers 404 whatever was sent. (What
    /// the account may do on it is still the handler's question.)
    StaffOnCase,
    /// A signed-in admin.
    Admin,
    /// A staff account that `Action::ManageCaseAccess` allows on the case `{id}` (supervisors
    /// on its teams, admins on any case), checked before the body is read.
    ManagerOnCase,
    /// A signed-in counterpart or respondent account.
    External,
    /// A counterpart or respondent account the case `{id}` is granted to
    /// (`Action::ReadShared`), checked before the body is read.
    ExternalOnCase,
    /// A live API token in `Authorization: Bearer`.
    ApiToken,
    /// An API token of a staff account whose teams reach the case `{id}`.
    ApiTokenOnCase,
    /// A live calendar token in the query string, checked by the feed's handler (a calendar
    /// application cannot send a header or a cookie).
    CalendarToken,
}

impl Rule {
    /// Whether an account of `role` passes this rule (for rules that need an account).
    pub fn admits(self, role: Role) -> bool {
        match self {
            Rule::Public | Rule::PendingSignIn | Rule::SignedIn | Rule::CalendarToken => true,
            Rule::Staff
            | Rule::StaffOnCase
            | Rule::ManagerOnCase
            | Rule::ApiToken
            | Rule::ApiTokenOnCase => role.is_staff(),
            Rule::Admin => role == Role::Admin,
            Rule::External | Rule::ExternalOnCase => role.is_external(),
        }
    }

    /// The rule's name in refusals and `docs/security.md`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Public => "policy.public",
            Rule::PendingSignIn => "policy.pending_sign_in",
            Rule::SignedIn => "policy.signed_in",
            Rule::Staff => "policy.staff",
            Rule::StaffOnCase => "policy.staff_on_case",
            Rule::Admin => "policy.admin",
            Rule::ManagerOnCase => "policy.manager_on_case",
            Rule::External => "policy.external",
            Rule::ExternalOnCase => "policy.external_on_case",
            Rule::ApiToken => "policy.api_token",
            Rule::ApiTokenOnCase => "policy.api_token_on_case",
            Rule::CalendarToken => "policy.calendar_token",
        }
    }
}

/// Every route's rule, by method and route template. `HEAD` follows `GET`.
pub const RULES: &[(Method, &str, Rule)] = &[
    (Method::GET, "/", Rule::Public),
    (Method::GET, "/cases", Rule::Public),
    (Method::GET, "/cases/{id}", Rule::Public),
    (
        Method::GET,
        "/cases/{id}/documents/{document}",
        Rule::Public,
    ),
    (Method::GET, "/deadlines", Rule::Public),
    (Method::GET, "/statistics", Rule::Public),
    (Method::GET, "/statistics/{file}", Rule::Public),
    (Method::GET, "/downloads", Rule::Public),
    (Method::GET, "/downloads/cases.json", Rule::Public),
    (Method::GET, "/downloads/cases.csv", Rule::Public),
    (Method::GET, "/search", Rule::Public),
    (Method::GET, "/petitions/new", Rule::Public),
    (Method::POST, "/petitions/new", Rule::Public),
    (Method::GET, "/petitions/status", Rule::Public),
    (Method::POST, "/petitions/status", Rule::Public),
    (Method::GET, "/healthz", Rule::Public),
    (Method::GET, "/metrics", Rule::Public),
    (Method::GET, "/assets/{file}", Rule::Public),
    (Method::GET, "/staff/login", Rule::Public),
    (Method::POST, "/staff/login", Rule::Public),
    (Method::GET, "/staff/login/verify", Rule::PendingSignIn),
    (Method::POST, "/staff/login/verify", Rule::PendingSignIn),
    (Method::POST, "/staff/logout", Rule::SignedIn),
    (Method::GET, "/staff", Rule::Staff),
    (Method::GET, "/staff/cases/{id}", Rule::StaffOnCase),
    (Method::POST, "/staff/cases/{id}/events", Rule::StaffOnCase),
    (Method::POST, "/staff/cases/{id}/notes", Rule::StaffOnCase),
    (
        Method::POST,
        "/staff/cases/{id}/documents",
        Rule::StaffOnCase,
    ),
    (
        Method::POST,
        "/staff/cases/{id}/publication",
        Rule::StaffOnCase,
    ),
    (
        Method::POST,
        "/staff/cases/{id}/documents/{document}/publication",
        Rule::StaffOnCase,
    ),
    (
        Method::GET,
        "/staff/cases/{id}/files/{sha256}",
        Rule::StaffOnCase,
    ),
    (Method::POST, "/staff/calendar", Rule::Staff),
    (Method::GET, "/staff/search", Rule::Staff),
    (Method::GET, "/staff/calendar.ics", Rule::CalendarToken),
    (Method::GET, "/staff/cases/{id}/access", Rule::ManagerOnCase),
    (
        Method::POST,
        "/staff/cases/{id}/access",
        Rule::ManagerOnCase,
    ),
    (Method::GET, "/staff/cases/{id}/audit", Rule::StaffOnCase),
    (Method::GET, "/staff/audit", Rule::Admin),
    (Method::GET, "/staff/admin/accounts", Rule::Admin),
    (Method::POST, "/staff/admin/accounts", Rule::Admin),
    (Method::GET, "/staff/admin/teams", Rule::Admin),
    (Method::POST, "/staff/admin/teams", Rule::Admin),
    (Method::GET, "/shared", Rule::External),
    (Method::GET, "/shared/cases/{id}", Rule::ExternalOnCase),
    (
        Method::GET,
        "/shared/cases/{id}/files/{sha256}",
        Rule::ExternalOnCase,
    ),
    (
        Method::POST,
        "/shared/cases/{id}/answers",
        Rule::ExternalOnCase,
    ),
    (Method::GET, "/api/v1/cases", Rule::Public),
    (Method::POST, "/api/v1/cases", Rule::ApiToken),
    (Method::GET, "/api/v1/cases/{id}", Rule::Public),
    (
        Method::POST,
        "/api/v1/cases/{id}/events",
        Rule::ApiTokenOnCase,
    ),
    (Method::POST, "/api/v1/petitions", Rule::Public),
    (Method::GET, "/api/v1/deadlines", Rule::Public),
    (Method::GET, "/api/v1/statistics", Rule::Public),
    (Method::GET, "/api/v1/search", Rule::Public),
    (Method::GET, "/api/openapi.json", Rule::Public),
];

/// The rule of a route, or `None`: refused by default.
pub fn rule_for(method: &Method, route: &str) -> Option<Rule> {
    let method = if method == Method::HEAD {
        &Method::GET
    } else {
        method
    };
    RULES
        .iter()
        .find(|(m, r, _)| m == method && *r == route)
        .map(|&(_, _, rule)| rule)
}

/// Puts the policy in front of every method a route serves (a method it does not serve still
/// answers 405 without it, so the matrix test can tell served methods from others).
pub fn guard(method_router: MethodRouter<Web>) -> MethodRouter<Web> {
    method_router.route_layer(from_fn(enforce))
}

/// The policy layer: finds the route's rule and lets the request through only if it passes.
/// The account it finds is handed on in the request's extensions, so the handler's `Staff`
/// or `ApiUser` extractor does not look it up again. (`Web` comes as an extension because the
/// routes are built before the state.)
pub async fn enforce(Extension(web): Extension<Web>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let method = request.method().clone();
    let Some(rule) = route.as_ref().and_then(|r| rule_for(&method, r.as_str())) else {
        let route = route.as_ref().map_or("?", |r| r.as_str());
        return WebError::Forbidden(format!(
            "no access rule is written for {method} {route}, so it is refused \
             (rule policy.deny_by_default)"
        ))
        .into_response();
    };
    let (mut parts, body) = request.into_parts();
    let account = match admit(&web, &mut parts, rule).await {
        Ok(account) => account,
        Err(refused) => return refused,
    };
    if let Some(user) = account {
        if let Err(refused) = on_case(&web, &mut parts, rule, user).await {
            return refused;
        }
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The account a rule needs, found from the session or the token and checked for its role;
/// `None` for rules that need no account.
async fn admit(web: &Web, parts: &mut Parts, rule: Rule) -> Result<Option<User>, Response> {
    let user = match rule {
        Rule::Public | Rule::CalendarToken => return Ok(None),
        Rule::PendingSignIn => {
            return match crate::staff::pending(web, &parts.headers).await {
                Ok(Some(_)) => Ok(None),
                Ok(None) => Err(Redirect::to("/staff/login").into_response()),
                Err(e) => Err(e.into_response()),
            };
        }
        Rule::ApiToken | Rule::ApiTokenOnCase => {
            let found = ApiUser::from_request_parts(parts, web)
                .await
                .map_err(IntoResponse::into_response)?;
            parts.extensions.insert(found.clone());
            found.0
        }
        Rule::SignedIn
        | Rule::Staff
        | Rule::StaffOnCase
        | Rule::ManagerOnCase
        | Rule::Admin
        | Rule::External
        | Rule::ExternalOnCase => {
            let found = Staff::from_request_parts(parts, web).await?;
            parts.extensions.insert(found.clone());
            found.session.user
        }
    };
    match rule.admits(user.role) {
        true => Ok(Some(user)),
        false => Err(WebError::Forbidden(format!(
            "a {} account may not use this page (rule {})",
            user.role.as_str(),
            rule.name()
        ))
        .into_response()),
    }
}

/// What a per-case rule asks of the case the route names, or `None` for other rules.
fn case_action(rule: Rule, case: &str) -> Option<Action<'_>> {
    match rule {
        Rule::StaffOnCase | Rule::ApiTokenOnCase => Some(Action::ReadCase(case)),
        Rule::ManagerOnCase => Some(Action::ManageCaseAccess(case)),
        Rule::ExternalOnCase => Some(Action::ReadShared(case)),
        _ => None,
    }
}

/// For the per-case rules: the account must be allowed the rule's action on the case the
/// route names.
async fn on_case(web: &Web, parts: &mut Parts, rule: Rule, user: User) -> Result<(), Response> {
    if case_action(rule, "").is_none() {
        return Ok(());
    }
    let params = RawPathParams::from_request_parts(parts, web)
        .await
        .map_err(IntoResponse::into_response)?;
    let case = params
        .iter()
        .find(|(name, _)| *name == "id")
        .map(|(_, value)| value.to_string())
        .ok_or_else(|| WebError::Internal("a per-case rule on a route without {id}".into()))
        .map_err(IntoResponse::into_response)?;
    web.blocking(move |w| match case_action(rule, &case) {
        Some(action) => Ok(w.rrm().authorize(&user, action)?),
        None => Ok(()),
    })
    .await
    .map_err(IntoResponse::into_response)
}

/// A router that records the path of every route it is given.
pub struct Routes {
    router: Router<Web>,
    paths: Vec<&'static str>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            paths: Vec::new(),
        }
    }

    pub fn route(mut self, path: &'static str, method_router: MethodRouter<Web>) -> Routes {
        self.paths.push(path);
        self.router = self.router.route(path, guard(method_router));
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.paths.extend(other.paths);
        self.router = self.router.merge(other.router);
        self
    }

    /// Applies layers to the routes so far (e.g. a body limit), keeping their paths.
    pub fn map(mut self, f: impl FnOnce(Router<Web>) -> Router<Web>) -> Routes {
        self.router = f(self.router);
        self
    }

    pub fn paths(&self) -> &[&'static str] {
        &self.paths
    }

    pub fn into_router(self) -> Router<Web> {
        self.router
    }
}
