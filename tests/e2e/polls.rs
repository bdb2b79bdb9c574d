//! Team polls end to end: the real bot against the fake Discord, with a manual clock.

use bridgebot::clock::ManualClock;
use bridgebot::model::duty::DutyKind;
use bridgebot::polls::PollEvent;
use fake_discord::{
    FakeOptions, Fault, RecordedRequest, RouteMatcher, ADMIN_ID, MEMBER_ID, NO_POLLS_CHANNEL_ID,
    OWNER_ID, SECOND_TEXT_CHANNEL_ID, TEXT_CHANNEL_ID,
};
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use crate::support::events::next_event;
use crate::support::on_both_engines;
use crate::support::{Answer, TestBot, CALLBACK_MESSAGE};

fn start() -> Timestamp {
    "2026-11-30T10:00:00Z".parse().expect("timestamp")
}

async fn bot_with(options: FakeOptions) -> TestBot {
    TestBot::builder()
        .clock(ManualClock::new(start()))
        .fake_options(options)
        .start()
        .await
}

async fn bot() -> TestBot {
    bot_with(FakeOptions::default()).await
}

fn clock(bot: &TestBot) -> &ManualClock {
    bot.clock().expect("a manual clock")
}

/// `/poll <sub>` as `user` in `channel`, answered.
async fn poll(
    bot: &TestBot,
    sub: &str,
    user: u64,
    channel: u64,
    options: &[(&str, Value)],
) -> Answer {
    let slash = options.iter().fold(
        bot.fake()
            .slash("poll")
            .subcommand(sub)
            .as_user(user)
            .in_channel(channel),
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

fn is_recap(poll_message: u64) -> impl Fn(&RecordedRequest) -> bool {
    move |r| {
        r.method == "POST"
            && r.route().ends_with("/messages")
            && r.body.as_ref().is_some_and(|b| {
                b["message_reference"]["message_id"]
                    .as_str()
                    .and_then(|id| id.parse::<u64>().ok())
                    == Some(poll_message)
            })
    }
}

fn recaps(bot: &TestBot, poll_message: u64) -> Vec<Value> {
    bot.fake()
        .requests()
        .into_iter()
        .filter(|r| is_recap(poll_message)(r))
        .filter_map(|r| r.body)
        .collect()
}

/// Starts a poll as the plain member and returns the poll message's id.
async fn started(bot: &TestBot, sub: &str, options: &[(&str, Value)]) -> u64 {
    started_by(bot, MEMBER_ID, sub, options).await
}

/// Starts a poll as `user` and returns the poll message's id, from the fake's answer.
async fn started_by(bot: &TestBot, user: u64, sub: &str, options: &[(&str, Value)]) -> u64 {
    let mark = bot.fake().mark();
    let answer = poll(bot, sub, user, TEXT_CHANNEL_ID, options).await;
    answer
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(answer.is_ephemeral());
    answer.assert_says("Poll started");
    let post = bot.fake().wait_request(mark, is_poll_post).await;
    post.response
        .as_ref()
        .and_then(|r| r["id"].as_str())
        .and_then(|id| id.parse().ok())
        .expect("the poll message id")
}

fn recap_text(recap: &Value) -> String {
    let embed = &recap["embeds"][0];
    let fields: String = embed["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|f| format!("{}: {}\n", f["name"], f["value"]))
                .collect()
        })
        .unwrap_or_default();
    format!(
        "{}\n{}",
        embed["description"].as_str().unwrap_or(""),
        fields
    )
}

#[tokio::test]
async fn quiz_posts_a_valid_native_poll_asking_leader_manager_or_both() {
    let bot = bot().await;
    let mark = bot.fake().mark();
    started(&bot, "quiz", &[]).await;
    let body = bot
        .fake()
        .wait_request(mark, is_poll_post)
        .await
        .body
        .expect("body");
    let poll = &body["poll"];
    let answers: Vec<&str> = poll["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .filter_map(|a| a["poll_media"]["text"].as_str())
        .collect();
    assert_eq!(answers, ["Leader", "Manager", "Both"]);
    assert!(poll["question"]["text"]
        .as_str()
        .is_some_and(|q| (1..=300).contains(&q.chars().count())));
    assert_eq!(poll["duration"], 1, "a one-hour poll by default");
    assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
    bot.shutdown().await;
}

async fn a_five_minute_poll_is_ended_by_the_bot_at_five_minutes_and_recapped() {
    let bot = bot().await;
    let mut events = bot.running().poll_events();
    let message = started(&bot, "quiz", &[("open_for", "5m".into())]).await;
    let posted = bot.fake().message(message).expect("the poll message");
    assert!(
        posted["content"]
            .as_str()
            .unwrap_or_default()
            .contains("closes 5 minutes after it opens"),
        "Discord shows 1h left, so the text says when: {posted}"
    );
    let closes = start() + SignedDuration::from_mins(5);
    next_event(
        &mut events,
        "the expected poll event",
        |e| matches!(e, PollEvent::Watching { closes_at, .. } if *closes_at == closes),
    )
    .await;
    clock(&bot).sleeper(|at| at == closes).await;
    clock(&bot).set(closes - SignedDuration::from_secs(1));
    assert!(
        bot.fake()
            .requests()
            .iter()
            .all(|r| !r.route().ends_with("/expire")),
        "ended early"
    );
    let mark = bot.fake().mark();
    clock(&bot).set(closes);
    let expire = bot
        .fake()
        .wait_request(mark, |r| r.route().ends_with("/expire"))
        .await;
    assert!(expire.route().contains(&message.to_string()));
    next_event(&mut events, "the expected poll event", |e| {
        matches!(e, PollEvent::Recapped { .. })
    })
    .await;
    let recaps = recaps(&bot, message);
    assert_eq!(recaps.len(), 1);
    assert!(
        recap_text(&recaps[0]).contains("Nobody voted"),
        "{}",
        recap_text(&recaps[0])
    );
    bot.shutdown().await;
}

async fn a_finalized_message_update_leads_to_exactly_one_recap_with_the_right_percentages() {
    let bot = bot().await;
    let mut events = bot.running().poll_events();
    let message = started(
        &bot,
        "needs",
        &[("answers", 3.into()), ("open_for", "2h".into())],
    )
    .await;
    bot.fake()
        .set_poll_votes(TEXT_CHANNEL_ID, message, &[(1, 3), (2, 1), (3, 0)]);
    bot.fake().finalize_poll(TEXT_CHANNEL_ID, message);
    bot.fake().send_message_update(message);
    next_event(&mut events, "the expected poll event", |e| {
        matches!(e, PollEvent::Recapped { .. })
    })
    .await;
    // A second update of the same message changes nothing; a command answered after it shows
    // the bot has handled the event by then.
    bot.fake().send_message_update(message);
    bot.ask(bot.fake().slash("help")).await;
    let recaps = recaps(&bot, message);
    assert_eq!(recaps.len(), 1, "exactly one recap");
    let text = recap_text(&recaps[0]);
    assert!(
        text.contains("3 votes (75%)")
            && text.contains("1 vote (25%)")
            && text.contains("0 votes (0%)"),
        "{text}"
    );
    bot.shutdown().await;
}

async fn the_bot_reads_the_poll_again_until_discord_says_the_count_is_final() {
    let bot = bot_with(FakeOptions {
        poll_finalize_lag: 3,
        ..FakeOptions::default()
    })
    .await;
    let mut events = bot.running().poll_events();
    let message = started(&bot, "quiz", &[("open_for", "5m".into())]).await;
    bot.fake()
        .set_poll_votes(TEXT_CHANNEL_ID, message, &[(2, 2)]);
    let closes = start() + SignedDuration::from_mins(5);
    clock(&bot).sleeper(|at| at == closes).await;
    clock(&bot).set(closes);
    // Each look that is not final makes the bot wait on its clock: move it along.
    let recapped = async {
        loop {
            let waiting = clock(&bot).sleeper(|at| at > clock_now(&bot)).await;
            clock(&bot).set(waiting);
        }
    };
    tokio::select! {
        event = next_event(&mut events, "the expected poll event", |e| matches!(e, PollEvent::Recapped { .. })) => drop(event),
        () = recapped => unreachable!(),
    }
    let recaps = recaps(&bot, message);
    assert_eq!(recaps.len(), 1);
    assert!(
        recap_text(&recaps[0]).contains("2 votes (100%)"),
        "{}",
        recap_text(&recaps[0])
    );
    bot.shutdown().await;
}

fn clock_now(bot: &TestBot) -> Timestamp {
    use bridgebot::clock::Clock as _;
    clock(bot).now()
}

async fn a_restart_with_an_open_poll_closes_and_recaps_it_once() {
    let mut bot = bot().await;
    let message = started(&bot, "quiz", &[("open_for", "5m".into())]).await;
    bot.restart().await;
    let mut events = bot.running().poll_events();
    let closes = start() + SignedDuration::from_mins(5);
    next_event(
        &mut events,
        "the expected poll event",
        |e| matches!(e, PollEvent::Watching { message_id, .. } if *message_id == message),
    )
    .await;
    clock(&bot).sleeper(|at| at == closes).await;
    clock(&bot).set(closes);
    next_event(&mut events, "the expected poll event", |e| {
        matches!(e, PollEvent::Recapped { .. })
    })
    .await;
    bot.restart().await;
    let mut events = bot.running().poll_events();
    // Nothing is left to watch after the recap: the new keeper's first event is not about it.
    clock(&bot).set(closes + SignedDuration::from_hours(2));
    assert!(
        events.try_recv().is_err(),
        "the recapped poll was picked up again"
    );
    assert_eq!(recaps(&bot, message).len(), 1);
    bot.shutdown().await;
}

#[tokio::test]
async fn without_send_polls_the_bot_explains_and_posts_nothing() {
    let bot = bot().await;
    let answer = poll(&bot, "quiz", MEMBER_ID, NO_POLLS_CHANNEL_ID, &[]).await;
    assert!(answer.is_ephemeral());
    answer.assert_says("Send Polls");
    assert!(
        bot.fake().requests().iter().all(|r| !is_poll_post(r)),
        "a poll was posted"
    );
    bot.shutdown().await;
}

async fn a_second_poll_in_the_channel_points_at_the_open_one() {
    let bot = bot().await;
    let message = started(&bot, "quiz", &[]).await;
    let second = poll(&bot, "needs", OWNER_ID, TEXT_CHANNEL_ID, &[]).await;
    assert!(second.is_ephemeral());
    let text = second.text().unwrap_or_default();
    assert!(
        text.contains(&format!("/{TEXT_CHANNEL_ID}/{message}")),
        "{text}"
    );
    bot.shutdown().await;
}

#[tokio::test]
async fn a_member_must_wait_before_starting_another_poll() {
    let bot = bot().await;
    started(&bot, "quiz", &[]).await;
    let again = poll(&bot, "quiz", MEMBER_ID, SECOND_TEXT_CHANNEL_ID, &[]).await;
    again.assert_says("seconds");
    clock(&bot).set(start() + SignedDuration::from_secs(121));
    let later = poll(&bot, "quiz", MEMBER_ID, SECOND_TEXT_CHANNEL_ID, &[]).await;
    later.assert_says("Poll started");
    bot.shutdown().await;
}

#[tokio::test]
async fn a_member_who_can_manage_the_server_is_not_held_by_the_cooldown() {
    let bot = bot().await;
    started_by(&bot, ADMIN_ID, "quiz", &[]).await;
    let again = poll(&bot, "needs", ADMIN_ID, SECOND_TEXT_CHANNEL_ID, &[]).await;
    again.assert_says("Poll started");
    bot.shutdown().await;
}

#[tokio::test]
async fn a_one_minute_quiz_does_not_hold_up_the_members_next_poll() {
    let bot = bot().await;
    started_by(&bot, MEMBER_ID, "quiz", &[("open_for", "1m".into())]).await;
    clock(&bot).set(start() + SignedDuration::from_secs(61));
    let next = poll(&bot, "quiz", MEMBER_ID, SECOND_TEXT_CHANNEL_ID, &[]).await;
    next.assert_says("Poll started");
    bot.shutdown().await;
}

#[tokio::test]
async fn a_poll_discord_refuses_is_explained_in_words_not_codes() {
    let bot = bot().await;
    bot.fake().fail_next(
        RouteMatcher::prefix("POST", format!("/channels/{TEXT_CHANNEL_ID}/messages")),
        Fault::MissingPermissions,
        1,
    );
    let refused = poll(&bot, "quiz", MEMBER_ID, TEXT_CHANNEL_ID, &[]).await;
    assert!(refused.is_ephemeral(), "{}", refused.body());
    let words = refused.text().unwrap_or_default();
    assert!(
        words.contains("Permissions"),
        "says what to check: {words:?}"
    );
    for internal in ["code", "403", "50013", "refused the request"] {
        assert!(!words.contains(internal), "shows internals: {words:?}");
    }
    bot.shutdown().await;
}

#[tokio::test]
async fn bad_poll_options_say_what_to_enter() {
    let bot = bot().await;
    let bad = poll(
        &bot,
        "quiz",
        MEMBER_ID,
        TEXT_CHANNEL_ID,
        &[("open_for", "soon".into())],
    )
    .await;
    assert!(bad.is_ephemeral());
    bad.assert_says("5m, 2h or 1d");
    let long = poll(
        &bot,
        "quiz",
        MEMBER_ID,
        TEXT_CHANNEL_ID,
        &[("open_for", "8d".into())],
    )
    .await;
    long.assert_says("7 days");
    assert!(bot.fake().requests().iter().all(|r| !is_poll_post(r)));
    bot.shutdown().await;
}

async fn only_the_starter_or_an_admin_can_end_a_poll_early() {
    let bot = bot().await;
    let mut events = bot.running().poll_events();
    let message = started_by(&bot, ADMIN_ID, "quiz", &[("open_for", "1d".into())]).await;
    let member = poll(&bot, "end", MEMBER_ID, TEXT_CHANNEL_ID, &[]).await;
    member.assert_says("Only the member who started");
    let admin = poll(&bot, "end", OWNER_ID, TEXT_CHANNEL_ID, &[]).await;
    admin.assert_says("Ending the poll");
    next_event(
        &mut events,
        "the expected poll event",
        |e| matches!(e, PollEvent::Recapped { message_id, .. } if *message_id == message),
    )
    .await;
    assert_eq!(recaps(&bot, message).len(), 1);
    bot.shutdown().await;
}

fn weekly_choice(bot: &TestBot, option: &str, label: &str) -> Value {
    let commands = bot.fake().registered_commands();
    let polls = commands
        .iter()
        .find(|c| c["name"] == "polls")
        .expect("/polls registered");
    let schedule = polls["options"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == "setup"))
        .expect("setup");
    let option = schedule["options"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["name"] == option))
        .expect("option");
    option["choices"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == label))
        .map(|c| c["value"].clone())
        .expect("choice")
}

async fn schedule_weekly(bot: &TestBot, user: u64) -> Answer {
    let slash = bot
        .fake()
        .slash("polls")
        .subcommand("setup")
        .as_user(user)
        .option("channel", TEXT_CHANNEL_ID.to_string())
        .option(
            "kind",
            weekly_choice(bot, "kind", "Quiz: leader or manager?"),
        )
        .option("day", weekly_choice(bot, "day", "Monday"))
        .option("time", "11:00")
        .option("open_for", "30m");
    bot.ask(slash).await
}

async fn a_weekly_poll_is_posted_on_its_day_then_closed_and_recapped() {
    use bridgebot::schedule::ScheduleEvent;
    let bot = bot().await;
    let mut schedule_events = bot.running().schedule_events();
    let mut poll_events = bot.running().poll_events();
    let answer = schedule_weekly(&bot, ADMIN_ID).await;
    assert!(answer.is_ephemeral());
    let eleven: Timestamp = "2026-11-30T11:00:00Z".parse().expect("ts");
    let text = answer.text().unwrap_or_default();
    assert!(
        text.contains(&format!("<t:{}:F>", eleven.as_second())) && text.contains("every Monday"),
        "{text}"
    );
    next_event(&mut schedule_events, "the weekly poll's plan", |e| {
        matches!(
            e,
            ScheduleEvent::Planned {
                duty: DutyKind::WeeklyPoll,
                next: Some(_),
                ..
            }
        )
    })
    .await;
    let mark = bot.fake().mark();
    clock(&bot).set(eleven);
    let post = bot.fake().wait_request(mark, is_poll_post).await;
    let message: u64 = post
        .response
        .as_ref()
        .and_then(|r| r["id"].as_str())
        .and_then(|id| id.parse().ok())
        .expect("id");
    let closes = eleven + SignedDuration::from_mins(30);
    next_event(&mut poll_events, "the expected poll event", |e| matches!(e, PollEvent::Watching { message_id, closes_at } if *message_id == message && *closes_at == closes)).await;
    clock(&bot).sleeper(|at| at == closes).await;
    clock(&bot).set(closes);
    next_event(
        &mut poll_events,
        "the expected poll event",
        |e| matches!(e, PollEvent::Recapped { message_id, .. } if *message_id == message),
    )
    .await;
    assert_eq!(recaps(&bot, message).len(), 1);
    bot.shutdown().await;
}

async fn unscheduling_stops_the_weekly_poll_and_members_cannot_schedule() {
    use bridgebot::schedule::ScheduleEvent;
    let bot = bot().await;
    let refused = schedule_weekly(&bot, MEMBER_ID).await;
    refused.assert_says("Manage");
    let mut schedule_events = bot.running().schedule_events();
    schedule_weekly(&bot, ADMIN_ID).await;
    next_event(&mut schedule_events, "the weekly poll's plan", |e| {
        matches!(
            e,
            ScheduleEvent::Planned {
                duty: DutyKind::WeeklyPoll,
                next: Some(_),
                ..
            }
        )
    })
    .await;
    let stopped = bot
        .ask(
            bot.fake()
                .slash("polls")
                .subcommand("stop")
                .as_user(ADMIN_ID),
        )
        .await;
    stopped.assert_says("stopped");
    while !matches!(
        schedule_events.recv().await,
        Ok(ScheduleEvent::Planned {
            duty: DutyKind::WeeklyPoll,
            next: None,
            ..
        })
    ) {}
    clock(&bot).set("2026-11-30T11:00:00Z".parse().expect("ts"));
    bot.ask(bot.fake().slash("help")).await;
    assert!(
        bot.fake().requests().iter().all(|r| !is_poll_post(r)),
        "a poll was posted after unscheduling"
    );
    bot.shutdown().await;
}

on_both_engines!(
    a_five_minute_poll_is_ended_by_the_bot_at_five_minutes_and_recapped,
    a_finalized_message_update_leads_to_exactly_one_recap_with_the_right_percentages,
    the_bot_reads_the_poll_again_until_discord_says_the_count_is_final,
    a_restart_with_an_open_poll_closes_and_recaps_it_once,
    a_second_poll_in_the_channel_points_at_the_open_one,
    only_the_starter_or_an_admin_can_end_a_poll_early,
    a_weekly_poll_is_posted_on_its_day_then_closed_and_recapped,
    unscheduling_stops_the_weekly_poll_and_members_cannot_schedule,
);
