//! [`Indexes`]: the two physical indexes — public and staff — and the access-aware entry
//! point, [`Indexes::search`], which takes the asker's [`Audience`].
//!
//! Invariant: a [`Audience::Public`] query reads the public index and nothing else, so no
//! filter bug can show the public a staff entry: the public index holds none. A staff query
//! reads the staff index, limited to the asker's [`CaseScope`] inside the query itself.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::classify::{public_entries, staff_entries, CaseSource};
use crate::index::SearchIndex;
use crate::{query, SearchError, SearchFilters, SearchResults};

/// Which cases a staff member may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseScope {
    All,
    Only(BTreeSet<String>),
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Anyone: the public index only.
    Public,
    /// A signed-in staff member: the staff index, within their cases.
    Staff { cases: CaseScope },
}

/// The public and the staff index.
#[derive(Debug)]
pub struct Indexes {
    pub public: SearchIndex,
    pub staff: SearchIndex,
}

impl Indexes {
    /// Opens (creating if needed) `DIR/public` and `DIR/staff`. An index of the old single
    /// layout (tantivy files directly in `DIR`) is derived data and is deleted first.
    pub fn open(dir: &Path) -> Result<Indexes, SearchError> {
        if dir.join("meta.json").exists() {
            std::fs::remove_dir_all(dir).map_err(|e| SearchError::directory(dir, e))?;
        }
        Ok(Indexes {
            public: SearchIndex::open_or_create(&public_dir(dir))?,
            staff: SearchIndex::open_or_create(&staff_dir(dir))?,
        })
    }

    pub fn in_memory() -> Result<Indexes, SearchError> {
        Ok(Indexes {
            public: SearchIndex::in_memory()?,
            staff: SearchIndex::in_memory()?,
        })
    }

    /// Searches the index `audience` may read. See [`SearchIndex`] for the query language:
    /// every word must match, `OR` widens, `"a phrase"`, accents and case optional; an empty
    /// query matches nothing, one over [`crate::MAX_QUERY_BYTES`] is refused.
    pub fn search(
        &self,
        audience: &Audience,
        text: &str,
        filters: &SearchFilters,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults, SearchError> {
        match audience {
            Audience::Public => query::search(&self.public, text, filters, None, limit, offset),
            Audience::Staff {
                cases: CaseScope::All,
            } => query::search(&self.staff, text, filters, None, limit, offset),
            Audience::Staff {
                cases: CaseScope::Only(ids),
            } => query::search(&self.staff, text, filters, Some(ids), limit, offset),
        }
    }

    /// Replaces the entries of these cases in both indexes (a case unpublished leaves the
    /// public index in this call), recording `watermark`.
    pub fn update(&self, sources: &[CaseSource], watermark: &str) -> Result<(), SearchError> {
        let mut public = Vec::with_capacity(sources.len());
        let mut staff = Vec::with_capacity(sources.len());
        for s in sources {
            let Some(id) = s.id() else { continue };
            public.push((id.to_string(), public_entries(s)));
            staff.push((id.to_string(), staff_entries(s)));
        }
        // The public side first: an unpublished case must be gone from it before anything.
        self.public.replace_cases(&public, Some(watermark))?;
        self.staff.replace_cases(&staff, Some(watermark))
    }

    /// Removes cases from both indexes.
    pub fn remove(&self, case_ids: &[String], watermark: &str) -> Result<(), SearchError> {
        let none: Vec<_> = case_ids.iter().map(|id| (id.clone(), Vec::new())).collect();
        self.public.replace_cases(&none, Some(watermark))?;
        self.staff.replace_cases(&none, Some(watermark))
    }

    /// Rebuilds both indexes from `sources`, in the order given (give them sorted by case id:
    /// the same sources in the same order give the same index), streaming: each source is
    /// dropped once indexed. `progress` is called once per case. Returns the number of entries
    /// in the public and in the staff index.
    pub fn rebuild(
        &self,
        sources: impl IntoIterator<Item = CaseSource>,
        watermark: &str,
        mut progress: impl FnMut(u64),
    ) -> Result<(u64, u64), SearchError> {
        let mut public = self.public.begin_rebuild()?;
        let mut staff = self.staff.begin_rebuild()?;
        for (i, s) in sources.into_iter().enumerate() {
            for e in public_entries(&s) {
                public.add(&e)?;
            }
            for e in staff_entries(&s) {
                staff.add(&e)?;
            }
            progress(i as u64 + 1);
        }
        Ok((
            public.finish(Some(watermark))?,
            staff.finish(Some(watermark))?,
        ))
    }

    /// The watermark both indexes agree on, or `None` if either lacks one or they differ
    /// (an interrupted update): then the indexes must be rebuilt.
    pub fn watermark(&self) -> Result<Option<String>, SearchError> {
        let (p, s) = (self.public.watermark()?, self.staff.watermark()?);
        Ok(if p == s { p } else { None })
    }
}

pub fn public_dir(dir: &Path) -> PathBuf {
    dir.join("public")
}

pub fn staff_dir(dir: &Path) -> PathBuf {
    dir.join("staff")
}
