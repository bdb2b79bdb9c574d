//! The store's tests on both engines: [`on_both_engines!`] turns each test function into a
//! `sqlite` and a `postgres` test, each on a fresh database (in memory for SQLite, a new
//! database on the test binary's throwaway server for PostgreSQL, see `crates/test-postgres`).

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

/// `on_both_engines!(name, ...)`: for each `async fn name(store: TestStore)` in the module, a
/// test `name::sqlite` and a test `name::postgres`.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(crate::store::testing::sqlite().await).await;
            }

            #[tokio::test]
            async fn postgres() {
                super::$name(crate::store::testing::postgres().await).await;
            }
        }
    )*};
}
pub(crate) use on_both_engines;

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
    use super::*;

    #[tokio::test]
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
