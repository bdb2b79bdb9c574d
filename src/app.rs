//! Starting and stopping the whole bot: what `bridgebot run` and the tests share.
//!
//! [`Bot`] takes the config and token, and optionally a clock (tests move time instead of
//! sleeping); everything else is built here exactly as in production.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};

use crate::clock::{Clock, SharedClock, SystemClock};
use crate::config::{Config, Database, Token};
use crate::diag::Diagnostics;
use crate::discord::connect::{ConnectError, Connection};
use crate::discord::inflight::Tracker;
use crate::discord::poster::DiscordPoster;
use crate::discord::{Data, Parts};
use crate::lease::{Held, LeaseError, Terms};
use crate::live::{LiveContent, Reloaded};
use crate::polls::{PollDeps, PollEvent, PollKeeper, Polls};
use crate::rest::{ClientError, Rest};
use crate::retry::{self, GaveUp, Patience, Transient};
use crate::schedule::{Deps, ScheduleEvent, Scheduler};
use crate::store::{Engine, Store, StoreError};

/// How long a shutdown waits for posts and replies in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(8);

/// The longest wait between two tries to reach a database server at start, as for Discord.
pub const DATABASE_RETRY_CAP: Duration = crate::discord::connect::RETRY_CAP;

/// Why the bot could not start or stopped unexpectedly.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("content is invalid:\n{0}")]
    Content(Diagnostics),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Discord(#[from] ConnectError),
    #[error("the bot task ended abnormally: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("{0}")]
    Metrics(String),
    #[error("{0}")]
    Lease(#[from] LeaseError),
    /// The REST client for what the bot owes could not be built.
    #[error("{0}")]
    Rest(#[from] ClientError),
}

impl RunError {
    /// Whether starting again cannot help until a person changes something: the content is
    /// invalid, Discord refused the token or the intents, `api_base` does not lead to
    /// Discord, or the REST client cannot be built (TLS does not start on this machine). A supervisor should not restart the bot then (the CLI exits 2); anything else
    /// (the gateway failing after it was connected, a database locked by a process that may
    /// go away) is worth a restart (exit 1). Discord being unreachable at the start is not
    /// an error at all: the bot waits for it (see [`crate::discord::connect`]).
    pub fn needs_a_fix(&self) -> bool {
        match self {
            RunError::Content(_) => true,
            RunError::Discord(error) => error.needs_a_fix(),
            RunError::Lease(LeaseError::HeldElsewhere { .. }) => true,
            RunError::Rest(_) => true,
            _ => false,
        }
    }
}

/// A bot about to start.
pub struct Bot {
    config: Config,
    token: Token,
    clock: SharedClock,
}

impl Bot {
    pub fn new(config: Config, token: Token) -> Bot {
        Bot {
            config,
            token,
            clock: Arc::new(SystemClock),
        }
    }

    /// Uses `clock` for every schedule and retry wait instead of the system clock.
    pub fn with_clock(mut self, clock: SharedClock) -> Bot {
        self.clock = clock;
        self
    }

    /// Loads everything, opens the database, starts the scheduler and connects; returns once
    /// the client runs in the background.
    pub async fn start(self) -> Result<RunningBot, RunError> {
        let Bot {
            config,
            token,
            clock,
        } = self;
        let content =
            Arc::new(LiveContent::load(config.content.dir.as_deref()).map_err(RunError::Content)?);
        let loaded = content.get();
        info!(
            contrasts = loaded.contrasts.len(),
            traits = loaded.traits.len(),
            tips = loaded.tips.len(),
            from = %content.origin().label(),
            "content loaded"
        );
        // Built before anything is opened: a machine where it cannot be stops here.
        let rest = Rest::new(&config.discord, &token)?;
        let store = open_store(&config.storage.database, clock.as_ref()).await?;
        info!(database = %config.storage.database, "database open");
        let ownership = config.discord.shards.ownership();
        // SQLite's lock file already keeps a second process off the database.
        let lease = match store.engine() {
            Engine::Postgres => {
                let terms = Terms::seconds(config.storage.lease_seconds);
                Held::take(
                    &store,
                    ownership,
                    terms,
                    clock.clone(),
                    &CancellationToken::new(),
                )
                .await?
            }
            Engine::Sqlite => None,
        };
        // A server gone past the grace period is deleted before anything of it is planned.
        if let Err(error) = crate::schedule::retention::sweep(&store, clock.now()).await {
            warn!(%error, "could not delete the data of removed servers; trying again later");
        }
        let poster = Arc::new(DiscordPoster::new(rest.clone()));
        let (keeper, keeper_task) = PollKeeper::new(PollDeps {
            store: store.clone(),
            clock: clock.clone(),
            content: content.clone(),
            api: poster.clone(),
            ownership,
        });
        let polls = Polls::new(
            store.clone(),
            clock.clone(),
            poster.clone(),
            Some(keeper.clone()),
        );
        let (scheduler, scheduler_task) = Scheduler::new(Deps {
            store: store.clone(),
            clock: clock.clone(),
            content: content.clone(),
            poster,
            config: config.schedule.clone(),
            pulse: config.pulse.clone(),
            polls: polls.clone(),
            ownership,
        });
        let (schedule_events, poll_events) = (scheduler.subscribe(), keeper.subscribe());
        if let Some(listen) = config.metrics.listen {
            crate::metrics::install(listen, &ownership).map_err(RunError::Metrics)?;
            tokio::spawn(crate::metrics::observe_scheduler(scheduler.subscribe()));
            tokio::spawn(crate::metrics::observe_polls(keeper.subscribe()));
            info!(%listen, "serving metrics at /metrics");
        }
        let (scheduler_task, keeper_task) = (scheduler_task.start(), keeper_task.start());
        let fanout = crate::reload_fanout::start(&store, content.clone(), clock.clone());
        let in_flight = Arc::new(Tracker::default());
        let (server_changes, _) = broadcast::channel(64);
        let data = Data::new(Parts {
            server_changes: server_changes.clone(),
            in_flight: in_flight.clone(),
            content: content.clone(),
            store: store.clone(),
            scheduler: scheduler.clone(),
            polls,
            keeper: keeper.clone(),
            rest,
            clock,
            config,
        });
        let (connection, client) = Connection::start(data, token);
        Ok(RunningBot {
            connection,
            client: Some(client),
            scheduler,
            schedule_events: std::sync::Mutex::new(Some(schedule_events)),
            scheduler_task,
            keeper,
            poll_events: std::sync::Mutex::new(Some(poll_events)),
            keeper_task,
            store,
            content,
            in_flight,
            lease,
            server_changes,
            _fanout: fanout,
        })
    }
}

/// Opens the database. A server that does not answer (not up yet, or the network not yet
/// there) is waited for as Discord is: logged, and tried again after a growing wait of at most
/// [`DATABASE_RETRY_CAP`], until it answers; anything a person must fix stops the start.
async fn open_store(database: &Database, clock: &dyn Clock) -> Result<Store, StoreError> {
    let url = match database {
        Database::Sqlite(path) => return Store::open(path).await,
        Database::Postgres(url) => url,
    };
    let shown = url.to_string();
    retry::retry(
        clock,
        Patience::forever(DATABASE_RETRY_CAP),
        &CancellationToken::new(),
        || Store::open_postgres(url.expose(), &shown),
        |error, wait| warn!(%error, ?wait, "cannot reach the database; trying again"),
    )
    .await
    .map_err(|gave_up| match gave_up {
        GaveUp::Refused(error) | GaveUp::OutOfTime(error) | GaveUp::Stopped(error) => error,
    })
}

/// Retrying a start helps only while the database is unreachable.
impl Transient for StoreError {
    fn is_permanent(&self) -> bool {
        !self.is_unreachable()
    }

    fn retry_after(&self) -> Option<Duration> {
        None
    }
}

/// A started bot.
pub struct RunningBot {
    connection: Connection,
    /// Connecting, then the gateway client; `None` once [`RunningBot::wait`] has seen it end.
    client: Option<JoinHandle<Result<(), ConnectError>>>,
    /// Plans and posts every scheduled duty; told to stop at shutdown.
    scheduler: Scheduler,
    schedule_events: std::sync::Mutex<Option<broadcast::Receiver<ScheduleEvent>>>,
    /// The scheduler's task, awaited at shutdown.
    scheduler_task: JoinHandle<()>,
    /// Closes polls and posts their recaps; told to stop at shutdown.
    keeper: PollKeeper,
    poll_events: std::sync::Mutex<Option<broadcast::Receiver<PollEvent>>>,
    /// The keeper's task, awaited at shutdown.
    keeper_task: JoinHandle<()>,
    store: Store,
    content: Arc<LiveContent>,
    in_flight: Arc<Tracker>,
    /// The hold on this process's shards, on a shared database.
    lease: Option<Held>,
    server_changes: broadcast::Sender<crate::model::server::ServerChange>,
    /// Passes reloads between this process and the bot's others; stops when dropped.
    _fanout: crate::reload_fanout::Fanout,
}

impl RunningBot {
    /// What the scheduler does, for every duty. The first call hears everything since the
    /// start (recovery included); later calls hear what happens from then on.
    pub fn schedule_events(&self) -> broadcast::Receiver<ScheduleEvent> {
        let first = self
            .schedule_events
            .lock()
            .ok()
            .and_then(|mut slot| slot.take());
        first.unwrap_or_else(|| self.scheduler.subscribe())
    }

    /// Reloads the content from where it was loaded (see [`LiveContent::reload`]).
    pub fn reload(&self) -> Result<Reloaded, Diagnostics> {
        self.content.reload()
    }

    /// The database the bot keeps its state in.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The content the bot answers with.
    pub fn content(&self) -> &LiveContent {
        &self.content
    }

    /// What happens to the bot's place in servers (removed, back, an outage, forgotten), from
    /// the call on.
    pub fn server_events(&self) -> broadcast::Receiver<crate::model::server::ServerChange> {
        self.server_changes.subscribe()
    }

    /// What the poll keeper does; the first call hears everything since the start.
    pub fn poll_events(&self) -> broadcast::Receiver<PollEvent> {
        let first = self
            .poll_events
            .lock()
            .ok()
            .and_then(|mut slot| slot.take());
        first.unwrap_or_else(|| self.keeper.subscribe())
    }

    /// Stops taking new work (no new scheduled posts, gateway closed), lets replies and posts
    /// in flight finish (up to [`SHUTDOWN_GRACE`]), and closes the database. A post still
    /// waiting to be retried is left claimed and recovered at the next start.
    pub async fn shutdown(self) -> Result<(), RunError> {
        if let Some(lease) = &self.lease {
            lease.stopping().await;
        }
        self.scheduler.shutdown();
        self.keeper.shutdown();
        self.connection.shutdown().await;
        let in_flight = self.in_flight.clone();
        let owed = async { tokio::join!(self.scheduler_task, self.keeper_task, in_flight.idle()) };
        let settled = tokio::time::timeout(SHUTDOWN_GRACE, owed).await.is_ok();
        if !settled {
            warn!(
                replies = self.in_flight.in_flight(),
                "work still in flight at the end of the grace period; posts are recovered at the next start"
            );
        }
        // With posts still in flight the hold is left to run out, so that no process takes
        // over their claims while they may still be sent.
        match self.lease {
            Some(lease) if settled => lease.release().await,
            Some(lease) => lease.let_run_out(),
            None => {}
        }
        if let Some(client) = self.client {
            client.await??;
        }
        self.store.close().await;
        info!("stopped");
        Ok(())
    }

    /// Waits until the client ends on its own, which only happens on a fatal error; once it
    /// has ended, returns at once. [`RunningBot::shutdown`] still stops the rest afterwards.
    pub async fn wait(&mut self) -> Result<(), RunError> {
        let Some(client) = self.client.as_mut() else {
            return Ok(());
        };
        let lost = async {
            match self.lease.as_mut() {
                Some(lease) => lease.lost().await,
                None => std::future::pending().await,
            }
        };
        let ended = tokio::select! {
            ended = client => ended,
            lost = lost => return Err(lost.into()),
        };
        self.client = None;
        ended??;
        Ok(())
    }
}

/// Runs the bot until Ctrl-C or SIGTERM, then shuts it down. SIGHUP reloads the content.
pub async fn run(config: Config, token: Token) -> Result<(), RunError> {
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    // A stop while the start still waits for the database ends it as cleanly as a stop later.
    let mut bot = tokio::select! {
        started = Bot::new(config, token).start() => started?,
        () = &mut shutdown => {
            info!("stopped before the bot had started");
            return Ok(());
        }
    };
    let mut reloads = reload_signals();
    let client_ended = loop {
        tokio::select! {
            result = bot.wait() => break result,
            () = &mut shutdown => break Ok(()),
            Some(()) = reloads.recv() => {
                if let Err(problems) = bot.reload() {
                    error!("content not reloaded; the previous content stays in use:\n{problems}");
                }
            }
        }
    };
    info!("shutting down");
    // Even when the client failed, the scheduler's posts in flight get their grace period.
    let stopped = bot.shutdown().await;
    client_ended.and(stopped)
}

/// SIGHUP, as a stream of reload requests (none where there is no SIGHUP).
fn reload_signals() -> tokio::sync::mpsc::Receiver<()> {
    let (sender, receiver) = tokio::sync::mpsc::channel(1);
    #[cfg(unix)]
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(mut hangups) => {
            tokio::spawn(async move {
                while hangups.recv().await.is_some() {
                    info!("SIGHUP: reloading content");
                    if sender.send(()).await.is_err() {
                        break;
                    }
                }
            });
        }
        Err(error) => warn!(%error, "cannot listen for SIGHUP; reload with /admin reload"),
    }
    #[cfg(not(unix))]
    drop(sender);
    receiver
}

/// Resolves on Ctrl-C, or SIGTERM on Unix. The handlers are installed when this is called,
/// not when the future is first polled: a signal that arrives while the start is still
/// waiting (for the database, for Discord) must stop the bot cleanly, not kill it.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let listen = |kind: SignalKind, name: &'static str| {
            let listener = signal(kind);
            async move {
                match listener {
                    Ok(mut listener) => {
                        listener.recv().await;
                    }
                    Err(error) => {
                        warn!(%error, "cannot listen for {name}");
                        std::future::pending::<()>().await;
                    }
                }
            }
        };
        let interrupt = listen(SignalKind::interrupt(), "Ctrl-C");
        let terminate = listen(SignalKind::terminate(), "SIGTERM");
        async move {
            tokio::select! {
                () = interrupt => {}
                () = terminate => {}
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    }
}
