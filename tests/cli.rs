//! The `bridgebot` binary as a person runs it: `preview`, `check`, and `run` without a token.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

use std::path::Path;
use std::process::{Command, Output};

/// The binary with `args` in `dir`, without a token or a log filter from the environment.
fn command(args: &[&str], dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bridgebot"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("DISCORD_TOKEN")
        .env_remove("RUST_LOG");
    command
}

fn bridgebot(args: &[&str], dir: &Path) -> Output {
    command(args, dir).output().expect("the binary runs")
}

/// `bridgebot run` with a token, so it gets past the config to whatever stops it next.
fn run_with_a_token(dir: &Path) -> Output {
    command(&["run"], dir)
        .env("DISCORD_TOKEN", "x")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn preview_prints_the_answer_the_bot_would_give() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = bridgebot(&["preview", "/contrast topic:vision"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("Vision vs execution\n"), "{text}");
    assert!(
        text.contains("\nLeader\n") && text.contains("\nManager\n"),
        "{text}"
    );
    assert!(text.contains("[ Another contrast ]"), "{text}");
}

#[test]
fn preview_out_says_when_an_answer_has_no_files_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("charts");
    let out_arg = out.to_str().expect("utf-8 path");
    let output = bridgebot(
        &["preview", "/contrast topic:vision", "--out", out_arg],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("Vision vs execution\n"));
    assert!(
        stderr(&output).contains("this answer attaches no files, so nothing was written"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists());
}

#[test]
fn preview_of_help_lists_the_commands_from_the_registry() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = bridgebot(&["preview", "/help"], dir.path());
    let text = stdout(&output);
    for command in [
        "`/contrast` One difference",
        "`/traits` What leaders or managers",
        "*needs side; you can add kind*",
        "`/tips setup`",
        "`/tip`",
    ] {
        assert!(text.contains(command), "{command} missing:\n{text}");
    }
}

#[test]
fn preview_of_a_line_that_is_not_a_command_exits_2_with_an_example() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = bridgebot(&["preview", "contrast vision"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("/contrast topic:vision"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn check_passes_on_the_bundled_content_and_defaults() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = bridgebot(&["check"], dir.path());
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("content (bundled): ok"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn check_lists_every_problem_of_an_edited_copy_with_lines_and_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("content");
    std::fs::create_dir(&copy).expect("mkdir");
    for file in bridgebot::content::FILES {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("content")
                .join(file),
        )
        .expect("read");
        std::fs::write(copy.join(file), text).expect("write");
    }
    let tips = std::fs::read_to_string(copy.join("tips.toml")).expect("read");
    let broken = tips
        .replacen("side = \"both\"", "side = \"everyone\"", 1)
        .replacen(
            "builds_on = \"change-stability\"",
            "builds_on = \"change-stabilty\"",
            1,
        );
    std::fs::write(copy.join("tips.toml"), broken).expect("write");
    std::fs::write(
        dir.path().join("bridgebot.toml"),
        "[content]\ndir = \"content\"\n[tips]\ncatch_up_hours = 99\n",
    )
    .expect("write");
    let output = bridgebot(&["check"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    // The config is checked first; its problem names the file and line.
    assert!(text.contains("bridgebot.toml:4:"), "{text}");
    std::fs::write(
        dir.path().join("bridgebot.toml"),
        "[content]\ndir = \"content\"\n",
    )
    .expect("write");
    let output = bridgebot(&["check"], dir.path());
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(text.contains("2 problems"), "{text}");
    assert!(
        text.contains("tips.toml:")
            && text.contains("everyone")
            && text.contains("change-stabilty"),
        "{text}"
    );
    assert!(text.contains("did you mean `change-stability`"), "{text}");
}

#[test]
fn check_reads_the_old_tips_section_and_says_where_its_keys_moved() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("bridgebot.toml"),
        "[log]\nlevel = \"info\"\n\n[tips]\ncatch_up_hours = 4\n",
    )
    .expect("write");
    let output = bridgebot(&["check"], dir.path());
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("warning: bridgebot.toml:4:1: [tips] is now called [schedule]"),
        "{text}"
    );
    assert!(
        text.contains("fix: rename the section header [tips] to [schedule]"),
        "{text}"
    );
    assert!(text.contains("config: ok"), "{text}");
}

#[test]
fn run_without_a_token_says_how_to_give_one_and_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = bridgebot(&["run"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("DISCORD_TOKEN"),
        "{}",
        stderr(&output)
    );
    assert!(
        !dir.path().join("bridgebot.db").exists(),
        "nothing is created before the config is complete"
    );
}

#[test]
fn a_bad_config_file_stops_run_before_connecting_with_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("bridgebot.toml"),
        "[discord]\napi_base = \"not a url\"\n",
    )
    .expect("write");
    let output = run_with_a_token(dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("bridgebot.toml:2:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn invalid_content_stops_run_with_exit_2_so_supervisors_do_not_restart_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    std::fs::create_dir(&content).expect("mkdir");
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
        .expect("bundled content")
    {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, content.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    std::fs::write(content.join("quotes.toml"), "[[quote]]\nid = \"\"\n").expect("write");
    std::fs::write(
        dir.path().join("bridgebot.toml"),
        "[content]\ndir = \"content\"\n[discord]\napi_base = \"http://127.0.0.1:9\"\n",
    )
    .expect("write");
    let output = run_with_a_token(dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("quotes.toml:"),
        "{}",
        stderr(&output)
    );
    let unit = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/bridgebot.service"),
    )
    .expect("the systemd unit");
    assert!(
        unit.lines()
            .any(|l| l.trim() == "RestartPreventExitStatus=2"),
        "the systemd unit must not restart on exit 2"
    );
}

#[test]
fn run_shards_on_sqlite_or_misshapen_is_refused_before_anything_starts_and_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = command(&["run", "--shards", "0-2/6"], dir.path())
        .env("DISCORD_TOKEN", "x")
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(said.contains("SQLite file serves one process"), "{said}");
    assert!(said.contains("postgres://"), "{said}");
    assert!(!dir.path().join("bridgebot.db").exists(), "nothing created");
    let output = command(&["run", "--shards", "3-1/6"], dir.path())
        .env("DISCORD_TOKEN", "x")
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a range inside 0-5"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_deployment_configs_pass_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["deploy/bridgebot.toml", "deploy/bridgebot-shards.toml"] {
        let output = bridgebot(
            &["check", "--config", &root.join(file).display().to_string()],
            root,
        );
        assert_eq!(output.status.code(), Some(0), "{file}: {}", stdout(&output));
    }
    let template = std::fs::read_to_string(root.join("deploy/bridgebot@.service"))
        .expect("the systemd template");
    assert!(
        template.contains("--shards %i"),
        "the instance names the range"
    );
    assert!(template
        .lines()
        .any(|l| l.trim() == "RestartPreventExitStatus=2"));
}
