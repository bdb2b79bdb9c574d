//! The team pulse end to end: the real bot against the fake Discord, with a manual clock.
//! Members answer through the post's button and the private form; the result follows.

use bridgebot::model::duty::DutyKind;
use bridgebot::schedule::ScheduleEvent;
use fake_discord::{ADMIN_ID, MEMBER_ID, TEAM_ROLE_ID, TEXT_CHANNEL_ID};
use serde_json::Value;

use crate::support::events::next_event;
use crate::support::on_both_engines;
use crate::support::pulse::*;
use crate::support::{message_custom_ids, TestBot, CALLBACK_MESSAGE};

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

#[tokio::test]
async fn submitting_before_rating_every_statement_is_answered_privately_with_what_to_do() {
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    let post = bot.fake().message(message).expect("post");
    let open = message_custom_ids(&post).remove(0);
    let form = bot
        .click_message(TEXT_CHANNEL_ID, message, &open, MEMBERS[0])
        .await;
    let submit = form.custom_ids().last().expect("submit").to_string();
    let refused = bot.click_on(&form, &submit, MEMBERS[0]).await;
    refused.assert_accepted(CALLBACK_MESSAGE);
    assert!(refused.is_ephemeral(), "{}", refused.body());
    refused.assert_says("Rate every statement");
    // The form is still there to finish; the answer then counts.
    answer(&bot, message, MEMBERS[0], &[3, 3]).await;
    bot.fake().assert_no_violations();
    bot.shutdown().await;
}

async fn the_form_names_each_statement_after_a_pick_and_reopened_shows_only_the_member_their_answers(
) {
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    let open = message_custom_ids(&bot.fake().message(message).expect("post")).remove(0);
    let open_as = |member: u64| {
        bot.fake()
            .click(&open)
            .on_message(TEXT_CHANNEL_ID, message)
            .as_user(member)
    };
    let form = bot.ask(open_as(MEMBERS[0])).await;
    let text = form.text().unwrap_or_default().to_string();
    assert!(
        text.contains("\n1. ") && text.contains("\n2. "),
        "numbered: {text}"
    );
    assert!(!text.contains("answered this pulse already"), "{text}");
    let shown = shown_in_selects(form.data());
    assert!(
        shown[0].starts_with("1. ") && shown[1].starts_with("2. "),
        "{shown:?}"
    );

    // A pick in the second menu: that menu still says which statement it rates.
    let second = form.custom_ids()[1].to_string();
    let picked = bot
        .ask(
            bot.fake()
                .click(&second)
                .on_original(form.interaction())
                .as_user(MEMBERS[0])
                .select(&["4"]),
        )
        .await;
    let shown = shown_in_selects(picked.data());
    assert_eq!(shown[1], "Statement 2: 4 - Mostly", "{}", picked.body());
    assert!(shown[0].starts_with("1. "), "{shown:?}");
    assert!(
        picked.text().unwrap_or_default().contains("\n2. "),
        "the statements stay listed"
    );

    answer(&bot, message, MEMBERS[0], &[5, 2]).await;
    // Reopened: it says so, with the member's own answers picked, to that member only.
    let again = bot.ask(open_as(MEMBERS[0])).await;
    assert!(again.is_ephemeral());
    let text = again.text().unwrap_or_default();
    assert!(
        text.contains("You have answered this pulse already")
            && text.contains("Submitting again replaces them"),
        "{text}"
    );
    assert_eq!(
        shown_in_selects(again.data()),
        ["Statement 1: 5 - Fully", "Statement 2: 2 - Rarely"]
    );
    let other = bot.ask(open_as(MEMBERS[1])).await;
    assert!(!other
        .text()
        .unwrap_or_default()
        .contains("answered this pulse already"));
    let shown = shown_in_selects(other.data());
    assert!(
        shown[0].starts_with("1. ") && shown[1].starts_with("2. "),
        "another member sees nothing picked: {shown:?}"
    );
    // Changing one answer keeps the note, and Submit replaces the earlier answers.
    let first = again.custom_ids()[0].to_string();
    let changed = bot
        .ask(
            bot.fake()
                .click(&first)
                .on_original(again.interaction())
                .as_user(MEMBERS[0])
                .select(&["3"]),
        )
        .await;
    assert!(changed
        .text()
        .unwrap_or_default()
        .contains("answered this pulse already"));
    assert_eq!(
        shown_in_selects(changed.data()),
        ["Statement 1: 3 - Sometimes", "Statement 2: 2 - Rarely"]
    );

    // Once closed, nothing is shown back.
    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    posted(&mut events, DutyKind::PulseResult).await;
    let late = bot.ask(open_as(MEMBERS[0])).await;
    late.assert_says("has closed");
    assert!(late.custom_ids().is_empty(), "{}", late.body());
    bot.fake().assert_no_violations();
    bot.shutdown().await;
}

async fn the_post_mentions_the_setup_role_and_says_when_it_closes_and_what_the_result_needs() {
    let bot = start().await;
    bot.fake().allow_role_mention(TEAM_ROLE_ID);
    let mut events = bot.running().schedule_events();
    let answer = pulse(
        &bot,
        ADMIN_ID,
        "setup",
        &[
            ("channel", TEXT_CHANNEL_ID.to_string().into()),
            ("day", 0.into()),
            ("time", "09:00".into()),
            ("role", TEAM_ROLE_ID.to_string().into()),
        ],
    )
    .await;
    answer.assert_accepted(CALLBACK_MESSAGE);
    answer.assert_says(&format!("mentioning <@&{TEAM_ROLE_ID}>"));
    let mark = bot.fake().mark();
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    let sent = bot
        .fake()
        .wait_request(mark, |r| {
            r.method == "POST" && r.route() == format!("/channels/{TEXT_CHANNEL_ID}/messages")
        })
        .await
        .body
        .expect("a JSON body");
    assert_eq!(sent["content"], format!("<@&{TEAM_ROLE_ID}>"));
    assert_eq!(
        sent["allowed_mentions"]["roles"],
        serde_json::json!([TEAM_ROLE_ID.to_string()]),
        "the role is the only mention allowed"
    );
    let post = embed_text(&bot.fake().message(message).expect("post"));
    assert!(
        post.contains("<t:1796202000:F>"),
        "closes in two days: {post}"
    );
    assert!(post.contains("at least 3 answers"), "{post}");
    assert!(post.contains("reply to this post"), "{post}");
    assert!(post.contains("the person running the bot"), "{post}");
    bot.fake().assert_no_violations();
    bot.shutdown().await;
}

#[tokio::test]
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
    status.assert_says("no team pulse");
    bot.shutdown().await;
}

/// Four members answer; the pulse closes. While it was open the database's files held its
/// key and every member's keyed hash (the check can fail); after the close, neither file holds
/// any of them, with the bot running and after it stops.
async fn after_a_close_the_database_files_hold_neither_the_key_nor_a_hash() {
    let mut bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    let members = &MEMBERS[..4];
    for (i, member) in members.iter().enumerate() {
        let score = u8::try_from(i + 1).expect("small");
        answer(&bot, message, *member, &[score, 5 - score]).await;
    }
    let (pulse_id, key, hashes) = secrets(&bot, members).await;
    let mut needles: Vec<(String, Vec<u8>)> = vec![("the key".into(), key)];
    for (member, hash) in members.iter().zip(&hashes) {
        needles.push((format!("the hash of member {member}"), hash.clone()));
    }
    let needles: Vec<(&str, &[u8])> = needles
        .iter()
        .map(|(what, bytes)| (what.as_str(), bytes.as_slice()))
        .collect();
    let open = occurrences(&database_files(&bot.database()).await, &needles);
    assert!(
        open.iter().any(|f| f.starts_with("the key"))
            && open.iter().any(|f| f.starts_with("the hash")),
        "while open the files hold the key and the hashes, or this test could not fail: {open:?}"
    );

    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    posted(&mut events, DutyKind::PulseResult).await;
    let store = bot.running().store();
    assert_eq!(store.pulse_key(pulse_id).await.expect("read"), None);
    let left = occurrences(&database_files(&bot.database()).await, &needles);
    assert!(
        left.is_empty(),
        "after the close, with the bot running: {left:?}"
    );
    let stopped = bot
        .restart_after(|database, _| async move { database_files(&database).await })
        .await;
    let left = occurrences(&stopped, &needles);
    assert!(left.is_empty(), "with the bot stopped: {left:?}");
    bot.shutdown().await;
}

/// The weekly pulse is set for Sunday 17:05, open two days; an admin starts one with
/// `/pulse now` on Sunday at 19:20. It closes Tuesday at 19:20, its own time, not at the
/// schedule's 17:05 (when it is still open), and its result follows then.
async fn pulse_now_after_the_weekly_time_closes_at_its_own_time() {
    let bot = TestBot::builder()
        .clock(bridgebot::clock::ManualClock::new(at(
            "2026-12-06T19:00:00Z",
        )))
        .start()
        .await;
    let mut events = bot.running().schedule_events();
    let answer_setup = pulse(
        &bot,
        ADMIN_ID,
        "setup",
        &[
            ("channel", TEXT_CHANNEL_ID.to_string().into()),
            ("day", 6.into()), // Sunday, the last choice
            ("time", "17:05".into()),
            ("statements", 2.into()),
            ("open_for", "2d".into()),
        ],
    )
    .await;
    answer_setup.assert_accepted(CALLBACK_MESSAGE);
    clock(&bot).set(at("2026-12-06T19:20:00Z"));
    let started = pulse_now(&bot).await;
    let closes = at("2026-12-08T19:20:00Z").as_second();
    assert!(
        started.contains(&format!("<t:{closes}:F>")),
        "closes Tuesday 19:20: {started}"
    );
    let message = posted(&mut events, DutyKind::Pulse).await;
    for member in &MEMBERS[..3] {
        answer(&bot, message, *member, &[4, 2]).await;
    }
    let (pulse_id, _, _) = secrets(&bot, &[]).await;

    clock(&bot).set(at("2026-12-08T17:05:00Z"));
    let store = bot.running().store();
    let pulse = store.pulse(pulse_id).await.expect("read").expect("there");
    assert!(!pulse.closed, "still open at the schedule's time");

    clock(&bot).set(at("2026-12-08T19:20:00Z"));
    let event = next_event(&mut events, "the result at the pulse's own close", |e| {
        matches!(
            e,
            ScheduleEvent::Posted {
                duty: DutyKind::PulseResult,
                ..
            }
        )
    })
    .await;
    assert!(
        matches!(event, ScheduleEvent::Posted { late: false, date, .. } if date == jiff::civil::date(2026, 11, 30)),
        "on time, logged under the pulse's week: {event:?}"
    );
    let pulse = store.pulse(pulse_id).await.expect("read").expect("there");
    assert!(pulse.closed && pulse.responses == 3, "{pulse:?}");
    assert_eq!(store.pulse_key(pulse_id).await.expect("read"), None);
    let ScheduleEvent::Posted { message_id, .. } = event else {
        unreachable!()
    };
    let result = bot.fake().message(message_id).expect("the result");
    assert!(
        embed_text(&result).contains("3 people answered"),
        "{result}"
    );
    bot.shutdown().await;
}

/// The bot is down from before a pulse's close until long after the catch-up window. At the
/// start it closes the pulse first (counts kept, key and answers deleted), records the result
/// as missed, and `/pulse status` says so.
async fn a_bot_down_past_the_catch_up_window_still_closes_the_pulse_and_says_the_result_was_missed()
{
    let mut bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    for member in &MEMBERS[..3] {
        answer(&bot, message, *member, &[3, 3]).await;
    }
    let (pulse_id, _, _) = secrets(&bot, &[]).await;
    clock(&bot).set(at("2026-11-30T10:00:00Z"));
    let later = clock(&bot).clone();
    // Down from Monday 10:00 until Wednesday 20:00: the close was at 09:00, 11 hours before.
    bot.restart_after(|_, _| async move { later.set(at("2026-12-02T20:00:00Z")) })
        .await;
    let mut events = bot.running().schedule_events();
    next_event(&mut events, "the result recorded as missed", |e| {
        matches!(
            e,
            ScheduleEvent::Missed {
                duty: DutyKind::PulseResult,
                ..
            }
        )
    })
    .await;
    let store = bot.running().store();
    let closed = store.pulse(pulse_id).await.expect("read").expect("there");
    assert!(closed.closed && closed.responses == 3, "{closed:?}");
    assert_eq!(store.pulse_key(pulse_id).await.expect("read"), None);
    let results = bot
        .fake()
        .channel_messages(TEXT_CHANNEL_ID)
        .iter()
        .filter(|m| embed_text(m).contains("Team pulse result"))
        .count();
    assert_eq!(results, 0, "no result was posted");
    let status = pulse(&bot, ADMIN_ID, "status", &[]).await;
    let text = status.embed().to_string();
    assert!(
        text.contains("was not posted") && text.contains("not running"),
        "{text}"
    );
    bot.shutdown().await;
}

/// The bot is down across a close, back inside the catch-up window, but the channel is gone so
/// the result cannot be posted: the pulse is closed and its answers deleted all the same.
async fn a_result_that_cannot_be_posted_never_keeps_the_answers() {
    let mut bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    answer(&bot, message, MEMBERS[0], &[2, 2]).await;
    let (pulse_id, _, _) = secrets(&bot, &[]).await;
    let later = clock(&bot).clone();
    bot.restart_after(|_, fake| async move {
        fake.delete_channel(TEXT_CHANNEL_ID);
        later.set(at("2026-12-02T10:00:00Z"));
    })
    .await;
    let mut events = bot.running().schedule_events();
    next_event(&mut events, "the result failing", |e| {
        matches!(
            e,
            ScheduleEvent::Failed {
                duty: DutyKind::PulseResult,
                ..
            }
        )
    })
    .await;
    let store = bot.running().store();
    let pulse = store.pulse(pulse_id).await.expect("read").expect("there");
    assert!(pulse.closed, "{pulse:?}");
    assert_eq!(store.pulse_key(pulse_id).await.expect("read"), None);
    bot.shutdown().await;
}

/// The bot restarts ten seconds before a pulse closes; the result goes out at the close.
async fn a_restart_ten_seconds_before_the_close_posts_the_result_on_time() {
    let mut bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    for member in &MEMBERS[..3] {
        answer(&bot, message, *member, &[5, 1]).await;
    }
    clock(&bot).set(at("2026-12-02T08:59:50Z"));
    bot.restart().await;
    let mut events = bot.running().schedule_events();
    next_event(&mut events, "the result planned at the close", |e| {
        matches!(
            e,
            ScheduleEvent::Planned { duty: DutyKind::PulseResult, next: Some(next), .. }
                if *next == at("2026-12-02T09:00:00Z")
        )
    })
    .await;
    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    let event = next_event(&mut events, "the result", |e| {
        matches!(
            e,
            ScheduleEvent::Posted {
                duty: DutyKind::PulseResult,
                ..
            }
        )
    })
    .await;
    assert!(
        matches!(event, ScheduleEvent::Posted { late: false, .. }),
        "{event:?}"
    );
    let ScheduleEvent::Posted { message_id, .. } = event else {
        unreachable!()
    };
    let result = embed_text(&bot.fake().message(message_id).expect("result"));
    assert!(result.contains("3 people answered"), "{result}");
    bot.shutdown().await;
}

on_both_engines!(
    after_a_close_the_database_files_hold_neither_the_key_nor_a_hash,
    pulse_now_after_the_weekly_time_closes_at_its_own_time,
    a_bot_down_past_the_catch_up_window_still_closes_the_pulse_and_says_the_result_was_missed,
    a_result_that_cannot_be_posted_never_keeps_the_answers,
    a_restart_ten_seconds_before_the_close_posts_the_result_on_time,
);

on_both_engines!(
    the_post_mentions_the_setup_role_and_says_when_it_closes_and_what_the_result_needs,
    the_form_names_each_statement_after_a_pick_and_reopened_shows_only_the_member_their_answers,
    five_answer_one_changes_and_the_result_replies_with_the_right_averages,
    two_answers_withhold_the_results,
    a_restart_while_open_keeps_every_answer_and_opens_no_second_pulse,
    pulse_now_posts_through_the_claim_once_and_the_week_gets_no_second_pulse,
);
