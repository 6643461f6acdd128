//! `rrm reindex` rebuilds the public search index in `DATA/search-index/` from the store;
//! `rrm search QUERY` asks it.
//!
//! The index holds published cases only (see the `rrm-search` crate documentation for the
//! fields and why they are safe). It is not yet updated on `record` or `import`: run
//! `rrm reindex` after either (incremental indexing is next).

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::json;

use rrm_app::{AppError, Rrm};
use rrm_search::{CaseDoc, CaseMeta, SearchFilters, SearchIndex};
use rrm_store::CaseFilter;

use crate::exit::Failure;

/// The search index directory inside a data directory.
pub const INDEX_DIR: &str = "search-index";

pub fn index_dir(data: &Path) -> PathBuf {
    data.join(INDEX_DIR)
}

/// Every published case with the store's stage, outcome and year.
pub fn published_cases(rrm: &Rrm) -> Result<Vec<CaseDoc>, Failure> {
    let filter = CaseFilter {
        published: Some(true),
        ..CaseFilter::default()
    };
    let (rows, _) = rrm.store.list_cases(&filter).map_err(AppError::from)?;
    let mut docs = Vec::with_capacity(rows.len());
    for row in rows {
        let (case, _) = rrm.load_case(&row.id)?;
        docs.push(CaseDoc {
            case,
            published: true,
            meta: CaseMeta {
                stage: Some(row.projection.stage.clone()),
                outcome: row.projection.outcome.clone(),
                year: row.projection.facets.year,
            },
        });
    }
    Ok(docs)
}

pub fn reindex(rrm: &Rrm, data: &Path) -> Result<(), Failure> {
    let dir = index_dir(data);
    let docs = published_cases(rrm)?;
    let index = SearchIndex::open_or_create(&dir)
        .with_context(|| format!("cannot open search index {}", dir.display()))?;
    let bar = super::progress(docs.len() as u64, "indexing");
    let indexed = index
        .rebuild(docs, |i| bar.set_position(i))
        .context("cannot rebuild the search index")?;
    bar.finish_and_clear();
    eprintln!("Indexed {indexed} published cases into {}", dir.display());
    Ok(())
}

pub fn search(
    data: &Path,
    query: &str,
    filters: SearchFilters,
    limit: usize,
    as_json: bool,
) -> Result<(), Failure> {
    let dir = index_dir(data);
    if !dir.exists() {
        return Err(Failure::bad_input(format!(
            "no search index in {}: run `rrm reindex` first",
            dir.display()
        )));
    }
    let index = SearchIndex::open_or_create(&dir)
        .with_context(|| format!("cannot open search index {}", dir.display()))?;
    let results = match index.search(query, &filters, limit, 0) {
        Ok(r) => r,
        Err(e @ rrm_search::SearchError::QueryTooLong) => {
            return Err(Failure::bad_input(e.to_string()))
        }
        Err(e) => return Err(anyhow::Error::from(e).into()),
    };
    if as_json {
        let hits: Vec<_> = results
            .hits
            .iter()
            .map(|h| {
                json!({"id": h.case_id, "title": h.title, "score": h.score,
                       "snippet_html": h.snippet_html})
            })
            .collect();
        let value = json!({
            "total": results.total, "hits": hits,
            "facets": {"stage": results.facets.stage, "year": results.facets.year,
                       "outcome": results.facets.outcome},
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).expect("JSON serializes")
        );
        return Ok(());
    }
    println!("{} matching cases", results.total);
    for h in &results.hits {
        println!("{:<30} {:>7.2}  {}", h.case_id, h.score, h.title);
        let text = h
            .snippet_html
            .replace("<mark>", "[")
            .replace("</mark>", "]");
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        if !text.is_empty() {
            println!("    {}", text.replace('\n', " "));
        }
    }
    Ok(())
}
