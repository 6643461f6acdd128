//! `--database-url`: which backend a URL names, and the URL as it may be shown (never with
//! its password: not in errors, logs or `Debug`).

/// A PostgreSQL connection URL. `Debug` and `Display` show it with the password replaced.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// The argument as given, unchecked, for clap: a refusal from clap would echo the value,
    /// password included, so [`DatabaseUrl::check`] refuses it instead.
    pub fn from_arg(url: &str) -> Result<DatabaseUrl, std::convert::Infallible> {
        Ok(DatabaseUrl(url.trim().to_string()))
    }

    /// Accepts `postgres://` and `postgresql://` URLs; anything else is bad input, named
    /// without its password.
    pub fn check(self) -> Result<DatabaseUrl, String> {
        match self.0.starts_with("postgres://") || self.0.starts_with("postgresql://") {
            true => Ok(self),
            false => Err(format!(
                "--database-url {self}: expected postgres://USER@HOST/DATABASE (or postgresql://)"
            )),
        }
    }

    /// Whether no URL was given (`DATABASE_URL=`): the SQLite file, as without one.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The URL itself, to connect with. Never print it.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// `url` with the password of its user-info (`user:PASSWORD@`) and of any `password=` query
/// parameter replaced by `***`.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rfind('@') {
        Some(at) => {
            let (info, host) = authority.split_at(at);
            match info.find(':') {
                Some(colon) => format!("{}:***{host}", &info[..colon]),
                None => authority.to_string(),
            }
        }
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let params: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => p.to_string(),
                })
                .collect();
            format!("{path}?{}", params.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}{authority}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_never_shown() {
        let given = "postgres://rrm:s3cr%40t@db.example:5432/rrm?sslmode=disable&password=two";
        let url = DatabaseUrl::from_arg(given).unwrap().check().unwrap();
        for shown in [url.to_string(), format!("{url:?}")] {
            assert!(!shown.contains("s3cr") && !shown.contains("two"), "{shown}");
            assert!(shown.contains("rrm:***@db.example:5432/rrm"), "{shown}");
        }
        assert_eq!(redact("postgresql://rrm@db/x"), "postgresql://rrm@db/x");
        let refused = DatabaseUrl::from_arg("mysql://u:hunter2@h/x").unwrap();
        let refused = refused.check().unwrap_err();
        assert!(!refused.contains("hunter2"), "{refused}");
    }
}
