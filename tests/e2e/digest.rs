//! The weekly digest end to end: a team pulse and two polls during the week, then the digest
//! on its day, once, with the pulse's participation and scores, the polls' shares and a
//! suggestion, and the trend chart attached.

use bridgebot::clock::ManualClock;
use bridgebot::model::duty::DutyKind;
use bridgebot::polls::PollEvent;
use bridgebot::schedule::ScheduleEvent;
use fake_discord::{RecordedRequest, ADMIN_ID, MEMBER_ID, SECOND_TEXT_CHANNEL_ID, TEXT_CHANNEL_ID};
use serde_json::Value;

use crate::support::events::next_event;
use crate::support::on_both_engines;
use crate::support::pulse::{answer, at, clock, posted, MEMBERS};
use crate::support::{Answer, TestBot, CALLBACK_MESSAGE};

async fn slash(
    bot: &TestBot,
    command: &str,
    sub: &str,
    user: u64,
    options: &[(&str, Value)],
) -> Answer {
    let slash = options.iter().fold(
        bot.fake().slash(command).subcommand(sub).as_user(user),
        |slash, (name, value)| slash.option(name, value.clone()),
    );
    bot.ask(slash).await
}

fn is_poll_post(request: &RecordedRequest) -> bool {
    request.method == "POST"
        && request.route().ends_with("/messages")
        && request
            .body
            .as_ref()
            .is_some_and(|b| b.get("poll").is_some())
}

/// Runs `/poll <sub>` in `channel`, gives every answer two votes and ends it; returns how many
/// answers it had once its recap is posted.
async fn poll_with_even_votes(bot: &TestBot, sub: &str, channel: u64) -> u64 {
    let mut polls = bot.running().poll_events();
    let mark = bot.fake().mark();
    let started = bot
        .ask(
            bot.fake()
                .slash("poll")
                .subcommand(sub)
                .as_user(ADMIN_ID) // managers have no cooldown between polls
                .in_channel(channel),
        )
        .await;
    started.assert_accepted(CALLBACK_MESSAGE);
    let post = bot.fake().wait_request(mark, is_poll_post).await;
    let message: u64 = post
        .response
        .as_ref()
        .and_then(|r| r["id"].as_str())
        .and_then(|id| id.parse().ok())
        .expect("the poll message id");
    let answers = post.body.as_ref().expect("body")["poll"]["answers"]
        .as_array()
        .expect("answers")
        .len() as u64;
    let votes: Vec<(u64, u64)> = (1..=answers).map(|id| (id, 2)).collect();
    bot.fake().set_poll_votes(channel, message, &votes);
    bot.fake().finalize_poll(channel, message);
    bot.fake().send_message_update(message);
    next_event(
        &mut polls,
        "the poll's recap",
        |e| matches!(e, PollEvent::Recapped { message_id, .. } if *message_id == message),
    )
    .await;
    answers
}

/// Sets up a Monday 09:00 pulse (2 statements, 2 days) and a Friday 16:00 digest.
async fn set_up(bot: &TestBot) {
    let pulse = slash(
        bot,
        "pulse",
        "setup",
        ADMIN_ID,
        &[
            ("channel", TEXT_CHANNEL_ID.to_string().into()),
            ("day", 0.into()),
            ("time", "09:00".into()),
            ("statements", 2.into()),
            ("open_for", "2d".into()),
        ],
    )
    .await;
    pulse.assert_accepted(CALLBACK_MESSAGE);
    let digest = slash(
        bot,
        "digest",
        "setup",
        ADMIN_ID,
        &[
            ("channel", TEXT_CHANNEL_ID.to_string().into()),
            ("day", 4.into()), // Friday
            ("time", "16:00".into()),
        ],
    )
    .await;
    digest
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(digest.is_ephemeral());
    digest.assert_says("weekly digest will be posted");
}

/// The digest's embed in words, one field after another.
fn digest_text(message: &Value) -> String {
    let embed = &message["embeds"][0];
    let mut text = format!("{}\n{}\n", embed["title"], embed["description"]);
    for field in embed["fields"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "{}\n{}\n",
            field["name"],
            field["value"].as_str().unwrap_or_default()
        ));
    }
    text
}

/// Every "X of Y (" in the polls part, added up.
fn poll_shares(text: &str) -> (u64, u64) {
    let part = text
        .split("Polls this week")
        .nth(1)
        .and_then(|rest| rest.split("Where to look next").next())
        .unwrap_or_default();
    part.lines()
        .filter_map(|line| {
            let (_, numbers) = line.rsplit_once(": ")?;
            let mut words = numbers.split_whitespace();
            let supported: u64 = words.next()?.parse().ok()?;
            (words.next()? == "of").then_some(())?;
            let votes: u64 = words.next()?.parse().ok()?;
            Some((supported, votes))
        })
        .fold((0, 0), |(s, v), (a, b)| (s + a, v + b))
}

async fn the_digest_is_posted_once_with_the_week_s_needs_polls_and_a_suggestion() {
    let bot = TestBot::builder()
        .clock(ManualClock::new(at("2026-11-30T08:00:00Z")))
        .start()
        .await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let pulse = posted(&mut events, DutyKind::Pulse).await;
    for member in &MEMBERS[..3] {
        answer(&bot, pulse, *member, &[4, 2]).await;
    }
    clock(&bot).set(at("2026-11-30T10:00:00Z"));
    let quiz_answers = poll_with_even_votes(&bot, "quiz", TEXT_CHANNEL_ID).await;
    let scenario_answers = poll_with_even_votes(&bot, "scenario", SECOND_TEXT_CHANNEL_ID).await;
    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    posted(&mut events, DutyKind::PulseResult).await;

    clock(&bot).set(at("2026-12-04T16:00:00Z"));
    let digest = posted(&mut events, DutyKind::Digest).await;
    let message = bot.fake().message(digest).expect("the digest");
    let text = digest_text(&message);
    assert!(
        text.contains("Weekly digest: the week to 2026-12-04"),
        "{text}"
    );
    assert!(text.contains("3 people answered"), "{text}");
    assert!(
        text.contains("Leading score") && text.contains("managing score"),
        "{text}"
    );
    assert_eq!(
        poll_shares(&text),
        (4, 2 * (quiz_answers + scenario_answers)),
        "each poll's supported answer had 2 of its votes: {text}"
    );
    assert!(text.contains("Weakest this week: \""), "{text}");
    assert!(text.contains("No focus chosen yet"), "{text}");
    assert!(
        text.contains("(2.0 of 5)"),
        "the statement everyone rated 2: {text}"
    );
    let attachments = message["attachments"].as_array().expect("attachments");
    assert_eq!(attachments.len(), 1, "the trend chart: {message}");
    assert!(attachments[0]["filename"]
        .as_str()
        .is_some_and(|f| f.ends_with(".png")));

    // The next planning looks a week ahead: no second digest for this one.
    next_event(&mut events, "the digest planned for next week", |e| {
        matches!(
            e,
            ScheduleEvent::Planned { duty: DutyKind::Digest, next: Some(next), .. }
                if *next == at("2026-12-11T16:00:00Z")
        )
    })
    .await;
    let digests = bot
        .fake()
        .channel_messages(TEXT_CHANNEL_ID)
        .iter()
        .filter(|m| {
            m["embeds"][0]["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Weekly digest"))
        })
        .count();
    assert_eq!(digests, 1);
    bot.fake().assert_no_violations();
    bot.shutdown().await;
}

async fn a_quiet_week_s_digest_says_so_and_points_at_the_commands() {
    let bot = TestBot::builder()
        .clock(ManualClock::new(at("2026-12-04T15:00:00Z")))
        .start()
        .await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-12-04T16:00:00Z"));
    let digest = posted(&mut events, DutyKind::Digest).await;
    let message = bot.fake().message(digest).expect("the digest");
    let text = digest_text(&message);
    assert!(text.contains("No team pulse closed this week"), "{text}");
    assert!(
        text.contains("No quiz or scenario poll got votes"),
        "{text}"
    );
    assert!(
        message["attachments"].as_array().is_none_or(Vec::is_empty),
        "no chart without scores: {message}"
    );
    bot.shutdown().await;
}

#[tokio::test]
async fn a_member_without_manage_server_cannot_set_up_or_stop_the_digest() {
    let bot = TestBot::start().await;
    for sub in ["setup", "stop", "status", "pause"] {
        let options: Vec<(&str, Value)> = if sub == "setup" {
            vec![
                ("channel", TEXT_CHANNEL_ID.to_string().into()),
                ("day", 4.into()),
                ("time", "16:00".into()),
            ]
        } else {
            Vec::new()
        };
        let refused = slash(&bot, "digest", sub, MEMBER_ID, &options).await;
        assert!(refused.is_ephemeral());
        assert!(
            refused.text().unwrap_or_default().contains("Manage"),
            "{sub}: {}",
            refused.body()
        );
    }
    let status = slash(&bot, "digest", "status", ADMIN_ID, &[]).await;
    status.assert_says("no weekly digest");
    bot.shutdown().await;
}

on_both_engines!(
    the_digest_is_posted_once_with_the_week_s_needs_polls_and_a_suggestion,
    a_quiet_week_s_digest_says_so_and_points_at_the_commands,
);
