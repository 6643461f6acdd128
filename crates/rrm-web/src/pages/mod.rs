//! The public portal's pages: one module per page, each a handler that parses the request,
//! builds a view model on the blocking pool, and renders a template.
//!
//! View models here are for templates only (they derive `Serialize` because minijinja reads
//! them through serde); the API's JSON shapes live in `api/types.rs`.

pub(crate) mod case;
mod cases;
mod deadlines;
mod home;
pub(crate) mod search;
mod statistics;
mod timeline;

use axum::response::Html;
use axum::routing::get;
use minijinja::Value;
use rrm_app::Rrm;

use crate::error::WebError;
use crate::i18n::Lang;
use crate::page::Page;
use crate::policy::Routes;
use crate::Web;

pub fn routes() -> Routes {
    Routes::new()
        .route("/", get(home::show))
        .route("/cases", get(cases::index))
        .route("/cases/{id}", get(case::show))
        .route("/cases/{id}/documents/{document}", get(case::document))
        .route("/search", get(search::show))
        .route("/deadlines", get(deadlines::index))
        .route("/statistics", get(statistics::show))
        .route("/statistics/{file}", get(statistics::csv))
        .route("/downloads", get(crate::downloads::page))
        .route("/downloads/cases.json", get(crate::downloads::cases_json))
        .route("/downloads/cases.csv", get(crate::downloads::cases_csv))
}

impl Web {
    /// Renders a page template.
    pub(crate) fn html(
        &self,
        name: &str,
        page: &Page,
        ctx: Value,
    ) -> Result<Html<String>, WebError> {
        self.templates.render(name, page, ctx).map(Html)
    }
}

/// A stage's name in `lang`, from the procedure definitions; the id if no procedure has it.
pub(crate) fn stage_name(rrm: &Rrm, procedure: &str, stage: &str, lang: Lang) -> String {
    rrm.procedures
        .get(procedure)
        .and_then(|p| p.stage_by_name(stage).map(|s| p.stage(s)))
        .or_else(|| {
            // A facet value is a stage id that may belong to either annex.
            rrm.procedures
                .iter()
                .find_map(|p| p.stage_by_name(stage).map(|s| p.stage(s)))
        })
        .map(|s| s.name.get(lang.code()).to_string())
        .unwrap_or_else(|| stage.to_string())
}

/// A procedure's name in `lang`.
pub(crate) fn procedure_name(rrm: &Rrm, procedure: &str, lang: Lang) -> String {
    rrm.procedures
        .get(procedure)
        .map(|p| p.name.get(lang.code()).to_string())
        .unwrap_or_else(|| procedure.to_string())
}
