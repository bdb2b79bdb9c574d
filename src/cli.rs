//! The command line: `run` (the default), `check` and `preview` (with `--out DIR` for the
//! files an answer attaches).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError, ShardRange, TOKEN_ENV};
use crate::content::Content;
use crate::diag::Warnings;
use crate::files::write_attachments;
use crate::live::{self, Origin};
use crate::preview::Preview;
use crate::reply::{to_plain_text, Reply};

/// bridgebot: a Discord bot that helps a team tell leading from managing.
#[derive(Debug, Parser)]
#[command(name = "bridgebot", version, about)]
pub struct Cli {
    /// Config file (default: bridgebot.toml in this folder if present, else built-in defaults).
    #[arg(long, short, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot (the default). Needs DISCORD_TOKEN in the environment or [discord] token_file.
    Run {
        /// Run only these shards of a bot split across processes, such as 0-2/6 (or 0-2:6),
        /// in place of the config's [discord] shards. Needs a PostgreSQL database.
        #[arg(long, value_name = "RANGE")]
        shards: Option<ShardRange>,
    },
    /// Check the config and the content, print every problem, and exit 0 (fine) or 1.
    Check,
    /// Print what the bot would answer to a command, without Discord: '/contrast topic:vision'.
    Preview {
        /// The command as typed in Discord, in quotes.
        command: String,
        /// Also write the files the answer attaches (such as a chart) into this folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// Exit code for a mistake restarting cannot fix: a bad preview line, an unreadable or invalid
/// config, invalid content, a token or intents Discord refuses, or an `api_base` that is not
/// Discord's API. Supervisors (the systemd unit in `deploy/`) restart the bot on any other
/// failure, but not on this one.
const USAGE: u8 = 2;

/// Parses the arguments and runs the chosen command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Run { shards: None }) {
        Command::Run { shards } => run(cli.config, shards),
        Command::Check => check(cli.config),
        Command::Preview { command, out } => preview_command(cli.config, &command, out.as_deref()),
    }
}

/// The config, after telling stderr what in it should change.
fn load_config(path: Option<PathBuf>) -> Result<Config, ExitCode> {
    match Config::load(path.as_deref()) {
        Ok(loaded) => {
            eprint!("{}", Warnings(&loaded.warnings));
            Ok(loaded.config)
        }
        Err(error) => {
            eprintln!("{error}");
            Err(ExitCode::from(USAGE))
        }
    }
}

fn run(config_path: Option<PathBuf>, shards: Option<ShardRange>) -> ExitCode {
    let mut config = match load_config(config_path) {
        Ok(config) => config,
        Err(code) => return code,
    };
    if let Some(range) = shards {
        if let Err(problem) = config.run_shards(range) {
            eprintln!("--shards {range}: {problem}");
            return ExitCode::from(USAGE);
        }
    }
    let token = match config.token(|name| std::env::var(name).ok()) {
        Ok(token) => token,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(USAGE);
        }
    };
    crate::log::init(&config.log);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(crate::app::run(config, token)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "bridgebot stopped");
            eprintln!("bridgebot stopped: {error}");
            if error.needs_a_fix() {
                ExitCode::from(USAGE)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn check(config_path: Option<PathBuf>) -> ExitCode {
    let config = match Config::load(config_path.as_deref()) {
        Ok(loaded) => {
            print!("{}", Warnings(&loaded.warnings));
            loaded.config
        }
        Err(ConfigError::Invalid(problems)) => {
            print!("{problems}");
            return ExitCode::FAILURE;
        }
        Err(error) => {
            println!("{error}");
            return ExitCode::FAILURE;
        }
    };
    match live::load(&Origin::of(config.content.dir.as_deref())) {
        Ok(content) => {
            println!("config: ok");
            println!("{}", summary(&content, &config));
            if std::env::var_os(TOKEN_ENV).is_none() && config.discord.token_file.is_none() {
                println!("note: no token yet; set {TOKEN_ENV} (or [discord] token_file) before `bridgebot run`");
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            println!("config: ok");
            print!("{problems}");
            ExitCode::FAILURE
        }
    }
}

fn summary(content: &Content, config: &Config) -> String {
    let from = Origin::of(config.content.dir.as_deref()).label();
    format!(
        "content ({from}): ok: {} contrasts, {} traits, {} similarities, {} examples, {} quotes, {} questions, {} tips, {} scenarios, {} pulse statements (and {} retired)",
        content.contrasts.len(),
        content.traits.len(),
        content.similarities.len(),
        content.examples.len(),
        content.quotes.len(),
        content.questions.len(),
        content.tips.len(),
        content.scenarios.len(),
        content.deck().count(),
        content.statements.len() - content.deck().count()
    )
}

fn preview_command(config_path: Option<PathBuf>, line: &str, out: Option<&Path>) -> ExitCode {
    let config = match load_config(config_path) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let content = match live::load(&Origin::of(config.content.dir.as_deref())) {
        Ok(content) => content,
        Err(problems) => {
            eprint!("{problems}");
            return ExitCode::FAILURE;
        }
    };
    let reply = match Preview::new().reply(&content, line, &mut rand::rng()) {
        Ok(reply) => reply,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(USAGE);
        }
    };
    print!("{}", to_plain_text(&reply));
    match out {
        Some(dir) => write_out(&reply, dir),
        None => ExitCode::SUCCESS,
    }
}

/// `--out DIR`: the answer's files, or a note that it has none.
fn write_out(reply: &Reply, dir: &Path) -> ExitCode {
    match write_attachments(reply, dir) {
        Ok(written) if written.is_empty() => {
            eprintln!(
                "--out: this answer attaches no files, so nothing was written to {}",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Ok(written) => {
            for path in written {
                eprintln!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("--out: {error}");
            ExitCode::FAILURE
        }
    }
}
