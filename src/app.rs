//! Starting and stopping the whole bot: the one function `bridgebot run` and the tests share.

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use tokio::task::JoinHandle;
use tracing::{info, warn};

use crate::config::{Config, Shards, Token};
use crate::content::Content;
use crate::diag::Diagnostics;
use crate::discord::{self, Data};

/// Why the bot could not start or stopped unexpectedly.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("content is invalid:\n{0}")]
    Content(Diagnostics),
    #[error("Discord client failed: {0}")]
    Discord(#[from] serenity::Error),
    #[error("the bot task ended abnormally: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Loads the content the config names (or the bundled copy) and checks that every answer
/// built from it fits Discord's limits.
pub fn load_content(config: &Config) -> Result<Content, Diagnostics> {
    let content = Content::load(config.content.dir.as_deref())?;
    crate::reply::layout::validate(&content)?;
    Ok(content)
}

/// A started bot.
pub struct RunningBot {
    shard_manager: Arc<serenity::ShardManager>,
    client: JoinHandle<Result<(), serenity::Error>>,
}

/// Loads everything, connects, and returns once the client is running in the background.
pub async fn start(config: Config, token: Token) -> Result<RunningBot, RunError> {
    let content = load_content(&config).map_err(RunError::Content)?;
    info!(
        contrasts = content.contrasts.len(),
        traits = content.traits.len(),
        tips = content.tips.len(),
        from = %config.content.dir.as_ref().map_or("bundled".into(), |d| d.display().to_string()),
        "content loaded"
    );
    let data = Data::new(content);
    let mut client = discord::client(&config.discord, &token, data).await?;
    let shard_manager = client.shard_manager.clone();
    let shards = config.discord.shards;
    let client = tokio::spawn(async move {
        match shards {
            Shards::Auto => client.start_autosharded().await,
            Shards::Fixed(count) => client.start_shards(count).await,
        }
    });
    Ok(RunningBot {
        shard_manager,
        client,
    })
}

impl RunningBot {
    /// Closes the gateway connections and waits for the client to end.
    pub async fn shutdown(self) -> Result<(), RunError> {
        self.shard_manager.shutdown_all().await;
        self.client.await??;
        Ok(())
    }

    /// Waits until the client ends on its own, which only happens on a fatal error.
    pub async fn wait(&mut self) -> Result<(), RunError> {
        (&mut self.client).await??;
        Ok(())
    }
}

/// Runs the bot until Ctrl-C or SIGTERM, then shuts it down.
pub async fn run(config: Config, token: Token) -> Result<(), RunError> {
    let mut bot = start(config, token).await?;
    tokio::select! {
        result = bot.wait() => return result,
        () = shutdown_signal() => info!("shutting down"),
    }
    bot.shutdown().await
}

/// Resolves on Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
