//! The store's tests on both engines: [`on_both_engines!`] turns each test function into a
//! `sqlite` and a `postgres` test, each on a fresh database (in memory for SQLite, a new
//! database on the test binary's throwaway server for PostgreSQL, see `crates/test-postgres`;
//! without PostgreSQL installed the `postgres` half is skipped and reported there).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

use std::collections::BTreeSet;
use std::ops::Deref;

use sqlx::Row;

use super::{Engine, Store, StoreError};

/// A store for one test, with the PostgreSQL database it lives in (dropped with it).
pub(crate) struct TestStore {
    store: Store,
    _database: Option<test_postgres::Database>,
}

impl TestStore {
    /// The same database as another process sees it: its own holder for leases and claims.
    pub(crate) async fn other_process(&self) -> Store {
        Store {
            holder: super::open::new_holder().into(),
            ..self.store.clone()
        }
    }
}

impl Deref for TestStore {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

pub(crate) async fn sqlite() -> TestStore {
    TestStore {
        store: Store::in_memory().await.expect("an in-memory SQLite store"),
        _database: None,
    }
}

pub(crate) async fn postgres() -> TestStore {
    let database = test_postgres::database().await;
    let store = Store::open_postgres(database.url(), "the test database")
        .await
        .expect("a PostgreSQL store on the test server");
    TestStore {
        store,
        _database: Some(database),
    }
}

/// `n` handles on one database, as `n` processes would hold: on SQLite clones of one file's
/// store (its pool has several connections), on PostgreSQL separate pools.
pub(crate) async fn rivals(engine: Engine, n: usize) -> (Vec<Store>, Box<dyn std::any::Any>) {
    match engine {
        Engine::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let store = Store::open(&dir.path().join("bot.db"))
                .await
                .expect("opens");
            (vec![store; n], Box::new(dir))
        }
        Engine::Postgres => {
            let database = test_postgres::database().await;
            let mut stores = Vec::new();
            for _ in 0..n {
                stores.push(
                    Store::open_postgres(database.url(), "the test database")
                        .await
                        .expect("opens"),
                );
            }
            (stores, Box::new(database))
        }
    }
}

/// A fresh database whose schema stops at migration `version`, as an older release left it:
/// seed it with [`OldDatabase::execute`], then [`OldDatabase::upgrade`] it as a start of this
/// release does.
pub(crate) struct OldDatabase {
    pool: sqlx::AnyPool,
    engine: Engine,
    database: Option<test_postgres::Database>,
}

impl OldDatabase {
    pub(crate) async fn new(engine: Engine, version: i64) -> OldDatabase {
        use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
        use std::str::FromStr;
        sqlx::any::install_default_drivers();
        let (url, database) = match engine {
            Engine::Sqlite => ("sqlite::memory:".to_string(), None),
            Engine::Postgres => {
                let database = test_postgres::database().await;
                (database.url().to_string(), Some(database))
            }
        };
        let options = AnyConnectOptions::from_str(&url).expect("url");
        // One connection that never closes: every in-memory connection is a database of its own.
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .expect("connect");
        let old = super::migrations::migrator_through(engine, version)
            .await
            .expect("the built-in migrations");
        old.run(&pool).await.expect("the old migrations");
        OldDatabase {
            pool,
            engine,
            database,
        }
    }

    /// Runs SQL written for the old schema.
    pub(crate) async fn execute(&self, sql: &str) {
        sqlx::raw_sql(sql)
            .execute(&self.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Applies this release's migrations, as a start does.
    pub(crate) async fn upgrade(self) -> TestStore {
        let store = Store::migrate(self.pool, self.engine, "the old database")
            .await
            .expect("the migrations of this release apply");
        TestStore {
            store,
            _database: self.database,
        }
    }
}

// `on_both_engines!(name, ...)`: for each `async fn name(store: TestStore)` in the module, a
// test `name::sqlite` and a test `name::postgres`, each on a fresh database (the one macro of
// `crates/test-postgres`, which the end-to-end tests use too; the store comes from the
// `Fixture` below).
pub(crate) use test_postgres::{on_both_engines, on_postgres};

impl test_postgres::Fixture for TestStore {
    async fn for_engine(engine: test_postgres::Engine) -> TestStore {
        match engine {
            test_postgres::Engine::Sqlite => sqlite().await,
            test_postgres::Engine::Postgres => postgres().await,
        }
    }
}

/// A test taking the engine makes its own stores (several handles on one database, say).
impl test_postgres::Fixture for Engine {
    async fn for_engine(engine: test_postgres::Engine) -> Engine {
        match engine {
            test_postgres::Engine::Sqlite => Engine::Sqlite,
            test_postgres::Engine::Postgres => Engine::Postgres,
        }
    }
}

impl Store {
    /// Every value in every table, as text: for tests that prove what the database holds. The
    /// migrator's own table (the migrations' SQL) is left out.
    pub(crate) async fn every_value(&self) -> Result<Vec<(String, String)>, StoreError> {
        let tables: Vec<String> = sqlx::query_scalar(match self.engine {
            Engine::Sqlite => {
                "SELECT name FROM sqlite_master
                 WHERE type = 'table' AND name <> '_sqlx_migrations'"
            }
            Engine::Postgres => {
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'"
            }
        })
        .fetch_all(&self.pool)
        .await?;
        let mut values = Vec::new();
        for table in tables {
            let rows = sqlx::query(&format!("SELECT * FROM \"{table}\""))
                .fetch_all(&self.pool)
                .await?;
            for row in rows {
                use sqlx::{Column, ValueRef};
                for (i, column) in row.columns().iter().enumerate() {
                    let raw = row.try_get_raw(i)?;
                    if raw.is_null() {
                        continue;
                    }
                    let text = row
                        .try_get::<i64, _>(i)
                        .map(|n| n.to_string())
                        .or_else(|_| row.try_get::<String, _>(i))
                        .or_else(|_| row.try_get::<Vec<u8>, _>(i).map(|b| format!("{b:02x?}")))
                        .unwrap_or_default();
                    values.push((format!("{table}.{}", column.name()), text));
                }
            }
        }
        Ok(values)
    }

    /// The schema as both engines can describe it: each table's columns with whether they
    /// may be null and what kind of value they hold, and the named indexes.
    async fn schema(&self) -> (BTreeSet<(String, String, bool, String)>, BTreeSet<String>) {
        let (columns, indexes) = match self.engine {
            Engine::Sqlite => (
                "SELECT m.name AS table_name, p.name AS column_name,
                        (p.\"notnull\" <> 0 OR p.pk > 0) AS not_null, lower(p.type) AS kind
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
                "SELECT name FROM sqlite_master
                 WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'",
            ),
            Engine::Postgres => (
                "SELECT table_name::text AS table_name, column_name::text AS column_name,
                        (is_nullable = 'NO') AS not_null, data_type::text AS kind
                 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
                "SELECT indexname::text FROM pg_indexes
                 WHERE schemaname = current_schema() AND tablename <> '_sqlx_migrations'
                   AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'",
            ),
        };
        let kind = |name: &str| match name {
            "integer" | "bigint" => "integer",
            "text" => "text",
            "blob" | "bytea" => "bytes",
            other => panic!("a column type the schema test does not know: {other}"),
        };
        let columns = sqlx::query(columns)
            .fetch_all(&self.pool)
            .await
            .expect("columns")
            .iter()
            .map(|row| {
                let not_null: bool = match self.engine {
                    Engine::Sqlite => row.get::<i64, _>("not_null") != 0,
                    Engine::Postgres => row.get("not_null"),
                };
                let type_name: String = row.get("kind");
                (
                    row.get("table_name"),
                    row.get("column_name"),
                    not_null,
                    kind(&type_name).to_string(),
                )
            })
            .collect();
        let indexes = sqlx::query_scalar(indexes)
            .fetch_all(&self.pool)
            .await
            .expect("indexes")
            .into_iter()
            .collect();
        (columns, indexes)
    }
}

#[cfg(test)]
mod tests {
    use futures::future::join_all;
    use jiff::Timestamp;

    use super::*;
    use crate::model::duty::{DutyKind, DutyStatus};
    use crate::model::poll::{PollAnswer, PollKind, PollSpec, PollState};
    use crate::store::{DutyClaim, NewPulse, PollRecord};

    const RIVALS: usize = 6;

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(second).expect("ts")
    }

    /// Every handle claims the same day at once, and records it missed at once: one claim wins.
    async fn a_day_is_claimed_once_however_many_race_for_it(engine: Engine) {
        let (stores, _database) = rivals(engine, RIVALS).await;
        let day = jiff::civil::date(2026, 11, 30);
        let claims = stores.iter().enumerate().map(|(i, store)| async move {
            let claim = DutyClaim {
                duty: DutyKind::Tip,
                guild_id: 1,
                local_date: day,
                channel_id: 10,
                item: Some(format!("tip-{i}")),
                cycle: Some(0),
                payload: None,
                due_at: at(1_800_000_000),
            };
            let won = store
                .claim_duty(&claim, at(1_800_000_000))
                .await
                .expect("claim");
            let recorded = store
                .record_duty(
                    DutyKind::Tip,
                    1,
                    day,
                    DutyStatus::Missed,
                    "down",
                    at(1),
                    at(1),
                )
                .await
                .expect("record");
            (won, recorded)
        });
        let outcomes = join_all(claims).await;
        let wins = outcomes
            .iter()
            .filter(|(won, recorded)| *won || *recorded)
            .count();
        assert_eq!(wins, 1, "{outcomes:?}");
    }

    /// Every handle claims one poll's recap at once: one wins.
    async fn a_recap_is_claimed_once_however_many_race_for_it(engine: Engine) {
        let (stores, _database) = rivals(engine, RIVALS).await;
        let poll = PollRecord {
            message_id: 100,
            guild_id: 1,
            channel_id: 10,
            started_by: None,
            spec: PollSpec {
                kind: PollKind::Quiz,
                question: "Leader or manager?".into(),
                answers: vec![PollAnswer {
                    text: "Leader".into(),
                    entry_id: "leader".into(),
                }],
                subject: None,
                correct: Some(0),
                multiselect: false,
            },
            closes_at: at(1_800_000_000),
            state: PollState::Open,
            recap_message_id: None,
            detail: None,
            created_at: at(1_799_999_000),
        };
        let inserted = join_all(stores.iter().map(|store| store.insert_poll(&poll))).await;
        let inserted = inserted
            .into_iter()
            .filter(|r| *r.as_ref().expect("insert"))
            .count();
        assert_eq!(inserted, 1, "the poll is recorded once");
        let claimed = join_all(
            stores
                .iter()
                .map(|store| store.claim_recap(100, &poll.spec, &[3])),
        )
        .await;
        let claimed = claimed
            .into_iter()
            .filter(|r| *r.as_ref().expect("claim"))
            .count();
        assert_eq!(claimed, 1);
    }

    /// Members answer while every handle closes the pulse: it closes once, the counts hold
    /// exactly the answers that were accepted, and no answer or hash is left behind.
    async fn a_pulse_closes_once_and_no_answer_outlives_it(engine: Engine) {
        let (stores, _database) = rivals(engine, RIVALS).await;
        let statements = vec!["a".to_string(), "b".to_string()];
        let pulse = stores[0]
            .open_pulse(&NewPulse {
                guild_id: 1,
                week: jiff::civil::date(2026, 11, 30),
                channel_id: 10,
                statements: &statements,
                opened_at: at(1_800_000_000),
                closes_at: at(1_800_100_000),
                key: &[7; 32],
            })
            .await
            .expect("open");
        let answers = vec![("a".to_string(), 4), ("b".to_string(), 2)];
        let saves = (0..24u8).map(|member| {
            let store = stores[usize::from(member) % RIVALS].clone();
            let answers = answers.clone();
            async move {
                store
                    .save_pulse_answers(pulse.id, &[member; 32], &answers)
                    .await
                    .expect("save")
            }
        });
        let closes = stores.iter().map(|store| store.close_pulse(pulse.id));
        let (saved, closed) = tokio::join!(join_all(saves), join_all(closes));
        let accepted = u32::try_from(saved.iter().filter(|s| **s).count()).expect("small");
        let closed = closed
            .into_iter()
            .filter(|r| *r.as_ref().expect("close"))
            .count();
        assert_eq!(closed, 1, "closed once");
        let record = stores[0]
            .pulse(pulse.id)
            .await
            .expect("read")
            .expect("there");
        assert_eq!(
            record.responses, accepted,
            "every accepted answer is counted"
        );
        let counts = stores[0].pulse_counts(pulse.id).await.expect("counts");
        let a_fours = counts
            .iter()
            .find(|(id, _)| id == "a")
            .map_or(0, |(_, c)| c[3]);
        assert_eq!(a_fours, accepted);
        let left: Vec<_> = stores[0]
            .every_value()
            .await
            .expect("dump")
            .into_iter()
            .filter(|(column, _)| {
                column.starts_with("pulse_responses") || column.starts_with("pulse_keys")
            })
            .collect();
        assert!(
            left.is_empty(),
            "answers or the key outlived the close: {left:?}"
        );
    }

    on_both_engines!(
        multi_thread:
        a_day_is_claimed_once_however_many_race_for_it,
        a_recap_is_claimed_once_however_many_race_for_it,
        a_pulse_closes_once_and_no_answer_outlives_it,
    );

    on_postgres!(the_two_engines_have_the_same_tables_columns_and_indexes);

    async fn the_two_engines_have_the_same_tables_columns_and_indexes() {
        let (sqlite, postgres) = (sqlite().await, postgres().await);
        let (sqlite_columns, sqlite_indexes) = sqlite.schema().await;
        let (postgres_columns, postgres_indexes) = postgres.schema().await;
        assert!(
            sqlite_columns.len() > 40,
            "the schema query found the tables: {sqlite_columns:?}"
        );
        let only = |a: &BTreeSet<_>, b: &BTreeSet<_>| a.difference(b).cloned().collect::<Vec<_>>();
        assert_eq!(
            (
                only(&sqlite_columns, &postgres_columns),
                only(&postgres_columns, &sqlite_columns)
            ),
            (vec![], vec![]),
            "(table, column, not null, kind) only in SQLite, only in PostgreSQL"
        );
        assert_eq!(sqlite_indexes, postgres_indexes);
    }
}
