//! [`SearchIndex`]: one physical tantivy index (the public one or the staff one) on disk or in
//! memory — opening it, replacing a case's entries, rebuilding it whole, and the watermark
//! that says which state of the store it reflects.
//!
//! Invariants: one writer at a time (a mutex here, tantivy's directory lock across
//! processes); every change is one commit, after which this process's readers see it at once;
//! a rebuild adds entries in a fixed order with one indexing thread, so rebuilding from the
//! same store gives the same index.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use tantivy::collector::DocSetCollector;
use tantivy::directory::error::LockError;
use tantivy::directory::MmapDirectory;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError};

use crate::entry::{case_term, Entry};
use crate::schema::{register_analyzers, schema, Fields};
use crate::SearchError;

const WRITER_MEMORY: usize = 48 * 1024 * 1024;
/// How long a writer waits for another process (an `rrm import` beside `rrm serve`) to
/// finish its commit before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// One physical index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    write_lock: Mutex<()>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it if needed. An index written with another schema
    /// (an older rrm) is derived data: it is deleted and created empty, to be rebuilt.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        let open = |dir: &Path| -> Result<Index, SearchError> {
            std::fs::create_dir_all(dir).map_err(|e| SearchError::directory(dir, e))?;
            let directory = MmapDirectory::open(dir).map_err(|e| SearchError::directory(dir, e))?;
            Ok(Index::open_or_create(directory, schema.clone())?)
        };
        let index = match open(dir) {
            Err(SearchError::Index(TantivyError::SchemaError(_))) => {
                std::fs::remove_dir_all(dir).map_err(|e| SearchError::directory(dir, e))?;
                open(dir)?
            }
            other => other?,
        };
        SearchIndex::with_index(index, fields)
    }

    /// An index in memory, for tests and benchmarks.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        SearchIndex::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<SearchIndex, SearchError> {
        register_analyzers(index.tokenizers());
        // Reload on our own commits explicitly (so an unpublished case is gone at once) and
        // also when another process commits (an `rrm record` beside `rrm serve`).
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            write_lock: Mutex::new(()),
        })
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }

    pub(crate) fn index(&self) -> &Index {
        &self.index
    }

    pub(crate) fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    fn writer(&self) -> Result<IndexWriter, SearchError> {
        let deadline = std::time::Instant::now() + LOCK_WAIT;
        loop {
            match self.index.writer_with_num_threads(1, WRITER_MEMORY) {
                Err(TantivyError::LockFailure(LockError::LockBusy, _))
                    if std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(50));
                }
                other => return Ok(other?),
            }
        }
    }

    fn commit(&self, mut writer: IndexWriter, watermark: Option<&str>) -> Result<(), SearchError> {
        let mut prepared = writer.prepare_commit()?;
        if let Some(w) = watermark {
            prepared.set_payload(w);
        }
        prepared.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Replaces every entry of each named case with the entries given for it (none removes
    /// the case), in one commit, and records `watermark` if given.
    pub fn replace_cases(
        &self,
        cases: &[(String, Vec<Entry>)],
        watermark: Option<&str>,
    ) -> Result<(), SearchError> {
        let _guard = self.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        let writer = self.writer()?;
        for (case_id, entries) in cases {
            writer.delete_term(case_term(&self.fields, case_id));
            for e in entries {
                writer.add_document(e.to_document(&self.fields))?;
            }
        }
        self.commit(writer, watermark)
    }

    /// Starts replacing the whole index: entries added to the returned [`Rebuild`] replace
    /// everything once it is finished, in one commit, so readers see the old index until the
    /// new one is complete. Other writers wait until then.
    pub fn begin_rebuild(&self) -> Result<Rebuild<'_>, SearchError> {
        let guard = self.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        let writer = self.writer()?;
        writer.delete_all_documents()?;
        Ok(Rebuild {
            index: self,
            writer,
            added: 0,
            _guard: guard,
        })
    }

    /// Empties the index and adds `entries` in the order given, in one commit. Returns how
    /// many entries were added.
    pub fn rebuild(
        &self,
        entries: impl IntoIterator<Item = Entry>,
        watermark: Option<&str>,
    ) -> Result<u64, SearchError> {
        let mut rebuild = self.begin_rebuild()?;
        for e in entries {
            rebuild.add(&e)?;
        }
        rebuild.finish(watermark)
    }

    /// The entries a case has in this index, as stored, in index order.
    pub fn entries_of(&self, case_id: &str) -> Result<Vec<Entry>, SearchError> {
        let searcher = self.searcher();
        let query = TermQuery::new(case_term(&self.fields, case_id), IndexRecordOption::Basic);
        let mut addresses: Vec<_> = searcher
            .search(&query, &DocSetCollector)?
            .into_iter()
            .collect();
        addresses.sort();
        let mut out = Vec::with_capacity(addresses.len());
        for a in addresses {
            let d: TantivyDocument = searcher.doc(a)?;
            out.push(Entry::from_document(&d, &self.fields));
        }
        Ok(out)
    }

    /// The watermark of the last commit that recorded one.
    pub fn watermark(&self) -> Result<Option<String>, SearchError> {
        Ok(self.index.load_metas()?.payload)
    }

    /// How many entries the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A rebuild under way; dropping it unfinished leaves the old index as it was.
pub struct Rebuild<'a> {
    index: &'a SearchIndex,
    writer: IndexWriter,
    added: u64,
    _guard: std::sync::MutexGuard<'a, ()>,
}

impl Rebuild<'_> {
    pub fn add(&mut self, entry: &Entry) -> Result<(), SearchError> {
        self.writer
            .add_document(entry.to_document(&self.index.fields))?;
        self.added += 1;
        Ok(())
    }

    /// Commits the new index; returns how many entries it holds.
    pub fn finish(self, watermark: Option<&str>) -> Result<u64, SearchError> {
        self.index.commit(self.writer, watermark)?;
        Ok(self.added)
    }
}
