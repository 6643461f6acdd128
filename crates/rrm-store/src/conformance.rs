//! The conformance suite every `Store` backend must pass (being written).

use crate::Store;

/// Runs every conformance check against fresh stores made by `make`.
pub fn run_all(make: &dyn Fn() -> Box<dyn Store>) {
    let _ = make;
}
