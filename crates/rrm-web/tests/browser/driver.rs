//! Headless Chromium through chromedriver: one chromedriver child process per test on a free
//! port, one fresh browser profile, and a [`Browser`] handle that saves a screenshot of every
//! step under `target/browser-artifacts/`.
//!
//! A missing chromedriver or Chromium fails the test with what to install: a browser test that
//! skipped itself would pass CI on a machine that never ran it.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// How long a page or an element may take to appear before the test fails.
const PATIENCE: Duration = Duration::from_secs(15);

/// Runs `scenario` in a fresh headless browser against the app at `base`. The session is
/// closed and chromedriver stopped whether the scenario passes or panics; on a panic a
/// `failure` screenshot and the page's HTML are saved first, then the panic goes on.
pub async fn run<F, Fut>(test: &'static str, base: String, scenario: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    for stale in ["png", "html"] {
        let _ = std::fs::remove_file(artifacts_dir().join(format!("{test}-failure.{stale}")));
    }
    let driver = Chromedriver::start(test);
    let client = driver.session().await;
    let browser = Browser {
        client: client.clone(),
        base,
        test,
        step: Arc::new(AtomicU32::new(0)),
    };
    let outcome = tokio::spawn(scenario(browser.clone())).await;
    if outcome.is_err() {
        browser.save_failure().await;
    }
    let _ = client.close().await;
    drop(driver);
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("{test}: the scenario did not finish: {e}"),
        }
    }
}

/// Where screenshots go: `target/browser-artifacts/`, beside the test binary's own `target/`.
pub fn artifacts_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // target/debug/deps/browser-<hash>: three levels up is the target directory.
    let target = exe
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("browser-artifacts");
    std::fs::create_dir_all(&dir).expect("create target/browser-artifacts");
    dir
}

/// A program on `PATH` (or the path an environment variable names), else a failure that says
/// what to install.
fn program(name: &str, env: &str, package: &str) -> PathBuf {
    let found = match std::env::var_os(env) {
        Some(path) => Some(PathBuf::from(path)).filter(|p| p.is_file()),
        None => std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file()),
    };
    found.unwrap_or_else(|| {
        panic!(
            "browser tests need `{name}`, which is not on PATH (or where {env} says): install \
             Debian's `{package}` package (scripts/test.sh does)"
        )
    })
}

/// A running chromedriver, stopped on drop.
struct Chromedriver {
    child: Child,
    port: u16,
    chromium: PathBuf,
    profile: tempfile::TempDir,
}

impl Chromedriver {
    fn start(test: &str) -> Chromedriver {
        let chromedriver = program("chromedriver", "RRM_CHROMEDRIVER", "chromium-driver");
        let chromium = program("chromium", "RRM_CHROMIUM", "chromium");
        let port = free_port();
        let log = artifacts_dir().join(format!("{test}-chromedriver.log"));
        let child = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        Chromedriver {
            child,
            port,
            chromium,
            profile: tempfile::tempdir().expect("a temp dir for the browser profile"),
        }
    }

    /// Waits for chromedriver to listen, then opens a headless Chromium session.
    async fn session(&self) -> Client {
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(self.capabilities());
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            match builder.connect(&url).await {
                Ok(client) => return client,
                Err(e) if tokio::time::Instant::now() > deadline => {
                    panic!("chromedriver on port {} gave no session: {e}", self.port)
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    fn capabilities(&self) -> serde_json::Map<String, serde_json::Value> {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,1000",
            "--lang=en-US",
        ]
        .map(String::from)
        .into_iter()
        .chain([format!("--user-data-dir={}", self.profile.path().display())])
        .collect::<Vec<_>>();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": self.chromium,
                "args": args,
                // English unless a page is asked otherwise, whatever the machine's locale.
                "prefs": { "intl.accept_languages": "en-US,en" },
            },
        });
        caps.as_object().cloned().expect("an object")
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on now (chromedriver binds it a moment later).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("a local address").port()
}

/// One test's browser: the WebDriver client, the app's address and the step counter that
/// numbers the screenshots.
#[derive(Clone)]
pub struct Browser {
    pub client: Client,
    base: String,
    test: &'static str,
    step: Arc<AtomicU32>,
}

impl Browser {
    /// Opens a path of the app and waits for the page to load.
    pub async fn open(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Saves a screenshot named after the test and the step, in the order taken.
    pub async fn shot(&self, step: &str) {
        let n = self.step.fetch_add(1, Ordering::SeqCst) + 1;
        let png = self.client.screenshot().await.expect("a screenshot");
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
        let path = artifacts_dir().join(format!("{}-{n:02}-{step}.png", self.test));
        std::fs::write(&path, png).expect("write the screenshot");
    }

    async fn save_failure(&self) {
        let dir = artifacts_dir();
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{}-failure.png", self.test)), png);
        }
        if let Ok(html) = self.client.source().await {
            let _ = std::fs::write(dir.join(format!("{}-failure.html", self.test)), html);
        }
    }

    /// The element a CSS selector names, waiting for it to appear.
    pub async fn find(&self, css: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(element) => element,
            Err(e) => panic!("no element `{css}` on {}: {e}", self.path().await),
        }
    }

    /// Every element a CSS selector names (none is not an error).
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap()
    }

    /// Scrolls the element a selector names to the top of the window, for the next screenshot.
    pub async fn scroll_to(&self, css: &str) {
        self.find(css).await;
        let script = "document.querySelector(arguments[0]).scrollIntoView({block: 'start'})";
        self.client.execute(script, vec![json!(css)]).await.unwrap();
    }

    /// The visible text of the element a selector names.
    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// The visible text of the whole page.
    pub async fn page_text(&self) -> String {
        self.text("body").await
    }

    /// The current path and query, as the address bar shows them.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Waits until the address satisfies `ok` (after a click that navigates).
    pub async fn wait_for_path(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let path = self.path().await;
            if ok(&path) {
                return path;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "waited for an address {what}; still at {path}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The `lang` attribute of the page, once the document has loaded.
    pub async fn lang(&self) -> String {
        self.find("html")
            .await
            .attr("lang")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Presses and releases one key, sent to whatever has the focus (as a person would).
    pub async fn press(&self, key: Key) {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key.into() })
            .then(KeyAction::Up { value: key.into() });
        self.client.perform_actions(keys).await.unwrap();
    }

    /// The element that has the focus.
    pub async fn focused(&self) -> Element {
        self.client.active_element().await.unwrap()
    }

    /// The case ids a case index page lists, in order.
    pub async fn case_rows(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for link in self.find_all("table.cases tbody th[scope=row] a").await {
            let href = link.attr("href").await.unwrap().unwrap_or_default();
            ids.push(href.trim_start_matches("/cases/").to_string());
        }
        ids
    }
}
