//! `rrm serve`: the web portal and JSON API on one address until Ctrl-C or SIGTERM.
//!
//! The search indexes follow every write the server makes; if they are missing or behind the
//! store at start, they are rebuilt in the background while search answers from the old ones
//! (or says the index is being built).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use rrm_app::Rrm;

use crate::exit::Failure;

/// How the server meets the network.
pub struct Listening {
    pub listen: SocketAddr,
    pub secure_cookies: bool,
    pub trusted_proxies: Vec<String>,
}

pub fn run(
    rrm: Rrm,
    data: &Path,
    shared: bool,
    files: &rrm_store::BlobLocation,
    network: Listening,
    reminders: ReminderJob,
) -> Result<(), Failure> {
    let Listening {
        listen,
        secure_cookies,
        trusted_proxies,
    } = network;
    let trusted_proxies =
        rrm_web::TrustedProxies::parse(&trusted_proxies).map_err(Failure::bad_input)?;
    let rrm = with_first_key(rrm, data, shared)?;
    match &rrm.vault {
        Some(v) => eprintln!(
            "Confidential data is sealed with master key {}",
            v.master_id()
        ),
        None => eprintln!(
            "No master key (--master-key-file or RRM_MASTER_KEY_FILE): serving public data \
             only; petitions cannot be received and confidential data cannot be read. \
             `rrm keys init --out FILE` makes a key; keep it outside {}.{}",
            data.display(),
            match shared {
                true => " Servers sharing one database must all be given the same key.",
                false => "",
            }
        ),
    }
    eprintln!("Files (evidence, documents) are kept in {files}");
    let indexer = super::reindex::open_indexer(data)?;
    // Writes answer without waiting for the index; publication changes still apply at once.
    let background = rrm_search::Background::start(indexer.clone())
        .context("cannot start the search indexer")?;
    let rrm = rrm.with_listener(background);
    if rrm_search::rebuild_if_stale(&indexer, &rrm)
        .context("cannot check the search index")?
        .is_some()
    {
        eprintln!("Rebuilding the search index in the background");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // Kept out here so that the store is dropped after the runtime has returned: a
    // PostgreSQL client closes its connection with a blocking call, which tokio refuses
    // inside the runtime.
    let kept = rrm.clone();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        eprintln!(
            "rrm serving on http://{}",
            listener.local_addr().context("no local address")?
        );
        reminders.spawn(rrm.clone());
        let state = rrm_web::AppState {
            rrm,
            today: Arc::new(crate::clock::today),
            now: Arc::new(crate::clock::now),
            secure_cookies,
            trusted_proxies,
            search: Some(indexer),
        };
        rrm_web::serve(listener, state, shutdown_signal())
            .await
            .context("the server failed")?;
        eprintln!("rrm stopped");
        Ok::<(), anyhow::Error>(())
    })?;
    drop(runtime);
    drop(kept);
    Ok(())
}

/// The deadline reminder job: every `every`, claim and send the reminders due today. Each
/// server on the store runs it; the store's claim makes each reminder go out once.
pub struct ReminderJob {
    every: Option<Duration>,
    instance: String,
}

impl ReminderJob {
    pub fn new(every_seconds: u64, instance: Option<String>) -> ReminderJob {
        ReminderJob {
            every: (every_seconds > 0).then(|| Duration::from_secs(every_seconds)),
            instance: instance.unwrap_or_else(default_instance),
        }
    }

    fn spawn(self, rrm: Rrm) {
        let Some(every) = self.every else {
            return;
        };
        let instance = Arc::new(self.instance);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let (rrm, instance) = (rrm.clone(), instance.clone());
                let sent = tokio::task::spawn_blocking(move || {
                    rrm.send_due_reminders(crate::clock::today(), crate::clock::now(), &instance)
                })
                .await;
                match sent {
                    // Case ids, clock names and dates only: nothing confidential.
                    Ok(Ok(sent)) => {
                        for r in sent {
                            eprintln!(
                                "reminder sent: case {} clock {} due {} ({})",
                                r.case_id,
                                r.clock,
                                r.due,
                                r.notice.as_str()
                            );
                        }
                    }
                    Ok(Err(e)) => eprintln!("the reminder job failed (will retry): {e}"),
                    Err(e) => eprintln!("the reminder job stopped unexpectedly: {e}"),
                }
            }
        });
    }
}

/// This machine's host name and this process's id: tells servers apart in reminders.
pub fn default_instance() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "rrm".into());
    format!("{host}:{}", std::process::id())
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// A first start with no master key anywhere and no confidential data yet makes one, beside
/// the data directory, so a new installation can take petitions at once. Once data keys exist,
/// a missing key is never replaced: the data sealed under the old one would be lost. Never on
/// a `shared` (PostgreSQL) database: each server would make a key of its own beside its own
/// data directory, and data sealed by one could not be opened by the others.
fn with_first_key(rrm: Rrm, data: &Path, shared: bool) -> Result<Rrm, Failure> {
    let named = std::env::var_os("RRM_MASTER_KEY_FILE").is_some()
        || std::env::var("RRM_MASTER_KEY").is_ok_and(|k| !k.trim().is_empty());
    if rrm.vault.is_some() || named || shared {
        return Ok(rrm);
    }
    if !rrm
        .keys
        .case_keys()
        .map_err(rrm_app::AppError::from)?
        .is_empty()
    {
        return Ok(rrm);
    }
    let path = crate::open::default_key_path(data);
    let key = rrm_app::vault::MasterKey::generate()?;
    key.write_file(&path)?;
    eprintln!(
        "Made master key {} in {} (mode 0600). Back it up apart from the data directory: \
         without it, no confidential record can be read.",
        key.id(),
        path.display()
    );
    Ok(rrm.with_master_key(key))
}
