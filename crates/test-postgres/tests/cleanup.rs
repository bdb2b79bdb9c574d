//! The throwaway server goes with the test process, however that ends: a child test process
//! starts one and is killed with SIGKILL (no destructor, no exit handler runs); the server
//! must stop and its folder be removed all the same.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set in the child: it starts a server, says where, and waits to be killed.
const CHILD: &str = "TEST_POSTGRES_CLEANUP_CHILD";

#[test]
#[ignore = "run by the_server_and_its_folder_go_when_the_test_process_is_killed"]
fn child_holds_a_server_until_killed() {
    assert!(std::env::var_os(CHILD).is_some(), "only run as the child");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let database = runtime.block_on(test_postgres::database());
    let url = url::Url::parse(database.url()).expect("url");
    let folder = url
        .query_pairs()
        .find(|(key, _)| key == "host")
        .map(|(_, value)| value.into_owned())
        .expect("a socket folder");
    println!("FOLDER={folder}");
    // Until the parent kills this process (it never writes).
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

#[test]
fn the_server_and_its_folder_go_when_the_test_process_is_killed() {
    if std::env::var_os(test_postgres::ENV).is_some() {
        eprintln!(
            "{} is set: that server is not this crate's to stop, so there is nothing to check",
            test_postgres::ENV
        );
        return;
    }
    if !test_postgres::available() {
        return; // Counted, and reported when this binary exits.
    }
    let mut child = Command::new(std::env::current_exe().expect("this test binary"))
        .args([
            "--exact",
            "child_holds_a_server_until_killed",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the child starts");
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let folder = stdout
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("FOLDER=").map(PathBuf::from))
        .expect("the child says where its server is");
    let pid_file = folder.join("data").join("postmaster.pid");
    let server: u32 = std::fs::read_to_string(&pid_file)
        .expect("the server is running")
        .lines()
        .next()
        .and_then(|line| line.trim().parse().ok())
        .expect("the server's pid");
    child.kill().expect("SIGKILL the child");
    child.wait().expect("the child ends");
    // The watchdog works on its own, outside this process: there is no event to wait on, so
    // look, a bounded number of times.
    let deadline = Instant::now() + Duration::from_secs(30);
    while (folder.exists() || PathBuf::from(format!("/proc/{server}")).exists())
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!folder.exists(), "{} is still there", folder.display());
    assert!(
        !PathBuf::from(format!("/proc/{server}")).exists(),
        "the server (pid {server}) still runs"
    );
}
