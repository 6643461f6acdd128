//! API v1: cases, deadlines, statistics and search of the public record as JSON; filing a petition (public); recording
//! events and creating cases (staff, `Authorization: Bearer` with an API token); and the
//! OpenAPI 3.1 document generated from these handlers.
//!
//! Invariant: every API route is registered through utoipa-axum's `routes!`, which builds the
//! axum route and the document entry from the same `#[utoipa::path]`, so the two cannot
//! drift; an integration test checks the running router against the document both ways.
//! Any origin may call the API (CORS `*`): it uses no cookies, so a page elsewhere cannot act
//! with a visitor's credentials.

mod auth;
pub use auth::ApiUser;
mod cases;
mod deadlines;
mod petitions;
mod search;
mod statistics;
pub mod types;
pub mod types_write;
mod writes;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue};
use axum::middleware::map_response;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use crate::Web;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "rrm API",
        version = "1",
        description = "Cases under the USMCA Rapid Response Labor Mechanism: their events, \
                       clocks and deadlines, and statistics of the public record. Dates are \
                       ISO 8601 (YYYY-MM-DD); an unknown date is null. Errors are \
                       {\"error\": {\"code\", \"message\"}}, with \"rule\" when the \
                       procedure refused. Writes other than filing a petition need a staff \
                       API token: Authorization: Bearer <token>."
    ),
    components(schemas(types::ErrorEnvelope)),
    modifiers(&BearerToken)
)]
struct ApiDoc;

/// The `bearer` security scheme the write routes name.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// An API route with the access policy in front of each method it serves.
fn guarded((schemas, paths, method_router): UtoipaMethodRouter<Web>) -> UtoipaMethodRouter<Web> {
    (schemas, paths, crate::policy::guard(method_router))
}

/// The API's routes and their document.
pub fn routes() -> OpenApiRouter<Web> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(guarded(routes!(cases::list, writes::create_case)))
        .routes(guarded(routes!(cases::show)))
        .routes(guarded(routes!(writes::record_event)))
        .merge(
            OpenApiRouter::new()
                .routes(guarded(routes!(petitions::file)))
                .layer(DefaultBodyLimit::max(rrm_app::evidence::MAX_REQUEST_BYTES)),
        )
        .routes(guarded(routes!(deadlines::list)))
        .routes(guarded(routes!(statistics::show)))
        .routes(guarded(routes!(search::search)))
        .routes(guarded(routes!(openapi)))
        .layer(map_response(allow_any_origin))
}

async fn allow_any_origin(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "get_openapi",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json"))
)]
async fn openapi(State(web): State<Web>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        web.openapi.as_str().to_string(),
    )
        .into_response()
}
