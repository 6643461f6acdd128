//! `/`: what the mechanism has done so far, in figures, and what is due next.

use axum::extract::State;
use axum::response::Html;
use minijinja::{context, value::Serde};

use super::deadlines::excerpt;
use crate::error::WebError;
use crate::page::Page;
use crate::{stats, Web};

/// `GET /`
pub async fn show(State(web): State<Web>, page: Page) -> Result<Html<String>, WebError> {
    let lang = page.lang;
    let (figures, deadlines) = web
        .blocking(move |w| {
            let entries = w.entries()?;
            Ok((stats::key_figures(&entries), excerpt(w, lang, 5)?))
        })
        .await?;
    web.html(
        "home.html",
        &page,
        context! {
            figures => Serde(figures),
            deadlines => Serde(deadlines),
            today => web.today().to_string(),
        },
    )
}
