//! Connecting to Discord: wait until it answers, then run the gateway client.
//!
//! A bot started while Discord or the network is down should come up once they are back,
//! not exit and hope a supervisor restarts it (`cargo run` has none). serenity 0.12.5 cannot
//! be left to wait on its own: when `GET /gateway` fails while its client is built it falls
//! back to `wss://gateway.discord.gg` (past any `api_base` proxy), and autosharding gives up
//! on the first failed `GET /gateway/bot`. So the bot asks `GET /gateway/bot` itself, retrying
//! with a growing, jittered wait (at most [`RETRY_CAP`]) on the injected clock until Discord
//! answers, and then builds the client with the gateway address and shard count it got.
//! A refusal (a bad token, an `api_base` that is not Discord's API) is not retried: only a
//! person can fix it. A shutdown while waiting ends the wait at once.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use poise::serenity_prelude as serenity;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use super::{client, describe, Data};
use crate::config::{Shards, Token};
use crate::rest::{BotGateway, RestError};
use crate::retry::{self, GaveUp, Patience};

/// Longest wait between two attempts to reach Discord.
pub const RETRY_CAP: Duration = Duration::from_secs(60);

/// How long a shutdown waits for the gateway client to return once its shards are closed.
const CLOSE_WAIT: Duration = Duration::from_secs(3);

/// The websocket close code for a normal closure.
const NORMAL_CLOSE: u16 = 1000;

/// Why the connection to Discord ended.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// `GET /gateway/bot` answered 401.
    #[error("Discord refused the bot token (401 Unauthorized): check DISCORD_TOKEN or [discord] token_file")]
    TokenRefused,
    /// `GET /gateway/bot` was refused otherwise, or its answer was not Discord's.
    #[error("asking for the gateway failed: {0}; check [discord] api_base")]
    Refused(RestError),
    /// The gateway client failed.
    #[error("Discord client failed: {}", describe(.0))]
    Client(#[from] serenity::Error),
}

impl ConnectError {
    /// Whether connecting again cannot help until a person changes something: the token or
    /// the intents were refused, or `api_base` does not lead to Discord's API.
    pub fn needs_a_fix(&self) -> bool {
        use serenity::{GatewayError, HttpError};
        match self {
            ConnectError::TokenRefused | ConnectError::Refused(_) => true,
            ConnectError::Client(serenity::Error::Http(HttpError::UnsuccessfulRequest(
                response,
            ))) => response.status_code == serenity::StatusCode::UNAUTHORIZED,
            ConnectError::Client(serenity::Error::Gateway(error)) => matches!(
                error,
                GatewayError::InvalidAuthentication
                    | GatewayError::InvalidGatewayIntents
                    | GatewayError::DisallowedGatewayIntents
            ),
            ConnectError::Client(_) => false,
        }
    }
}

/// Where the client is.
enum Slot {
    /// Waiting for Discord, or building the client.
    Connecting,
    /// Started; shutting down goes through its shard manager.
    Running(Arc<serenity::ShardManager>),
    /// Shut down; a client built now is dropped unstarted.
    Stopped,
}

/// The handle to a connection: stops it, whichever stage it is in.
pub struct Connection {
    stop: CancellationToken,
    slot: Arc<Mutex<Slot>>,
}

impl Connection {
    /// Starts connecting in the background. The task ends only on a failure, or once
    /// [`Connection::shutdown`] has stopped it.
    pub fn start(data: Data, token: Token) -> (Connection, JoinHandle<Result<(), ConnectError>>) {
        let stop = CancellationToken::new();
        let stopped = stop.child_token();
        let slot = Arc::new(Mutex::new(Slot::Connecting));
        let task = tokio::spawn(run(data, token, stopped, slot.clone()));
        (Connection { stop, slot }, task)
    }

    /// Stops waiting for Discord, or closes the gateway if connected.
    pub async fn shutdown(&self) {
        self.stop.cancel();
        let before = std::mem::replace(&mut *lock(&self.slot), Slot::Stopped);
        if let Slot::Running(manager) = before {
            close_shards(&manager).await;
        }
    }
}

/// Closes every shard that runs. serenity's `shutdown_all` asks its shard queuer to close
/// each one, and while shards are still booting the queuer sleeps between two starts (five
/// seconds) and reads the request only after the starts it was given before, so a shutdown
/// while shards boot would wait five seconds per pending start. Each running shard is told
/// directly first, which also answers `shutdown_all`'s wait for it; the queuer is given a
/// moment, no more.
async fn close_shards(manager: &serenity::ShardManager) {
    for (id, runner) in manager.runners.lock().await.iter() {
        runner
            .runner_tx
            .send_to_shard(serenity::ShardRunnerMessage::Shutdown(*id, NORMAL_CLOSE));
    }
    if tokio::time::timeout(CLOSE_WAIT, manager.shutdown_all())
        .await
        .is_err()
    {
        warn!("the gateway's shard queuer did not answer at shutdown; its shards were closed");
    }
}

/// The slot, usable even if a panic elsewhere poisoned its lock (it holds no invariant a
/// panic could break).
fn lock(slot: &Mutex<Slot>) -> MutexGuard<'_, Slot> {
    slot.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn run(
    data: Data,
    token: Token,
    stop: CancellationToken,
    slot: Arc<Mutex<Slot>>,
) -> Result<(), ConnectError> {
    let Some(gateway) = reach(&data, &stop).await? else {
        return Ok(());
    };
    // serenity's `start_shard_range` runs shards `first..=last`: its range's end is the last
    // shard, included.
    let (first, last, total) = match data.config.discord.shards {
        Shards::Auto => (0, gateway.shards.max(1) - 1, gateway.shards.max(1)),
        Shards::Fixed(count) => (0, count - 1, count),
        Shards::Range(range) => (range.first(), range.last(), range.total()),
    };
    let config = data.config.discord.clone();
    let mut client = client(&config, &token, data).await?;
    // serenity asked `GET /gateway` again while building; if that failed it chose
    // Discord's own address, which would bypass `api_base`.
    *client.ws_url.lock().await = gateway.url;
    {
        let mut slot = lock(&slot);
        if matches!(*slot, Slot::Stopped) {
            return Ok(());
        }
        *slot = Slot::Running(client.shard_manager.clone());
    }
    info!(first, last, total, "connecting to the gateway");
    let running = client.start_shard_range(first..last, total);
    tokio::pin!(running);
    tokio::select! {
        ended = &mut running => return Ok(ended?),
        () = stop.cancelled() => {}
    }
    // Stopping: `Connection::shutdown` closes the shards and the client returns. A shard still
    // opening its socket is not yet known to serenity's shard manager, which then closes
    // nothing, and the client would run on; it gets a moment, then is dropped.
    match tokio::time::timeout(CLOSE_WAIT, running).await {
        Ok(ended) => Ok(ended?),
        Err(_) => {
            warn!("the gateway was still being opened at shutdown; left unopened");
            Ok(())
        }
    }
}

/// Asks `GET /gateway/bot` until Discord answers; `None` when stopped first. A stop also
/// cuts short an attempt under way (a network that drops packets leaves it hanging until the
/// request times out): the question changes nothing, so nothing is lost by not waiting.
async fn reach(data: &Data, stop: &CancellationToken) -> Result<Option<BotGateway>, ConnectError> {
    let asking = retry::retry(
        data.clock.as_ref(),
        Patience::forever(RETRY_CAP),
        stop,
        || data.rest.bot_gateway(),
        |error, wait| warn!(%error, ?wait, "cannot reach Discord; trying again"),
    );
    let found = tokio::select! {
        found = asking => found,
        () = stop.cancelled() => return Ok(None),
    };
    match found {
        Ok(gateway) => Ok(Some(gateway)),
        Err(GaveUp::Stopped(_)) => Ok(None),
        Err(GaveUp::Refused(RestError::Refused { status: 401, .. })) => {
            Err(ConnectError::TokenRefused)
        }
        Err(GaveUp::Refused(error) | GaveUp::OutOfTime(error)) => Err(ConnectError::Refused(error)),
    }
}
