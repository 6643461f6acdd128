//! rrm-web's integration tests: one binary, the real app on port 0 per test (`TestApp`).

mod api;
mod api_writes;
mod attacks_csrf;
mod attacks_upload;
mod attacks_xss;
mod authorization;
mod browser;
mod canary;
mod canary_disk;
mod documents;
mod downloads;
mod errors;
mod filters;
mod fuzz;
mod headers;
mod i18n;
mod infra;
mod no_key;
mod petitions;
mod routes;
mod safety;
mod search;
mod sign_in;
mod staff;
mod support;
mod tidy;
