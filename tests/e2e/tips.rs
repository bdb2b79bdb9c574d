//! The daily tip end to end: the real bot against the fake Discord, with a manual clock.

use bridgebot::clock::ManualClock;
use bridgebot::config::{ApiBase, Config, Database};
use bridgebot::content::Content;
use bridgebot::discord::poster::DiscordPoster;
use bridgebot::model::duty::DutyKind;
use bridgebot::model::ids::ChannelId;
use bridgebot::port::{Addressing, Poster as _};
use bridgebot::reply::{tip_embed, Reply};
use bridgebot::rest::Rest;
use bridgebot::schedule::ScheduleEvent;
use fake_discord::{
    FakeDiscord, Fault, RouteMatcher, ADMIN_ID, GUILD_ID, HIDDEN_CHANNEL_ID, MEMBER_ID, OWNER_ID,
    TEAM_ROLE_ID, TEXT_CHANNEL_ID, VOICE_CHANNEL_ID,
};
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use crate::support;
use crate::support::events::{next_event, next_event_driving};
use crate::support::on_both_engines;
use crate::support::{Answer, TestBot, CALLBACK_MESSAGE};

/// Monday 2026-11-30, 08:00 UTC.
fn monday_8am() -> Timestamp {
    "2026-11-30T08:00:00Z".parse().expect("timestamp")
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

async fn start_at(now: Timestamp) -> TestBot {
    TestBot::builder()
        .clock(ManualClock::new(now))
        .start()
        .await
}

fn clock(bot: &TestBot) -> &ManualClock {
    bot.clock().expect("started with a manual clock")
}

/// `/tips <sub>` as `user`, answered.
async fn tips(bot: &TestBot, user: u64, sub: &str, options: &[(&str, Value)]) -> Answer {
    let slash = options.iter().fold(
        bot.fake().slash("tips").subcommand(sub).as_user(user),
        |slash, (name, value)| slash.option(name, value.clone()),
    );
    bot.ask(slash).await
}

/// Sets up the daily tip in the text channel at 09:00 UTC on weekdays, as the admin.
async fn set_up(bot: &TestBot) -> Answer {
    let answer = tips(
        bot,
        ADMIN_ID,
        "setup",
        &[
            ("channel", TEXT_CHANNEL_ID.to_string().into()),
            ("time", "09:00".into()),
            ("timezone", "UTC".into()),
        ],
    )
    .await;
    answer
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(answer.is_ephemeral(), "setup answers privately");
    answer
}

fn is_post_in(channel: u64) -> impl Fn(&fake_discord::RecordedRequest) -> bool {
    move |r| r.method == "POST" && r.route() == format!("/channels/{channel}/messages")
}

fn status_text(answer: &Answer) -> String {
    answer.embed()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            format!(
                "{}: {}\n",
                f["name"].as_str().unwrap_or(""),
                f["value"].as_str().unwrap_or("")
            )
        })
        .collect()
}

async fn setup_answers_with_the_next_post_time_as_discord_timestamps() {
    let bot = start_at(monday_8am()).await;
    let answer = set_up(&bot).await;
    let text = answer.text().expect("text");
    let nine = at("2026-11-30T09:00:00Z").as_second();
    assert!(text.contains(&format!("<t:{nine}:F>")), "{text}");
    assert!(text.contains(&format!("<t:{nine}:R>")), "{text}");
    assert!(text.contains(&format!("<#{TEXT_CHANNEL_ID}>")), "{text}");
    bot.shutdown().await;
}

async fn the_tip_arrives_in_the_channel_at_its_time_mentioning_nobody() {
    let bot = start_at(monday_8am()).await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Planned { next: Some(_), .. })
    })
    .await;
    let mark = bot.fake().mark();
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let post = bot
        .fake()
        .wait_request(mark, is_post_in(TEXT_CHANNEL_ID))
        .await;
    let body = post.body.expect("a JSON body");
    let content = Content::bundled().expect("content");
    let title = body["embeds"][0]["title"].as_str().expect("an embed title");
    assert!(
        content.tips.iter().any(|t| t.title.as_str() == title),
        "{title} is not a tip"
    );
    assert_eq!(
        body["allowed_mentions"]["parse"],
        serde_json::json!([]),
        "{body}"
    );
    assert!(
        body.get("content").is_none_or(Value::is_null),
        "no text without a role: {body}"
    );
    assert_eq!(post_attempts(&bot), 1);
    bot.shutdown().await;
}

async fn a_restart_on_the_same_database_posts_no_second_tip_that_day() {
    let mut bot = start_at(monday_8am()).await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Planned { next: Some(_), .. })
    })
    .await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Posted { .. })
    })
    .await;
    clock(&bot).set(at("2026-11-30T09:30:00Z"));
    bot.restart().await;
    let mut events = bot.running().schedule_events();
    // Its first plan after the restart is tomorrow: today is done.
    let planned = next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Planned { .. })
    })
    .await;
    assert_eq!(
        planned,
        ScheduleEvent::Planned {
            duty: DutyKind::Tip,
            guild: GUILD_ID,
            next: Some(at("2026-12-01T09:00:00Z"))
        }
    );
    clock(&bot).set(at("2026-12-01T09:00:00Z"));
    next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Posted { .. })
    })
    .await;
    assert_eq!(post_attempts(&bot), 2, "one tip a day");
    bot.shutdown().await;
}

async fn a_429_then_success_posts_once_after_retry_after() {
    let bot = start_at(monday_8am()).await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Planned { next: Some(_), .. })
    })
    .await;
    let route = format!("/channels/{TEXT_CHANNEL_ID}/messages");
    bot.fake().fail_next(
        RouteMatcher::prefix("POST", &route),
        Fault::RateLimited { retry_after: 5.0 },
        1,
    );
    let mark = bot.fake().mark();
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let limited = bot
        .fake()
        .wait_request(mark, is_post_in(TEXT_CHANNEL_ID))
        .await;
    assert_eq!(limited.status, Some(429));
    // The bot waits exactly retry_after on its clock before trying again.
    let retry_at = at("2026-11-30T09:00:05Z");
    clock(&bot).sleeper(|deadline| deadline == retry_at).await;
    clock(&bot).set(retry_at);
    let posted = next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Posted { .. })
    })
    .await;
    assert!(matches!(
        posted,
        ScheduleEvent::Posted {
            guild: GUILD_ID,
            ..
        }
    ));
    let attempts = bot
        .fake()
        .requests()
        .into_iter()
        .filter(|r| is_post_in(TEXT_CHANNEL_ID)(r))
        .collect::<Vec<_>>();
    let statuses: Vec<_> = attempts.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        vec![Some(429), Some(200)],
        "one 429, then one success"
    );
    bot.shutdown().await;
}

async fn a_403_is_not_retried_and_status_shows_why() {
    let bot = start_at(monday_8am()).await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Planned { next: Some(_), .. })
    })
    .await;
    let route = format!("/channels/{TEXT_CHANNEL_ID}/messages");
    bot.fake().fail_next(
        RouteMatcher::prefix("POST", &route),
        Fault::MissingPermissions,
        1,
    );
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Failed { .. })
    })
    .await;
    clock(&bot).set(at("2026-11-30T14:00:00Z"));
    let status = tips(&bot, ADMIN_ID, "status", &[]).await;
    let text = status_text(&status);
    assert!(text.contains("not allowed to post"), "{text}");
    assert_eq!(post_attempts(&bot), 1, "a refusal must not be retried");
    bot.shutdown().await;
}

async fn a_role_is_mentioned_and_is_the_only_mention_allowed() {
    let bot = start_at(monday_8am()).await;
    bot.fake().allow_role_mention(TEAM_ROLE_ID);
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    let answer = tips(
        &bot,
        ADMIN_ID,
        "role",
        &[("role", TEAM_ROLE_ID.to_string().into())],
    )
    .await;
    assert!(answer.is_ephemeral());
    next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Planned { next: Some(_), .. })
    })
    .await;
    let mark = bot.fake().mark();
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let body = bot
        .fake()
        .wait_request(mark, is_post_in(TEXT_CHANNEL_ID))
        .await
        .body
        .expect("body");
    assert_eq!(body["content"], format!("<@&{TEAM_ROLE_ID}>"));
    assert_eq!(
        body["allowed_mentions"]["roles"],
        serde_json::json!([TEAM_ROLE_ID.to_string()])
    );
    assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
    bot.shutdown().await;
}

#[tokio::test]
async fn a_member_without_manage_server_is_refused_and_nothing_changes() {
    let bot = start_at(monday_8am()).await;
    let answer = tips(
        &bot,
        MEMBER_ID,
        "setup",
        &[("channel", TEXT_CHANNEL_ID.to_string().into())],
    )
    .await;
    assert!(answer.is_ephemeral());
    answer.assert_says("Manage");
    let status = tips(&bot, ADMIN_ID, "status", &[]).await;
    status.assert_says("not set up");
    // The server owner has every permission.
    let owner = tips(
        &bot,
        OWNER_ID,
        "setup",
        &[("channel", TEXT_CHANNEL_ID.to_string().into())],
    )
    .await;
    owner.assert_says("Daily tips are set");
    bot.shutdown().await;
}

#[tokio::test]
async fn bad_setup_input_says_what_to_enter_and_saves_nothing() {
    let bot = start_at(monday_8am()).await;
    let channel = ("channel", Value::from(TEXT_CHANNEL_ID.to_string()));
    let cases: [(&[(&str, Value)], &str); 4] = [
        (&[channel.clone(), ("time", "25:99".into())], "9am"),
        (
            &[channel.clone(), ("timezone", "Mars/Olympus".into())],
            "Europe/Berlin",
        ),
        (
            &[("channel", VOICE_CHANNEL_ID.to_string().into())],
            "text channel",
        ),
        (
            &[("channel", HIDDEN_CHANNEL_ID.to_string().into())],
            "View Channel",
        ),
    ];
    for (options, hint) in cases {
        let answer = tips(&bot, ADMIN_ID, "setup", options).await;
        assert!(answer.is_ephemeral(), "{}", answer.body());
        let text = answer.text().unwrap_or_default();
        assert!(text.contains(hint), "expected {hint:?} in {text:?}");
    }
    let status = tips(&bot, ADMIN_ID, "status", &[]).await;
    status.assert_says("not set up");
    bot.shutdown().await;
}

async fn status_pause_resume_and_skip_report_what_will_happen() {
    let bot = start_at(monday_8am()).await;
    set_up(&bot).await;
    let nine = at("2026-11-30T09:00:00Z").as_second();
    let status = status_text(&tips(&bot, ADMIN_ID, "status", &[]).await);
    assert!(status.contains(&format!("<t:{nine}:F>")), "{status}");
    assert!(status.contains("Can I post there?: Yes."), "{status}");
    let paused = tips(&bot, ADMIN_ID, "pause", &[]).await;
    paused.assert_says("No tip is scheduled");
    tips(&bot, ADMIN_ID, "resume", &[]).await;
    let skipped = tips(&bot, ADMIN_ID, "skip", &[]).await;
    let text = skipped.text().unwrap_or_default();
    let tuesday = at("2026-12-01T09:00:00Z").as_second();
    assert!(text.contains("2026-11-30 will be skipped"), "{text}");
    assert!(text.contains(&format!("<t:{tuesday}:F>")), "{text}");
    bot.shutdown().await;
}

async fn tip_shows_todays_posted_tip_with_another_tip_button() {
    let bot = start_at(monday_8am()).await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Planned { next: Some(_), .. })
    })
    .await;
    let mark = bot.fake().mark();
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let posted = bot
        .fake()
        .wait_request(mark, is_post_in(TEXT_CHANNEL_ID))
        .await
        .body
        .expect("body");
    next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Posted { .. })
    })
    .await;
    let answer = bot.ask(bot.fake().slash("tip")).await;
    answer
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(!answer.is_ephemeral());
    assert_eq!(answer.embed()["title"], posted["embeds"][0]["title"]);
    assert!(answer
        .custom_ids()
        .iter()
        .any(|id| id.starts_with("bb:tip:")));
    bot.shutdown().await;
}

async fn preview_shows_the_tip_that_is_then_posted() {
    let bot = start_at(monday_8am()).await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    let preview = tips(&bot, ADMIN_ID, "preview", &[]).await;
    assert!(preview.is_ephemeral());
    next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Planned { next: Some(_), .. })
    })
    .await;
    let mark = bot.fake().mark();
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let posted = bot
        .fake()
        .wait_request(mark, is_post_in(TEXT_CHANNEL_ID))
        .await
        .body
        .expect("body");
    assert_eq!(preview.embed()["title"], posted["embeds"][0]["title"]);
    bot.shutdown().await;
}

/// A claim left `sending` by a crash, seeded while the bot is down: the day's tip, due two
/// minutes ago, was being sent.
async fn seed_claim(database: &Database, tip_id: &str, now: Timestamp) {
    let store = support::open_store(database).await;
    support::seed_tip_claim(&store, tip_id, now).await;
    store.close().await;
}

/// Posts a tip into the fake as the bot did just before the crash, with the bot's own poster.
async fn post_as_the_bot(fake: &FakeDiscord, tip_id: &str) -> u64 {
    let content = Content::bundled().expect("content");
    let tip = content.tip(tip_id).expect("tip");
    let reply = Reply::embed(tip_embed(&content, tip));
    let mut config = Config::default();
    config.discord.api_base = Some(ApiBase::parse(&fake.api_base()).expect("api base"));
    let token = config
        .token(|_| Some(support::TOKEN.into()))
        .expect("token");
    let poster = DiscordPoster::new(Rest::new(&config.discord, &token).expect("client"));
    poster
        .post(
            ChannelId::new(TEXT_CHANNEL_ID),
            &reply,
            Addressing::default(),
        )
        .await
        .expect("the fake accepts the tip")
        .get()
}

/// Every POST of a message into the text channel (answered or refused).
fn post_attempts(bot: &TestBot) -> usize {
    bot.fake()
        .requests()
        .into_iter()
        .filter(|r| is_post_in(TEXT_CHANNEL_ID)(r))
        .count()
}

async fn a_crash_after_discord_accepted_the_tip_records_it_and_posts_nothing_twice() {
    // The fake's message ids carry real time, so this runs on a clock that starts now.
    let now = Timestamp::now();
    let tip_id = Content::bundled().expect("content").tips[5].id.to_string();
    let mut bot = start_at(now).await;
    let seeded = bot
        .restart_after(|database, fake| {
            let tip_id = tip_id.clone();
            async move {
                seed_claim(&database, &tip_id, now).await;
                post_as_the_bot(&fake, &tip_id).await
            }
        })
        .await;
    let mut events = bot.running().schedule_events();
    let recovered = next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Posted { .. })
    })
    .await;
    assert!(
        matches!(recovered, ScheduleEvent::Posted { message_id, .. } if message_id == seeded),
        "{recovered:?}"
    );
    assert_eq!(post_attempts(&bot), 1, "the tip was sent a second time");
    let status = status_text(&tips(&bot, ADMIN_ID, "status", &[]).await);
    assert!(
        status.contains(&format!("/{TEXT_CHANNEL_ID}/{seeded})")),
        "{status}"
    );
    bot.shutdown().await;
}

async fn a_crash_before_discord_accepted_the_tip_sends_it_once_at_the_next_start() {
    let now = Timestamp::now();
    let tip_id = Content::bundled().expect("content").tips[7].id.to_string();
    let mut bot = start_at(now).await;
    let mark = bot.fake().mark();
    bot.restart_after(|database, _| {
        let tip_id = tip_id.clone();
        async move { seed_claim(&database, &tip_id, now).await }
    })
    .await;
    let mut events = bot.running().schedule_events();
    // The recovered tip is paced after the lookup that found it unsent.
    let clock = bot.clock().expect("manual clock").clone();
    next_event_driving(
        &mut events,
        &clock,
        SignedDuration::from_secs(1),
        "the recovered tip",
        |e| matches!(e, ScheduleEvent::Posted { .. }),
    )
    .await;
    let body = bot
        .fake()
        .wait_request(mark, is_post_in(TEXT_CHANNEL_ID))
        .await
        .body
        .expect("body");
    let content = Content::bundled().expect("content");
    assert_eq!(
        body["embeds"][0]["title"],
        content.tip(&tip_id).expect("tip").title.as_str()
    );
    assert_eq!(post_attempts(&bot), 1);
    bot.shutdown().await;
}

#[tokio::test]
async fn timezone_autocomplete_ranks_matching_zones_and_offers_nothing_for_nonsense() {
    let bot = start_at(monday_8am()).await;
    let ask = |typed: &'static str| {
        bot.ask(
            bot.fake()
                .autocomplete("tips")
                .subcommand("setup")
                .as_user(ADMIN_ID)
                .focused("timezone", typed),
        )
    };
    let berlin = ask("berl").await.choices();
    assert_eq!(
        berlin.first().map(|(_, value)| value.as_str()),
        Some("Europe/Berlin"),
        "{berlin:?}"
    );
    let new_york = ask("new_y").await.choices();
    assert!(
        new_york
            .iter()
            .any(|(_, value)| value == "America/New_York"),
        "{new_york:?}"
    );
    let everything = ask("").await.choices();
    assert_eq!(everything.len(), 25, "at most 25 suggestions");
    assert!(ask("zzqx").await.choices().is_empty());
    bot.shutdown().await;
}

#[tokio::test]
async fn another_tip_answers_the_clicker_privately_with_a_different_tip() {
    let bot = start_at(monday_8am()).await;
    let first = bot.ask(bot.fake().slash("tip")).await;
    let public_title = first.embed()["title"].clone();
    let mut title = public_title.clone();
    let mut interaction = first.interaction().clone();
    for n in 0..3 {
        let click = bot
            .ask(
                bot.fake()
                    .click(&format!("bb:tip:{}", tip_id_of(&title)))
                    .on_original(&interaction),
            )
            .await;
        // Under the public tip a private one; under that private one, it changes in place.
        let kind = if n == 0 {
            CALLBACK_MESSAGE
        } else {
            support::CALLBACK_UPDATE_MESSAGE
        };
        click.assert_accepted(kind).assert_mentions_nobody();
        if n == 0 {
            assert!(click.is_ephemeral(), "{}", click.body());
            interaction = click.interaction().clone();
        }
        let next = click.embed()["title"].clone();
        assert_ne!(next, title, "the same tip twice in a row");
        title = next;
    }
    let public = bot
        .fake()
        .original_response(first.interaction())
        .expect("the tip message exists");
    assert_eq!(public["embeds"][0]["title"], public_title);
    bot.shutdown().await;
}

/// The id of the tip with this title.
fn tip_id_of(title: &Value) -> String {
    let content = Content::bundled().expect("content");
    let title = title.as_str().expect("a title");
    content
        .tips
        .iter()
        .find(|t| t.title.as_str() == title)
        .expect("a tip")
        .id
        .to_string()
}

async fn with_threads_on_each_tip_opens_a_discussion_thread() {
    let bot = start_at(monday_8am()).await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    let answer = tips(
        &bot,
        ADMIN_ID,
        "thread",
        &[("thread", bot_choice(&bot, "thread", "thread", "On"))],
    )
    .await;
    answer.assert_says("thread");
    next_event(&mut events, "the expected scheduler event", |e| {
        matches!(e, ScheduleEvent::Planned { next: Some(_), .. })
    })
    .await;
    let mark = bot.fake().mark();
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let thread = bot
        .fake()
        .wait_request(mark, |r| {
            r.method == "POST" && r.route().ends_with("/threads")
        })
        .await;
    let name = thread.body.expect("body")["name"]
        .as_str()
        .expect("a name")
        .to_string();
    assert!(
        Content::bundled()
            .expect("content")
            .tips
            .iter()
            .any(|t| t.title.as_str() == name),
        "{name}"
    );
    bot.shutdown().await;
}

/// The value Discord sends for choice `label` of `/tips <sub> <option>`.
fn bot_choice(bot: &TestBot, sub: &str, option: &str, label: &str) -> Value {
    let commands = bot.fake().registered_commands();
    let tips = commands
        .iter()
        .find(|c| c["name"] == "tips")
        .expect("/tips registered");
    let sub = tips["options"]
        .as_array()
        .and_then(|subs| subs.iter().find(|s| s["name"] == sub))
        .expect("subcommand");
    let option = sub["options"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["name"] == option))
        .expect("option");
    let choices = option["choices"].as_array().expect("choices");
    choices
        .iter()
        .find(|c| c["name"] == label)
        .map(|c| c["value"].clone())
        .expect("choice")
}

/// PostgreSQL only (a file beside the bot cannot go away like this): the database stops
/// answering (its sessions ended, new ones refused) just as a tip falls due, and comes back.
/// The scheduler tries again after a wait instead of leaving the tip to the next start, and
/// posts it once.
#[tokio::test]
async fn a_database_lost_while_a_tip_is_due_is_tried_again_and_the_tip_posted_once() {
    support::on(support::Engine::Postgres, async {
        let bot = start_at(monday_8am()).await;
        let mut events = bot.running().schedule_events();
        set_up(&bot).await;
        next_event(&mut events, "the tip planned", |e| {
            matches!(e, ScheduleEvent::Planned { next: Some(_), .. })
        })
        .await;
        let database = bot.postgres().expect("on PostgreSQL");
        database.set_reachable(false).await;
        let nine = at("2026-11-30T09:00:00Z");
        clock(&bot).set(nine);
        // The failed delivery is planned again a little later (the pacer's waits are shorter).
        let again = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            clock(&bot).sleeper(|t| {
                t >= nine + SignedDuration::from_millis(400)
                    && t <= nine + SignedDuration::from_secs(61)
            }),
        )
        .await
        .expect("the scheduler plans to try again");
        assert_eq!(post_attempts(&bot), 0, "nothing was sent without a claim");
        database.set_reachable(true).await;
        clock(&bot).set(again);
        next_event_driving(
            &mut events,
            clock(&bot),
            SignedDuration::from_secs(1),
            "the tip posted once the database is back",
            |e| matches!(e, ScheduleEvent::Posted { .. }),
        )
        .await;
        assert_eq!(post_attempts(&bot), 1, "posted once");
        bot.shutdown().await;
    })
    .await;
}

on_both_engines!(
    setup_answers_with_the_next_post_time_as_discord_timestamps,
    the_tip_arrives_in_the_channel_at_its_time_mentioning_nobody,
    a_restart_on_the_same_database_posts_no_second_tip_that_day,
    a_429_then_success_posts_once_after_retry_after,
    a_403_is_not_retried_and_status_shows_why,
    a_role_is_mentioned_and_is_the_only_mention_allowed,
    status_pause_resume_and_skip_report_what_will_happen,
    tip_shows_todays_posted_tip_with_another_tip_button,
    preview_shows_the_tip_that_is_then_posted,
    a_crash_after_discord_accepted_the_tip_records_it_and_posts_nothing_twice,
    a_crash_before_discord_accepted_the_tip_sends_it_once_at_the_next_start,
    with_threads_on_each_tip_opens_a_discussion_thread,
);
