//! Logging: human-readable or JSON lines, a filter from `RUST_LOG` or `[log] level`, and
//! fixed caps on dependencies so that no secret reaches a log at any level.
//!
//! The caps exist because some dependencies put secrets into what they log when verbose:
//! tungstenite logs every gateway frame at trace (IDENTIFY carries the bot token), serenity
//! logs undecodable payloads at debug (interactions carry their token) and records HTTP
//! requests, whose paths hold interaction tokens, in INFO-level spans, and hyper/reqwest log
//! headers and URLs. The caps are applied as a second filter that must also pass, so no
//! `RUST_LOG` can lift them.
//!
//! Spans are kept only for the bot's own code. serenity opens an INFO span for every gateway
//! event and records the whole event in it with `Debug` (an interaction's token included):
//! formatting it cost 0.06 to 0.13 ms an answer, up to 40 % of its time, and any line
//! serenity logs inside that span would print the event. Dependencies' log lines still come
//! through, up to their caps.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use tracing::level_filters::LevelFilter;
use tracing::{Metadata, Subscriber};
use tracing_subscriber::filter::{filter_fn, EnvFilter, FilterExt, Targets};
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

/// Whether a span or event may be recorded at all: events from anywhere, spans from the
/// bot's own code only (see the module doc).
fn own_spans_only(metadata: &Metadata<'_>) -> bool {
    !metadata.is_span() || metadata.target().starts_with(env!("CARGO_CRATE_NAME"))
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

/// A subscriber writing to `writer` without colours, for a test that reads the output.
pub fn subscriber<W>(
    config: &LogConfig,
    filter: EnvFilter,
    writer: W,
) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    build(config, filter, writer, false)
}

/// The subscriber; `colour` only for a person at a terminal, never in a file or the journal.
fn build<W>(
    config: &LogConfig,
    filter: EnvFilter,
    writer: W,
    colour: bool,
) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let layer = match config.format {
        LogFormat::Human => tracing_subscriber::fmt::layer()
            .with_ansi(colour)
            .with_writer(writer)
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_writer(writer)
            .boxed(),
    };
    let filter = filter.and(caps()).and(filter_fn(own_spans_only));
    Box::new(Registry::default().with(layer.with_filter(filter)))
}

/// Installs the process-wide subscriber, writing to stderr.
pub fn init(config: &LogConfig) {
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let subscriber = build(config, chosen_filter(config), std::io::stderr, colour);
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        eprintln!("warning: a logger was already installed; keeping it");
    }
}

/// A writer keeping everything in memory, for tests and tools that read the output.
#[derive(Clone, Default)]
pub struct Memory(Arc<Mutex<Vec<u8>>>);

impl Memory {
    /// Everything written so far.
    pub fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for Memory {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Memory {
    type Writer = Memory;

    fn make_writer(&'a self) -> Memory {
        self.clone()
    }
}

/// A filter from text, for tests and tools that pick the level themselves.
pub fn filter(directives: &str) -> EnvFilter {
    EnvFilter::new(directives)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is logged at `level`, when serenity logs a warning inside the kind of span it opens
    /// for a gateway event, and the bot logs inside a span of its own.
    fn logged(level: &str) -> String {
        let captured = Memory::default();
        let config = LogConfig {
            level: level.into(),
            format: LogFormat::Human,
        };
        let subscriber = subscriber(&config, filter(level), captured.clone());
        tracing::subscriber::with_default(subscriber, || {
            let event = tracing::info_span!(
                target: "serenity::gateway::shard",
                "handle_gateway_dispatch",
                event = "InteractionCreate { token: \"secret-interaction-token\" }"
            );
            event.in_scope(|| {
                tracing::warn!(target: "serenity::gateway::shard", "sequence off");
            });
            let own = tracing::info_span!("tip", guild = 42);
            own.in_scope(|| tracing::info!("daily tip posted"));
        });
        captured.text()
    }

    #[test]
    fn dependency_spans_are_not_recorded_but_their_lines_and_our_spans_are() {
        for level in ["info", "trace"] {
            let text = logged(level);
            assert!(text.contains("sequence off"), "{level}: {text}");
            assert!(
                !text.contains("secret-interaction-token"),
                "{level}: {text}"
            );
            assert!(!text.contains("handle_gateway_dispatch"), "{level}: {text}");
            assert!(text.contains("tip{guild=42}"), "{level}: {text}");
        }
    }
}
