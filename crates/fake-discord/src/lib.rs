//! A fake Discord on loopback, for end-to-end tests of a serenity/poise bot.
//!
//! No test machine reaches Discord, and unit tests cannot show that a slash command really
//! works: that takes serenity's gateway client, poise's dispatch and the REST calls the bot
//! makes. [`FakeDiscord`] is a REST server and a gateway websocket server on `127.0.0.1`
//! (ephemeral ports, one instance per test, so tests run in parallel). Point the bot at it with
//! serenity's proxy setting and turn the rate limiter off:
//!
//! ```no_run
//! # async fn demo() {
//! let fd = fake_discord::FakeDiscord::start().await;
//! // serenity::http::HttpBuilder::new("token").proxy(fd.api_base()).ratelimiter_disabled(true)
//! // serenity then asks the fake for the gateway URL and connects to it.
//! fd.wait_ready().await;
//! fd.wait_commands_registered().await;
//! let ping = fd.slash("ping").send().await;
//! let reply = fd.wait_callback(&ping).await;
//! assert_eq!(reply.body_at("/data/content"), Some(&"pong".into()));
//! # }
//! ```
//!
//! What it offers:
//! - a small stateful world ([`ids`]: a guild with an owner, an admin, a member, roles, text,
//!   voice, hidden and no-polls channels), sent as READY + GUILD_CREATE so serenity's cache is
//!   full, and changeable at run time;
//! - the REST routes such a bot uses, answering like Discord, with messages and polls kept;
//! - a record of every request and frame, and waits on them ([`FakeDiscord::mark`] then
//!   `wait_*`), event-driven, panicking with the last records on timeout;
//! - injection of slash commands, autocomplete and button clicks, built from one complete
//!   template (serenity silently drops incomplete ones);
//! - faults: REST errors and delays ([`FakeDiscord::fail_next`]), dropped sockets, close
//!   codes, op 7 and op 9, with RESUME replaying what the bot missed;
//! - Discord's documented limits and this project's mention rules checked on every body
//!   (see [`limits`]). **Violations fail the test**: when the last handle of a fake with
//!   violations is dropped it panics (unless the thread is already panicking). A test that
//!   provokes violations on purpose takes them with [`FakeDiscord::take_violations`].
//!
//! Good to know when writing tests (serenity 0.12.5, poise 0.7.1):
//! - Never fail `GET /gateway` with a fault: serenity then falls back to the real gateway URL.
//! - serenity itself refuses content over 2000 characters, more than 10 embeds and an embed
//!   over 6000 characters, and sends nothing: such a reply shows up as a missing callback, not
//!   as a violation. Everything else (field, title, description, footer lengths, the total
//!   across embeds, components, polls, autocomplete choices) reaches the fake and is checked.
//! - A 429 body has no `code`, so serenity reports code -1, and it never exposes the
//!   `Retry-After` header; with its rate limiter off it does not retry 429s or 5xx.
//! - After `defer()`, poise's next reply is a follow-up POST; like Discord, the fake turns the
//!   first follow-up after a deferred reply into the content of the "thinking" message.
//! - serenity's `MessageUpdateEvent` has no `poll` field: a bot learns poll results by GET.
//! - `wait_request` returns a request once the fake has answered it (`status` is set).

#![warn(missing_docs)]

mod faults;
mod gateway;
pub mod ids;
mod interactions;
pub mod limits;
mod messages;
mod multipart;
mod record;
mod registries;
mod rest;
mod time;
mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use crate::faults::{Fault, RouteMatcher};
pub use crate::ids::*;
pub use crate::interactions::{
    Autocomplete, ButtonClick, InteractionRef, ModalSubmit, SlashCommand,
};
pub use crate::multipart::UploadedFile;
pub use crate::record::{Direction, Frame, Mark, RecordedRequest, Violation, DEFAULT_WAIT};
pub use crate::world::{ChannelKind, GuildShape, Overwrite, OverwriteTarget};

use crate::faults::FaultRules;
use crate::gateway::Gateway;
use crate::record::Log;
use crate::rest::RateWindow;
use crate::world::World;

/// How a [`FakeDiscord`] behaves; `FakeOptions::default()` is an ordinary Discord.
#[derive(Clone, Debug)]
pub struct FakeOptions {
    /// Requests per second allowed for POST /channels/{id}/messages; past it the fake answers
    /// 429 with a JSON `retry_after` and a `Retry-After` header. `None`: no limit.
    pub rest_rate_limit: Option<u32>,
    /// Guilds added after the main one, for load tests; see [`ids::extra_guild_id`].
    pub extra_guilds: usize,
    /// What each of the extra guilds holds; [`GuildShape::SMALL`] (one text channel) unless set.
    pub extra_guild_shape: GuildShape,
    /// GETs of an ended poll's message that still show `results.is_finalized: false`.
    pub poll_finalize_lag: u32,
    /// The heartbeat interval sent in HELLO, in milliseconds.
    pub heartbeat_interval_ms: u64,
    /// How long after an interaction reached the bot its callback is accepted (Discord: 3 s).
    /// Later callbacks get 404 Unknown interaction and a violation. `None`: no deadline.
    pub interaction_deadline: Option<Duration>,
    /// Answer bodies Discord would refuse with `400 Invalid Form Body` (the violation is
    /// recorded either way). `false` accepts them, to see what the bot would have shown.
    pub reject_invalid_bodies: bool,
    /// How long each gateway socket is held after the connection is accepted, before the
    /// websocket handshake: a slow gateway, so that a test can act while the bot's shard is
    /// still opening its socket ([`FakeDiscord::wait_gateway_sockets`] says when). `None`: none.
    pub gateway_handshake_delay: Option<Duration>,
}

impl FakeOptions {
    /// For load runs (the soaks, the benchmark's fan-outs): `servers` extra guilds, Discord's
    /// global 50 message posts a second enforced, and no interaction deadline.
    pub fn fan_out(servers: usize) -> Self {
        Self {
            rest_rate_limit: Some(50),
            extra_guilds: servers,
            interaction_deadline: None,
            ..Self::default()
        }
    }
}

impl Default for FakeOptions {
    fn default() -> Self {
        Self {
            rest_rate_limit: None,
            extra_guilds: 0,
            extra_guild_shape: GuildShape::SMALL,
            poll_finalize_lag: 0,
            heartbeat_interval_ms: 41_250,
            interaction_deadline: Some(Duration::from_secs(3)),
            reject_invalid_bodies: true,
            gateway_handshake_delay: None,
        }
    }
}

/// Everything the servers and the handles share.
pub(crate) struct Shared {
    pub(crate) options: FakeOptions,
    world: Mutex<World>,
    pub(crate) log: Log,
    faults: Mutex<FaultRules>,
    rate: Mutex<RateWindow>,
    pub(crate) ids: ids::Snowflakes,
    pub(crate) gateway: Gateway,
    rest_addr: SocketAddr,
    gateway_addr: SocketAddr,
}

/// Locks a mutex whose data stays usable after a panic elsewhere (test support: a poisoned
/// lock must not hide the first failure behind a second one).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.world)
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, FaultRules> {
        lock(&self.faults)
    }

    pub(crate) fn rate(&self) -> MutexGuard<'_, RateWindow> {
        lock(&self.rate)
    }

    pub(crate) fn gateway_url(&self) -> String {
        format!("ws://{}", self.gateway_addr)
    }
}

/// Stops the servers and runs the violation check when the last [`FakeDiscord`] goes.
struct Handle {
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if std::thread::panicking() {
            return;
        }
        let violations = std::mem::take(&mut self.shared.log.lock().violations);
        if !violations.is_empty() {
            panic!("{}", describe_violations(&violations));
        }
    }
}

fn describe_violations(violations: &[Violation]) -> String {
    let list: Vec<String> = violations.iter().map(|v| format!("  - {v}")).collect();
    format!(
        "fake discord: the bot broke {} rule(s) (take_violations() if this test expects them):\n{}",
        violations.len(),
        list.join("\n")
    )
}

/// A fake Discord for one test. Cheap to clone; the servers stop when the last clone is
/// dropped (or on [`FakeDiscord::shutdown`]), and that drop panics if violations remain.
#[derive(Clone)]
pub struct FakeDiscord {
    handle: Arc<Handle>,
}

impl std::fmt::Debug for FakeDiscord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeDiscord")
            .field("api_base", &self.api_base())
            .finish()
    }
}

impl FakeDiscord {
    /// Starts a fake with default options. Must run inside a tokio runtime.
    pub async fn start() -> Self {
        Self::start_with(FakeOptions::default()).await
    }

    /// Starts a fake with `options`. Panics if it cannot bind loopback ports.
    pub async fn start_with(options: FakeOptions) -> Self {
        let rest = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake discord: bind the REST port");
        let gw = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake discord: bind the gateway port");
        let shared = Arc::new(Shared {
            world: Mutex::new(World::new(options.extra_guilds, options.extra_guild_shape)),
            options,
            log: Log::default(),
            faults: Mutex::default(),
            rate: Mutex::default(),
            ids: ids::Snowflakes::default(),
            gateway: Gateway::default(),
            rest_addr: rest.local_addr().expect("fake discord: REST address"),
            gateway_addr: gw.local_addr().expect("fake discord: gateway address"),
        });
        let (shutdown, stop) = watch::channel(false);
        tokio::spawn(rest::serve(rest, Arc::clone(&shared), stop.clone()));
        tokio::spawn(gateway::serve(gw, Arc::clone(&shared), stop));
        tracing::debug!(rest = %shared.rest_addr, gateway = %shared.gateway_addr, "fake discord: started");
        Self {
            handle: Arc::new(Handle { shared, shutdown }),
        }
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.handle.shared
    }

    /// What to give serenity's `HttpBuilder::proxy`: `http://127.0.0.1:PORT`.
    pub fn api_base(&self) -> String {
        format!("http://{}", self.shared().rest_addr)
    }

    /// The gateway URL the fake hands out: `ws://127.0.0.1:PORT`.
    pub fn gateway_url(&self) -> String {
        self.shared().gateway_url()
    }

    /// Stops both servers now (sockets close without a close frame). Dropping the last handle
    /// does the same.
    pub fn shutdown(&self) {
        let _ = self.handle.shutdown.send(true);
    }

    // ----- recording and waiting ---------------------------------------------------------

    /// The current end of the logs; waits given this mark see only what comes after.
    pub fn mark(&self) -> Mark {
        self.shared().log.mark()
    }

    /// Waits (up to [`DEFAULT_WAIT`]) for the first request after `since` matching `pred`, and
    /// returns it once the fake has answered it (so its `status` and `response` are set).
    pub async fn wait_request(
        &self,
        since: Mark,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> RecordedRequest {
        self.wait_request_timeout(since, DEFAULT_WAIT, pred).await
    }

    /// [`Self::wait_request`] with an explicit timeout.
    pub async fn wait_request_timeout(
        &self,
        since: Mark,
        timeout: Duration,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> RecordedRequest {
        self.shared()
            .log
            .wait_request(since, timeout, "a matching request", pred)
            .await
    }

    /// Waits (up to [`DEFAULT_WAIT`]) for the first request after `since` matching `pred`, and
    /// returns it as soon as it has arrived, while the fake may still be answering it (for
    /// tests about requests in flight, with [`Fault::Delay`]).
    pub async fn wait_request_arrived(
        &self,
        since: Mark,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> RecordedRequest {
        self.shared()
            .log
            .wait_request_arrived(since, DEFAULT_WAIT, "a matching request to arrive", pred)
            .await
    }

    /// Waits (up to [`DEFAULT_WAIT`]) for the first gateway frame after `since` matching `pred`.
    pub async fn wait_frame(&self, since: Mark, pred: impl Fn(&Frame) -> bool) -> Frame {
        self.wait_frame_timeout(since, DEFAULT_WAIT, pred).await
    }

    /// [`Self::wait_frame`] with an explicit timeout.
    pub async fn wait_frame_timeout(
        &self,
        since: Mark,
        timeout: Duration,
        pred: impl Fn(&Frame) -> bool,
    ) -> Frame {
        self.shared()
            .log
            .wait_frame(since, timeout, "a matching gateway frame", pred)
            .await
    }

    /// Waits until the fake has sent READY (at any time since it started).
    pub async fn wait_ready(&self) -> Frame {
        self.shared()
            .log
            .wait_frame(Mark::START, DEFAULT_WAIT, "READY", |f| {
                f.is_dispatch("READY")
            })
            .await
    }

    /// Waits (up to [`DEFAULT_WAIT`]) until the gateway has accepted `count` connections in
    /// all (before their websocket handshakes).
    pub async fn wait_gateway_sockets(&self, count: u64) {
        let mut accepted = self.shared().gateway.accepted();
        let reached = tokio::time::timeout(DEFAULT_WAIT, accepted.wait_for(|n| *n >= count)).await;
        assert!(
            matches!(reached, Ok(Ok(_))),
            "the gateway did not get {count} connections within {DEFAULT_WAIT:?}"
        );
    }

    /// Waits until the bot has registered commands (guild or global) and got a 2xx.
    pub async fn wait_commands_registered(&self) -> RecordedRequest {
        self.shared()
            .log
            .wait_request(Mark::START, DEFAULT_WAIT, "command registration", |r| {
                r.method == "PUT"
                    && r.route().ends_with("/commands")
                    && r.status.is_some_and(|s| s < 300)
            })
            .await
    }

    /// Waits for the bot's callback POST for `interaction`, answered (its `status` is set).
    /// Callbacks are unique per interaction, so this looks at every request since the start.
    pub async fn wait_callback(&self, interaction: &InteractionRef) -> RecordedRequest {
        self.wait_callback_timeout(interaction, DEFAULT_WAIT).await
    }

    /// [`Self::wait_callback`] with an explicit timeout.
    pub async fn wait_callback_timeout(
        &self,
        interaction: &InteractionRef,
        timeout: Duration,
    ) -> RecordedRequest {
        let route = interaction.callback_route();
        let what = format!("the callback of interaction {}", interaction.id);
        self.shared()
            .log
            .wait_request(Mark::START, timeout, &what, |r| {
                r.method == "POST" && r.route() == route
            })
            .await
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared().log.lock().requests.clone()
    }

    /// Every gateway frame so far.
    pub fn frames(&self) -> Vec<Frame> {
        self.shared().log.lock().frames.clone()
    }

    /// How many sessions the bot has started with IDENTIFY.
    pub fn sessions_started(&self) -> u64 {
        self.shared().gateway.sessions_started()
    }

    /// How many requests the [`FakeOptions::rest_rate_limit`] answered with 429.
    pub fn rate_limited_count(&self) -> u64 {
        self.shared().rate().limited
    }

    // ----- messages, polls, commands ---------------------------------------------------

    /// The messages the bot created in `channel_id` (replies included), oldest first, as
    /// Discord would return them.
    pub fn channel_messages(&self, channel_id: u64) -> Vec<Value> {
        let world = self.shared().world();
        let author = world.user_json(BOT_USER_ID);
        world
            .messages
            .of_channel(channel_id)
            .map(|m| m.json(&author))
            .collect()
    }

    /// One stored message, as Discord would return it.
    pub fn message(&self, message_id: u64) -> Option<Value> {
        let world = self.shared().world();
        world
            .messages
            .get(message_id)
            .map(|m| m.json(&world.user_json(BOT_USER_ID)))
    }

    /// The original response of `interaction` (the reply, or the message a button sat on for
    /// an update), if there is one.
    pub fn original_response(&self, interaction: &InteractionRef) -> Option<Value> {
        let original = self
            .shared()
            .world()
            .interactions
            .get_mut(interaction.id)?
            .original_message?;
        self.message(original)
    }

    /// The commands the bot registered, as the fake echoed them (with ids), guild ones first.
    pub fn registered_commands(&self) -> Vec<Value> {
        self.shared().world().commands.all()
    }

    /// Sets the votes of the poll on a message: `(answer_id, count)`; answer ids start at 1.
    /// Panics if there is no such poll.
    pub fn set_poll_votes(&self, channel_id: u64, message_id: u64, votes: &[(u64, u64)]) {
        self.with_poll(channel_id, message_id, |poll| poll.set_votes(votes));
    }

    /// Ends a poll now, as Discord does at its expiry; `results.is_finalized` turns true after
    /// [`FakeOptions::poll_finalize_lag`] more GETs.
    pub fn expire_poll(&self, channel_id: u64, message_id: u64) {
        self.with_poll(channel_id, message_id, |poll| poll.end(false));
    }

    /// Ends a poll with final results at once (no finalize lag).
    pub fn finalize_poll(&self, channel_id: u64, message_id: u64) {
        self.with_poll(channel_id, message_id, |poll| poll.end(true));
    }

    fn with_poll(&self, channel_id: u64, message_id: u64, f: impl FnOnce(&mut messages::Poll)) {
        let mut world = self.shared().world();
        let poll = world
            .messages
            .in_channel_mut(channel_id, message_id)
            .and_then(|m| m.poll.as_mut())
            .unwrap_or_else(|| {
                panic!("fake discord: no poll on message {message_id} in channel {channel_id}")
            });
        f(poll);
    }

    /// Sends MESSAGE_UPDATE for a stored message (with its current poll results), as Discord
    /// does when a poll ends. Returns the sequence number. Panics if the message is unknown.
    pub fn send_message_update(&self, message_id: u64) -> u64 {
        let json = self
            .message(message_id)
            .unwrap_or_else(|| panic!("fake discord: no message {message_id} to update"));
        self.dispatch("MESSAGE_UPDATE", json)
    }

    // ----- injection -------------------------------------------------------------------

    /// A slash command to inject: `fd.slash("tip").option("topic", "x").as_user(ADMIN_ID).send().await`.
    pub fn slash(&self, name: &str) -> SlashCommand {
        SlashCommand::new(self.clone(), name)
    }

    /// An autocomplete request to inject: `fd.autocomplete("contrast").focused("topic", "le").send().await`.
    pub fn autocomplete(&self, name: &str) -> Autocomplete {
        Autocomplete::new(self.clone(), name)
    }

    /// A button click to inject: `fd.click("again").on_original(&reply).send().await`.
    pub fn click(&self, custom_id: &str) -> ButtonClick {
        ButtonClick::new(self.clone(), custom_id)
    }

    /// A file a member attaches to an interaction: pass the returned id as the value of an
    /// ATTACHMENT option. The fake serves it from its own address, as Discord's CDN would.
    pub fn add_attachment(&self, filename: &str, content_type: &str, bytes: &[u8]) -> u64 {
        let id = self.shared().ids.next();
        let url = format!("{}/attachments/{id}/{filename}", self.api_base());
        self.shared().world().attachments.insert(
            id,
            world::Upload {
                filename: filename.to_string(),
                content_type: content_type.to_string(),
                bytes: bytes.to_vec(),
                url,
                served: true,
            },
        );
        id
    }

    /// Stops serving an attachment (404), as Discord does once its link has expired.
    pub fn expire_attachment(&self, id: u64) {
        if let Some(upload) = self.shared().world().attachments.get_mut(&id) {
            upload.served = false;
        }
    }

    /// A form (modal) submit to inject: `fd.submit_modal("bb:…").field("title", "x").send().await`.
    pub fn submit_modal(&self, custom_id: &str) -> ModalSubmit {
        ModalSubmit::new(self.clone(), custom_id)
    }

    /// Sends any op 0 dispatch (`"MESSAGE_UPDATE"`, `"GUILD_DELETE"`...); returns its sequence
    /// number. With no socket attached it is kept for the bot's RESUME.
    pub fn dispatch(&self, event: &str, data: Value) -> u64 {
        self.shared().gateway.dispatch(event, data)
    }

    // ----- faults -----------------------------------------------------------------------

    /// Answers the next `times` requests matching `matcher` with `fault` instead of normally.
    pub fn fail_next(&self, matcher: RouteMatcher, fault: Fault, times: u32) {
        self.shared().faults().add(matcher, fault, times);
    }

    /// Hangs up the bot's gateway socket without a close frame. Like the other gateway faults
    /// it first waits (up to [`DEFAULT_WAIT`]) for the bot to have a socket attached to its
    /// session (after READY or RESUMED), so it never hits a bot that is between sockets.
    pub async fn drop_socket(&self) {
        self.on_attached_socket("drop the socket", Gateway::drop_socket)
            .await;
    }

    /// Closes the bot's gateway socket with a close frame carrying `code` (e.g. 4000).
    pub async fn close_with(&self, code: u16) {
        self.on_attached_socket("close the socket", |g| g.close_with(code))
            .await;
    }

    /// Sends op 7 RECONNECT: the bot should RESUME on a new socket.
    pub async fn send_reconnect(&self) {
        self.on_attached_socket("send op 7", Gateway::send_reconnect)
            .await;
    }

    /// Sends op 1 HEARTBEAT, as Discord may at any time: the bot must heartbeat at once. Only
    /// if a socket is attached right now (false otherwise); it does not wait for one.
    pub fn request_heartbeat(&self) -> bool {
        self.shared().gateway.request_heartbeat()
    }

    /// Sends op 9 INVALID_SESSION. Not resumable ends the session: serenity then IDENTIFYs
    /// again, about 5 s later (its shard queue waits 5 s between starts).
    pub async fn invalid_session(&self, resumable: bool) {
        self.on_attached_socket("send op 9", |g| g.invalid_session(resumable))
            .await;
    }

    /// Runs `act` (which reports whether a socket was attached) once one is.
    async fn on_attached_socket(&self, what: &str, act: impl Fn(&Gateway) -> bool) {
        let shared = self.shared();
        let what = format!("a gateway socket attached to the session, to {what}");
        shared
            .log
            .wait_until(DEFAULT_WAIT, &what, || act(&shared.gateway))
            .await;
    }

    // ----- world changes ------------------------------------------------------------------

    /// Replaces a channel's permission overwrites and sends CHANNEL_UPDATE. Panics if the
    /// channel is unknown.
    pub fn set_channel_overwrites(&self, channel_id: u64, overwrites: Vec<Overwrite>) {
        let json = {
            let mut world = self.shared().world();
            let channel = world
                .channels
                .get_mut(&channel_id)
                .unwrap_or_else(|| panic!("fake discord: no channel {channel_id}"));
            channel.overwrites = overwrites;
            let channel = channel.clone();
            world.channel_json(&channel)
        };
        self.dispatch("CHANNEL_UPDATE", json);
    }

    /// Names `channel_id` the system channel of `guild_id` (sent in the next GUILD_CREATE).
    /// Panics if the guild is unknown.
    pub fn set_system_channel(&self, guild_id: u64, channel_id: Option<u64>) {
        let mut world = self.shared().world();
        let guild = world
            .guilds
            .get_mut(&guild_id)
            .unwrap_or_else(|| panic!("fake discord: no guild {guild_id}"));
        guild.system_channel_id = channel_id;
    }

    /// Sets when the bot joined `guild_id` (sent in GUILD_CREATE). Panics if unknown.
    pub fn set_joined_at(&self, guild_id: u64, at: std::time::SystemTime) {
        let mut world = self.shared().world();
        let guild = world
            .guilds
            .get_mut(&guild_id)
            .unwrap_or_else(|| panic!("fake discord: no guild {guild_id}"));
        guild.joined_at = at;
    }

    /// The bot added to `guild_id` again at `at`: GUILD_CREATE with the server as it is now.
    /// Panics if the guild is unknown.
    pub fn add_guild_again(&self, guild_id: u64, at: std::time::SystemTime) {
        self.set_joined_at(guild_id, at);
        if let Some(guild) = self.shared().world().guilds.get_mut(&guild_id) {
            guild.bot_removed = false;
        }
        let json = self
            .shared()
            .world()
            .guild_create_json(guild_id)
            .unwrap_or_else(|| panic!("fake discord: no guild {guild_id}"));
        self.dispatch("GUILD_CREATE", json);
    }

    /// The bot is removed from `guild_id` (GUILD_DELETE, not an outage); later sessions leave
    /// it out until [`FakeDiscord::add_guild_again`].
    pub fn remove_guild(&self, guild_id: u64) {
        if let Some(guild) = self.shared().world().guilds.get_mut(&guild_id) {
            guild.bot_removed = true;
        }
        self.dispatch(
            "GUILD_DELETE",
            serde_json::json!({"id": guild_id.to_string()}),
        );
    }

    /// Adds a text channel to `guild_id`, sends CHANNEL_CREATE, and returns its id.
    pub fn add_text_channel(&self, guild_id: u64, name: &str) -> u64 {
        let id = self.shared().ids.next();
        let json = {
            let mut world = self.shared().world();
            world.insert_channel(guild_id, id, ChannelKind::Text, name, Vec::new(), None);
            world.channels.get(&id).map(|c| world.channel_json(c))
        };
        if let Some(json) = json {
            self.dispatch("CHANNEL_CREATE", json);
        }
        id
    }

    /// Deletes a channel and sends CHANNEL_DELETE; later requests for it get 404 Unknown
    /// Channel. Panics if the channel is unknown.
    pub fn delete_channel(&self, channel_id: u64) {
        let json = {
            let mut world = self.shared().world();
            let channel = world
                .remove_channel(channel_id)
                .unwrap_or_else(|| panic!("fake discord: no channel {channel_id}"));
            world.channel_json(&channel)
        };
        self.dispatch("CHANNEL_DELETE", json);
    }

    /// Adds a role with `permissions` to `guild_id` (above the others), sends GUILD_ROLE_CREATE,
    /// and returns its id. Panics if the guild is unknown.
    pub fn add_role(&self, guild_id: u64, name: &str, permissions: u64) -> u64 {
        let id = self.shared().ids.next();
        let json = {
            let mut world = self.shared().world();
            let guild = world
                .guilds
                .get_mut(&guild_id)
                .unwrap_or_else(|| panic!("fake discord: no guild {guild_id}"));
            let position = guild.roles.iter().map(|r| r.position).max().unwrap_or(0) + 1;
            guild.roles.push(world::Role {
                id,
                name: name.into(),
                permissions,
                position,
                mentionable: false,
            });
            world.role_json_by_id(id).map(|(_, role)| role)
        };
        if let Some(role) = json {
            self.dispatch(
                "GUILD_ROLE_CREATE",
                serde_json::json!({"guild_id": guild_id.to_string(), "role": role}),
            );
        }
        id
    }

    /// Sets the roles of member `user_id` of `guild_id`. Sends GUILD_MEMBER_UPDATE only when
    /// the member is the bot: Discord tells a bot of changes to its own member whatever its
    /// intents, and of others' only with the privileged GUILD_MEMBERS intent, which bridgebot
    /// does not ask for. Panics if the guild or the member is unknown.
    pub fn set_member_roles(&self, guild_id: u64, user_id: u64, roles: Vec<u64>) {
        let json = {
            let mut world = self.shared().world();
            let member = world
                .guilds
                .get_mut(&guild_id)
                .and_then(|g| g.members.iter_mut().find(|m| m.user_id == user_id))
                .unwrap_or_else(|| panic!("fake discord: no member {user_id} in guild {guild_id}"));
            member.roles = roles;
            let mut json = world.member_json(guild_id, user_id, None);
            json["guild_id"] = guild_id.to_string().into();
            json
        };
        if user_id == BOT_USER_ID {
            self.dispatch("GUILD_MEMBER_UPDATE", json);
        }
    }

    /// Declares that the bot may ping `role_id`: allowed_mentions `roles: [role_id]` is then
    /// not a violation (`parse: ["roles"]` still is).
    pub fn allow_role_mention(&self, role_id: u64) {
        self.shared().world().allowed_role_mentions.insert(role_id);
    }

    // ----- violations ------------------------------------------------------------------

    /// The violations recorded so far (they stay recorded).
    pub fn violations(&self) -> Vec<Violation> {
        self.shared().log.lock().violations.clone()
    }

    /// Takes the violations recorded so far: for tests that provoke them on purpose. The drop
    /// check then only sees violations recorded afterwards.
    pub fn take_violations(&self) -> Vec<Violation> {
        std::mem::take(&mut self.shared().log.lock().violations)
    }

    /// Panics, listing them, if any violation was recorded.
    pub fn assert_no_violations(&self) {
        let violations = self.violations();
        assert!(
            violations.is_empty(),
            "{}",
            describe_violations(&violations)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>(_: &T) {}

    #[tokio::test]
    async fn handles_and_futures_can_move_between_threads() {
        let fd = FakeDiscord::start().await;
        assert_send(&fd);
        assert_send(&fd.wait_ready());
        assert_send(&fd.wait_request(Mark::START, |_| true));
        assert_send(&fd.slash("ping").send());
        assert_send(&fd.drop_socket());
        fd.shutdown();
    }
}
