//! The pure domain core of rrm: procedures, calendars, clocks, events and the engine.
//!
//! Architecture invariant: nothing in this crate performs I/O, reads the wall clock,
//! spawns threads or knows about JSON wire shapes. Time enters only as an `as_of` date.

pub mod calendar;
pub mod engine;
pub mod event;
pub mod party;
pub mod procedure;

pub use chrono::NaiveDate;
