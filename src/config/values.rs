//! The config's value types: each parses itself with a message that says what to write.

use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use crate::diag::problem_and_fix;
use crate::model::shards::{Ownership, ShardRange};

/// A Discord id (a snowflake), written as a number or a string of digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Snowflake(pub u64);

impl<'de> Deserialize<'de> for Snowflake {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        let id = match Raw::deserialize(deserializer)? {
            Raw::Number(n) => Some(n),
            Raw::Text(text) => text.trim().parse().ok(),
        };
        match id {
            Some(id) if id > 0 => Ok(Snowflake(id)),
            _ => Err(D::Error::custom(problem_and_fix(
                "this is not a Discord id",
                "write the id as a positive number, like 123456789012345678 (in Discord: Developer Mode, then right-click > Copy ID)",
            ))),
        }
    }
}

/// The base URL of an HTTP API proxy: `http(s)://host[:port][/prefix]`, without a trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase(String);

impl ApiBase {
    pub fn parse(text: &str) -> Result<ApiBase, String> {
        const FIX: &str = "write the proxy's base address, like http://127.0.0.1:3000";
        let url = url::Url::parse(text.trim())
            .map_err(|e| problem_and_fix(format!("`{text}` is not a URL ({e})"), FIX))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(problem_and_fix(
                format!("`{text}` is not an http:// or https:// address"),
                FIX,
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(problem_and_fix(
                format!("`{text}` has a ?query or #fragment"),
                FIX,
            ));
        }
        Ok(ApiBase(url.as_str().trim_end_matches('/').to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for ApiBase {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ApiBase::parse(&text).map_err(D::Error::custom)
    }
}

/// Where the bot keeps its state: a SQLite file (the default, nothing to install), or a
/// PostgreSQL server, which several processes can share.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(PostgresUrl),
}

impl Database {
    /// A `postgres://` or `postgresql://` URL, or else a file path. Anything else that looks
    /// like a URL (`sqlite://...`, `mysql://...`) is refused, so it is not taken for a file name.
    pub fn parse(text: &str) -> Result<Database, String> {
        const FIX: &str = "write a file path for SQLite (like bridgebot.db), or a PostgreSQL URL like postgres://bridgebot@localhost/bridgebot (a Unix socket: postgres:///bridgebot?host=/run/postgresql)";
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(problem_and_fix("the database is empty", FIX));
        }
        let scheme = trimmed
            .split_once("://")
            .map(|(scheme, _)| scheme.to_ascii_lowercase());
        match scheme.as_deref() {
            None => Ok(Database::Sqlite(PathBuf::from(text))),
            Some("postgres" | "postgresql") => {
                let url = url::Url::parse(trimmed).map_err(|e| {
                    problem_and_fix(format!("`{}` is not a valid URL ({e})", redacted(trimmed)), FIX)
                })?;
                if url.fragment().is_some() {
                    return Err(problem_and_fix(
                        format!("`{}` has a #fragment", redacted(trimmed)),
                        FIX,
                    ));
                }
                Ok(Database::Postgres(PostgresUrl::new(&url)))
            }
            Some(other) => Err(problem_and_fix(
                format!("`{other}://` is not a database bridgebot can use (SQLite files and PostgreSQL only)"),
                FIX,
            )),
        }
    }
}

/// Shows a file by its path and a server by its URL without the password.
impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => write!(f, "{url}"),
        }
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Database::Postgres(url) => f.debug_tuple("Postgres").field(url).finish(),
        }
    }
}

impl<'de> Deserialize<'de> for Database {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Database::parse(&text).map_err(D::Error::custom)
    }
}

/// A PostgreSQL connection URL. It may hold a password, so it is kept as a secret (secrecy:
/// zeroed when dropped, read only through [`PostgresUrl::expose`]) and prints without one.
#[derive(Clone)]
pub struct PostgresUrl {
    secret: SecretString,
    /// The URL with its password replaced, for logs and errors.
    shown: String,
}

impl PostgresUrl {
    fn new(url: &url::Url) -> PostgresUrl {
        PostgresUrl {
            secret: SecretString::new(url.as_str().to_string()),
            shown: redacted(url.as_str()),
        }
    }

    /// The whole URL, password included: only for connecting.
    pub fn expose(&self) -> &str {
        self.secret.expose_secret()
    }
}

impl PartialEq for PostgresUrl {
    fn eq(&self, other: &PostgresUrl) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for PostgresUrl {}

impl std::fmt::Display for PostgresUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PostgresUrl({self})")
    }
}

/// A URL with its password, if any, replaced by `<redacted>` (also in a `password=` parameter).
fn redacted(text: &str) -> String {
    let Ok(mut url) = url::Url::parse(text) else {
        return "<a URL that does not parse>".to_string();
    };
    if url.password().is_some() {
        let _ = url.set_password(Some("redacted"));
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(key, value)| {
            let value = if key == "password" {
                "redacted".into()
            } else {
                value.into_owned()
            };
            (key.into_owned(), value)
        })
        .collect();
    if !pairs.is_empty() {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

/// Which gateway shards to run: all of Discord's recommended number, all of a fixed number, or
/// a range of a fixed total (this process's part of a bot split across processes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Shards {
    #[default]
    Auto,
    Fixed(u32),
    Range(ShardRange),
}

impl Shards {
    /// The servers a process with these shards serves.
    pub fn ownership(&self) -> Ownership {
        match self {
            Shards::Range(range) => Ownership::Range(*range),
            Shards::Auto | Shards::Fixed(_) => Ownership::All,
        }
    }
}

impl<'de> Deserialize<'de> for Shards {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(i64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Text(text) if text == "auto" => Ok(Shards::Auto),
            Raw::Number(n) if (1..=u32::MAX as i64).contains(&n) => Ok(Shards::Fixed(n as u32)),
            Raw::Text(text) if text.contains('/') => match text.parse() {
                Ok(range) => Ok(Shards::Range(range)),
                Err(error) => Err(D::Error::custom(problem_and_fix(
                    error,
                    "give each process its own part of one total, such as \"0-2/6\" and \"3-5/6\"",
                ))),
            },
            _ => Err(D::Error::custom(problem_and_fix(
                "this is not a shard count or range",
                "write \"auto\", a whole number of at least 1, or a range of a total such as \"0-3/8\"",
            ))),
        }
    }
}

/// A whole number within `MIN..=MAX`, with a message that says the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Bounded<const MIN: u32, const MAX: u32>(pub(super) u32);

impl<'de, const MIN: u32, const MAX: u32> Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(deserializer)?;
        match u32::try_from(n) {
            Ok(n) if (MIN..=MAX).contains(&n) => Ok(Bounded(n)),
            _ => Err(D::Error::custom(problem_and_fix(
                format!("{n} is out of range"),
                format!("use a whole number from {MIN} to {MAX}"),
            ))),
        }
    }
}

/// A tracing filter: comma-separated `level` or `target=level` directives. Checked here
/// because tracing's own parser takes any unknown word as a target name, so a typo such as
/// `verbose` would silently log nothing.
pub(super) struct LogLevel(pub(super) String);

const LEVELS: [&str; 6] = ["off", "error", "warn", "info", "debug", "trace"];

impl<'de> Deserialize<'de> for LogLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let directive_ok = |directive: &str| {
            let level = directive
                .rsplit_once('=')
                .map_or(
                    directive,
                    |(target, level)| {
                        if target.trim().is_empty() {
                            ""
                        } else {
                            level
                        }
                    },
                );
            LEVELS.contains(&level.trim().to_lowercase().as_str())
        };
        if !text.trim().is_empty() && text.split(',').all(directive_ok) {
            Ok(LogLevel(text))
        } else {
            Err(D::Error::custom(problem_and_fix(
                format!("`{text}` is not a log level"),
                "use off, error, warn, info, debug or trace, optionally per module: \"bridgebot=debug,warn\"",
            )))
        }
    }
}
