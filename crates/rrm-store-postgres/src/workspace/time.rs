//! Instants as stored: the format every backend shares (`rrm_store::instant`).

pub(crate) use rrm_store::instant::{parse_opt_time, parse_time, time_text};
