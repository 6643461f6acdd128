//! English and Spanish: the language of a request, the string catalogs, and dates and numbers
//! written the way each language writes them.
//!
//! Every UI string lives in `locales/en.toml` and `locales/es.toml`, embedded at build time; a
//! test checks both have exactly the same keys. Procedure texts (stage and clock names) come in
//! both languages from the procedure definitions and are not repeated here.
//!
//! Numbers in Spanish follow the RAE/ASALE *Ortografía* (2010): groups of three digits are
//! separated by a non-breaking space, not a point or comma, and four-digit numbers are written
//! without a separator (6000, 12 500). It is unambiguous for readers in Mexico, where 6,000 and
//! 6.000 both occur.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

/// A language the site is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// Parses `en` or `es` (a `?lang=` value or a cookie).
    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// The other language, for the switch link.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Es,
            Lang::Es => Lang::En,
        }
    }

    /// The best supported language in an `Accept-Language` header, honouring q-values; ties go
    /// to the one listed first. `None` when the header names neither language.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let Some(lang) = Lang::parse(primary) else {
                continue;
            };
            if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((lang, q));
            }
        }
        best.map(|(lang, _)| lang)
    }
}

/// One language's strings, by dotted key (`home.title`).
#[derive(Debug, Clone)]
pub struct Catalog {
    strings: BTreeMap<String, String>,
}

impl Catalog {
    /// Parses a TOML catalog; nested tables become dotted keys.
    pub fn parse(text: &str) -> Result<Catalog, String> {
        let table: toml::Table = text.parse().map_err(|e| format!("{e}"))?;
        let mut strings = BTreeMap::new();
        flatten("", &table, &mut strings)?;
        Ok(Catalog { strings })
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.strings.get(key).map(String::as_str)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.strings.keys().map(String::as_str)
    }
}

fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(s) => {
                out.insert(full, s.clone());
            }
            toml::Value::Table(t) => flatten(&full, t, out)?,
            _ => return Err(format!("`{full}`: catalog values must be strings")),
        }
    }
    Ok(())
}

/// Both catalogs, embedded in the binary.
#[derive(Debug, Clone)]
pub struct Catalogs {
    en: Catalog,
    es: Catalog,
}

pub const EN_SOURCE: &str = include_str!("../locales/en.toml");
pub const ES_SOURCE: &str = include_str!("../locales/es.toml");

impl Catalogs {
    /// The shipped catalogs. They are checked by tests, so this only fails on a broken build.
    pub fn shipped() -> Catalogs {
        Catalogs {
            en: Catalog::parse(EN_SOURCE).expect("locales/en.toml parses"),
            es: Catalog::parse(ES_SOURCE).expect("locales/es.toml parses"),
        }
    }

    pub fn get(&self, lang: Lang) -> &Catalog {
        match lang {
            Lang::En => &self.en,
            Lang::Es => &self.es,
        }
    }

    /// The string for `key`, or `None` when the catalog lacks it.
    pub fn text(&self, lang: Lang, key: &str) -> Option<&str> {
        self.get(lang).get(key)
    }

    /// "May 12, 2021" or "12 de mayo de 2021": the pattern and month names come from the
    /// catalogs, so each language's word order is its own.
    pub fn date(&self, lang: Lang, date: NaiveDate) -> String {
        let month = self
            .text(lang, &format!("month.{}", date.month()))
            .unwrap_or("?");
        self.text(lang, "format.date")
            .unwrap_or("{year}-{month}-{day}")
            .replace("{day}", &date.day().to_string())
            .replace("{month}", month)
            .replace("{year}", &date.year().to_string())
    }
}

/// A whole number written for `lang`: 6,000 and 12,500 in English; 6000 and 12 500 (with a
/// non-breaking space) in Spanish, after the RAE.
pub fn number(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "-" } else { "" };
    let (sep, min_len) = match lang {
        Lang::En => (',', 4),
        Lang::Es => ('\u{a0}', 5),
    };
    if digits.len() < min_len {
        return format!("{sign}{digits}");
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn accept_language_honours_q_values_and_order() {
        let cases = [
            ("es-MX,es;q=0.9", Some(Lang::Es)),
            ("en-US,en;q=0.9,es;q=0.8", Some(Lang::En)),
            ("fr-FR,es;q=0.5,en;q=0.7", Some(Lang::En)),
            ("en;q=0.2, es;q=0.8", Some(Lang::Es)),
            ("es;q=0, en;q=0.1", Some(Lang::En)),
            ("de, fr;q=0.9", None),
            ("*", None),
            ("", None),
            ("ES-mx", Some(Lang::Es)),
            ("es;q=garbage", Some(Lang::Es)),
            ("en, es", Some(Lang::En)),
        ];
        for (header, want) in cases {
            assert_eq!(Lang::from_accept_language(header), want, "{header:?}");
        }
    }

    #[test]
    fn dates_are_written_per_language() {
        let c = Catalogs::shipped();
        assert_eq!(c.date(Lang::En, d("2021-05-12")), "May 12, 2021");
        assert_eq!(c.date(Lang::Es, d("2021-05-12")), "12 de mayo de 2021");
        assert_eq!(c.date(Lang::En, d("2024-01-01")), "January 1, 2024");
        assert_eq!(c.date(Lang::Es, d("2024-01-01")), "1 de enero de 2024");
        assert_eq!(c.date(Lang::Es, d("2023-12-31")), "31 de diciembre de 2023");
    }

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(number(Lang::En, 6000), "6,000");
        assert_eq!(number(Lang::Es, 6000), "6000");
        assert_eq!(number(Lang::En, 12500), "12,500");
        assert_eq!(number(Lang::Es, 12500), "12\u{a0}500");
        assert_eq!(number(Lang::En, 1234567), "1,234,567");
        assert_eq!(number(Lang::Es, 1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(number(Lang::En, 999), "999");
        assert_eq!(number(Lang::En, -4500), "-4,500");
        assert_eq!(number(Lang::Es, 0), "0");
    }

    #[test]
    fn both_catalogs_have_exactly_the_same_keys() {
        let c = Catalogs::shipped();
        let en: Vec<&str> = c.get(Lang::En).keys().collect();
        let es: Vec<&str> = c.get(Lang::Es).keys().collect();
        let only_en: Vec<_> = en.iter().filter(|k| !es.contains(k)).collect();
        let only_es: Vec<_> = es.iter().filter(|k| !en.contains(k)).collect();
        assert!(
            only_en.is_empty() && only_es.is_empty(),
            "only in en: {only_en:?}; only in es: {only_es:?}"
        );
    }

    /// Labels of codes the application defines: a new audit action or role must be named in
    /// both languages, since the pages fall back to the bare code.
    #[test]
    fn every_audit_action_and_role_has_a_name_in_both_languages() {
        let c = Catalogs::shipped();
        let actions = rrm_app::audit::AuditAction::ALL
            .iter()
            .map(|a| format!("audit_action.{}", a.as_str()));
        let roles = rrm_store::Role::ALL
            .iter()
            .map(|r| format!("role.{}", r.as_str()));
        for key in actions.chain(roles) {
            for lang in Lang::ALL {
                assert!(
                    c.text(lang, &key).is_some(),
                    "no {key} in locales/{}.toml",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn no_catalog_string_is_empty() {
        let c = Catalogs::shipped();
        for lang in Lang::ALL {
            for key in c.get(lang).keys() {
                assert!(!c.text(lang, key).unwrap().trim().is_empty(), "{key}");
            }
        }
    }
}
