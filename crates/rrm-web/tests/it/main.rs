//! rrm-web's integration tests: one binary, the real app on port 0 per test (`TestApp`).

mod api;
mod api_writes;
mod browser;
mod canary;
mod downloads;
mod errors;
mod filters;
mod i18n;
mod infra;
mod petitions;
mod routes;
mod safety;
mod search;
mod staff;
mod support;
mod tidy;
