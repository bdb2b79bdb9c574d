//! The end-to-end harness: the real bot, started as `bridgebot run` starts it, against a fake
//! Discord on loopback.
//!
//! [`TestBot::start`] starts a [`FakeDiscord`], a temporary folder for the database, and the bot
//! through [`bridgebot::app::Bot`] with a config whose only difference from production is that
//! `api_base` points at the fake (and `guild_id` at the fake's guild). It returns once the bot
//! has reached READY and registered its commands. Every wait is on an event the fake recorded;
//! nothing sleeps for a fixed time.
//!
//! ```ignore
//! let bot = TestBot::start().await;
//! let answer = bot.ask(bot.fake().slash("contrast").option("topic", "vision")).await;
//! assert_eq!(answer.embed()["title"], "Vision vs execution");
//! bot.shutdown().await;
//! ```
//!
//! Logs of the bot and the fake go to the test output with `RUST_LOG=...` (through the bot's
//! own subscriber, so its caps on dependency logs apply as in production).
//!
//! A test whose outcome the storage could change (schedules, claims, polls, the pulse, the
//! digest, restarts) runs on both database engines: write it as a plain `async fn name()` and
//! list it in [`on_both_engines!`], which makes the tests `name::sqlite` and `name::postgres`
//! (`on_postgres!` for PostgreSQL alone). The engine reaches [`TestBot`] through a task-local,
//! so a test's body does not change: on PostgreSQL the bot gets a fresh database on the test
//! binary's throwaway server (`crates/test-postgres`, which also skips the PostgreSQL half,
//! and says so, on a machine without PostgreSQL). A test the engine cannot change (a content
//! answer, a permission, Discord's own refusals) is a plain `#[tokio::test]`, on SQLite.

#![allow(dead_code)] // Each test binary uses its own part of the harness.

pub mod events;
pub mod pulse;

use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Once};
use std::time::Duration;

use bridgebot::app::{Bot, RunningBot};
use bridgebot::clock::{ManualClock, SharedClock};
use bridgebot::config::{ApiBase, Config, Database, LogConfig, Shards, Snowflake, Token};
use bridgebot::store::Store;
use fake_discord::{
    Autocomplete, ButtonClick, FakeDiscord, FakeOptions, InteractionRef, Mark, RecordedRequest,
    SlashCommand, GUILD_ID,
};
use serde_json::Value;
use tempfile::TempDir;

/// How long a stop may take before the test fails: the bot's own grace for work in flight,
/// and time to close the gateway and the database on a busy machine.
pub const STOP_WAIT: Duration =
    bridgebot::app::SHUTDOWN_GRACE.saturating_add(Duration::from_secs(20));

/// How often the fake asks for a heartbeat while the bot stops (see [`TestBot::stop`]).
const HEARTBEAT_NUDGE: Duration = Duration::from_millis(20);

/// How long a start may take before the test fails (the bot waits for a Discord or a database
/// that does not answer; the fake and the test's database answer at once).
pub const START_WAIT: Duration = Duration::from_secs(30);

/// The token the bot is started with; the fake sees it as `Bot test-token`.
pub const TOKEN: &str = "test-token";

/// Interaction callback type: a message answering the interaction.
pub const CALLBACK_MESSAGE: u64 = 4;
/// Interaction callback type: the message a component sits on, edited.
pub const CALLBACK_UPDATE_MESSAGE: u64 = 7;
/// Callback type: "thinking…", the answer follows through the interaction's webhook.
pub const CALLBACK_DEFERRED_MESSAGE: u64 = 5;
/// Interaction callback type: autocomplete choices.
pub const CALLBACK_AUTOCOMPLETE: u64 = 8;
/// Message flag: only the person who asked sees it.
pub const EPHEMERAL: u64 = 64;

/// Which engine a test's database runs on.
pub use test_postgres::Engine;

/// `on_both_engines!(name, ...)` and `on_postgres!(name, ...)`: the macros of
/// `crates/test-postgres`, which the store's own tests use too.
#[allow(unused_imports)] // A test binary on one engine only uses neither.
pub(crate) use test_postgres::{on_both_engines, on_postgres};

/// Runs `test` with its bots on `engine`; on PostgreSQL, skipped (and counted) where it is not
/// installed, as the PostgreSQL half of [`on_both_engines!`] is.
pub async fn on(engine: Engine, test: impl Future<Output = ()>) {
    test_postgres::run(engine, move || test).await;
}

/// The engine of the test running now: SQLite outside [`on_both_engines!`].
pub fn engine() -> Engine {
    test_postgres::engine()
}

/// A database for one test on `engine`: a file in `dir`, or a fresh PostgreSQL database
/// (removed when the returned guard is dropped).
pub async fn test_database(
    engine: Engine,
    dir: &Path,
) -> (Database, Option<test_postgres::Database>) {
    match engine {
        Engine::Sqlite => (Database::Sqlite(dir.join("bridgebot.db")), None),
        Engine::Postgres => {
            let database = test_postgres::database().await;
            let url = Database::parse(database.url()).expect("the test server's URL is valid");
            (url, Some(database))
        }
    }
}

/// Opens the store on `database` as the bot would, for a test to read or seed it while the
/// bot is stopped.
pub async fn open_store(database: &Database) -> Store {
    match database {
        Database::Sqlite(path) => Store::open(path).await,
        Database::Postgres(url) => Store::open_postgres(url.expose(), &url.to_string()).await,
    }
    .expect("the test database opens")
}

/// Gives the fake's server a daily tip due two minutes before `now` (UTC, every day), and a
/// claim of today's tip `tip_id` as a crash between sending and logging leaves it.
pub async fn seed_tip_claim(store: &Store, tip_id: &str, now: jiff::Timestamp) {
    use bridgebot::model::duty::DutyKind;
    use bridgebot::model::schedule::{Schedule, TipOptions};
    use bridgebot::store::DutyClaim;
    use bridgebot::when::{DailyTime, Days, Recurrence, Zone};
    use jiff::SignedDuration;
    let due = now - SignedDuration::from_mins(2);
    let local = due.to_zoned(jiff::tz::TimeZone::UTC);
    let settings = Schedule {
        guild_id: fake_discord::GUILD_ID,
        channel_id: fake_discord::TEXT_CHANNEL_ID,
        when: Recurrence {
            time: DailyTime::new(local.hour(), local.minute()).expect("time"),
            zone: Zone::utc(),
            days: Days::EveryDay,
        },
        paused: false,
        active_since: now - SignedDuration::from_hours(48),
        options: TipOptions {
            skip_date: None,
            role_id: None,
            thread: false,
        },
    };
    store.save_schedule(&settings, now).await.expect("save");
    let claim = DutyClaim {
        duty: DutyKind::Tip,
        guild_id: fake_discord::GUILD_ID,
        local_date: local.date(),
        item: Some(tip_id.into()),
        cycle: Some(0),
        channel_id: fake_discord::TEXT_CHANNEL_ID,
        payload: Some("{}".into()),
        due_at: due,
    };
    assert!(store.claim_duty(&claim, due).await.expect("claim"));
}

/// A change a test makes to the config before the bot starts.
type ConfigChange = Box<dyn FnOnce(&mut Config, &Path) + Send>;

/// How a [`TestBot`] is set up; [`TestBot::builder`] starts from production defaults.
#[must_use = "call .start().await to start the bot"]
pub struct TestBotBuilder {
    fake: FakeOptions,
    clock: Option<ManualClock>,
    configure: Vec<ConfigChange>,
    engine: Engine,
}

impl TestBotBuilder {
    /// Options of the fake (rate limits, deadlines, extra guilds...).
    pub fn fake_options(mut self, options: FakeOptions) -> Self {
        self.fake = options;
        self
    }

    /// Runs the bot on `clock` instead of the system clock; [`TestBot::clock`] hands it back.
    pub fn clock(mut self, clock: ManualClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Changes the config after the harness has filled it in; `dir` is the test's temporary
    /// folder (for a content copy, a token file...).
    pub fn configure(mut self, change: impl FnOnce(&mut Config, &Path) + Send + 'static) -> Self {
        self.configure.push(Box::new(change));
        self
    }

    /// Starts the fake and the bot; returns once the bot has registered its commands.
    pub async fn start(self) -> TestBot {
        init_logging();
        let fake = FakeDiscord::start_with(self.fake).await;
        let dir = tempfile::tempdir().expect("create a temporary folder for the database");
        let mut config = Config::default();
        config.discord.api_base =
            Some(ApiBase::parse(&fake.api_base()).expect("the fake's address is a valid api_base"));
        config.discord.guild_id = Some(Snowflake(GUILD_ID));
        config.discord.shards = Shards::Fixed(1);
        let (database, postgres) = test_database(self.engine, dir.path()).await;
        config.storage.database = database;
        for change in self.configure {
            change(&mut config, dir.path());
        }
        let mut bot = TestBot {
            fake,
            dir,
            config,
            clock: self.clock,
            running: None,
            postgres,
        };
        bot.launch(Mark::START).await;
        bot
    }
}

/// The real bot running against its own fake Discord, with its database in a temporary folder.
///
/// Dropping it without [`TestBot::shutdown`] leaves the bot to the end of the test's runtime;
/// the fake's drop check still fails the test on any limit violation.
pub struct TestBot {
    fake: FakeDiscord,
    dir: TempDir,
    config: Config,
    clock: Option<ManualClock>,
    running: Option<RunningBot>,
    /// The PostgreSQL database, on that engine; dropped (and so removed) after the bot.
    postgres: Option<test_postgres::Database>,
}

impl TestBot {
    /// A bot with the bundled content and the production defaults, pointed at a new fake.
    pub async fn start() -> TestBot {
        TestBot::builder().start().await
    }

    /// A bot to set up before starting it.
    pub fn builder() -> TestBotBuilder {
        TestBotBuilder {
            fake: FakeOptions::default(),
            clock: None,
            configure: Vec::new(),
            engine: engine(),
        }
    }

    /// The fake Discord the bot talks to.
    pub fn fake(&self) -> &FakeDiscord {
        &self.fake
    }

    /// The config the bot was started with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The temporary folder holding the database; removed when the `TestBot` is dropped.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The database: a file, or a PostgreSQL database.
    pub fn database(&self) -> Database {
        self.config.storage.database.clone()
    }

    /// The PostgreSQL database the bot runs on, on that engine.
    pub fn postgres(&self) -> Option<&test_postgres::Database> {
        self.postgres.as_ref()
    }

    /// The clock the bot runs on, if the test gave it one.
    pub fn clock(&self) -> Option<&ManualClock> {
        self.clock.as_ref()
    }

    /// The running bot (for its tip scheduler).
    pub fn running(&self) -> &RunningBot {
        self.running
            .as_ref()
            .expect("the bot is running (it is only absent during a restart)")
    }

    /// Stops the bot as production does and starts it again on the same database, config,
    /// clock and fake; returns once the new bot has registered its commands.
    pub async fn restart(&mut self) {
        self.stop().await;
        let mark = self.fake.mark();
        self.launch(mark).await;
    }

    /// Stops the bot, lets `prepare` change the world while it is down (the database, the
    /// fake), then starts it again as [`TestBot::restart`] does.
    pub async fn restart_after<T, F, Fut>(&mut self, prepare: F) -> T
    where
        F: FnOnce(Database, FakeDiscord) -> Fut,
        Fut: Future<Output = T>,
    {
        self.stop().await;
        let prepared = prepare(self.database(), self.fake.clone()).await;
        let mark = self.fake.mark();
        self.launch(mark).await;
        prepared
    }

    /// Stops the bot as production does (checking that it stops cleanly) and checks that the
    /// fake saw no violation.
    pub async fn shutdown(mut self) {
        self.stop().await;
        self.fake.assert_no_violations();
    }

    // `RunError` carries serenity's error, which is large; a test only unwraps it.
    #[allow(clippy::result_large_err)]
    async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            let stopping = tokio::time::timeout(STOP_WAIT, running.shutdown());
            tokio::pin!(stopping);
            // serenity's shard reads a request to close between two gateway frames, or after
            // half a second without one. Discord may ask for a heartbeat at any time (op 1);
            // the fake asks while the bot stops, so a stop takes milliseconds, not that half
            // second on every stop of some 300 in the suite.
            let mut nudge = tokio::time::interval(HEARTBEAT_NUDGE);
            let stopped = loop {
                tokio::select! {
                    stopped = &mut stopping => break stopped,
                    _ = nudge.tick() => {
                        self.fake.request_heartbeat();
                    }
                }
            };
            let Ok(stopped) = stopped else {
                panic!("the bot did not stop within {STOP_WAIT:?}");
            };
            stopped.expect("the bot shuts down cleanly");
        }
    }

    /// Starts the bot and waits, from `since`, for READY and the command registration.
    // `RunError` carries serenity's error, which is large; a test only unwraps it.
    #[allow(clippy::result_large_err)]
    async fn launch(&mut self, since: Mark) {
        let token: Token = self
            .config
            .token(|_| Some(TOKEN.into()))
            .expect("the test token is accepted");
        let mut bot = Bot::new(self.config.clone(), token);
        if let Some(clock) = &self.clock {
            let clock: SharedClock = Arc::new(clock.clone());
            bot = bot.with_clock(clock);
        }
        let Ok(started) = tokio::time::timeout(START_WAIT, bot.start()).await else {
            panic!("the bot did not start within {START_WAIT:?}");
        };
        self.running = Some(started.expect("the bot starts"));
        self.fake
            .wait_frame(since, |f| f.is_dispatch("READY"))
            .await;
        self.fake
            .wait_request(since, |r| {
                r.method == "PUT"
                    && r.route().ends_with("/commands")
                    && r.status.is_some_and(|s| s < 300)
            })
            .await;
    }

    /// `user` clicks `custom_id` on the private answer `answer`; the bot's answer to the click.
    pub async fn click_on(&self, answer: &Answer, custom_id: &str, user: u64) -> Answer {
        self.ask(
            self.fake
                .click(custom_id)
                .on_original(answer.interaction())
                .as_user(user),
        )
        .await
    }

    /// `user` clicks `custom_id` on the message `message` in `channel`; the bot's answer.
    pub async fn click_message(
        &self,
        channel: u64,
        message: u64,
        custom_id: &str,
        user: u64,
    ) -> Answer {
        self.ask(
            self.fake
                .click(custom_id)
                .on_message(channel, message)
                .as_user(user),
        )
        .await
    }

    /// Injects `interaction` and waits for the bot's answer to it.
    pub async fn ask(&self, interaction: impl Inject) -> Answer {
        let sent = interaction.inject().await;
        self.answer_to(&sent).await
    }

    /// Injects `interaction`, expects a private "thinking…" callback, and returns the body of
    /// the answer that follows it through the interaction's webhook.
    pub async fn ask_deferred(&self, interaction: impl Inject) -> Value {
        let mark = self.fake.mark();
        let sent = interaction.inject().await;
        let answer = self.answer_to(&sent).await;
        answer.assert_accepted(CALLBACK_DEFERRED_MESSAGE);
        assert!(answer.is_ephemeral(), "{}", answer.body());
        let followup = self
            .fake
            .wait_request(mark, |r| {
                r.method == "POST"
                    && r.route().starts_with("/webhooks/")
                    && r.path.contains(&sent.token)
            })
            .await;
        assert_eq!(followup.status, Some(200), "{followup:?}");
        followup.body.expect("the answer has a JSON body")
    }

    /// Waits for the bot's answer to an interaction sent earlier.
    pub async fn answer_to(&self, interaction: &InteractionRef) -> Answer {
        let request = self.fake.wait_callback(interaction).await;
        Answer {
            interaction: interaction.clone(),
            request,
        }
    }

    /// `/name` with `options`, answered.
    pub async fn command(&self, name: &str, options: &[(&str, Value)]) -> Answer {
        let slash = options
            .iter()
            .fold(self.fake.slash(name), |slash, (option, value)| {
                slash.option(option, value.clone())
            });
        self.ask(slash).await
    }

    /// Autocomplete of `/command option` with `typed` so far, answered.
    pub async fn autocomplete(&self, command: &str, option: &str, typed: &str) -> Answer {
        self.ask(self.fake.autocomplete(command).focused(option, typed))
            .await
    }

    /// Autocomplete of `/command sub option` with `typed` so far: the choices, as
    /// `(name, value)`.
    pub async fn autocomplete_sub(
        &self,
        command: &str,
        sub: &str,
        option: &str,
        typed: &str,
    ) -> Vec<(String, String)> {
        let request = self
            .fake
            .autocomplete(command)
            .subcommand(sub)
            .focused(option, typed)
            .as_user(fake_discord::ADMIN_ID);
        self.ask(request).await.choices()
    }

    /// The value Discord sends for the choice labelled `label` of `/command sub option` (a
    /// subcommand's option), read from the command as the bot registered it.
    pub fn sub_choice_value(&self, command: &str, sub: &str, option: &str, label: &str) -> Value {
        let commands = self.fake.registered_commands();
        let choices = commands
            .iter()
            .find(|c| c["name"] == command)
            .and_then(|c| c["options"].as_array())
            .and_then(|subs| subs.iter().find(|s| s["name"] == sub))
            .and_then(|s| s["options"].as_array())
            .and_then(|options| options.iter().find(|o| o["name"] == option))
            .and_then(|o| o["choices"].as_array())
            .unwrap_or_else(|| panic!("/{command} {sub} {option} was registered with choices"));
        choices
            .iter()
            .find(|c| c["name"] == label)
            .map(|c| c["value"].clone())
            .unwrap_or_else(|| panic!("/{command} {sub} {option} has no choice {label:?}"))
    }

    /// The value Discord sends for the choice labelled `label` of `/command option`, read from
    /// the command as the bot registered it (poise sends choices as INTEGER 0..n).
    pub fn choice_value(&self, command: &str, option: &str, label: &str) -> Value {
        let commands = self.fake.registered_commands();
        let choices = commands
            .iter()
            .find(|c| c["name"] == command)
            .and_then(|c| c["options"].as_array())
            .and_then(|options| options.iter().find(|o| o["name"] == option))
            .and_then(|o| o["choices"].as_array())
            .unwrap_or_else(|| panic!("/{command} {option} was registered with choices"));
        choices
            .iter()
            .find(|c| c["name"] == label)
            .map(|c| c["value"].clone())
            .unwrap_or_else(|| panic!("/{command} {option} has no choice {label:?}: {choices:?}"))
    }
}

/// Something that can be injected as an interaction: a slash command, an autocomplete request
/// or a button click, as the fake builds them.
pub trait Inject {
    fn inject(self) -> impl Future<Output = InteractionRef> + Send;
}

impl Inject for SlashCommand {
    fn inject(self) -> impl Future<Output = InteractionRef> + Send {
        self.send()
    }
}

impl Inject for Autocomplete {
    fn inject(self) -> impl Future<Output = InteractionRef> + Send {
        self.send()
    }
}

impl Inject for fake_discord::ModalSubmit {
    fn inject(self) -> impl Future<Output = InteractionRef> + Send {
        self.send()
    }
}

impl Inject for ButtonClick {
    fn inject(self) -> impl Future<Output = InteractionRef> + Send {
        self.send()
    }
}

/// The bot's answer to one interaction: its callback, as the fake received and answered it.
#[derive(Clone, Debug)]
pub struct Answer {
    pub interaction: InteractionRef,
    pub request: RecordedRequest,
}

impl Answer {
    /// The interaction this answers.
    pub fn interaction(&self) -> &InteractionRef {
        &self.interaction
    }

    /// The whole callback body: `{"type": .., "data": {..}}`.
    pub fn body(&self) -> &Value {
        self.request
            .body
            .as_ref()
            .expect("the callback has a JSON body")
    }

    /// The HTTP status the fake answered the callback with (204 when accepted).
    pub fn status(&self) -> Option<u16> {
        self.request.status
    }

    /// The callback type (4 message, 7 update, 8 autocomplete).
    pub fn kind(&self) -> u64 {
        self.body()["type"]
            .as_u64()
            .expect("the callback has a numeric type")
    }

    /// The callback's `data`.
    pub fn data(&self) -> &Value {
        &self.body()["data"]
    }

    /// Whether only the person who asked sees the answer.
    pub fn is_ephemeral(&self) -> bool {
        self.data()["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0
    }

    /// The plain text of the answer, if any.
    pub fn text(&self) -> Option<&str> {
        self.data()["content"].as_str()
    }

    /// The embeds of the answer.
    pub fn embeds(&self) -> &[Value] {
        self.data()["embeds"].as_array().map_or(&[], Vec::as_slice)
    }

    /// The one embed of the answer; panics unless there is exactly one.
    pub fn embed(&self) -> &Value {
        match self.embeds() {
            [embed] => embed,
            other => panic!("expected one embed, got {}: {}", other.len(), self.body()),
        }
    }

    /// The custom ids of the answer's buttons, in order.
    pub fn custom_ids(&self) -> Vec<&str> {
        self.data()["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().into_iter().flatten())
            .filter_map(|component| component["custom_id"].as_str())
            .collect()
    }

    /// The autocomplete choices, as `(name, value)`.
    pub fn choices(&self) -> Vec<(String, String)> {
        self.data()["choices"]
            .as_array()
            .unwrap_or_else(|| panic!("an autocomplete answer has choices: {}", self.body()))
            .iter()
            .map(|c| {
                let text = |key: &str| c[key].as_str().unwrap_or_default().to_string();
                (text("name"), text("value"))
            })
            .collect()
    }

    /// Panics unless the answer's text contains `words`, showing the whole answer.
    pub fn assert_says(&self, words: &str) -> &Self {
        assert!(
            self.text().unwrap_or_default().contains(words),
            "expected {words:?} in: {}",
            self.body()
        );
        self
    }

    /// Panics unless the callback was accepted (204) with type `kind`.
    pub fn assert_accepted(&self, kind: u64) -> &Self {
        assert_eq!(
            (self.status(), self.kind()),
            (Some(204), kind),
            "callback status and type: {}",
            self.body()
        );
        self
    }

    /// Panics unless allowed_mentions is present and lets nobody be pinged: no `parse` entry
    /// (everyone, roles, users), no user or role list, no reply ping.
    pub fn assert_mentions_nobody(&self) -> &Self {
        let mentions = &self.data()["allowed_mentions"];
        assert!(
            mentions.is_object(),
            "allowed_mentions is missing: {}",
            self.body()
        );
        for key in ["parse", "users", "roles"] {
            let list = &mentions[key];
            assert!(
                list.is_null() || list.as_array().is_some_and(Vec::is_empty),
                "allowed_mentions.{key} lets someone be pinged: {mentions}"
            );
        }
        assert_ne!(
            mentions["replied_user"],
            Value::Bool(true),
            "allowed_mentions pings the replied user: {mentions}"
        );
        self
    }
}

/// The custom ids of a message's buttons and menus (a message body as the fake keeps it).
pub fn message_custom_ids(message: &Value) -> Vec<String> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .collect()
}

/// Sends the bot's and the fake's logs to the test output when `RUST_LOG` is set.
fn init_logging() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let Ok(directives) = std::env::var("RUST_LOG") else {
            return;
        };
        let subscriber = bridgebot::log::subscriber(
            &LogConfig::default(),
            bridgebot::log::filter(&directives),
            tracing_subscriber::fmt::TestWriter::new(),
        );
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}
