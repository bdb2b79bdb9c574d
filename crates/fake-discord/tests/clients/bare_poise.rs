//! A bare poise bot (not bridgebot) against the fake: proves the fake speaks enough Discord for
//! serenity 0.12.5 + poise 0.7.1, and that its faults and checks reach a real client.
//!
//! Every wait is on an event (a frame, a request, a callback); nothing sleeps for a fixed time.

use std::sync::Arc;
use std::time::Duration;

use fake_discord::*;
use poise::serenity_prelude as serenity;
use serde_json::Value;
use serenity::{
    ButtonStyle, CreateActionRow, CreateAutocompleteResponse, CreateButton, CreateEmbed,
    CreateInteractionResponse, CreateInteractionResponseMessage, FullEvent, GuildId, Interaction,
};
use tokio::sync::mpsc;

type Error = Box<dyn std::error::Error + Send + Sync>;
type Context<'a> = poise::Context<'a, Data, Error>;

/// Per-bot state: where command errors and message updates go, so a test sees what the bot saw.
struct Data {
    errors: mpsc::UnboundedSender<String>,
    updates: mpsc::UnboundedSender<u64>,
}

/// Answers "pong".
#[poise::command(slash_command)]
async fn ping(ctx: Context<'_>) -> Result<(), Error> {
    ctx.say("pong").await?;
    Ok(())
}

// serenity lets an embed field of 3000 characters through (it only checks content, embed count
// and each embed's total); Discord's field limit is 1024.
/// Answers with an over-long embed field.
#[poise::command(slash_command)]
async fn big(ctx: Context<'_>) -> Result<(), Error> {
    let embed = CreateEmbed::new().field("big", "x".repeat(3000), false);
    ctx.send(poise::CreateReply::default().embed(embed)).await?;
    Ok(())
}

/// Answers only the caller.
#[poise::command(slash_command, ephemeral)]
async fn secret(ctx: Context<'_>) -> Result<(), Error> {
    ctx.say("only you").await?;
    Ok(())
}

async fn complete_word(_ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let choices = ["lead", "listen", "manage"]
        .into_iter()
        .filter(|w| w.starts_with(partial))
        .map(serenity::AutocompleteChoice::from)
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

/// Repeats a word, with autocomplete and an integer option.
#[poise::command(slash_command)]
async fn echo(
    ctx: Context<'_>,
    #[description = "word"]
    #[autocomplete = "complete_word"]
    word: String,
    #[description = "times"] count: Option<i64>,
) -> Result<(), Error> {
    ctx.say(format!("{word} x{}", count.unwrap_or(1))).await?;
    Ok(())
}

/// Replies with a counter button; clicks are handled in `on_event`.
#[poise::command(slash_command)]
async fn counter(ctx: Context<'_>) -> Result<(), Error> {
    let button = CreateButton::new("inc")
        .label("+1")
        .style(ButtonStyle::Primary);
    let reply = poise::CreateReply::default()
        .content("0")
        .components(vec![CreateActionRow::Buttons(vec![button])]);
    ctx.send(reply).await?;
    Ok(())
}

/// A mood, registered by poise as an INTEGER option with choices 0 and 1.
#[derive(Debug, poise::ChoiceParameter)]
enum Mood {
    Calm,
    Busy,
}

/// Says the mood.
#[poise::command(slash_command)]
async fn mood(ctx: Context<'_>, #[description = "mood"] mood: Mood) -> Result<(), Error> {
    ctx.say(format!("{mood:?}")).await?;
    Ok(())
}

/// Team management.
#[poise::command(slash_command, subcommands("team_add"))]
async fn team(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Adds someone to a role.
#[poise::command(slash_command, rename = "add")]
async fn team_add(
    ctx: Context<'_>,
    #[description = "who"] who: serenity::User,
    #[description = "role"] role: serenity::Role,
) -> Result<(), Error> {
    ctx.say(format!("{} joins {}", who.name, role.name)).await?;
    Ok(())
}

/// Thinks first, then answers.
#[poise::command(slash_command)]
async fn slow(
    ctx: Context<'_>,
    #[description = "private"] private: Option<bool>,
) -> Result<(), Error> {
    if private.unwrap_or(false) {
        ctx.defer_ephemeral().await?;
    } else {
        ctx.defer().await?;
    }
    ctx.say("done").await?;
    Ok(())
}

async fn on_event(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &FullEvent,
) -> Result<(), Error> {
    if let FullEvent::MessageUpdate { event, .. } = event {
        let _ = framework.user_data.updates.send(event.id.get());
    }
    if let FullEvent::InteractionCreate {
        interaction: Interaction::Component(click),
    } = event
    {
        let next = click.message.content.parse::<u32>().unwrap_or(0) + 1;
        let update = CreateInteractionResponseMessage::new().content(next.to_string());
        click
            .create_response(
                framework.serenity_context,
                CreateInteractionResponse::UpdateMessage(update),
            )
            .await?;
    }
    Ok(())
}

/// A running bot; aborted on drop (declare it after the fake so it stops first).
struct Bot {
    errors: mpsc::UnboundedReceiver<String>,
    updates: mpsc::UnboundedReceiver<u64>,
    cache: Arc<serenity::Cache>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Bot {
    async fn start(fd: &FakeDiscord) -> Self {
        let (errors_tx, errors) = mpsc::unbounded_channel();
        let (updates_tx, updates) = mpsc::unbounded_channel();
        let options = poise::FrameworkOptions {
            commands: vec![
                ping(),
                big(),
                secret(),
                echo(),
                counter(),
                mood(),
                team(),
                slow(),
            ],
            event_handler: |framework, event| Box::pin(on_event(framework, event)),
            on_error: |error| {
                Box::pin(async move {
                    let text = format!("{error}");
                    if let Some(ctx) = error.ctx() {
                        let _ = ctx
                            .data()
                            .errors
                            .send(format!("{text}: {:?}", error_detail(&error)));
                    }
                })
            },
            ..Default::default()
        };
        let framework = poise::Framework::builder()
            .options(options)
            .setup(move |ctx, _ready, framework| {
                Box::pin(async move {
                    let guild = GuildId::new(GUILD_ID);
                    poise::builtins::register_in_guild(ctx, &framework.options().commands, guild)
                        .await?;
                    Ok(Data {
                        errors: errors_tx,
                        updates: updates_tx,
                    })
                })
            })
            .build();
        let http = serenity::HttpBuilder::new("fake-token")
            .proxy(fd.api_base())
            .ratelimiter_disabled(true)
            .build();
        let mut client = serenity::ClientBuilder::new_with_http(
            http,
            serenity::GatewayIntents::non_privileged(),
        )
        .framework(framework)
        .await
        .expect("build the client");
        let cache = Arc::clone(&client.cache);
        let task = tokio::spawn(async move {
            let _ = client.start().await;
        });
        Self {
            errors,
            updates,
            cache,
            task,
        }
    }
}

fn error_detail(error: &poise::FrameworkError<'_, Data, Error>) -> String {
    match error {
        poise::FrameworkError::Command { error, .. } => format!("{error:?}"),
        other => format!("{other}"),
    }
}

/// Logs of the fake, serenity and poise with `RUST_LOG=...` (e.g. `serenity=debug`).
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::from_default_env();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

/// A fake and a bot that has registered its commands.
async fn started(options: FakeOptions) -> (FakeDiscord, Bot) {
    init_tracing();
    let fd = FakeDiscord::start_with(options).await;
    let bot = Bot::start(&fd).await;
    fd.wait_ready().await;
    fd.wait_commands_registered().await;
    (fd, bot)
}

fn content(request: &RecordedRequest) -> Option<&str> {
    request.body_at("/data/content").and_then(Value::as_str)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reaches_ready_registers_commands_and_fills_the_cache() {
    let (fd, bot) = started(FakeOptions {
        extra_guilds: 20,
        ..FakeOptions::default()
    })
    .await;

    let mut names: Vec<String> = fd
        .registered_commands()
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["big", "counter", "echo", "mood", "ping", "secret", "slow", "team"]
    );
    let routes: Vec<String> = fd
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.route()))
        .collect();
    assert!(routes.contains(&"GET /gateway".to_string()), "{routes:?}");
    assert!(
        routes.contains(&"GET /oauth2/applications/@me".to_string()),
        "{routes:?}"
    );
    assert!(
        routes.contains(&format!(
            "PUT /applications/{APP_ID}/guilds/{GUILD_ID}/commands"
        )),
        "{routes:?}"
    );
    let identify = fd.wait_frame(Mark::START, |f| f.is_from_bot(2)).await;
    assert_eq!(identify.json["d"]["token"], "Bot fake-token");

    // Once an interaction sent after them is answered, every GUILD_CREATE is in the cache.
    let ping = fd.slash("ping").send().await;
    fd.wait_callback(&ping).await;
    assert_eq!(bot.cache.guilds().len(), 21);
    let guild = bot
        .cache
        .guild(GUILD_ID)
        .expect("main guild cached")
        .clone();
    assert_eq!(guild.channels.len(), 5, "every channel parsed");
    assert_eq!(guild.roles.len(), 3);
    assert_eq!(guild.members.len(), 4);
    assert_eq!(guild.owner_id.get(), OWNER_ID);

    for frame in fd
        .frames()
        .iter()
        .filter(|f| f.direction == Direction::ToBot && f.op == 0)
    {
        let event: serenity::GatewayEvent = serde_json::from_value(frame.json.clone())
            .unwrap_or_else(|e| panic!("serenity cannot parse {:?}: {e}", frame.t));
        if let serenity::GatewayEvent::Dispatch(_, serenity::Event::Unknown(unknown)) = event {
            panic!("serenity does not know the event {:?}", unknown.kind);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_shaped_guilds_reach_the_cache_whole() {
    let (fd, bot) = started(FakeOptions {
        extra_guilds: 3,
        extra_guild_shape: GuildShape::TEAM,
        ..FakeOptions::default()
    })
    .await;
    let ping = fd.slash("ping").send().await;
    fd.wait_callback(&ping).await;
    assert_eq!(bot.cache.guilds().len(), 4);
    let guild = bot
        .cache
        .guild(extra_guild_id(2))
        .expect("extra guild cached")
        .clone();
    assert_eq!(guild.channels.len(), 30, "every channel parsed");
    assert!(guild
        .channels
        .values()
        .all(|c| c.permission_overwrites.len() == 1));
    assert!(guild
        .channels
        .contains_key(&serenity::ChannelId::new(extra_guild_channel_id(2))));
    assert_eq!(guild.roles.len(), 15);
    let me = guild
        .members
        .get(&serenity::UserId::new(BOT_USER_ID))
        .expect("the bot's member");
    assert_eq!(me.roles.len(), 1, "the bot holds its own role");
    let general = &guild.channels[&serenity::ChannelId::new(extra_guild_channel_id(2))];
    let can = guild.user_permissions_in(general, me);
    assert!(can.send_messages() && can.embed_links(), "{can:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slash_commands_are_answered() {
    let (fd, _bot) = started(FakeOptions::default()).await;

    let ping = fd.slash("ping").send().await;
    let reply = fd.wait_callback(&ping).await;
    assert_eq!(reply.status, Some(204));
    assert_eq!(reply.body_at("/type"), Some(&4.into()));
    assert_eq!(content(&reply), Some("pong"));
    assert!(
        reply.body_at("/data/allowed_mentions").is_some(),
        "poise sends allowed_mentions"
    );
    assert_eq!(
        reply
            .body_at("/data/flags")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            & 64,
        0
    );
    let original = fd.original_response(&ping).expect("the reply is stored");
    assert_eq!(original["content"], "pong");

    let secret = fd
        .slash("secret")
        .as_user(ADMIN_ID)
        .in_channel(SECOND_TEXT_CHANNEL_ID)
        .send()
        .await;
    let reply = fd.wait_callback(&secret).await;
    assert_eq!(content(&reply), Some("only you"));
    assert_eq!(
        reply
            .body_at("/data/flags")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            & 64,
        64,
        "ephemeral"
    );

    let echo = fd
        .slash("echo")
        .option("word", "lead")
        .option("count", 3)
        .send()
        .await;
    let reply = fd.wait_callback(&echo).await;
    assert_eq!(
        content(&reply),
        Some("lead x3"),
        "count went as an INTEGER option"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_are_typed_nested_and_resolved() {
    let (fd, _bot) = started(FakeOptions::default()).await;

    let busy = fd.slash("mood").option("mood", 1).send().await;
    assert_eq!(
        content(&fd.wait_callback(&busy).await),
        Some("Busy"),
        "choices are INTEGER 0..n"
    );

    let add = fd
        .slash("team")
        .subcommand("add")
        .option("who", ADMIN_ID)
        .option("role", TEAM_ROLE_ID)
        .send()
        .await;
    let reply = fd.wait_callback(&add).await;
    assert_eq!(
        content(&reply),
        Some("admin joins team"),
        "user and role came resolved"
    );

    let dm = fd.slash("ping").in_dm().send().await;
    assert_eq!(
        content(&fd.wait_callback(&dm).await),
        Some("pong"),
        "a DM interaction works"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deferred_replies_fill_the_thinking_message() {
    let (fd, _bot) = started(FakeOptions::default()).await;
    for private in [false, true] {
        let mark = fd.mark();
        let slow = fd.slash("slow").option("private", private).send().await;
        let deferred = fd.wait_callback(&slow).await;
        assert_eq!(deferred.body_at("/type"), Some(&5.into()));
        let follow_up = fd
            .wait_request(mark, |r| {
                r.is("POST", &format!("/webhooks/{APP_ID}/{}", slow.token))
            })
            .await;
        assert_eq!(follow_up.status, Some(200));
        assert!(follow_up.body_at("/allowed_mentions").is_some());
        let original = fd.original_response(&slow).expect("the thinking message");
        assert_eq!(original["content"], "done");
        let flags = original["flags"].as_u64().unwrap_or(0);
        assert_eq!(flags & 128, 0, "no longer loading");
        assert_eq!(flags & 64 != 0, private, "ephemeral as deferred");
        assert_eq!(
            fd.channel_messages(TEXT_CHANNEL_ID)
                .iter()
                .filter(|m| m["id"] == original["id"])
                .count(),
            1
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_and_buttons_work() {
    let (fd, _bot) = started(FakeOptions::default()).await;

    let typing = fd.autocomplete("echo").focused("word", "l").send().await;
    let reply = fd.wait_callback(&typing).await;
    assert_eq!(reply.body_at("/type"), Some(&8.into()));
    let names: Vec<&str> = reply
        .body_at("/data/choices")
        .and_then(Value::as_array)
        .expect("choices")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["lead", "listen"]);

    let counter = fd.slash("counter").send().await;
    fd.wait_callback(&counter).await;
    let click = fd
        .click("inc")
        .on_original(&counter)
        .as_user(ADMIN_ID)
        .send()
        .await;
    let update = fd.wait_callback(&click).await;
    assert_eq!(update.body_at("/type"), Some(&7.into()));
    assert_eq!(content(&update), Some("1"));
    assert_eq!(
        fd.original_response(&counter).expect("message")["content"],
        "1"
    );
    let again = fd.click("inc").on_original(&counter).send().await;
    assert_eq!(
        content(&fd.wait_callback(&again).await),
        Some("2"),
        "the click carried the updated message"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_survives_a_dropped_socket_and_a_reconnect() {
    let (fd, _bot) = started(FakeOptions::default()).await;
    let mut sent = Vec::new();
    for i in 0..50 {
        match i {
            // Interactions 15 to 34 are sent while the bot has no socket: they come with the
            // RESUME replay. The op 7 waits for that RESUME, and 35 to 49 follow the second.
            15 => fd.drop_socket().await,
            35 => fd.send_reconnect().await,
            _ => {}
        }
        sent.push(fd.slash("ping").send().await);
    }
    for interaction in &sent {
        let reply = fd.wait_callback(interaction).await;
        assert_eq!((reply.status, content(&reply)), (Some(204), Some("pong")));
    }
    let frames = fd.frames();
    let delivered: Vec<&Frame> = frames
        .iter()
        .filter(|f| f.is_dispatch("INTERACTION_CREATE"))
        .collect();
    assert_eq!(
        delivered.len(),
        50,
        "each interaction reached the bot exactly once"
    );
    let connections: std::collections::BTreeSet<u64> =
        delivered.iter().map(|f| f.connection).collect();
    assert_eq!(connections.len(), 3, "the stream spanned three sockets");
    let resumes = frames.iter().filter(|f| f.is_from_bot(6)).count();
    let resumed = frames.iter().filter(|f| f.is_dispatch("RESUMED")).count();
    assert_eq!((resumes, resumed), (2, 2), "two RESUMEs, each answered");
    assert_eq!(fd.sessions_started(), 1, "no re-IDENTIFY");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_4000_resumes() {
    let (fd, _bot) = started(FakeOptions::default()).await;
    let mark = fd.mark();
    fd.close_with(4000).await;
    fd.wait_frame(mark, |f| f.is_from_bot(6)).await;
    let ping = fd.slash("ping").send().await;
    assert_eq!(content(&fd.wait_callback(&ping).await), Some("pong"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_resumable_invalid_session_makes_the_bot_identify_again() {
    let (fd, _bot) = started(FakeOptions::default()).await;
    let mark = fd.mark();
    fd.invalid_session(false).await;
    // serenity's shard queue waits 5 s between IDENTIFYs.
    fd.wait_frame_timeout(mark, Duration::from_secs(20), |f| f.is_from_bot(2))
        .await;
    fd.wait_frame(mark, |f| f.is_dispatch("READY")).await;
    assert_eq!(fd.sessions_started(), 2);
    let ping = fd.slash("ping").send().await;
    assert_eq!(content(&fd.wait_callback(&ping).await), Some("pong"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_callback_reaches_the_bot_as_an_error() {
    let (fd, mut bot) = started(FakeOptions::default()).await;
    fd.fail_next(
        RouteMatcher::contains("POST", "/callback"),
        Fault::RateLimited { retry_after: 0.5 },
        1,
    );
    let first = fd.slash("ping").send().await;
    let limited = fd.wait_callback(&first).await;
    assert_eq!(limited.status, Some(429));
    let error = bot.errors.recv().await.expect("the bot saw an error");
    assert!(error.contains("429"), "{error}");
    let callbacks = fd
        .requests()
        .iter()
        .filter(|r| r.route() == first.callback_route())
        .count();
    assert_eq!(
        callbacks, 1,
        "serenity does not retry with its rate limiter off"
    );
    let second = fd.slash("ping").send().await;
    assert_eq!(fd.wait_callback(&second).await.status, Some(204));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limit_violations_are_detected() {
    let (fd, mut bot) = started(FakeOptions::default()).await;
    let big = fd.slash("big").send().await;
    let reply = fd.wait_callback(&big).await;
    assert_eq!(reply.status, Some(400), "Discord refuses the body");
    let error = bot.errors.recv().await.expect("the bot saw the 400");
    assert!(error.contains("50035"), "{error}");
    let violations = fd.take_violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(
        violations[0]
            .reason
            .contains("embeds[0].fields[0].value is 3000 characters"),
        "{violations:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_callback_is_refused() {
    let options = FakeOptions {
        interaction_deadline: Some(Duration::from_millis(100)),
        ..FakeOptions::default()
    };
    let (fd, _bot) = started(options).await;
    fd.fail_next(
        RouteMatcher::contains("POST", "/callback"),
        Fault::Delay(Duration::from_millis(200)),
        1,
    );
    let ping = fd.slash("ping").send().await;
    let reply = fd.wait_callback(&ping).await;
    assert_eq!(reply.status, Some(404));
    let violations = fd.take_violations();
    assert!(
        violations[0].reason.contains("after the interaction"),
        "{violations:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_message_update_reaches_the_bot() {
    let (fd, mut bot) = started(FakeOptions::default()).await;
    let http = serenity::HttpBuilder::new("fake-token")
        .proxy(fd.api_base())
        .ratelimiter_disabled(true)
        .build();
    let poll = serenity::CreatePoll::new()
        .question("Q")
        .answers(vec![serenity::CreatePollAnswer::new().text("a")])
        .duration(Duration::from_secs(3600));
    let message = serenity::ChannelId::new(TEXT_CHANNEL_ID)
        .send_message(
            &http,
            serenity::CreateMessage::new()
                .poll(poll)
                .allowed_mentions(serenity::CreateAllowedMentions::new()),
        )
        .await
        .expect("post a poll");
    fd.set_poll_votes(TEXT_CHANNEL_ID, message.id.get(), &[(1, 2)]);
    fd.finalize_poll(TEXT_CHANNEL_ID, message.id.get());
    fd.send_message_update(message.id.get());
    assert_eq!(bot.updates.recv().await, Some(message.id.get()));
    let update = fd
        .wait_frame(Mark::START, |f| f.is_dispatch("MESSAGE_UPDATE"))
        .await;
    assert_eq!(update.json["d"]["poll"]["results"]["is_finalized"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_are_acknowledged() {
    let options = FakeOptions {
        heartbeat_interval_ms: 100,
        ..FakeOptions::default()
    };
    let (fd, _bot) = started(options).await;
    let hello = fd.wait_frame(Mark::START, |f| f.op == 10).await;
    assert_eq!(hello.json["d"]["heartbeat_interval"], 100);
    let mark = fd.mark();
    let beat = fd.wait_frame(mark, |f| f.is_from_bot(1)).await;
    fd.wait_frame(mark, |f| f.op == 11 && f.index > beat.index)
        .await;
    let second = fd
        .wait_frame(mark, |f| f.is_from_bot(1) && f.index > beat.index)
        .await;
    assert_eq!(
        second.connection, beat.connection,
        "acknowledged beats keep the socket"
    );
    assert!(
        !fd.frames().iter().any(|f| f.is_from_bot(6)),
        "no RESUME needed"
    );
}
