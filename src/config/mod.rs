//! Configuration: an optional TOML file over built-in defaults.
//!
//! With nothing but `DISCORD_TOKEN` in the environment the bot runs on the defaults. A config
//! file is parsed key by key into validated types, so every mistake in it is reported at once,
//! with file, line and what to write instead, and the process stops before connecting.
//! `config.example.toml` documents every key; a test keeps it in step with this file.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::de::DeValue;
use toml::Spanned;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};

mod keys;
mod token;
mod values;

pub use crate::model::shards::{Ownership, ShardRange};
use keys::{Section, Value, SECTIONS};
pub use token::Token;
pub use values::{ApiBase, Database, PostgresUrl, Shards, Snowflake};

/// The file read when `--config` is not given, if it exists in the working folder.
pub const DEFAULT_CONFIG_FILE: &str = "bridgebot.toml";
/// The environment variable holding the bot token.
pub const TOKEN_ENV: &str = "DISCORD_TOKEN";
/// Where systemd puts a unit's credentials (`LoadCredential=`).
pub const CREDENTIALS_ENV: &str = "CREDENTIALS_DIRECTORY";
/// The name of the token among them.
pub const TOKEN_CREDENTIAL: &str = "discord-token";

/// Every setting, with its default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub discord: DiscordConfig,
    pub content: ContentConfig,
    pub storage: StorageConfig,
    pub schedule: ScheduleConfig,
    pub polls: PollsConfig,
    pub pulse: PulseConfig,
    pub log: LogConfig,
    pub metrics: MetricsConfig,
}

/// `[discord]`
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DiscordConfig {
    /// A file holding the token, used when `DISCORD_TOKEN` is not set.
    pub token_file: Option<PathBuf>,
    /// Base URL of an HTTP API proxy all REST calls go to, instead of Discord itself.
    pub api_base: Option<ApiBase>,
    /// Register commands in this one server only (instant) instead of globally.
    pub guild_id: Option<Snowflake>,
    /// Users allowed to run bot-owner commands (`/admin reload`), besides the application's
    /// owners.
    pub owners: Vec<Snowflake>,
    /// How many gateway shards to run.
    pub shards: Shards,
}

/// `[content]`
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContentConfig {
    /// A folder with an edited copy of the content; the bundled copy when unset.
    pub dir: Option<PathBuf>,
}

/// `[storage]`
#[derive(Debug, Clone, PartialEq)]
pub struct StorageConfig {
    /// A SQLite file (created on first run) or a PostgreSQL server.
    pub database: Database,
    /// PostgreSQL: how long a process's hold on its shards lasts unless renewed; what a
    /// process taking over after a crash waits at most.
    pub lease_seconds: u32,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            database: Database::Sqlite(PathBuf::from("bridgebot.db")),
            lease_seconds: 15,
        }
    }
}

/// `[schedule]`: the pace of every scheduled duty (the daily tip, the weekly poll, the pulse
/// and its result, the digest). Read from `[tips]` too, where these keys lived when the tip
/// was the only duty; `bridgebot check` says where they moved.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleConfig {
    /// How late a missed post may still go out, in hours.
    pub catch_up_hours: u32,
    /// Scheduled posts per second across all servers, kept under Discord's global 50
    /// requests/s.
    pub posts_per_second: u32,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig {
            catch_up_hours: 6,
            posts_per_second: 48,
        }
    }
}

/// `[pulse]`
#[derive(Debug, Clone, PartialEq)]
pub struct PulseConfig {
    /// The fewest answers a team pulse needs before its results are shown (never below 3).
    pub min_responses: u32,
}

impl Default for PulseConfig {
    fn default() -> Self {
        PulseConfig { min_responses: 3 }
    }
}

/// `[polls]`
#[derive(Debug, Clone, PartialEq)]
pub struct PollsConfig {
    /// Seconds a member waits between two polls they start.
    pub cooldown_seconds: u32,
}

impl Default for PollsConfig {
    fn default() -> Self {
        PollsConfig {
            cooldown_seconds: 120,
        }
    }
}

/// `[log]`
#[derive(Debug, Clone, PartialEq)]
pub struct LogConfig {
    /// A tracing filter (`info`, `bridgebot=debug,serenity=warn`); `RUST_LOG` overrides it.
    pub level: String,
    pub format: LogFormat,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: "info".into(),
            format: LogFormat::Human,
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Human,
    Json,
}

/// `[metrics]`
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricsConfig {
    /// Where to serve Prometheus metrics; off when unset.
    pub listen: Option<SocketAddr>,
}

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(#[from] Diagnostics),
    #[error("no bot token: set the {TOKEN_ENV} environment variable, or token_file in the [discord] section of the config")]
    NoToken,
    #[error("cannot read the token file {path}: {source}; put the bot token in that file, or set the {TOKEN_ENV} environment variable (it wins over the file)")]
    TokenFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the bot token from {from} is empty: copy the token from the Bot page of your application in Discord's developer portal")]
    EmptyToken { from: String },
}

/// A config file as read: its settings, and what in it is still read but should change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    pub config: Config,
    /// Settings written where they used to live, each with file, line and the fix; they
    /// stop nothing (`bridgebot check` and `bridgebot run` print them).
    pub warnings: Vec<Diagnostic>,
}

/// The section `[schedule]`'s keys lived in while the daily tip was the only scheduled duty.
const OLD_SCHEDULE_SECTION: &str = "tips";

impl Config {
    /// Parses a config file's text; `name` is how the file is shown in diagnostics.
    pub fn from_toml(name: &str, text: &str) -> Result<Config, Diagnostics> {
        Config::read(name, text).map(|loaded| loaded.config)
    }

    /// Parses a config file's text, with the warnings about settings in an old place.
    pub fn read(name: &str, text: &str) -> Result<Loaded, Diagnostics> {
        let file = SourceFile::new(name, text);
        let (table, mut problems) = file.parse();
        let mut config = Config::default();
        let mut old_schedule = None;
        let mut schedule_keys = None;
        for (key, value) in table.into_inner() {
            let span = key.span();
            let result = match key.get_ref().as_ref() {
                "discord" => read_section(&file, value, &mut config.discord),
                "content" => read_section(&file, value, &mut config.content),
                "storage" => read_section(&file, value, &mut config.storage),
                "schedule" => {
                    schedule_keys = Some(key_names(&value));
                    read_section(&file, value, &mut config.schedule)
                }
                OLD_SCHEDULE_SECTION => {
                    old_schedule = Some((span, value));
                    Vec::new()
                }
                "polls" => read_section(&file, value, &mut config.polls),
                "pulse" => read_section(&file, value, &mut config.pulse),
                "log" => read_section(&file, value, &mut config.log),
                "metrics" => read_section(&file, value, &mut config.metrics),
                other => vec![file.diagnostic(
                    &span,
                    format!("unknown setting or section `{other}`"),
                    format!(
                        "settings live in the sections [{}]; see config.example.toml",
                        SECTIONS.join("], [")
                    ),
                )],
            };
            problems.extend(result);
        }
        let mut warnings = Vec::new();
        if let Some((header, value)) = old_schedule {
            // At the start of the header's line, where `[` is.
            let line_start = text[..header.start].rfind('\n').map_or(0, |at| at + 1);
            let moved = MovedSchedule {
                header: line_start..header.end,
                in_schedule: schedule_keys,
            };
            problems.extend(moved.read(&file, value, &mut config.schedule, &mut warnings));
        }
        if let Err((problem, fix)) = config.shards_fit_the_database() {
            problems.push(file.diagnostic(&key_span(text, "shards"), problem, fix));
        }
        warnings.sort_by_key(|w| (w.line, w.column));
        Diagnostics(problems)
            .into_result(config)
            .map(|config| Loaded { config, warnings })
    }

    /// Reads the config: `path` when given (it must exist), else `bridgebot.toml` in the
    /// working folder if there is one, else the defaults. Relative paths in the file are
    /// taken from the file's own folder.
    pub fn load(path: Option<&Path>) -> Result<Loaded, ConfigError> {
        let default = Path::new(DEFAULT_CONFIG_FILE);
        let path = match path {
            Some(path) => path,
            None if default.exists() => default,
            None => return Ok(Loaded::default()),
        };
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut loaded = Config::read(&path.display().to_string(), &text)?;
        if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
            loaded.config.resolve_paths(folder);
        }
        Ok(loaded)
    }

    fn resolve_paths(&mut self, folder: &Path) {
        let resolve = |path: &mut PathBuf| {
            if path.is_relative() {
                *path = folder.join(&*path);
            }
        };
        self.discord.token_file.as_mut().map(resolve);
        self.content.dir.as_mut().map(resolve);
        if let Database::Sqlite(path) = &mut self.storage.database {
            resolve(path);
        }
    }

    /// Runs only `range` of the shards (`bridgebot run --shards`), in place of the file's
    /// `[discord] shards`; refused, saying why, on SQLite.
    pub fn run_shards(&mut self, range: ShardRange) -> Result<(), String> {
        self.discord.shards = Shards::Range(range);
        self.shards_fit_the_database()
            .map_err(|(problem, fix)| crate::diag::problem_and_fix(problem, fix))
    }

    /// A range of shards is part of a bot split across processes, which must share a
    /// PostgreSQL database: the problem and its fix otherwise.
    fn shards_fit_the_database(&self) -> Result<(), (String, &'static str)> {
        match (self.discord.shards, &self.storage.database) {
            (Shards::Range(range), Database::Sqlite(_)) => Err((
                format!("shards = \"{range}\" runs part of the bot, but a SQLite file serves one process, which must run every shard"),
                "set [storage] database to a postgres:// URL that every process shares, or run one process with shards = \"auto\"",
            )),
            _ => Ok(()),
        }
    }

    /// The bot token: `DISCORD_TOKEN` if set, else the contents of `token_file`, else the
    /// credential `discord-token` systemd handed over (`LoadCredential=`, in the folder
    /// `$CREDENTIALS_DIRECTORY`, whose path differs per unit instance).
    pub fn token(&self, env: impl Fn(&str) -> Option<String>) -> Result<Token, ConfigError> {
        if let Some(token) = env(TOKEN_ENV) {
            return Token::new(&token, TOKEN_ENV);
        }
        let credential = env(CREDENTIALS_ENV).map(|dir| PathBuf::from(dir).join(TOKEN_CREDENTIAL));
        let path = self
            .discord
            .token_file
            .clone()
            .or(credential)
            .ok_or(ConfigError::NoToken)?;
        let path = &path;
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::TokenFile {
            path: path.clone(),
            source,
        })?;
        Token::new(&text, &path.display().to_string())
    }
}

/// Where a key is written in the file (the start of its first line), for a problem found
/// only once every section is read.
fn key_span(text: &str, key: &str) -> std::ops::Range<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            let at = offset + line.len() - trimmed.len();
            return at..at;
        }
        offset += line.len();
    }
    0..0
}

/// The keys written in a section, where it is one.
fn key_names(value: &Spanned<DeValue<'_>>) -> Vec<String> {
    match value.get_ref() {
        DeValue::Table(table) => table.iter().map(|(k, _)| k.get_ref().to_string()).collect(),
        _ => Vec::new(),
    }
}

/// `[tips]` in a file written before `[schedule]`: its keys pace every duty, so they moved;
/// they are still read, each with a warning saying where it goes now.
struct MovedSchedule {
    /// Where `[tips]` is written.
    header: std::ops::Range<usize>,
    /// The keys `[schedule]` sets, when the file has that section too.
    in_schedule: Option<Vec<String>>,
}

impl MovedSchedule {
    fn read(
        &self,
        file: &SourceFile<'_>,
        value: Spanned<DeValue<'_>>,
        schedule: &mut ScheduleConfig,
        warnings: &mut Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        let known = |key: &str| ScheduleConfig::KEYS.iter().any(|(name, _)| *name == key);
        let keys: Vec<(String, std::ops::Range<usize>)> = match value.get_ref() {
            DeValue::Table(table) => table
                .iter()
                .map(|(k, _)| (k.get_ref().to_string(), k.span()))
                .filter(|(k, _)| known(k))
                .collect(),
            _ => Vec::new(),
        };
        let (old, new) = (OLD_SCHEDULE_SECTION, ScheduleConfig::NAME);
        let mut problems = Vec::new();
        match &self.in_schedule {
            None if !keys.is_empty() => warnings.push(file.diagnostic(
                &self.header,
                format!(
                    "[{old}] is now called [{new}]: {} set the pace of every scheduled post (the daily tip, the weekly poll, the pulse and its result, the digest); [{old}] is still read for now",
                    keys.iter().map(|(k, _)| format!("`{k}`")).collect::<Vec<_>>().join(" and ")
                ),
                format!("rename the section header [{old}] to [{new}]; the keys and their values stay as they are"),
            )),
            None => {}
            Some(in_schedule) => {
                for (key, span) in &keys {
                    if in_schedule.contains(key) {
                        problems.push(file.diagnostic(
                            span,
                            format!("`{key}` is set in both [{new}] and [{old}]"),
                            format!("delete it from [{old}]: it belongs in [{new}] now, which paces every scheduled post"),
                        ));
                    } else {
                        warnings.push(file.diagnostic(
                            span,
                            format!("`{key}` has moved to [{new}] (it paces every scheduled post, not only the tip); it is still read from [{old}] for now"),
                            format!("move this line under [{new}], then delete [{old}] once it is empty"),
                        ));
                    }
                }
            }
        }
        problems.extend(read_keys(file, value, schedule, old));
        problems
    }
}

fn read_section<S: Section>(
    file: &SourceFile<'_>,
    value: Spanned<DeValue<'_>>,
    section: &mut S,
) -> Vec<Diagnostic> {
    read_keys(file, value, section, S::NAME)
}

/// Reads a section's keys into `section`; `name` is the section as the file writes it.
fn read_keys<S: Section>(
    file: &SourceFile<'_>,
    value: Spanned<DeValue<'_>>,
    section: &mut S,
    name: &str,
) -> Vec<Diagnostic> {
    let span = value.span();
    let DeValue::Table(table) = value.into_inner() else {
        return vec![file.diagnostic(
            &span,
            format!("`{name}` must be a section"),
            format!("write it as [{name}] followed by its settings on their own lines"),
        )];
    };
    let mut problems = Vec::new();
    for (key, value) in table {
        match S::KEYS
            .iter()
            .find(|(name, _)| *name == key.get_ref().as_ref())
        {
            Some((_, set)) => {
                if let Err(problem) = set(section, Value { file, value }) {
                    problems.push(problem);
                }
            }
            None => {
                let known: Vec<&str> = S::KEYS.iter().map(|(name, _)| *name).collect();
                problems.push(file.diagnostic(
                    &key.span(),
                    format!("[{name}] has no setting `{}`", key.get_ref()),
                    format!("use one of: {}", known.join(", ")),
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Diagnostic> {
        Config::from_toml("bot.toml", text).expect_err("invalid").0
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        assert_eq!(
            Config::from_toml("bot.toml", "").expect("valid"),
            Config::default()
        );
        assert_eq!(Config::default().schedule.catch_up_hours, 6);
        assert_eq!(
            Config::default().storage.database,
            Database::Sqlite(PathBuf::from("bridgebot.db"))
        );
    }

    #[test]
    fn the_example_config_parses_and_documents_every_key() {
        let text = include_str!("../../config.example.toml");
        Config::from_toml("config.example.toml", text).expect("the example is valid");
        let uncommented: String = text
            .lines()
            .map(|line| line.trim_start_matches('#').trim_start())
            .collect::<Vec<_>>()
            .join("\n");
        macro_rules! documented {
            ($($section:ty),*) => {$(
                assert!(uncommented.contains(&format!("[{}]", <$section>::NAME)), "[{}] undocumented", <$section>::NAME);
                for (key, _) in <$section>::KEYS {
                    assert!(uncommented.contains(&format!("\n{key} =")), "{key} undocumented in [{}]", <$section>::NAME);
                }
            )*};
        }
        documented!(
            DiscordConfig,
            ContentConfig,
            StorageConfig,
            ScheduleConfig,
            PollsConfig,
            LogConfig,
            MetricsConfig
        );
    }

    #[test]
    fn the_database_is_a_file_or_a_postgres_url_and_nothing_else() {
        let database = |text: &str| {
            Config::from_toml("bot.toml", &format!("[storage]\ndatabase = {text:?}\n"))
                .map(|config| config.storage.database)
        };
        assert_eq!(
            database("data/bot.db").expect("a path"),
            Database::Sqlite(PathBuf::from("data/bot.db"))
        );
        for url in [
            "postgres://bot:secret@db.example:5432/bridgebot",
            "postgresql://bot@localhost/bridgebot",
            "postgres:///bridgebot?host=/run/postgresql",
        ] {
            let Database::Postgres(parsed) = database(url).expect("a URL") else {
                panic!("{url} is not read as PostgreSQL");
            };
            assert_eq!(parsed.expose(), url);
        }
        let shown =
            database("postgres://bot:secret@db.example/bridgebot?password=hunter2").expect("a URL");
        for text in [shown.to_string(), format!("{shown:?}")] {
            assert!(
                !text.contains("secret") && !text.contains("hunter2"),
                "{text}"
            );
            assert!(text.contains("db.example"), "{text}");
        }
        for (wrong, says) in [
            (
                "mysql://bot@localhost/bridgebot",
                "`mysql://` is not a database",
            ),
            ("sqlite://bot.db", "`sqlite://` is not a database"),
            ("", "the database is empty"),
            ("postgres://bot@[nonsense/x", "is not a valid URL"),
        ] {
            let problems = database(wrong).expect_err(wrong).0;
            let message = problems[0].to_string();
            assert!(message.contains(says), "{wrong}: {message}");
            assert!(
                message.contains("postgres://"),
                "says what to write: {message}"
            );
        }
    }

    #[test]
    fn a_relative_database_file_is_found_beside_the_config_but_a_url_is_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bot.toml");
        std::fs::write(&path, "[storage]\ndatabase = \"bot.db\"\n").expect("write");
        let config = Config::load(Some(&path)).expect("loads").config;
        assert_eq!(
            config.storage.database,
            Database::Sqlite(dir.path().join("bot.db"))
        );
        let url = "postgres://bot@localhost/bridgebot";
        std::fs::write(&path, format!("[storage]\ndatabase = \"{url}\"\n")).expect("write");
        let config = Config::load(Some(&path)).expect("loads").config;
        assert_eq!(config.storage.database, Database::parse(url).expect("url"));
    }

    #[test]
    fn values_are_read_into_their_types() {
        let config = Config::from_toml(
            "bot.toml",
            "[discord]\napi_base = \"http://127.0.0.1:8080/\"\nguild_id = \"42\"\nowners = [1, \"2\"]\nshards = 3\n[tips]\ncatch_up_hours = 2\n[log]\nformat = \"json\"\nlevel = \"bridgebot=debug,warn\"\n[metrics]\nlisten = \"127.0.0.1:9100\"\n",
        )
        .expect("valid");
        assert_eq!(
            config.discord.api_base.as_ref().map(ApiBase::as_str),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(config.discord.guild_id, Some(Snowflake(42)));
        assert_eq!(config.discord.owners, vec![Snowflake(1), Snowflake(2)]);
        assert_eq!(config.discord.shards, Shards::Fixed(3));
        assert_eq!(config.schedule.catch_up_hours, 2);
        assert_eq!(config.log.format, LogFormat::Json);
        assert_eq!(
            config.metrics.listen,
            Some("127.0.0.1:9100".parse().expect("addr"))
        );
    }

    #[test]
    fn every_mistake_is_reported_at_once_with_its_line() {
        let found = problems(
            "[discord]\napi_base = \"ftp://x\"\nguild_id = 0\ntokn_file = \"t\"\n[tips]\ncatch_up_hours = 30\n[log]\nlevel = \"verbose\"\n[colour]\nx = 1\n",
        );
        let lines: Vec<usize> = found.iter().map(|d| d.line).collect();
        assert_eq!(
            lines,
            vec![2, 3, 4, 6, 8, 9],
            "{}",
            Diagnostics(found.clone())
        );
        assert!(found[0].problem.contains("http"), "{}", found[0]);
        assert!(
            found[0].fix.contains("http://127.0.0.1:3000"),
            "{}",
            found[0]
        );
        assert!(found[2].fix.contains("token_file"), "{}", found[2]);
        assert!(found[3].fix.contains("0 to 23"), "{}", found[3]);
        assert!(found[5].fix.contains("[discord]"), "{}", found[5]);
        assert!(found.iter().all(|d| d.file == "bot.toml"));
    }

    #[test]
    fn a_syntax_error_is_reported_with_its_line() {
        let found = problems("[tips]\ncatch_up_hours = \n");
        assert_eq!(found[0].line, 2, "{}", found[0]);
    }

    #[test]
    fn the_token_comes_from_the_environment_first_then_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("token");
        std::fs::write(&file, "from-file\n").expect("write");
        let mut config = Config::default();
        config.discord.token_file = Some(file);
        let from_env = config
            .token(|_| Some("Bot from-env".into()))
            .expect("token");
        assert_eq!(from_env.expose(), "from-env");
        let from_file = config.token(|_| None).expect("token");
        assert_eq!(from_file.expose(), "from-file");
        assert!(matches!(
            Config::default().token(|_| None),
            Err(ConfigError::NoToken)
        ));
        assert!(matches!(
            config.token(|_| Some("  ".into())),
            Err(ConfigError::EmptyToken { .. })
        ));
    }

    #[test]
    fn a_missing_token_file_says_both_ways_to_give_the_token() {
        let mut config = Config::default();
        config.discord.token_file = Some(PathBuf::from("/nonexistent/discord_token"));
        let error = config
            .token(|_| None)
            .expect_err("no such file")
            .to_string();
        assert!(error.contains("/nonexistent/discord_token"), "{error}");
        assert!(error.contains("put the bot token in that file"), "{error}");
        assert!(error.contains(TOKEN_ENV), "{error}");
    }

    #[test]
    fn without_a_token_file_the_systemd_credential_is_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(TOKEN_CREDENTIAL), "from-systemd\n").expect("write");
        let folder = dir.path().display().to_string();
        let env = |name: &str| (name == CREDENTIALS_ENV).then(|| folder.clone());
        let token = Config::default().token(env).expect("the credential");
        assert_eq!(token.expose(), "from-systemd");
    }

    #[test]
    fn a_token_never_prints() {
        let token = Token::new("secret-value", "test").expect("token");
        assert!(!format!("{token:?} {token}").contains("secret"));
    }

    #[test]
    fn a_shard_range_is_read_with_a_shared_database() {
        let config = Config::from_toml(
            "bot.toml",
            "[discord]\nshards = \"2-3/6\"\n[storage]\ndatabase = \"postgres://db/bot\"\nlease_seconds = 5\n",
        )
        .expect("valid");
        let range = "2-3/6".parse().expect("range");
        assert_eq!(config.discord.shards, Shards::Range(range));
        assert_eq!(config.discord.shards.ownership(), Ownership::Range(range));
        assert_eq!(config.storage.lease_seconds, 5);
        assert_eq!(Config::default().discord.shards.ownership(), Ownership::All);
    }

    #[test]
    fn a_shard_range_on_sqlite_is_refused_saying_why() {
        let found = problems("[discord]\nowners = [1]\n  shards = \"0-1/4\"\n");
        assert_eq!(found.len(), 1, "{found:?}");
        let problem = found[0].to_string();
        assert!(problem.contains("bot.toml:3"), "{problem}");
        assert!(
            problem.contains("SQLite file serves one process"),
            "{problem}"
        );
        assert!(problem.contains("postgres://"), "{problem}");
    }

    #[test]
    fn a_bad_shard_range_says_how_to_write_one() {
        let found = problems("[discord]\nshards = \"4-2/8\"\n[storage]\nlease_seconds = 1\n");
        assert_eq!(found.len(), 2, "{found:?}");
        let all = format!("{found:?}");
        assert!(all.contains("not a range inside 0-7"), "{all}");
        assert!(all.contains("0-2/6"), "{all}");
        assert!(all.contains("from 3 to 600"), "{all}");
    }

    #[test]
    fn the_pace_of_every_duty_is_read_from_schedule() {
        let loaded = Config::read(
            "bot.toml",
            "[schedule]\ncatch_up_hours = 3\nposts_per_second = 20\n",
        )
        .expect("valid");
        assert_eq!(loaded.config.schedule.catch_up_hours, 3);
        assert_eq!(loaded.config.schedule.posts_per_second, 20);
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    }

    #[test]
    fn tips_is_still_read_and_says_it_is_now_schedule() {
        let loaded = Config::read(
            "bot.toml",
            "[log]\nlevel = \"info\"\n[tips]\ncatch_up_hours = 2\nposts_per_second = 30\n",
        )
        .expect("still valid");
        assert_eq!(loaded.config.schedule.catch_up_hours, 2);
        assert_eq!(loaded.config.schedule.posts_per_second, 30);
        assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
        let warning = &loaded.warnings[0];
        assert_eq!(
            (warning.file.as_str(), warning.line, warning.column),
            ("bot.toml", 3, 1)
        );
        assert!(
            warning.problem.contains("[tips] is now called [schedule]"),
            "{warning}"
        );
        assert!(
            warning
                .fix
                .contains("rename the section header [tips] to [schedule]"),
            "{warning}"
        );
    }

    #[test]
    fn beside_schedule_each_key_in_tips_is_told_to_move_and_a_key_in_both_is_refused() {
        let loaded = Config::read(
            "bot.toml",
            "[schedule]\nposts_per_second = 40\n[tips]\ncatch_up_hours = 4\n",
        )
        .expect("still valid");
        assert_eq!(loaded.config.schedule.catch_up_hours, 4);
        assert_eq!(loaded.config.schedule.posts_per_second, 40);
        assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
        assert_eq!(loaded.warnings[0].line, 4);
        assert!(loaded.warnings[0]
            .fix
            .contains("move this line under [schedule]"));
        let found = problems("[schedule]\ncatch_up_hours = 4\n[tips]\ncatch_up_hours = 5\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 4);
        assert!(
            found[0]
                .problem
                .contains("set in both [schedule] and [tips]"),
            "{}",
            found[0]
        );
        let found = problems("[tips]\ncatch_up_hour = 4\n");
        assert!(
            found[0]
                .problem
                .contains("[tips] has no setting `catch_up_hour`"),
            "{}",
            found[0]
        );
    }
}
