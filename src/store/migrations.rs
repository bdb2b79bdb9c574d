//! The schema's migrations, built into the binary: the bot runs from anywhere, with no
//! `migrations/` folder beside it.
//!
//! The files are listed here by hand rather than gathered by `sqlx::migrate!`: that macro
//! needs sqlx's `macros` feature, which compiles sqlx and both of its database drivers a
//! second time for the compiler (about 20 CPU-seconds of every clean build). A test below
//! checks that the lists are the folders exactly, so a new file cannot be forgotten. Each
//! file is read as sqlx's own folder source reads it (version, description, and the checksum
//! of its text), so databases migrated by `migrate!` carry on without a difference.

use std::borrow::Cow;

use futures::future::BoxFuture;
use sqlx::error::BoxDynError;
use sqlx::migrate::{MigrateError, Migration, MigrationSource, MigrationType, Migrator};
use sqlx::AnyPool;

use super::Engine;

/// One migration file: its name (`<version>_<description>.sql`) and its text.
type File = (&'static str, &'static str);

macro_rules! files {
    ($folder:literal: $($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../", $folder, $name)))),+]
    };
}

/// SQLite's schema, one migration per change since the first release.
const SQLITE: &[File] = files!("migrations/":
    "0001_daily_tips.sql",
    "0002_polls.sql",
    "0003_poll_schedules.sql",
    "0004_duty_log.sql",
    "0005_scenario_polls.sql",
    "0006_pulse.sql",
    "0007_poll_votes.sql",
    "0008_shard_leases.sql",
    "0009_pulse_results_by_week.sql",
    "0010_schedules.sql",
    "0011_servers.sql",
    "0012_team_content.sql",
    "0013_pulse_focus.sql",
    "0014_suggestions.sql",
);

/// PostgreSQL's: the same tables and columns; its first file is numbered like the SQLite
/// migration whose end schema it creates, so later changes carry the same number on both.
const POSTGRES: &[File] = files!("migrations/postgres/":
    "0006_schema.sql",
    "0007_poll_votes.sql",
    "0008_shard_leases.sql",
    "0009_pulse_results_by_week.sql",
    "0010_schedules.sql",
    "0011_servers.sql",
    "0012_team_content.sql",
    "0013_pulse_focus.sql",
    "0014_suggestions.sql",
);

/// Brings the database behind `pool` up to date with every migration of `engine`.
pub(super) async fn run(engine: Engine, pool: &AnyPool) -> Result<(), MigrateError> {
    migrator(engine).await?.run(pool).await
}

/// Every migration of `engine`.
async fn migrator(engine: Engine) -> Result<Migrator, MigrateError> {
    migrator_through(engine, i64::MAX).await
}

/// The migrations of `engine` up to and including `version`: a database as an earlier
/// release left it, for the tests that migrate one.
pub(super) async fn migrator_through(
    engine: Engine,
    version: i64,
) -> Result<Migrator, MigrateError> {
    let files = match engine {
        Engine::Sqlite => SQLITE,
        Engine::Postgres => POSTGRES,
    };
    Migrator::new(Embedded { files, version }).await
}

/// The built-in files up to a version, as a source sqlx's [`Migrator`] reads.
#[derive(Debug)]
struct Embedded {
    files: &'static [File],
    version: i64,
}

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        let resolved = self
            .files
            .iter()
            .map(|&(name, sql)| migration(name, sql))
            .filter(|m| m.as_ref().map_or(true, |m| m.version <= self.version))
            .collect();
        Box::pin(std::future::ready(resolved))
    }
}

/// A file as sqlx's folder source reads it: the number before the first `_` is its version,
/// the rest without `.sql` (with spaces for `_`) its description.
fn migration(name: &'static str, sql: &'static str) -> Result<Migration, BoxDynError> {
    let (version, rest) = name
        .split_once('_')
        .ok_or_else(|| format!("migration {name}: no `_` after its version"))?;
    let version: i64 = version
        .parse()
        .map_err(|_| format!("migration {name}: `{version}` is not a version number"))?;
    let kind = MigrationType::from_filename(rest);
    let description = rest.trim_end_matches(kind.suffix()).replace('_', " ");
    Ok(Migration::new(
        version,
        Cow::Owned(description),
        kind,
        Cow::Borrowed(sql),
        sql.starts_with("-- no-transaction"),
    ))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn folder(folder: &str) -> Vec<(String, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .expect("the migrations folder")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "sql"))
            .map(|path| {
                let name = path
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned();
                (name, std::fs::read_to_string(&path).expect("readable"))
            })
            .collect();
        files.sort();
        files
    }

    fn listed(files: &[File]) -> Vec<(String, String)> {
        files
            .iter()
            .map(|(name, sql)| (name.to_string(), sql.to_string()))
            .collect()
    }

    #[test]
    fn the_built_in_lists_are_the_migration_folders_file_for_file() {
        assert_eq!(
            listed(SQLITE),
            folder("migrations"),
            "add the file to SQLITE"
        );
        assert_eq!(
            listed(POSTGRES),
            folder("migrations/postgres"),
            "add the file to POSTGRES"
        );
    }

    #[tokio::test]
    async fn each_file_is_read_as_sqlx_reads_its_folder() {
        for (engine, dir) in [
            (Engine::Sqlite, "migrations"),
            (Engine::Postgres, "migrations/postgres"),
        ] {
            let ours = migrator(engine).await.expect("built in");
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let sqlx = Migrator::new(path.as_path()).await.expect("the folder");
            let shape = |m: &Migration| {
                (
                    m.version,
                    m.description.to_string(),
                    m.checksum.to_vec(),
                    m.no_tx,
                    m.migration_type,
                )
            };
            let mut theirs: Vec<_> = sqlx.iter().map(shape).collect();
            theirs.sort_by_key(|m| m.0);
            assert_eq!(ours.iter().map(shape).collect::<Vec<_>>(), theirs, "{dir}");
        }
    }

    #[tokio::test]
    async fn an_earlier_release_s_schema_stops_at_its_version() {
        let earlier = migrator_through(Engine::Sqlite, 4).await.expect("built in");
        let versions: Vec<i64> = earlier.iter().map(|m| m.version).collect();
        assert_eq!(versions, [1, 2, 3, 4]);
    }
}
