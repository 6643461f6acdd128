//! `rrm reindex` rebuilds both search indexes (`DATA/search-index/public` and `.../staff`)
//! from the store; `rrm search QUERY` asks the public one (`--staff`: the staff one, as an
//! operator who may see every case). Commands that write (`import`, `record`) keep an existing
//! index up to date as they go; `rrm serve` rebuilds a missing or stale one at start.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use serde_json::json;

use rrm_app::Rrm;
use rrm_search::{Audience, CaseScope, HitKind, Indexer, SearchFilters};

use crate::exit::Failure;

/// The search index directory inside a data directory.
pub const INDEX_DIR: &str = "search-index";

pub fn index_dir(data: &Path) -> PathBuf {
    data.join(INDEX_DIR)
}

pub fn open_indexer(data: &Path) -> Result<Arc<Indexer>, Failure> {
    let dir = index_dir(data);
    let indexer = Indexer::open(&dir)
        .with_context(|| format!("cannot open the search index {}", dir.display()))?;
    Ok(Arc::new(indexer))
}

/// `rrm` telling the search index of its writes, if the data directory has one.
pub fn follow_writes(rrm: Rrm, data: &Path) -> Result<Rrm, Failure> {
    if !index_dir(data).exists() {
        return Ok(rrm);
    }
    Ok(rrm.with_listener(open_indexer(data)?))
}

pub fn reindex(rrm: &Rrm, data: &Path) -> Result<(), Failure> {
    let indexer = open_indexer(data)?;
    let bar = super::progress(0, "indexing");
    let report = indexer
        .rebuild(rrm, |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .context("cannot rebuild the search index")?;
    bar.finish_and_clear();
    eprintln!(
        "Indexed {} cases and {} documents into {}: {} public entries, {} staff entries",
        report.cases,
        report.documents,
        index_dir(data).display(),
        report.public_entries,
        report.staff_entries
    );
    for (case, document, status) in &report.document_problems {
        eprintln!("  case {case}, document {document}: {status}");
    }
    Ok(())
}

pub fn search(
    data: &Path,
    query: &str,
    filters: SearchFilters,
    limit: usize,
    staff: bool,
    as_json: bool,
) -> Result<(), Failure> {
    if !index_dir(data).exists() {
        return Err(Failure::bad_input(format!(
            "no search index in {}: run `rrm reindex` first",
            index_dir(data).display()
        )));
    }
    let indexer = open_indexer(data)?;
    let audience = match staff {
        true => Audience::Staff {
            cases: CaseScope::All,
        },
        false => Audience::Public,
    };
    let results = match indexer.search(&audience, query, &filters, limit, 0) {
        Ok(r) => r,
        Err(e @ rrm_search::SearchError::QueryTooLong) => {
            return Err(Failure::bad_input(e.to_string()))
        }
        Err(e) => return Err(anyhow::Error::from(e).into()),
    };
    if as_json {
        print_json(&results);
        return Ok(());
    }
    println!("{} matches", results.total);
    for h in &results.hits {
        let what = match h.kind {
            HitKind::Case => h.case_id.clone(),
            HitKind::Document(d) => format!("{} document {d}", h.case_id),
        };
        println!("{what:<30} {:>7.2}  {}", h.score, h.title);
        let text = plain(&h.snippet_html);
        if !text.is_empty() {
            println!("    {}", text.replace('\n', " "));
        }
    }
    Ok(())
}

fn print_json(results: &rrm_search::SearchResults) {
    let hits: Vec<_> = results
        .hits
        .iter()
        .map(|h| {
            let document = match h.kind {
                HitKind::Case => None,
                HitKind::Document(d) => Some(d),
            };
            json!({"id": h.case_id, "document": document, "title": h.title, "score": h.score,
                   "snippet_html": h.snippet_html})
        })
        .collect();
    let f = &results.facets;
    let value = json!({
        "total": results.total, "hits": hits,
        "facets": {"stage": f.stage, "year": f.year, "outcome": f.outcome,
                   "state": f.state, "sector": f.sector},
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&value).expect("JSON serializes")
    );
}

/// A snippet for a terminal: `[word]` for a highlight, entities decoded.
fn plain(snippet_html: &str) -> String {
    snippet_html
        .replace("<mark>", "[")
        .replace("</mark>", "]")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
