//! rrm-web's browser tests: the real app on 127.0.0.1:0, driven through chromedriver in
//! headless Chromium, one browser per test, with a screenshot of every step saved under
//! `target/browser-artifacts/`. They need Debian's `chromium` and `chromium-driver` and fail,
//! never skip, without them (`scripts/test.sh` installs both).

mod driver;
mod index;
mod pages;
mod petitions;
mod search;
mod staff;
mod support;
