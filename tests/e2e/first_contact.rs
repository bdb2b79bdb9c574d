//! A server's first minutes with the bot: the welcome (once per server), `/help` as a member
//! and as an admin sees it, the server's remembered time zone, and "Another" buttons that
//! leave a public answer alone.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bridgebot::clock::ManualClock;
use fake_discord::{
    extra_guild_channel_id, extra_guild_id, FakeOptions, RecordedRequest, ADMIN_ID, GUILD_ID,
    MEMBER_ID, SECOND_TEXT_CHANNEL_ID, TEXT_CHANNEL_ID,
};
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use crate::support::on_both_engines;
use crate::support::{TestBot, CALLBACK_MESSAGE, CALLBACK_UPDATE_MESSAGE};

/// Monday 2026-11-30, 08:00 UTC.
fn monday_8am() -> Timestamp {
    "2026-11-30T08:00:00Z".parse().expect("timestamp")
}

fn system_time(at: Timestamp) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(at.as_second()).expect("after 1970"))
}

fn clock(bot: &TestBot) -> &ManualClock {
    bot.clock().expect("started with a manual clock")
}

fn is_welcome_in(channel: u64) -> impl Fn(&RecordedRequest) -> bool {
    move |r| {
        r.method == "POST"
            && r.route() == format!("/channels/{channel}/messages")
            && r.body.as_ref().is_some_and(|b| {
                b["embeds"][0]["title"]
                    .as_str()
                    .is_some_and(|t| t.contains("bridgebot"))
            })
    }
}

fn welcomes_in(bot: &TestBot, channel: u64) -> usize {
    let welcome = is_welcome_in(channel);
    bot.fake().requests().iter().filter(|r| welcome(r)).count()
}

/// Waits (up to 10 s) until the bot has noted its removal from the main server at `at`.
async fn removal_noted(bot: &TestBot, at: Timestamp) {
    let store = bot.running().store();
    tokio::time::timeout(Duration::from_secs(10), async {
        while store.server(GUILD_ID).await.expect("read").removed_at != Some(at) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the removal is noted within 10 s");
}

/// The welcome of a server the bot was added to, in the server's system channel; not again
/// after a restart, nor when the bot is removed and added back the same day; again when it is
/// added back days later. A server without a system channel is greeted in its first channel.
async fn the_welcome_comes_once_per_server_and_not_after_a_restart_or_a_quick_readd() {
    let mut bot = TestBot::builder()
        .clock(ManualClock::new(monday_8am()))
        .fake_options(FakeOptions {
            extra_guilds: 1,
            ..FakeOptions::default()
        })
        .start()
        .await;
    let fake = bot.fake().clone();
    // The bot was already in both servers (since 2024): nobody is greeted out of the blue.
    fake.set_system_channel(GUILD_ID, Some(SECOND_TEXT_CHANNEL_ID));
    let mark = fake.mark();
    fake.add_guild_again(GUILD_ID, system_time(monday_8am()));
    let welcome = fake
        .wait_request(mark, is_welcome_in(SECOND_TEXT_CHANNEL_ID))
        .await;
    let body = welcome.body.as_ref().expect("json");
    let text = body["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(text.contains("1. `/settings timezone"), "{text}");
    assert!(text.contains("`/help`"), "{text}");
    let mentions = &body["allowed_mentions"];
    assert!(
        mentions["parse"].as_array().is_none_or(Vec::is_empty),
        "{mentions}"
    );

    // A restart sends GUILD_CREATE again; removed and added back an hour later, too.
    bot.restart().await;
    clock(&bot).advance(SignedDuration::from_hours(1));
    fake.remove_guild(GUILD_ID);
    fake.add_guild_again(
        GUILD_ID,
        system_time(monday_8am() + SignedDuration::from_hours(1)),
    );
    // A server added after those events is greeted: by then they were handled.
    let mark = fake.mark();
    fake.add_guild_again(extra_guild_id(0), system_time(monday_8am()));
    fake.wait_request(mark, is_welcome_in(extra_guild_channel_id(0)))
        .await;
    assert_eq!(welcomes_in(&bot, SECOND_TEXT_CHANNEL_ID), 1);
    assert_eq!(welcomes_in(&bot, TEXT_CHANNEL_ID), 0);

    // Removed, and added back two days later: a new start, greeted again.
    clock(&bot).advance(SignedDuration::from_mins(1));
    fake.remove_guild(GUILD_ID);
    removal_noted(&bot, monday_8am() + SignedDuration::from_mins(61)).await;
    clock(&bot).advance(SignedDuration::from_hours(48));
    let back = monday_8am() + SignedDuration::from_hours(49);
    let mark = fake.mark();
    fake.add_guild_again(GUILD_ID, system_time(back));
    fake.wait_request(mark, is_welcome_in(SECOND_TEXT_CHANNEL_ID))
        .await;
    assert_eq!(welcomes_in(&bot, SECOND_TEXT_CHANNEL_ID), 2);
    bot.shutdown().await;
}

/// `/settings timezone` is remembered (across a restart) and a setup without a zone uses it.
async fn a_setup_without_a_zone_uses_the_server_s_remembered_zone() {
    let mut bot = TestBot::builder()
        .clock(ManualClock::new(monday_8am()))
        .start()
        .await;
    let fake = bot.fake().clone();
    let settings = |options: &[(&str, Value)]| {
        options.iter().fold(
            fake.slash("settings")
                .subcommand("timezone")
                .as_user(ADMIN_ID),
            |slash, (name, value)| slash.option(name, value.clone()),
        )
    };
    let set = bot.ask(settings(&[("zone", "europe/berlin".into())])).await;
    set.assert_accepted(CALLBACK_MESSAGE);
    assert!(set.is_ephemeral());
    set.assert_says("now Europe/Berlin");
    bot.restart().await;
    let shown = bot.ask(settings(&[])).await;
    shown.assert_says("Europe/Berlin");
    let setup = bot
        .ask(
            bot.fake()
                .slash("tips")
                .subcommand("setup")
                .as_user(ADMIN_ID)
                .option("channel", TEXT_CHANNEL_ID.to_string())
                .option("time", "10am"),
        )
        .await;
    let text = setup.text().unwrap_or_default();
    assert!(text.contains("10:00 (Europe/Berlin)"), "{text}");
    // 10:00 in Berlin on Monday 30 November is 09:00 UTC.
    let next: Timestamp = "2026-11-30T09:00:00Z".parse().expect("timestamp");
    assert!(
        text.contains(&format!("<t:{}:F>", next.as_second())),
        "{text}"
    );
    // A member cannot change it.
    let refused = bot
        .ask(
            bot.fake()
                .slash("settings")
                .subcommand("timezone")
                .as_user(MEMBER_ID)
                .option("zone", "Asia/Tokyo"),
        )
        .await;
    assert!(refused.is_ephemeral(), "{}", refused.body());
    bot.shutdown().await;
}

/// Every screen of `/help` as `user` sees it, by clicking through its buttons: (label, text).
async fn help_screens(bot: &TestBot, user: u64) -> Vec<(String, String)> {
    let fake = bot.fake();
    let asked = bot.ask(fake.slash("help").as_user(user)).await;
    asked
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(asked.is_ephemeral(), "{}", asked.body());
    let description = |answer: &crate::support::Answer| {
        answer.embed()["description"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let mut screens = vec![("first".to_string(), description(&asked))];
    let buttons: Vec<String> = asked
        .custom_ids()
        .iter()
        .map(|s| (*s).to_string())
        .collect();
    for id in buttons {
        let answer = bot
            .ask(
                fake.click(&id)
                    .as_user(user)
                    .on_original(&asked.interaction),
            )
            .await;
        answer.assert_accepted(CALLBACK_UPDATE_MESSAGE);
        screens.push((id, description(&answer)));
    }
    screens
}

#[tokio::test]
async fn help_shows_a_member_what_the_bot_is_for_and_only_what_they_can_use() {
    let bot = TestBot::start().await;
    let screens = help_screens(&bot, MEMBER_ID).await;
    assert_eq!(screens.len(), 6, "the first screen and five groups");
    assert!(screens[0].1.contains("leading"), "{}", screens[0].1);
    let all: String = screens.iter().map(|(_, text)| text.as_str()).collect();
    for everyone in [
        "`/contrast`",
        "`/scenario`",
        "`/poll quiz`",
        "`/tip`",
        "`/suggest tip`",
    ] {
        assert!(all.contains(everyone), "{everyone} missing:\n{all}");
    }
    for admin in [
        "/tips setup",
        "/pulse setup",
        "/settings timezone zone",
        "/admin",
        "/content add tip",
        "/forget-server",
    ] {
        assert!(
            !all.contains(&format!("`{admin}`")),
            "{admin} shown to a member"
        );
    }
    assert!(!all.contains('['), "options in words: {all}");
    bot.shutdown().await;
}

#[tokio::test]
async fn help_shows_an_admin_the_first_steps_and_every_setup() {
    let bot = TestBot::start().await;
    let screens = help_screens(&bot, ADMIN_ID).await;
    assert_eq!(screens.len(), 7, "the first screen and six groups");
    let start = &screens[0].1;
    assert!(start.contains("1. `/settings timezone"), "{start}");
    let all: String = screens.iter().map(|(_, text)| text.as_str()).collect();
    for admin in [
        "`/tips setup`",
        "`/pulse setup`",
        "`/polls setup`",
        "`/digest setup`",
        "`/settings timezone`",
        "`/content add tip`",
        "`/suggestions setup`",
        "`/forget-server`",
    ] {
        assert!(all.contains(admin), "{admin} missing:\n{all}");
    }
    assert!(!all.contains("`/admin reload`"), "only the bot's owners");
    bot.shutdown().await;
}

/// Someone else's "Another contrast" under a member's public answer: a private answer for the
/// one who clicked, and the public message as the channel saw it.
#[tokio::test]
async fn another_by_someone_else_leaves_the_public_answer_as_it_was() {
    let bot = TestBot::start().await;
    let fake = bot.fake();
    let asked = bot
        .ask(
            fake.slash("contrast")
                .as_user(MEMBER_ID)
                .option("topic", "vision-execution"),
        )
        .await;
    assert!(!asked.is_ephemeral());
    let before = fake.original_response(&asked.interaction).expect("posted");
    let click = bot
        .ask(
            fake.click("bb:contrast:vision-execution")
                .as_user(ADMIN_ID)
                .on_original(&asked.interaction),
        )
        .await;
    click
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(click.is_ephemeral(), "{}", click.body());
    assert_ne!(click.embed()["title"], before["embeds"][0]["title"]);
    let after = fake.original_response(&asked.interaction).expect("posted");
    assert_eq!(after["embeds"], before["embeds"]);
    assert_eq!(after["components"], before["components"]);
    bot.shutdown().await;
}

/// A reply resting on several articles names them briefly and has a "Sources" button that
/// shows each in full, privately, leaving the public answer as it is.
#[tokio::test]
async fn the_sources_button_shows_each_article_in_full_privately() {
    let bot = TestBot::start().await;
    let fake = bot.fake();
    let asked = bot.ask(fake.slash("similarities")).await;
    let sources = asked
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("bb:sources:"))
        .expect("a Sources button")
        .to_string();
    let footer = asked.embed()["footer"]["text"].as_str().unwrap_or_default();
    assert!(!footer.contains("title taken from"), "{footer}");
    let shown = bot
        .ask(fake.click(&sources).on_original(&asked.interaction))
        .await;
    shown
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(shown.is_ephemeral(), "{}", shown.body());
    let text = shown.embed()["description"].as_str().unwrap_or_default();
    assert!(text.contains("Michelle Kaiser (CEO.com)"), "{text}");
    assert!(
        text.contains("title taken from"),
        "the notes, in full: {text}"
    );
    bot.shutdown().await;
}

on_both_engines!(
    the_welcome_comes_once_per_server_and_not_after_a_restart_or_a_quick_readd,
    a_setup_without_a_zone_uses_the_server_s_remembered_zone,
);
