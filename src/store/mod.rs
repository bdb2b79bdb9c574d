//! The embedded SQLite database: the only code that speaks SQL.
//!
//! One file (`[storage] database`), created on first run, in WAL mode, migrated from
//! `migrations/` (compiled in). No server to install. A file that is locked, unreadable or
//! not a database is reported with its path and what to do, and never overwritten.

mod duty_log;
mod poll_schedules;
mod polls;
mod pulse;
mod tips;
mod values;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use duty_log::{DutyClaim, DutyEntry};
pub use poll_schedules::PollSchedule;
pub use polls::PollRecord;
pub use pulse::{NewPulse, PulseRecord, PulseSchedule};
pub use tips::TipSettings;

/// Why the database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {problem}. {fix}")]
    Open {
        path: PathBuf,
        problem: String,
        fix: &'static str,
    },
    #[error("cannot bring the database {path} up to date: {source}")]
    Migrate {
        path: PathBuf,
        source: sqlx::migrate::MigrateError,
    },
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
    #[error("the database holds a value this version cannot read: {0}")]
    Corrupt(String),
}

/// How long a write waits for another connection's write before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    /// The lock file, held until the store is closed or every clone is gone (none in memory).
    lock: Arc<Mutex<Option<File>>>,
}

/// The lock file beside a database: `bridgebot.db` -> `bridgebot.db.lock`.
fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the database's lock file, so that a second bot on the same file (which would post
/// every tip twice) is refused at start instead.
fn lock(database: &Path) -> Result<File, StoreError> {
    let path = lock_path(database);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|error| StoreError::Open {
            path: database.to_path_buf(),
            problem: format!("cannot create the lock file {}: {error}", path.display()),
            fix: "Check that the folder exists and that this user may write in it.",
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Open {
            path: database.to_path_buf(),
            problem: format!("{} is locked", path.display()),
            fix: "Another process holds it: stop the other bridgebot using this database, or point [storage] database at another file.",
        }),
        Err(std::fs::TryLockError::Error(error)) => Err(StoreError::Open {
            path: database.to_path_buf(),
            problem: format!("cannot lock {}: {error}", path.display()),
            fix: "Check the folder's file system supports locks, or point [storage] database elsewhere.",
        }),
    }
}

impl Store {
    /// Opens (creating if missing) and migrates the database at `path`.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        let lock_file = lock(path)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|error| open_error(path, &error))?;
        let store = Store::migrate(pool, path).await?;
        if let Ok(mut slot) = store.lock.lock() {
            *slot = Some(lock_file);
        }
        Ok(store)
    }

    /// A private in-memory database, for tests and previews.
    pub async fn in_memory() -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?;
        // One connection: every in-memory connection would be a database of its own.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        Store::migrate(pool, Path::new(":memory:")).await
    }

    async fn migrate(pool: SqlitePool, path: &Path) -> Result<Store, StoreError> {
        sqlx::migrate!()
            .run(&pool)
            .await
            .map_err(|source| match source {
                sqlx::migrate::MigrateError::Execute(ref error) => open_error(path, error),
                source => StoreError::Migrate {
                    path: path.to_path_buf(),
                    source,
                },
            })?;
        Ok(Store {
            pool,
            lock: Arc::new(Mutex::new(None)),
        })
    }

    /// Waits for pending writes, closes every connection and lets go of the lock file.
    pub async fn close(&self) {
        self.pool.close().await;
        if let Ok(mut slot) = self.lock.lock() {
            slot.take();
        }
    }
}

/// An opening failure in words that say what to do.
fn open_error(path: &Path, error: &sqlx::Error) -> StoreError {
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
        path: path.to_path_buf(),
        problem: text,
        fix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    async fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bot.db");
        let garbage = "this is not sqlite, it is a shopping list\n".repeat(200);
        std::fs::write(&path, &garbage).expect("write");
        let error = Store::open(&path).await.expect_err("not a database");
        let message = error.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("will not overwrite"), "{message}");
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
}
