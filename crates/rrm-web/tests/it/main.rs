//! rrm-web's integration tests: one binary, the real app on port 0 per test (`TestApp`).

mod api;
mod downloads;
mod errors;
mod filters;
mod i18n;
mod infra;
mod routes;
mod safety;
mod support;
mod tidy;
