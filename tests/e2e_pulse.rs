//! The team pulse end to end: the real bot against the fake Discord, with a manual clock.
//! Members answer through the post's button and the private form; the result follows.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

mod support;

use bridgebot::model::duty::DutyKind;
use bridgebot::schedule::ScheduleEvent;
use fake_discord::{ADMIN_ID, MEMBER_ID, TEXT_CHANNEL_ID};
use serde_json::Value;
use support::events::next_event;
use support::on_both_engines;
use support::pulse::*;
use support::CALLBACK_MESSAGE;

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

on_both_engines!(
    five_answer_one_changes_and_the_result_replies_with_the_right_averages,
    two_answers_withhold_the_results,
    a_restart_while_open_keeps_every_answer_and_opens_no_second_pulse,
    a_member_without_manage_server_cannot_set_up_stop_or_see_status,
    pulse_now_posts_through_the_claim_once_and_the_week_gets_no_second_pulse,
    submitting_before_rating_every_statement_is_answered_privately_with_what_to_do,
);
