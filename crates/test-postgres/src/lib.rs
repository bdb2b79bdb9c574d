//! A throwaway PostgreSQL server for bridgebot's tests, so the store's tests and the end-to-end
//! suite run on PostgreSQL as well as on SQLite with nothing set up beyond the server package.
//!
//! The first [`database`] call in a test binary starts a server of its own: `initdb` into a new
//! folder in shared memory (`/dev/shm`; the temporary directory where there is none), as the
//! `postgres` user when the tests run as root (PostgreSQL refuses to run as root), listening
//! only on a Unix socket in that folder, so it works in a network namespace that has nothing
//! but loopback and no port can clash. Every call then creates a fresh database on it, dropped
//! again with the returned [`Database`].
//!
//! The server must not outlive the test process, however that ends (a panic, Ctrl-C, SIGKILL):
//! a watchdog shell, started before the server, reads a pipe whose writing end only this process
//! holds. Once the process is gone the pipe closes, and the watchdog stops the server at once
//! and removes the folder.
//!
//! With `BRIDGEBOT_TEST_POSTGRES` set (the `postgres://` URL of a role that may create
//! databases), that server is used and nothing is started.
//!
//! Tests say which engines they run on with [`on_both_engines!`] (a `sqlite` and a `postgres`
//! test per function) or [`on_postgres!`]; both go through [`run`]. On a machine with neither
//! PostgreSQL's server programs nor `BRIDGEBOT_TEST_POSTGRES`, a PostgreSQL test does not run:
//! it passes having done nothing, and when the test binary exits one line on stderr says how
//! many of its tests were not run and how to run them. With `BRIDGEBOT_REQUIRE_POSTGRES=1`
//! (`.ci/run` sets it) each of them fails instead. A server that is installed but cannot be
//! started is never skipped: the test fails saying why.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

use std::future::Future;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Mutex, Once, OnceLock};

use sqlx::{Connection, Executor, PgConnection};

/// The variable naming a server to use instead of starting one.
pub const ENV: &str = "BRIDGEBOT_TEST_POSTGRES";

/// The variable that turns a PostgreSQL test with no server to run on from skipped into failed.
pub const REQUIRE_ENV: &str = "BRIDGEBOT_REQUIRE_POSTGRES";

/// Which database engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

tokio::task_local! {
    static ENGINE: Engine;
}

/// The engine of the test running now: the one [`run`] was given, SQLite outside it.
pub fn engine() -> Engine {
    ENGINE.try_with(|engine| *engine).unwrap_or(Engine::Sqlite)
}

/// What a test function is given on an engine: a test written `async fn name(store: S)` is
/// handed `S::for_engine(engine)` (a store on a fresh database, say).
pub trait Fixture: Sized {
    fn for_engine(engine: Engine) -> impl Future<Output = Self>;
}

/// A test function [`run`] can run: `async fn name()` (it finds its engine with [`engine`]),
/// or `async fn name(fixture: F)` with `F` a [`Fixture`].
pub trait EngineTest<Args> {
    fn run_on(self, engine: Engine) -> impl Future<Output = ()>;
}

impl<F, Fut> EngineTest<()> for F
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ()>,
{
    async fn run_on(self, _engine: Engine) {
        self().await;
    }
}

impl<F, Fut, A> EngineTest<(A,)> for F
where
    F: FnOnce(A) -> Fut,
    Fut: Future<Output = ()>,
    A: Fixture,
{
    async fn run_on(self, engine: Engine) {
        self(A::for_engine(engine).await).await;
    }
}

/// Runs `test` on `engine` ([`engine`] tells it which, inside). On PostgreSQL, when
/// [`available`] says no, the test does not run and is counted as skipped.
pub async fn run<Args, T: EngineTest<Args>>(engine: Engine, test: T) {
    if engine == Engine::Postgres && !available() {
        return;
    }
    ENGINE.scope(engine, test.run_on(engine)).await;
}

/// `on_both_engines!(name, ...)`: for each `async fn name()` or `async fn name(fixture: F)`
/// ([`Fixture`]) of the module, the tests `name::sqlite` and `name::postgres`, run through
/// [`run`]. `on_both_engines!(multi_thread: name, ...)` runs them on a two-thread runtime.
#[macro_export]
macro_rules! on_both_engines {
    (multi_thread: $($name:ident),* $(,)?) => {$(
        mod $name {
            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::run($crate::Engine::Sqlite, super::$name).await;
            }

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::run($crate::Engine::Postgres, super::$name).await;
            }
        }
    )*};
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[::tokio::test]
            async fn sqlite() {
                $crate::run($crate::Engine::Sqlite, super::$name).await;
            }

            #[::tokio::test]
            async fn postgres() {
                $crate::run($crate::Engine::Postgres, super::$name).await;
            }
        }
    )*};
}

/// `on_postgres!(name, ...)`: for each `async fn name()` (or with a [`Fixture`]) of the module,
/// the test `name::postgres`, for what only PostgreSQL has (several processes, a server that
/// goes away). Run through [`run`], so skipped like the PostgreSQL half of [`on_both_engines!`].
#[macro_export]
macro_rules! on_postgres {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[::tokio::test]
            async fn postgres() {
                $crate::run($crate::Engine::Postgres, super::$name).await;
            }
        }
    )*};
}

/// Whether this test can have PostgreSQL: `BRIDGEBOT_TEST_POSTGRES` is set, or PostgreSQL's
/// server programs are installed (the server itself is started by the first [`database`]).
///
/// When neither, the caller must not run (return at once): the test is counted, and when the
/// test binary exits one line says how many were not run and how to run them. With
/// `BRIDGEBOT_REQUIRE_POSTGRES` set (to anything but `0`) it panics instead, failing the test.
pub fn available() -> bool {
    if std::env::var_os(ENV).is_some() {
        return true;
    }
    let Err(why) = binaries() else {
        return true;
    };
    if required() {
        panic!("{REQUIRE_ENV} is set and PostgreSQL for the tests is not available: {why}");
    }
    skipped();
    false
}

fn required() -> bool {
    std::env::var_os(REQUIRE_ENV).is_some_and(|value| !value.is_empty() && value != "0")
}

/// PostgreSQL tests of this binary that did not run.
static SKIPPED: AtomicUsize = AtomicUsize::new(0);
/// The test binary's name, for the report.
static BINARY: OnceLock<String> = OnceLock::new();

/// Counts one PostgreSQL test not run; the first one arranges the report at exit (libtest ends
/// the process through `exit`, after the last test, whether they passed or not).
fn skipped() {
    static REPORT: Once = Once::new();
    SKIPPED.fetch_add(1, Ordering::SeqCst);
    REPORT.call_once(|| {
        let _ = BINARY.set(binary_name());
        // SAFETY: `report` is an `extern "C" fn()` that does not unwind (its writes ignore
        // errors) and uses nothing torn down before `atexit` handlers run.
        if unsafe { libc::atexit(report) } != 0 {
            eprintln!("test-postgres: cannot report the skipped PostgreSQL tests at exit");
        }
    });
}

extern "C" fn report() {
    use std::io::Write;
    let count = SKIPPED.load(Ordering::SeqCst);
    let binary = BINARY.get().map_or("this test binary", String::as_str);
    let tests = if count == 1 { "test" } else { "tests" };
    let _ = writeln!(
        std::io::stderr(),
        "note: {count} PostgreSQL {tests} of {binary} not run: PostgreSQL is not installed \
         (no initdb in /usr/lib/postgresql/*/bin or on PATH) and {ENV} is not set. To run them, \
         install the postgresql package or set {ENV}=postgres://USER@HOST/postgres; \
         {REQUIRE_ENV}=1 makes this a failure."
    );
}

/// `e2e` for `target/debug/deps/e2e-0123456789abcdef`.
fn binary_name() -> String {
    let path = std::env::args_os().next().map(PathBuf::from);
    let stem = path
        .as_deref()
        .and_then(Path::file_stem)
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    match stem.rsplit_once('-') {
        Some((name, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            name.to_string()
        }
        _ => stem,
    }
}

/// Unix socket paths are limited to about 100 bytes; the server's is the folder plus this.
const SOCKET_NAME: &str = ".s.PGSQL.5432";

/// The server this test binary uses.
struct Server {
    /// A superuser's URL on the `postgres` database.
    admin: url::Url,
    /// The watchdog and the writing end of its pipe, held until the process ends.
    _watchdog: Option<Mutex<(Child, ChildStdin)>>,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static NEXT: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty database for one test, dropped when this is.
#[derive(Debug)]
pub struct Database {
    name: String,
    url: String,
    admin: url::Url,
}

impl Database {
    /// The database's `postgres://` URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Cuts the database off, as a lost network or a restarting server would (every session
    /// on it ended, new ones refused), or lets it be reached again.
    pub async fn set_reachable(&self, reachable: bool) {
        let mut admin = PgConnection::connect(self.admin.as_str())
            .await
            .unwrap_or_else(|e| panic!("cannot connect to the test server: {e}"));
        admin
            .execute(
                format!(
                    "ALTER DATABASE {} WITH ALLOW_CONNECTIONS {reachable}",
                    self.name
                )
                .as_str(),
            )
            .await
            .expect("allow or refuse connections");
        if !reachable {
            sqlx::query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = $1 AND pid <> pg_backend_pid()",
            )
            .bind(&self.name)
            .execute(&mut admin)
            .await
            .expect("end the database's sessions");
        }
        let _ = admin.close().await;
    }
}

/// Creates a fresh database, starting this binary's server first if it has none.
pub async fn database() -> Database {
    let server = match SERVER.get_or_init(start) {
        Ok(server) => server,
        Err(why) => panic!("PostgreSQL for the tests is not available: {why}"),
    };
    let name = format!(
        "bridgebot_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = PgConnection::connect(server.admin.as_str())
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test server {}: {e}", server.admin));
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
    let _ = admin.close().await;
    let mut url = server.admin.clone();
    url.set_path(&name);
    Database {
        name,
        url: url.to_string(),
        admin: server.admin.clone(),
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Drop runs outside any runtime (or inside one that must not be blocked): use a thread
        // with a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let mut connection = PgConnection::connect(admin.as_str())
                    .await
                    .map_err(|e| e.to_string())?;
                connection
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await
                    .map_err(|e| e.to_string())?;
                connection.close().await.map_err(|e| e.to_string())
            })
        })
        .join();
        if let Ok(Err(why)) = dropped {
            eprintln!(
                "test-postgres: cannot drop the test database {}: {why}",
                self.name
            );
        }
    }
}

fn start() -> Result<Server, String> {
    if let Ok(url) = std::env::var(ENV) {
        let admin =
            url::Url::parse(&url).map_err(|e| format!("{ENV}={url:?} is not a URL: {e}"))?;
        return Ok(Server {
            admin,
            _watchdog: None,
        });
    }
    let bin = binaries()?;
    let dir = new_folder()?;
    let watchdog = watchdog(&dir)?;
    let owner = server_user()?;
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid))
            .map_err(|e| format!("cannot give {} to the postgres user: {e}", dir.display()))?;
    }
    let data = dir.join("data");
    let initdb = Command::new(bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"])
        .args(["--no-sync", "--no-instructions"])
        .current_dir(&dir)
        .as_owner(owner)
        .output();
    succeeded("initdb", initdb)?;
    let options = format!(
        "-k '{}' -c listen_addresses='' -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=200",
        dir.display()
    );
    let log = dir.join("server.log");
    let started = Command::new(bin.join("pg_ctl"))
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(&log)
        .args(["-w", "-t", "60", "-s", "-o", &options, "start"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .as_owner(owner)
        .output();
    if let Err(why) = succeeded("pg_ctl start", started) {
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        return Err(format!("{why}\nserver log:\n{log}"));
    }
    let mut admin =
        url::Url::parse("postgres://postgres@localhost/postgres").map_err(|e| e.to_string())?;
    admin
        .query_pairs_mut()
        .append_pair("host", &dir.display().to_string());
    Ok(Server {
        admin,
        _watchdog: Some(Mutex::new(watchdog)),
    })
}

/// The folder holding PostgreSQL's server programs: the newest `/usr/lib/postgresql/*/bin`
/// (Debian's layout), else wherever `initdb` is on `PATH`.
fn binaries() -> Result<PathBuf, String> {
    let debian = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .max();
    if let Some((_, bin)) = debian {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|folder| folder.join("initdb").exists() && folder.join("pg_ctl").exists())
        .ok_or_else(|| {
            format!(
                "PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb and \
                 no initdb on PATH). Install it (Debian: apt-get install postgresql), or set \
                 {ENV} to the URL of a server to use"
            )
        })
}

/// Where servers' folders go when the machine has it: shared memory. Every test database is
/// a copy of a template of some 300 files; on a disk (ext4 here) creating those after earlier
/// databases were dropped spends about a quarter of a CPU-second per database in the kernel's
/// search for free inodes, in memory a twentieth of that. The files are thrown away anyway.
/// Used only with [`SHARED_MEMORY_NEEDED`] free: a container's is often 64 MiB.
const SHARED_MEMORY: &str = "/dev/shm";

/// Room for a binary's server: its template, the databases of the tests running at once, and
/// the WAL between two checkpoints (at most 1 GiB, PostgreSQL's default `max_wal_size`).
const SHARED_MEMORY_NEEDED: u64 = 2 << 30;

/// Bytes an unprivileged user may still write in the file system holding `path`.
fn free_bytes(path: &Path) -> Option<u64> {
    let path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).ok()?;
    let mut stats = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `path` is a NUL-terminated string and `stats` points to room for one `statvfs`,
    // which the call fills in whole when it returns 0.
    if unsafe { libc::statvfs(path.as_ptr(), stats.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: the call returned 0, so it filled `stats` in.
    let stats = unsafe { stats.assume_init() };
    Some(stats.f_bavail.saturating_mul(stats.f_frsize))
}

fn new_folder() -> Result<PathBuf, String> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let name = format!("bridgebot-pg-{}-{nanos}", std::process::id());
    let in_memory = Path::new(SHARED_MEMORY).join(&name);
    if free_bytes(Path::new(SHARED_MEMORY)).is_some_and(|free| free >= SHARED_MEMORY_NEEDED)
        && std::fs::create_dir(&in_memory).is_ok()
    {
        return Ok(in_memory);
    }
    let dir = std::env::temp_dir().join(name);
    if dir.as_os_str().len() + SOCKET_NAME.len() + 1 > 100 {
        return Err(format!(
            "the temporary folder {} is too long a path for a Unix socket; set TMPDIR to a \
             shorter one",
            dir.display()
        ));
    }
    std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Starts the shell that stops the server and removes `dir` once this process is gone.
fn watchdog(dir: &Path) -> Result<(Child, ChildStdin), String> {
    const SCRIPT: &str = r#"
        cat >/dev/null
        pid=$(head -n 1 "$1/data/postmaster.pid" 2>/dev/null)
        if [ -n "$pid" ]; then
            kill -QUIT "$pid" 2>/dev/null
            tries=0
            while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 200 ]; do
                sleep 0.05
                tries=$((tries + 1))
            done
        fi
        rm -rf "$1"
    "#;
    let mut child = Command::new("sh")
        .args(["-c", SCRIPT, "test-postgres-watchdog"])
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own process group: Ctrl-C at a terminal ends the tests, not the cleanup.
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start the watchdog shell (sh): {e}"))?;
    let pipe = child
        .stdin
        .take()
        .ok_or_else(|| "the watchdog has no stdin".to_string())?;
    Ok((child, pipe))
}

/// The `postgres` user's ids when this process runs as root (PostgreSQL will not), else `None`.
fn server_user() -> Result<Option<(u32, u32)>, String> {
    let euid = std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .map_err(|e| format!("cannot tell which user the tests run as: {e}"))?;
    if euid != 0 {
        return Ok(None);
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            match fields.as_slice() {
                ["postgres", _, uid, gid, ..] => Some((uid.parse().ok()?, gid.parse().ok()?)),
                _ => None,
            }
        })
        .map(Some)
        .ok_or_else(|| {
            "the tests run as root and there is no `postgres` user to run the server as \
             (installing the postgresql package creates it)"
                .to_string()
        })
}

trait AsOwner {
    fn as_owner(&mut self, owner: Option<(u32, u32)>) -> &mut Self;
}

impl AsOwner for Command {
    fn as_owner(&mut self, owner: Option<(u32, u32)>) -> &mut Self {
        match owner {
            Some((uid, gid)) => self.uid(uid).gid(gid),
            None => self,
        }
    }
}

fn succeeded(what: &str, output: std::io::Result<std::process::Output>) -> Result<(), String> {
    let output = output.map_err(|e| format!("cannot run {what}: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}): {}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}
