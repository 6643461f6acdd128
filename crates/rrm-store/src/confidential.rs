//! [`Confidential<T>`]: a value that must never reach a log line, an error message or a public
//! page by accident. Its `Debug` and `Display` print `[redacted]`; reading it takes an explicit
//! [`Confidential::expose`], which is easy to search for in review.
//!
//! Petitioners' identities, contacts, narratives and evidence file names, internal notes,
//! password and secret hashes are all held in this type from the moment they are parsed.

use std::fmt;

/// A value whose formatting is redacted. Compare and clone it freely; print it never.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Confidential<T>(T);

impl<T> Confidential<T> {
    pub fn new(value: T) -> Confidential<T> {
        Confidential(value)
    }

    /// The value itself. Every call is a place where confidential data is used on purpose.
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Confidential<T> {
    fn from(value: T) -> Confidential<T> {
        Confidential(value)
    }
}

impl<T> fmt::Debug for Confidential<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T> fmt::Display for Confidential<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_value() {
        let c = Confidential::new("CANARY-7d1e".to_string());
        assert_eq!(
            format!("{c} {c:?} {c:#?}"),
            "[redacted] [redacted] [redacted]"
        );
        assert_eq!(c.expose(), "CANARY-7d1e");
    }
}
