//! The team pulse end to end: the real bot against the fake Discord, with a manual clock.
//! Members answer through the post's button and the private form; the result follows.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

mod support;

use bridgebot::clock::ManualClock;
use bridgebot::model::duty::DutyKind;
use bridgebot::schedule::ScheduleEvent;
use fake_discord::{ADMIN_ID, MEMBER_ID, TEXT_CHANNEL_ID};
use jiff::Timestamp;
use serde_json::Value;
use support::events::next_event;
use support::on_both_engines;
use support::{Answer, TestBot, CALLBACK_MESSAGE, EPHEMERAL};
use tokio::sync::broadcast;

/// Members of the test server, besides the admin.
const MEMBERS: [u64; 5] = [
    MEMBER_ID,
    1_200_000_000_000_000_301,
    1_200_000_000_000_000_302,
    1_200_000_000_000_000_303,
    1_200_000_000_000_000_304,
];

fn at(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

async fn start() -> TestBot {
    TestBot::builder()
        .clock(ManualClock::new(at("2026-11-30T08:00:00Z")))
        .start()
        .await
}

fn clock(bot: &TestBot) -> &ManualClock {
    bot.clock().expect("started with a manual clock")
}

async fn pulse(bot: &TestBot, user: u64, sub: &str, options: &[(&str, Value)]) -> Answer {
    let slash = options.iter().fold(
        bot.fake().slash("pulse").subcommand(sub).as_user(user),
        |slash, (name, value)| slash.option(name, value.clone()),
    );
    bot.ask(slash).await
}

/// `/pulse now` by the admin: its private answer, which follows a "thinking…" callback.
async fn pulse_now(bot: &TestBot) -> String {
    let answer = bot
        .ask_deferred(
            bot.fake()
                .slash("pulse")
                .subcommand("now")
                .as_user(ADMIN_ID),
        )
        .await;
    assert_ne!(
        answer["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        0,
        "private: {answer}"
    );
    answer["content"].as_str().unwrap_or_default().to_string()
}

/// The team pulse posts in the channel so far.
fn pulse_posts(bot: &TestBot) -> usize {
    bot.fake()
        .channel_messages(TEXT_CHANNEL_ID)
        .iter()
        .filter(|m| {
            m["embeds"][0]["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Team pulse: "))
        })
        .count()
}

/// A pulse every Monday at 09:00 UTC, two statements, open two days.
async fn set_up(bot: &TestBot) {
    let answer = pulse(
        bot,
        ADMIN_ID,
        "setup",
        &[
            ("channel", TEXT_CHANNEL_ID.to_string().into()),
            ("day", 0.into()), // Monday, the first choice
            ("time", "09:00".into()),
            ("questions", 2.into()),
            ("open_for", "2d".into()),
        ],
    )
    .await;
    answer
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(answer.is_ephemeral());
    assert!(
        answer.text().unwrap_or_default().contains("team pulse"),
        "{}",
        answer.body()
    );
}

async fn posted(events: &mut broadcast::Receiver<ScheduleEvent>, duty: DutyKind) -> u64 {
    let event = next_event(
        events,
        "a pulse post",
        |e| matches!(e, ScheduleEvent::Posted { duty: d, .. } if *d == duty),
    )
    .await;
    match event {
        ScheduleEvent::Posted { message_id, .. } => message_id,
        _ => unreachable!(),
    }
}

fn message_custom_ids(message: &Value) -> Vec<String> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .collect()
}

/// `member` answers the pulse posted as `message` with `scores`, through the form.
async fn answer(bot: &TestBot, message: u64, member: u64, scores: &[u8]) {
    let post = bot.fake().message(message).expect("the pulse post");
    let open = message_custom_ids(&post)
        .into_iter()
        .next()
        .expect("the answer button");
    let mut form = bot
        .ask(
            bot.fake()
                .click(&open)
                .on_message(TEXT_CHANNEL_ID, message)
                .as_user(member),
        )
        .await;
    assert!(form.is_ephemeral(), "the form is private: {}", form.body());
    for (index, score) in scores.iter().enumerate() {
        let select = form.custom_ids()[index].to_string();
        let value = score.to_string();
        form = bot
            .ask(
                bot.fake()
                    .click(&select)
                    .on_original(form.interaction())
                    .as_user(member)
                    .select(&[&value]),
            )
            .await;
    }
    let submit = form.custom_ids().last().expect("submit").to_string();
    let done = bot
        .ask(
            bot.fake()
                .click(&submit)
                .on_original(form.interaction())
                .as_user(member),
        )
        .await;
    assert!(
        done.text()
            .unwrap_or_default()
            .contains("your answers are in"),
        "{}",
        done.body()
    );
}

fn embed_text(message: &Value) -> String {
    message["embeds"].to_string()
}

async fn five_answer_one_changes_and_the_result_replies_with_the_right_averages() {
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    let firsts = [[5, 4], [4, 4], [3, 4], [2, 4], [1, 4]];
    for (member, scores) in MEMBERS.iter().zip(firsts) {
        answer(&bot, message, *member, &scores).await;
    }
    // The first member changes their answers: replaced, not added.
    let mark = bot.fake().mark();
    answer(&bot, message, MEMBERS[0], &[1, 2]).await;
    bot.fake()
        .wait_request(mark, |r| {
            r.method == "PATCH"
                && r.route().ends_with(&format!("/messages/{message}"))
                && r.status.is_some()
        })
        .await;
    let post = bot.fake().message(message).expect("post");
    assert!(
        embed_text(&post).contains("5 people have answered"),
        "{post}"
    );
    assert!(!embed_text(&post).contains(&MEMBER_ID.to_string()));

    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    let result = posted(&mut events, DutyKind::PulseResult).await;
    let result = bot.fake().message(result).expect("result");
    assert_eq!(
        result["message_reference"]["message_id"].as_str(),
        Some(message.to_string().as_str()),
        "the result is a reply to the pulse: {result}"
    );
    let result = embed_text(&result);
    // 1, 4, 3, 2, 1 and 2, 4, 4, 4, 4.
    assert!(result.contains("Average 2.2 of 5"), "{result}");
    assert!(result.contains("Average 3.6 of 5"), "{result}");
    assert!(result.contains("5 people answered"), "{result}");
    assert!(
        result.contains("Leading score") && result.contains("Managing score"),
        "{result}"
    );
    bot.fake().assert_no_violations();
    bot.shutdown().await;
}

async fn two_answers_withhold_the_results() {
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    answer(&bot, message, MEMBERS[0], &[5, 5]).await;
    answer(&bot, message, MEMBERS[1], &[1, 1]).await;
    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    let result = posted(&mut events, DutyKind::PulseResult).await;
    let result = embed_text(&bot.fake().message(result).expect("result"));
    assert!(
        result.contains("2 people answered") && result.contains("withheld"),
        "{result}"
    );
    assert!(!result.contains("Average"), "{result}");
    bot.shutdown().await;
}

async fn a_restart_while_open_keeps_every_answer_and_opens_no_second_pulse() {
    let mut bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    for member in &MEMBERS[..3] {
        answer(&bot, message, *member, &[4, 2]).await;
    }
    clock(&bot).set(at("2026-11-30T12:00:00Z"));
    bot.restart().await;
    let mut events = bot.running().schedule_events();
    let now = pulse_now(&bot).await;
    assert!(now.contains("already has a team pulse"), "{now}");
    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    let result = posted(&mut events, DutyKind::PulseResult).await;
    let result = embed_text(&bot.fake().message(result).expect("result"));
    assert!(result.contains("3 people answered"), "{result}");
    assert!(
        result.contains("Average 4.0 of 5") && result.contains("Average 2.0 of 5"),
        "{result}"
    );
    assert_eq!(pulse_posts(&bot), 1, "one pulse for the week");
    bot.shutdown().await;
}

async fn pulse_now_posts_through_the_claim_once_and_the_week_gets_no_second_pulse() {
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    // Monday 08:00; the weekly pulse is due at 09:00.
    let started = pulse_now(&bot).await;
    assert!(
        started.contains(&format!("open in <#{TEXT_CHANNEL_ID}>")),
        "{started}"
    );
    let message = posted(&mut events, DutyKind::Pulse).await;
    let again = pulse_now(&bot).await;
    assert!(again.contains("already has a team pulse"), "{again}");

    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    next_event(&mut events, "the weekly pulse planned for next week", |e| {
        matches!(
            e,
            ScheduleEvent::Planned { duty: DutyKind::Pulse, next: Some(next), .. }
                if *next == at("2026-12-07T09:00:00Z")
        )
    })
    .await;
    assert_eq!(pulse_posts(&bot), 1, "one pulse for the week");
    assert!(bot.fake().message(message).is_some());
    bot.fake().assert_no_violations();
    bot.shutdown().await;
}

async fn submitting_before_rating_every_statement_is_answered_privately_with_what_to_do() {
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    let post = bot.fake().message(message).expect("post");
    let open = message_custom_ids(&post).remove(0);
    let form = bot
        .ask(
            bot.fake()
                .click(&open)
                .on_message(TEXT_CHANNEL_ID, message)
                .as_user(MEMBERS[0]),
        )
        .await;
    let submit = form.custom_ids().last().expect("submit").to_string();
    let refused = bot
        .ask(
            bot.fake()
                .click(&submit)
                .on_original(form.interaction())
                .as_user(MEMBERS[0]),
        )
        .await;
    refused.assert_accepted(CALLBACK_MESSAGE);
    assert!(refused.is_ephemeral(), "{}", refused.body());
    assert!(
        refused
            .text()
            .unwrap_or_default()
            .contains("Rate every statement"),
        "{}",
        refused.body()
    );
    // The form is still there to finish; the answer then counts.
    answer(&bot, message, MEMBERS[0], &[3, 3]).await;
    bot.fake().assert_no_violations();
    bot.shutdown().await;
}

async fn a_member_without_manage_server_cannot_set_up_stop_or_see_status() {
    let bot = start().await;
    for sub in ["setup", "stop", "status", "now"] {
        let options: Vec<(&str, Value)> = if sub == "setup" {
            vec![
                ("channel", TEXT_CHANNEL_ID.to_string().into()),
                ("day", 0.into()), // Monday, the first choice
                ("time", "09:00".into()),
            ]
        } else {
            Vec::new()
        };
        let refused = pulse(&bot, MEMBER_ID, sub, &options).await;
        assert!(refused.is_ephemeral());
        assert!(
            refused.text().unwrap_or_default().contains("Manage"),
            "{sub}: {}",
            refused.body()
        );
    }
    let status = pulse(&bot, ADMIN_ID, "status", &[]).await;
    assert!(
        status.text().unwrap_or_default().contains("no team pulse"),
        "{}",
        status.body()
    );
    bot.shutdown().await;
}

async fn no_log_line_at_trace_puts_a_member_next_to_an_answer() {
    use bridgebot::config::{LogConfig, LogFormat};
    let captured = bridgebot::log::Memory::default();
    let config = LogConfig {
        level: "trace".into(),
        format: LogFormat::Json,
    };
    let filter = bridgebot::log::filter("trace,fake_discord=off");
    let subscriber = bridgebot::log::subscriber(&config, filter, captured.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    for member in MEMBERS {
        answer(&bot, message, member, &[3, 5]).await;
    }
    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    posted(&mut events, DutyKind::PulseResult).await;
    bot.shutdown().await;
    let text = captured.text();
    assert!(
        text.contains("team pulse result posted"),
        "the scenario ran"
    );
    for line in text.lines() {
        for member in MEMBERS {
            let member = member.to_string();
            if !line.contains(&member) {
                continue;
            }
            for answer_mark in ["bb:pp:", "bb:ps:", "\"values\"", "score"] {
                assert!(
                    !line.contains(answer_mark),
                    "a log line names member {member} next to an answer ({answer_mark}): {line}"
                );
            }
        }
    }
}

on_both_engines!(
    five_answer_one_changes_and_the_result_replies_with_the_right_averages,
    two_answers_withhold_the_results,
    a_restart_while_open_keeps_every_answer_and_opens_no_second_pulse,
    a_member_without_manage_server_cannot_set_up_stop_or_see_status,
    no_log_line_at_trace_puts_a_member_next_to_an_answer,
    pulse_now_posts_through_the_claim_once_and_the_week_gets_no_second_pulse,
    submitting_before_rating_every_statement_is_answered_privately_with_what_to_do,
);
