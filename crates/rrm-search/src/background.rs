//! [`Background`]: the indexer off the request path. A committed write is queued for a worker
//! thread instead of being indexed before the write's request answers (an update costs a
//! commit of both indexes: hundreds of milliseconds at scale), except a change of
//! publication, which is applied at once so that an unpublished case leaves the public index
//! before `set_published` returns.
//!
//! Invariant: updates stay serialized and each reads the store after the write it follows
//! ([`Indexer::apply`] holds its lock while it reads and writes), so a queued update that runs
//! after a publication change reads the committed state and cannot put an unpublished case
//! back in the public index.

use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Condvar, Mutex};

use rrm_app::{Change, ChangeListener, Rrm};

use crate::Indexer;

/// The indexer with a worker thread for everything but publication changes.
pub struct Background {
    indexer: Arc<Indexer>,
    queue: Mutex<Sender<(Rrm, Change)>>,
    /// Changes queued and not yet applied.
    waiting: Arc<(Mutex<u64>, Condvar)>,
}

impl std::fmt::Debug for Background {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Background").finish_non_exhaustive()
    }
}

impl Background {
    /// Starts the worker thread; it ends when the `Background` is dropped.
    pub fn start(indexer: Arc<Indexer>) -> std::io::Result<Arc<Background>> {
        let (send, receive) = channel::<(Rrm, Change)>();
        let waiting = Arc::new((Mutex::new(0u64), Condvar::new()));
        let (worker, counter) = (indexer.clone(), waiting.clone());
        std::thread::Builder::new()
            .name("rrm-index".into())
            .spawn(move || {
                // Take whatever queued up while the last batch ran, and apply it in one
                // commit: a burst of writes costs a few commits, not one each.
                while let Ok((rrm, first)) = receive.recv() {
                    let mut batch = vec![first];
                    batch.extend(receive.try_iter().map(|(_, change)| change));
                    worker.apply_all(&rrm, &batch);
                    let (count, done) = &*counter;
                    let mut n = count.lock().unwrap_or_else(|e| e.into_inner());
                    *n = n.saturating_sub(batch.len() as u64);
                    done.notify_all();
                }
            })?;
        Ok(Arc::new(Background {
            indexer,
            queue: Mutex::new(send),
            waiting,
        }))
    }

    pub fn indexer(&self) -> &Arc<Indexer> {
        &self.indexer
    }

    /// Waits until every queued change has been applied.
    pub fn flush(&self) {
        let (count, done) = &*self.waiting;
        let mut n = count.lock().unwrap_or_else(|e| e.into_inner());
        while *n > 0 {
            n = done.wait(n).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl ChangeListener for Background {
    fn changed(&self, rrm: &Rrm, change: &Change) {
        if matches!(change, Change::PublicationChanged { .. }) {
            self.indexer.apply(rrm, change);
            return;
        }
        {
            let (count, _) = &*self.waiting;
            *count.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        }
        let sent = self
            .queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send((rrm.clone(), change.clone()));
        if let Err(returned) = sent {
            // The worker is gone (it never panics by design; if it did, index in place).
            let (rrm, change) = returned.0;
            self.indexer.apply(&rrm, &change);
            let (count, done) = &*self.waiting;
            let mut n = count.lock().unwrap_or_else(|e| e.into_inner());
            *n = n.saturating_sub(1);
            done.notify_all();
        }
    }
}
