//! [`Indexer`]: keeps the two indexes following the store. It listens to the application's
//! committed writes ([`rrm_app::ChangeListener`]) and updates the affected cases at once, and
//! rebuilds both indexes from the store when they are missing or stale (`rrm reindex`, or
//! `rrm serve` at start, in the background).
//!
//! Invariants:
//! - Updates are serialized, each reading the store after the write it follows, so the last
//!   update of a case reflects its last committed state. An unpublished case leaves the public
//!   index before `set_published` returns (outside a rebuild; during one, the change is
//!   queued and applied when it ends, and the web's public filter hides the case meanwhile).
//! - A failed update leaves the index's watermark behind the store's, so the next start
//!   rebuilds; the failure is kept in [`IndexStatus::last_error`] for staff to see.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rrm_app::{Change, ChangeListener, Rrm};

use crate::classify::{public_entries, refreshed_documents, staff_entries, CaseSource};
use crate::extract::ExtractStatus;
use crate::indexes::{Audience, Indexes};
use crate::source::{all_rows, bare_source, case_source, document, row_source, watermark};
use crate::{SearchError, SearchFilters, SearchResults};

/// What the indexer is doing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexStatus {
    /// A rebuild is under way; queries answer from the previous index.
    pub building: bool,
    /// The indexes have been built at least once (an empty index before that says nothing).
    pub ready: bool,
    pub last_error: Option<String>,
}

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RebuildReport {
    pub cases: u64,
    pub public_entries: u64,
    pub staff_entries: u64,
    pub documents: u64,
    /// Documents whose text was not (fully) extracted: case id, document id, status.
    pub document_problems: Vec<(String, i64, String)>,
}

#[derive(Default)]
struct State {
    status: IndexStatus,
    /// Cases changed during a rebuild, applied when it ends.
    pending: BTreeSet<String>,
}

pub struct Indexer {
    indexes: Indexes,
    state: Mutex<State>,
    /// Held while an update reads the store and writes the indexes.
    updating: Mutex<()>,
}

impl std::fmt::Debug for Indexer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Indexer").finish_non_exhaustive()
    }
}

impl Indexer {
    /// The indexes under `dir` (`dir/public`, `dir/staff`).
    pub fn open(dir: &Path) -> Result<Indexer, SearchError> {
        Ok(Indexer::new(Indexes::open(dir)?))
    }

    pub fn in_memory() -> Result<Indexer, SearchError> {
        Ok(Indexer::new(Indexes::in_memory()?))
    }

    fn new(indexes: Indexes) -> Indexer {
        let ready = indexes.watermark().ok().flatten().is_some();
        let state = State {
            status: IndexStatus {
                ready,
                ..IndexStatus::default()
            },
            ..State::default()
        };
        Indexer {
            indexes,
            state: Mutex::new(state),
            updating: Mutex::new(()),
        }
    }

    pub fn indexes(&self) -> &Indexes {
        &self.indexes
    }

    pub fn status(&self) -> IndexStatus {
        self.state().status.clone()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// See [`Indexes::search`].
    pub fn search(
        &self,
        audience: &Audience,
        text: &str,
        filters: &SearchFilters,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults, SearchError> {
        self.indexes.search(audience, text, filters, limit, offset)
    }

    /// Whether both indexes reflect the store as it is now.
    pub fn is_current(&self, rrm: &Rrm) -> Result<bool, SearchError> {
        Ok(self.indexes.watermark()?.as_deref() == Some(watermark(rrm)?.as_str()))
    }

    /// Rebuilds both indexes from the store; `progress(done, total)` is called once per case.
    /// Changes committed meanwhile are applied when the rebuild ends.
    pub fn rebuild(
        &self,
        rrm: &Rrm,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<RebuildReport, SearchError> {
        self.state().status.building = true;
        let result = self.rebuild_inner(rrm, &mut progress);
        let pending = {
            let mut state = self.state();
            state.status.building = false;
            match &result {
                Ok(_) => state.status.ready = true,
                Err(e) => state.status.last_error = Some(e.to_string()),
            }
            std::mem::take(&mut state.pending)
        };
        if !pending.is_empty() {
            self.apply(rrm, &Change::CasesCreated(pending.into_iter().collect()));
        }
        result
    }

    fn rebuild_inner(
        &self,
        rrm: &Rrm,
        progress: &mut impl FnMut(u64, u64),
    ) -> Result<RebuildReport, SearchError> {
        // Read before the rows: a write during the rebuild moves the store past it.
        let mark = watermark(rrm)?;
        let rows = all_rows(rrm)?;
        let unpublished: BTreeSet<String> = rrm.workspace.unpublished()?.into_iter().collect();
        let total = rows.len() as u64;
        let mut report = RebuildReport::default();
        let mut failure = None;
        let sources = rows
            .iter()
            .map_while(|row| match row_source(rrm, row, &unpublished) {
                Ok(s) => {
                    note_documents(&mut report, &s);
                    Some(s)
                }
                Err(e) => {
                    failure = Some(e);
                    None
                }
            });
        let (public, staff) = self
            .indexes
            .rebuild(sources, &mark, |done| progress(done, total))?;
        if let Some(e) = failure {
            // The new index is incomplete: record no watermark, so it is rebuilt again.
            self.indexes.public.rebuild([], None)?;
            self.indexes.staff.rebuild([], None)?;
            return Err(e);
        }
        report.cases = total;
        report.public_entries = public;
        report.staff_entries = staff;
        Ok(report)
    }

    /// Applies one committed change; failures are kept in the status, not returned (the
    /// write they follow has succeeded).
    pub fn apply(&self, rrm: &Rrm, change: &Change) {
        {
            let mut state = self.state();
            if state.status.building {
                state.pending.extend(change.case_ids());
                return;
            }
        }
        let _guard = self.updating.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = self.update(rrm, change) {
            self.state().status.last_error = Some(format!("updating the search index: {e}"));
        }
    }

    /// Applies several committed changes in one commit per index (what a queue that filled up
    /// while the last update ran holds); like [`Indexer::apply`], failures go to the status.
    pub fn apply_all(&self, rrm: &Rrm, changes: &[Change]) {
        if let [one] = changes {
            return self.apply(rrm, one);
        }
        {
            let mut state = self.state();
            if state.status.building {
                state
                    .pending
                    .extend(changes.iter().flat_map(Change::case_ids));
                return;
            }
        }
        let _guard = self.updating.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = self.update_all(rrm, changes) {
            self.state().status.last_error = Some(format!("updating the search index: {e}"));
        }
    }

    /// Cases created or republished are read whole; the others keep the documents each index
    /// holds and add the new ones, as [`Indexer::refresh`] does, all in one commit per index.
    fn update_all(&self, rrm: &Rrm, changes: &[Change]) -> Result<(), SearchError> {
        let mark = watermark(rrm)?;
        let mut whole = BTreeSet::new();
        let mut new_docs: std::collections::BTreeMap<String, Vec<rrm_store::FileId>> =
            Default::default();
        for change in changes {
            match change {
                Change::EventRecorded(id) => new_docs.entry(id.clone()).or_default(),
                Change::DocumentAdded { case_id, document } => {
                    let docs = new_docs.entry(case_id.clone()).or_default();
                    docs.push(*document);
                    docs
                }
                Change::CasesCreated(_) | Change::PublicationChanged { .. } => {
                    whole.extend(change.case_ids());
                    continue;
                }
            };
        }
        if !whole.is_empty() {
            self.update(rrm, &Change::CasesCreated(whole.iter().cloned().collect()))?;
        }
        let mut sources = Vec::new();
        for (id, files) in new_docs.into_iter().filter(|(id, _)| !whole.contains(id)) {
            let mut source = bare_source(rrm, &id, &rrm.projection(&id)?)?;
            let docs = rrm.workspace.documents(&id)?;
            for d in docs.iter().filter(|d| files.contains(&d.id)) {
                source.documents.push(document(rrm, d)?);
            }
            sources.push(source);
        }
        self.refresh_many(&sources, &mark)
    }

    fn update(&self, rrm: &Rrm, change: &Change) -> Result<(), SearchError> {
        let mark = watermark(rrm)?;
        match change {
            Change::EventRecorded(id) => {
                let source = bare_source(rrm, id, &rrm.projection(id)?)?;
                self.refresh(&source, &mark)
            }
            Change::DocumentAdded {
                case_id,
                document: file,
            } => {
                let mut source = bare_source(rrm, case_id, &rrm.projection(case_id)?)?;
                let docs = rrm.workspace.documents(case_id)?;
                for d in docs.iter().filter(|d| d.id == *file) {
                    source.documents.push(document(rrm, d)?);
                }
                self.refresh(&source, &mark)
            }
            Change::CasesCreated(_) | Change::PublicationChanged { .. } => {
                let mut sources = Vec::new();
                let mut gone = Vec::new();
                for id in change.case_ids() {
                    match case_source(rrm, &id)? {
                        Some(s) => sources.push(s),
                        None => gone.push(id),
                    }
                }
                self.indexes.remove(&gone, &mark)?;
                self.indexes.update(&sources, &mark)
            }
        }
    }

    /// Replaces a case's own entry and adds `source.documents`, keeping (with refreshed
    /// facets) the documents each index already holds, so their text is not extracted again.
    fn refresh(&self, source: &CaseSource, mark: &str) -> Result<(), SearchError> {
        self.refresh_many(std::slice::from_ref(source), mark)
    }

    /// [`Indexer::refresh`] for several cases, one commit per index (public first).
    fn refresh_many(&self, sources: &[CaseSource], mark: &str) -> Result<(), SearchError> {
        if sources.is_empty() {
            return Ok(());
        }
        let indexes: [(_, EntriesOf); 2] = [
            (&self.indexes.public, public_entries),
            (&self.indexes.staff, staff_entries),
        ];
        for (index, entries_of) in indexes {
            let mut cases = Vec::with_capacity(sources.len());
            for source in sources {
                let Some(id) = source.id() else { continue };
                let kept = index.entries_of(id)?;
                cases.push((
                    id.to_string(),
                    refreshed_documents(entries_of(source), kept),
                ));
            }
            index.replace_cases(&cases, Some(mark))?;
        }
        Ok(())
    }
}

/// What one index holds of a case (`public_entries` or `staff_entries`).
type EntriesOf = fn(&CaseSource) -> Vec<crate::Entry>;

fn note_documents(report: &mut RebuildReport, source: &CaseSource) {
    let id = source.id().unwrap_or_default();
    for d in &source.documents {
        report.documents += 1;
        if d.extracted.status != ExtractStatus::Ok {
            let problem = (id.to_string(), d.id, d.extracted.status.to_string());
            report.document_problems.push(problem);
        }
    }
}

impl ChangeListener for Indexer {
    fn changed(&self, rrm: &Rrm, change: &Change) {
        self.apply(rrm, change);
    }
}

/// Starts a rebuild on its own thread if the indexes do not reflect the store; returns the
/// thread, or `None` if they are current.
pub fn rebuild_if_stale(
    indexer: &Arc<Indexer>,
    rrm: &Rrm,
) -> Result<Option<std::thread::JoinHandle<()>>, SearchError> {
    if indexer.is_current(rrm)? {
        return Ok(None);
    }
    let (indexer, rrm) = (indexer.clone(), rrm.clone());
    let handle = std::thread::Builder::new()
        .name("rrm-reindex".into())
        .spawn(move || {
            let _ = indexer.rebuild(&rrm, |_, _| {});
        })
        .map_err(|e| SearchError::Directory(format!("cannot start the rebuild: {e}")))?;
    Ok(Some(handle))
}
