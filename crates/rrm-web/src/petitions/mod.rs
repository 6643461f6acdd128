//! The public petition pages: the form to file a petition (`/petitions/new`), its receipt, and
//! the status check (`/petitions/status`). Every response is `Cache-Control: no-store`: the
//! receipt page shows a secret, and a petition's text must not linger in a shared cache.

mod form;
mod status;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::middleware::map_response;
use axum::response::Response;
use axum::routing::get;
use rrm_app::evidence::MAX_REQUEST_BYTES;

use crate::policy::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/petitions/new", get(form::show).post(form::submit))
        .route("/petitions/status", get(status::show).post(status::check))
        .map(|r| {
            r.layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
                .layer(map_response(no_store))
        })
}

/// Keeps a response out of every cache.
pub async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The petition a form sent, from its fields (the API's JSON has the same names).
pub fn input_from(
    form: &crate::upload::FormData,
    lang: crate::i18n::Lang,
) -> rrm_app::PetitionInput {
    let text = |name: &str| form.get(name).unwrap_or("").to_string();
    let ticked = |name: &str| matches!(form.get(name), Some("on" | "true" | "yes"));
    rrm_app::PetitionInput {
        office: text("office"),
        facility: text("facility"),
        company: text("company"),
        city: text("city"),
        state: text("state"),
        allegations: form.all("allegations"),
        narrative: text("narrative"),
        anonymous: ticked("anonymous"),
        organization: text("organization"),
        contact: text("contact"),
        consent: ticked("consent"),
        language: lang.code().to_string(),
    }
}
