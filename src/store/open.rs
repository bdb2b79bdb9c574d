//! Connecting to either engine and bringing its schema up to date: the one place where the two
//! differ in more than their migration files.
//!
//! SQLite: one file, created on first run, in WAL mode, guarded by a lock file beside it so a
//! second bot on the same file is refused (it would post every tip twice). A file that is
//! locked, unreadable or not a database is reported with its path and what to do, and never
//! overwritten. PostgreSQL: a pool to the server at the URL; sqlx's migrator takes an advisory
//! lock there, so processes starting together migrate once. A server that does not answer is
//! [`StoreError::Unreachable`], which the start waits out; a refused password or a missing
//! database is an [`StoreError::Open`] that says what to fix.

use std::fs::File;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::MigrateError;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

use super::{Engine, Store, StoreError};

/// Connections to a PostgreSQL server: enough for the scheduler, the keeper and commands at
/// once, few enough that several processes fit in a default server's 100.
const POSTGRES_CONNECTIONS: u32 = 8;
/// How long a query waits for a connection (or a connection for the server) before failing;
/// short, so a start that waits for the server says so every few seconds.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

impl Store {
    /// Opens (creating if missing) and migrates the SQLite database at `path`.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_sqlite(path, SecureDelete::On).await
    }

    /// [`Store::open`] with SQLite's `secure_delete` off, as SQLite's default is: only for the
    /// benchmark that measures what zeroing deleted content costs the hot paths.
    #[doc(hidden)]
    pub async fn open_leaving_deleted_bytes(path: &Path) -> Result<Store, StoreError> {
        Store::open_sqlite(path, SecureDelete::Off).await
    }

    async fn open_sqlite(path: &Path, secure_delete: SecureDelete) -> Result<Store, StoreError> {
        install_drivers();
        let shown = path.display().to_string();
        let lock_file = lock(path)?;
        let options = AnyConnectOptions::from_str(&sqlite_url(path)?)?;
        // First one connection on its own: the pool would retry a failing file until its
        // timeout and then report only that, not what is wrong with the file. WAL is kept in
        // the file, so setting it once is enough.
        let mut first = AnyConnection::connect_with(&options)
            .await
            .map_err(|error| sqlite_error(&shown, &error))?;
        first
            .execute("PRAGMA journal_mode = WAL")
            .await
            .map_err(|error| sqlite_error(&shown, &error))?;
        first
            .close()
            .await
            .map_err(|error| sqlite_error(&shown, &error))?;
        let pool = AnyPoolOptions::new()
            .max_connections(4)
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    connection.execute("PRAGMA synchronous = NORMAL").await?;
                    // Deleted content is overwritten with zeros, not left in its page: what
                    // a closed pulse deletes must be gone from the file (see `scrub.rs`).
                    if secure_delete == SecureDelete::On {
                        connection.execute("PRAGMA secure_delete = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|error| sqlite_error(&shown, &error))?;
        let store = Store::migrate(pool, Engine::Sqlite, &shown).await?;
        if let Ok(mut slot) = store.lock.lock() {
            *slot = Some(lock_file);
        }
        // A run that stopped between a pulse's close and its scrub left the bytes behind.
        store.scrub_logged().await;
        Ok(store)
    }

    /// A private in-memory SQLite database, for tests and previews.
    pub async fn in_memory() -> Result<Store, StoreError> {
        install_drivers();
        let options = AnyConnectOptions::from_str("sqlite::memory:")?;
        // One connection: every in-memory connection would be a database of its own.
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        Store::migrate(pool, Engine::Sqlite, ":memory:").await
    }

    /// Connects to the PostgreSQL server at `url` and migrates its database. `shown` is how
    /// messages name it (the URL without its password).
    pub async fn open_postgres(url: &str, shown: &str) -> Result<Store, StoreError> {
        install_drivers();
        let options = AnyConnectOptions::from_str(url).map_err(|error| StoreError::Open {
            database: shown.to_string(),
            problem: error.to_string(),
            fix: "Check the URL in [storage] database (postgres://user@host/database).",
        })?;
        let pool = AnyPoolOptions::new()
            .max_connections(POSTGRES_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|error| postgres_error(shown, error))?;
        let mut store = Store::migrate(pool, Engine::Postgres, shown).await?;
        store.url = Some(super::ServerUrl(url.into()));
        store.scrub_logged().await;
        Ok(store)
    }

    pub(super) async fn migrate(
        pool: AnyPool,
        engine: Engine,
        shown: &str,
    ) -> Result<Store, StoreError> {
        super::migrations::run(engine, &pool)
            .await
            .map_err(|source| match (engine, source) {
                (Engine::Sqlite, MigrateError::Execute(error)) => sqlite_error(shown, &error),
                (Engine::Postgres, MigrateError::Execute(error)) => postgres_error(shown, error),
                (_, source) => StoreError::Migrate {
                    database: shown.to_string(),
                    source,
                },
            })?;
        Ok(Store {
            pool,
            engine,
            lock: Arc::new(Mutex::new(None)),
            holder: new_holder().into(),
            url: None,
        })
    }
}

/// Whether SQLite overwrites deleted content (on in every store the bot opens).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SecureDelete {
    On,
    Off,
}

/// A name for this process's run that no other run shares: where it runs, its process id, and
/// a random part (process ids are reused, and containers all start at 1).
pub(super) fn new_holder() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "bridgebot".into());
    format!(
        "{host}:{}:{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}

/// Lets the `Any` pool open SQLite and PostgreSQL connections (once per process).
fn install_drivers() {
    sqlx::any::install_default_drivers();
}

/// `path` as a sqlx SQLite URL, created if missing. sqlx decodes `%XX` in the file name, so
/// the characters that would end it (`?`, `#`) or start an escape (`%`) are encoded.
fn sqlite_url(path: &Path) -> Result<String, StoreError> {
    let text = path.to_str().ok_or_else(|| StoreError::Open {
        database: path.display().to_string(),
        problem: "the path is not valid UTF-8".to_string(),
        fix: "Point [storage] database at a path of plain characters.",
    })?;
    let encoded = text
        .replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23");
    Ok(format!("sqlite://{encoded}?mode=rwc"))
}

/// The lock file beside a database: `bridgebot.db` -> `bridgebot.db.lock`.
fn lock_path(database: &Path) -> std::path::PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    std::path::PathBuf::from(name)
}

/// Takes the database's lock file, so that a second bot on the same file (which would post
/// every tip twice) is refused at start instead.
fn lock(database: &Path) -> Result<File, StoreError> {
    let path = lock_path(database);
    let shown = database.display().to_string();
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|error| StoreError::Open {
            database: shown.clone(),
            problem: format!("cannot create the lock file {}: {error}", path.display()),
            fix: "Check that the folder exists and that this user may write in it.",
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Open {
            database: shown,
            problem: format!("{} is locked", path.display()),
            fix: "Another process holds it: stop the other bridgebot using this database, or point [storage] database at another file.",
        }),
        Err(std::fs::TryLockError::Error(error)) => Err(StoreError::Open {
            database: shown,
            problem: format!("cannot lock {}: {error}", path.display()),
            fix: "Check the folder's file system supports locks, or point [storage] database elsewhere.",
        }),
    }
}

/// A SQLite opening failure in words that say what to do.
fn sqlite_error(shown: &str, error: &sqlx::Error) -> StoreError {
    let text = error.to_string();
    let lower = text.to_lowercase();
    let fix = if lower.contains("locked") || lower.contains("busy") {
        "Another process holds it: stop the other bridgebot (or tool) using this file, or point [storage] database at another file."
    } else if lower.contains("not a database")
        || lower.contains("malformed")
        || lower.contains("corrupt")
    {
        "The file is not a healthy SQLite database. bridgebot will not overwrite it: restore it from a backup, or move it away to start with an empty one."
    } else if lower.contains("unable to open")
        || lower.contains("permission")
        || lower.contains("readonly")
        || lower.contains("read-only")
    {
        "Check that the folder exists and that this user may read and write both the file and its folder (SQLite adds -wal and -shm files beside it)."
    } else {
        "Check the file and its folder, or point [storage] database at another file."
    };
    StoreError::Open {
        database: shown.to_string(),
        problem: text,
        fix,
    }
}

/// A PostgreSQL failure while connecting or migrating: unreachable (worth waiting for) or
/// something a person must fix, with what to do.
fn postgres_error(shown: &str, error: sqlx::Error) -> StoreError {
    let open = |problem: String, fix| StoreError::Open {
        database: shown.to_string(),
        problem,
        fix,
    };
    let unreachable = |problem: String| StoreError::Unreachable {
        database: shown.to_string(),
        problem,
    };
    match &error {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut => unreachable(error.to_string()),
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            match code.as_str() {
                // invalid_authorization_specification, invalid_password
                "28000" | "28P01" => open(
                    error.to_string(),
                    "The server refused the role or password: check the user and password in the URL (or PGPASSWORD, or ~/.pgpass).",
                ),
                // invalid_catalog_name
                "3D000" => open(
                    error.to_string(),
                    "Create the database first (createdb, or CREATE DATABASE), or name an existing one in the URL.",
                ),
                // insufficient_privilege
                "42501" => open(
                    error.to_string(),
                    "The role may not create the bot's tables: grant it CREATE on the database (or its schema), or use the database's owner.",
                ),
                // cannot_connect_now (starting up), too_many_connections, connection
                // exceptions, and a database closed to connections for now (ALLOW_CONNECTIONS
                // false, object_not_in_prerequisite_state while connecting)
                c if c == "57P03" || c == "53300" || c == "55000" || c.starts_with("08") => {
                    unreachable(error.to_string())
                }
                _ => open(
                    error.to_string(),
                    "Check the server and the URL in [storage] database.",
                ),
            }
        }
        sqlx::Error::Tls(_) => open(
            error.to_string(),
            "The URL asks for TLS (sslmode) and it failed: check the server's TLS setup, its certificate (sslrootcert for your own CA), or the sslmode.",
        ),
        _ => open(
            error.to_string(),
            "Check the server and the URL in [storage] database.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::on_postgres;

    on_postgres!(
        a_postgres_database_that_does_not_exist_says_to_create_it,
        a_server_without_tls_when_tls_is_required_is_refused_not_waited_for,
        processes_starting_together_on_postgres_migrate_once,
    );

    #[tokio::test]
    async fn a_new_file_is_created_and_migrated_in_wal_mode() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bot.db");
        let store = Store::open(&path).await.expect("opens");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&store.pool)
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
        assert!(path.exists());
        store.close().await;
        // Opening again finds the migrations applied.
        Store::open(&path).await.expect("opens again").close().await;
    }

    #[tokio::test]
    async fn a_path_with_url_characters_is_a_file_of_that_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bot #1 ?%20.db");
        Store::open(&path).await.expect("opens").close().await;
        assert!(path.exists(), "{} was not created", path.display());
    }

    #[tokio::test]
    async fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bot.db");
        let garbage = "this is not sqlite, it is a shopping list\n".repeat(200);
        std::fs::write(&path, &garbage).expect("write");
        let error = Store::open(&path).await.expect_err("not a database");
        let message = error.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("will not overwrite"), "{message}");
        assert!(!error.is_unreachable(), "a broken file is not waited for");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            garbage,
            "the file was changed"
        );
    }

    #[tokio::test]
    async fn a_second_bot_on_the_same_database_is_refused_until_the_first_stops() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bot.db");
        let first = Store::open(&path).await.expect("the first opens");
        let message = Store::open(&path).await.expect_err("locked").to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("stop the other bridgebot"), "{message}");
        first.close().await;
        Store::open(&path)
            .await
            .expect("free again once the first has stopped");
    }

    #[tokio::test]
    async fn a_missing_folder_is_reported_with_the_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("no-such-folder").join("bot.db");
        let message = Store::open(&path).await.expect_err("no folder").to_string();
        assert!(message.contains("no-such-folder"), "{message}");
        assert!(message.contains("folder exists"), "{message}");
    }

    #[tokio::test]
    async fn a_postgres_server_that_is_not_there_is_unreachable_not_broken() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!(
            "postgres://postgres@localhost/bot?host={}",
            dir.path().display()
        );
        let error = Store::open_postgres(&url, "the test server")
            .await
            .expect_err("nothing listens there");
        assert!(error.is_unreachable(), "{error}");
        assert!(error.to_string().contains("the test server"), "{error}");
    }

    async fn a_postgres_database_that_does_not_exist_says_to_create_it() {
        let database = test_postgres::database().await;
        let mut url = url::Url::parse(database.url()).expect("url");
        url.set_path("no_such_database");
        let error = Store::open_postgres(url.as_str(), "the test server")
            .await
            .expect_err("missing database");
        assert!(!error.is_unreachable(), "{error}");
        assert!(error.to_string().contains("Create the database"), "{error}");
    }

    async fn a_server_without_tls_when_tls_is_required_is_refused_not_waited_for() {
        let database = test_postgres::database().await;
        let url = format!("{}&sslmode=require", database.url());
        let error = Store::open_postgres(&url, "the test server")
            .await
            .expect_err("the test server has no TLS");
        assert!(!error.is_unreachable(), "{error}");
        assert!(error.to_string().contains("TLS"), "{error}");
    }

    async fn processes_starting_together_on_postgres_migrate_once() {
        let database = test_postgres::database().await;
        let opened = futures::future::join_all(
            (0..3).map(|_| Store::open_postgres(database.url(), "the test database")),
        )
        .await;
        for store in opened {
            store.expect("every start succeeds").close().await;
        }
    }
}
