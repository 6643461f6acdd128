//! API v1, the read side: cases, deadlines and statistics as JSON, and the OpenAPI 3.1
//! document generated from these handlers.
//!
//! Invariant: every API route is registered through utoipa-axum's `routes!`, which builds the
//! axum route and the document entry from the same `#[utoipa::path]`, so the two cannot
//! drift; an integration test checks the running router against the document both ways.
//! The API is public and read-only, so any origin may read it (CORS `*`, no credentials).

mod cases;
mod deadlines;
mod statistics;
pub mod types;

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::middleware::map_response;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
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
                       {\"error\": {\"code\", \"message\"}}."
    ),
    components(schemas(types::ErrorEnvelope))
)]
struct ApiDoc;

/// The API's routes and their document.
pub fn routes() -> OpenApiRouter<Web> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(cases::list))
        .routes(routes!(cases::show))
        .routes(routes!(deadlines::list))
        .routes(routes!(statistics::show))
        .routes(routes!(openapi))
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
