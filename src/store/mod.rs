//! The database: the only code that speaks SQL.
//!
//! Two engines behind one pool (sqlx's `Any` driver): an embedded SQLite file, the default, with
//! no server to install; or a PostgreSQL server, which several processes can share. Every query
//! is written once, in SQL both engines take (`$1` placeholders, which SQLite reads as numbered
//! parameters; `INSERT ... ON CONFLICT DO NOTHING`; `RETURNING`), and every value crosses as one
//! of the few types the `Any` driver carries: 64-bit integers (ids, Unix seconds, and flags as
//! 0 or 1), text and bytes. What must differ lives in one place each: the schema in the two
//! migration folders (`migrations/` for SQLite, `migrations/postgres/` with the same tables and
//! columns, a test compares them), and connecting in `open.rs`.
//!
//! A claim is a row that one insert or one conditional update creates or moves; both engines
//! make that atomic, so exactly one caller wins it, also across processes on PostgreSQL.

mod digest;
mod duty_log;
mod focus;
mod leases;
mod migrations;
mod open;
mod polls;
mod pulse;
mod reloads;
mod schedules;
mod scrub;
mod servers;
mod team;
#[cfg(test)]
pub(crate) mod testing;
mod values;

use std::fs::File;
use std::sync::{Arc, Mutex};

use sqlx::AnyPool;

pub use duty_log::{DutyClaim, DutyEntry};
pub use focus::FocusRecord;
pub use leases::{Lease, Taken};
pub use polls::PollRecord;
pub use pulse::{NewPulse, PulseRecord};
pub use reloads::ReloadNotices;
pub use team::{Added, NewSuggestion, NewTeamEntry, SuggestionCounts};

/// Why the database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Opening failed in a way only a person can fix (a locked or broken file, a refused
    /// password, a database that does not exist).
    #[error("cannot open the database {database}: {problem}. {fix}")]
    Open {
        database: String,
        problem: String,
        fix: &'static str,
    },
    /// The server did not answer; it may yet (it is starting, or the network is back soon).
    #[error("cannot reach the database {database}: {problem}")]
    Unreachable { database: String, problem: String },
    #[error("cannot bring the database {database} up to date: {source}")]
    Migrate {
        database: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
    #[error("the database holds a value this version cannot read: {0}")]
    Corrupt(String),
    /// Deleted rows could not yet be cleared from the database's files (see `scrub.rs`).
    #[error("cannot clear deleted rows from the database files: {0}")]
    Scrub(&'static str),
}

impl StoreError {
    /// Whether trying again later may succeed without anyone changing anything: the server
    /// was not reachable. What a start waits out (see `app`).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, StoreError::Unreachable { .. })
    }
}

/// Which engine a store runs on, for the little that differs between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    /// SQLite only: the lock file, held until the store is closed or every clone is gone.
    lock: Arc<Mutex<Option<File>>>,
    /// Who this process is in the lease table and on the claims it makes.
    holder: Arc<str>,
    /// PostgreSQL: the server's URL, for the connection that listens for reload notices.
    url: Option<ServerUrl>,
}

/// A server URL that may hold a password: never printed.
#[derive(Clone)]
struct ServerUrl(Arc<str>);

impl std::fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerUrl(..)")
    }
}

impl std::ops::Deref for ServerUrl {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Store {
    /// The engine this store runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Waits for pending writes, closes every connection and lets go of the lock file.
    pub async fn close(&self) {
        self.pool.close().await;
        if let Ok(mut slot) = self.lock.lock() {
            slot.take();
        }
    }
}
