//! Logging: human-readable or JSON lines, a filter from `RUST_LOG` or `[log] level`, and
//! fixed caps on dependencies so that no secret reaches a log at any level.
//!
//! The caps exist because some dependencies put secrets into what they log when verbose:
//! tungstenite logs every gateway frame at trace (IDENTIFY carries the bot token), serenity
//! logs undecodable payloads at debug (interactions carry their token) and records HTTP
//! requests, whose paths hold interaction tokens, in INFO-level spans, and hyper/reqwest log
//! headers and URLs. The caps are applied as a second filter that must also pass, so no
//! `RUST_LOG` can lift them.

use tracing::level_filters::LevelFilter;
use tracing::Subscriber;
use tracing_subscriber::filter::{EnvFilter, FilterExt, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::{Layer, Registry};

use crate::config::{LogConfig, LogFormat};

/// The most verbose level each dependency may log at.
fn caps() -> Targets {
    Targets::new()
        .with_default(LevelFilter::TRACE)
        .with_target("serenity", LevelFilter::INFO)
        .with_target("serenity::http", LevelFilter::WARN)
        .with_target("serenity::gateway::ws", LevelFilter::WARN)
        .with_target("poise", LevelFilter::INFO)
        .with_target("tungstenite", LevelFilter::INFO)
        .with_target("tokio_tungstenite", LevelFilter::INFO)
        .with_target("reqwest", LevelFilter::WARN)
        .with_target("hyper", LevelFilter::WARN)
        .with_target("hyper_util", LevelFilter::WARN)
        .with_target("h2", LevelFilter::WARN)
        .with_target("rustls", LevelFilter::WARN)
        .with_target("sqlx", LevelFilter::WARN)
}

/// The filter people choose: `RUST_LOG` when set, else the config's level.
fn chosen_filter(config: &LogConfig) -> EnvFilter {
    match std::env::var("RUST_LOG") {
        Ok(value) if !value.trim().is_empty() => EnvFilter::try_new(&value).unwrap_or_else(|error| {
            eprintln!("warning: RUST_LOG={value:?} is not a valid filter ({error}); using [log] level");
            EnvFilter::new(&config.level)
        }),
        _ => EnvFilter::new(&config.level),
    }
}

/// A subscriber writing to `writer`, for the process or for a test that reads the output.
pub fn subscriber<W>(
    config: &LogConfig,
    filter: EnvFilter,
    writer: W,
) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let layer = match config.format {
        LogFormat::Human => tracing_subscriber::fmt::layer().with_writer(writer).boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_writer(writer)
            .boxed(),
    };
    Box::new(Registry::default().with(layer.with_filter(filter.and(caps()))))
}

/// Installs the process-wide subscriber, writing to stderr.
pub fn init(config: &LogConfig) {
    let subscriber = subscriber(config, chosen_filter(config), std::io::stderr);
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        eprintln!("warning: a logger was already installed; keeping it");
    }
}

/// A filter from text, for tests and tools that pick the level themselves.
pub fn filter(directives: &str) -> EnvFilter {
    EnvFilter::new(directives)
}
