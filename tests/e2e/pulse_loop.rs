//! The pulse's loop end to end, on both engines. The reminder: a reply to the pulse a day
//! before it closes, counting answers without naming anyone, mentioning only the role the
//! server asked for, posted once; never when turned off or when the pulse closed first. The
//! focus: only the lead chooses it from the result, privately; it is posted as a reply to the
//! result, and choosing again edits that post.

use bridgebot::model::duty::DutyKind;
use bridgebot::schedule::ScheduleEvent;
use fake_discord::{ADMIN_ID, MEMBER_ID, TEAM_ROLE_ID, TEXT_CHANNEL_ID};
use serde_json::Value;

use crate::support::events::next_event;
use crate::support::on_both_engines;
use crate::support::pulse::*;
use crate::support::{message_custom_ids, TestBot, CALLBACK_MESSAGE};

/// The reminder posts in the channel so far.
fn reminders(bot: &TestBot) -> Vec<Value> {
    posts_titled(bot, "Team pulse reminder")
}

fn reminder_planned_for_nothing(e: &ScheduleEvent) -> bool {
    matches!(
        e,
        ScheduleEvent::Planned {
            duty: DutyKind::PulseReminder,
            next: None,
            ..
        }
    )
}

async fn a_reminder_replies_to_the_pulse_once_counting_answers_and_mentions_only_its_role() {
    let mut bot = start().await;
    bot.fake().allow_role_mention(TEAM_ROLE_ID);
    let mut events = bot.running().schedule_events();
    set_up_with(&bot, &[("role", TEAM_ROLE_ID.to_string().into())]).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    next_event(
        &mut events,
        "the reminder planned a day before the close",
        |e| {
            matches!(
                e,
                ScheduleEvent::Planned { duty: DutyKind::PulseReminder, next: Some(next), .. }
                    if *next == at("2026-12-01T09:00:00Z")
            )
        },
    )
    .await;
    for member in &MEMBERS[..2] {
        answer(&bot, message, *member, &[4, 2]).await;
    }
    let mark = bot.fake().mark();
    clock(&bot).set(at("2026-12-01T09:00:00Z"));
    let reminder = posted(&mut events, DutyKind::PulseReminder).await;
    let body = bot
        .fake()
        .wait_request(mark, |r| {
            r.method == "POST"
                && r.route()
                    .ends_with(&format!("/channels/{TEXT_CHANNEL_ID}/messages"))
        })
        .await
        .body
        .expect("body");
    assert_eq!(
        body["allowed_mentions"]["roles"],
        serde_json::json!([TEAM_ROLE_ID.to_string()]),
        "{body}"
    );
    assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
    let post = bot.fake().message(reminder).expect("the reminder");
    assert_eq!(
        post["message_reference"]["message_id"].as_str(),
        Some(message.to_string().as_str()),
        "a reply to the pulse: {post}"
    );
    let text = embed_text(&post);
    assert!(text.contains("2 people have answered so far"), "{text}");
    assert!(text.contains("1 more person"), "{text}");
    // Nothing about who answered (one member's id is the role's in the fake, so the mention
    // is left out of this look).
    let shown = format!("{}{}", post["embeds"], post["components"]);
    for member in MEMBERS {
        assert!(!shown.contains(&member.to_string()), "{shown}");
    }
    assert!(
        message_custom_ids(&post)
            .iter()
            .any(
                |id| message_custom_ids(&bot.fake().message(message).expect("pulse")).contains(id)
            ),
        "the pulse's own answer button: {post}"
    );
    // A restart before the close, then the close: the reminder stays one.
    clock(&bot).set(at("2026-12-01T10:00:00Z"));
    bot.restart().await;
    let mut events = bot.running().schedule_events();
    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    posted(&mut events, DutyKind::PulseResult).await;
    assert_eq!(reminders(&bot).len(), 1, "one reminder");
    bot.fake().assert_no_violations();
    bot.shutdown().await;
}

async fn a_reminder_turned_off_is_not_posted() {
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up_with(&bot, &[("remind_before", "off".into())]).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    posted(&mut events, DutyKind::Pulse).await;
    next_event(
        &mut events,
        "no reminder planned",
        reminder_planned_for_nothing,
    )
    .await;
    clock(&bot).set(at("2026-12-01T09:00:00Z"));
    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    posted(&mut events, DutyKind::PulseResult).await;
    assert!(reminders(&bot).is_empty(), "{:?}", reminders(&bot));
    bot.shutdown().await;
}

/// Reminded four hours before the close; the bot is down from just after the pulse opened until
/// half an hour after it closed, still inside the reminder's catch-up window. The pulse is
/// closed at start, so its reminder is owed no more (nor recorded missed).
async fn a_pulse_closed_before_its_reminder_could_go_gets_none() {
    let mut bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up_with(&bot, &[("remind_before", "4h".into())]).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    posted(&mut events, DutyKind::Pulse).await;
    let later = clock(&bot).clone();
    bot.restart_after(|_, _| async move { later.set(at("2026-12-02T09:30:00Z")) })
        .await;
    let mut events = bot.running().schedule_events();
    // Planned at start, before the result's job runs.
    next_event(
        &mut events,
        "no reminder planned",
        reminder_planned_for_nothing,
    )
    .await;
    posted(&mut events, DutyKind::PulseResult).await;
    assert!(reminders(&bot).is_empty(), "{:?}", reminders(&bot));
    bot.shutdown().await;
}

async fn the_lead_chooses_a_focus_posted_as_a_reply_to_the_result_and_a_member_cannot() {
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up_with(&bot, &[]).await;
    let result = a_result_with_scores(&bot, &mut events).await;

    let refused = press_focus(&bot, result, MEMBER_ID).await;
    assert!(refused.is_ephemeral());
    refused.assert_says("Only the team's lead");
    assert!(refused.custom_ids().is_empty());

    let steps = press_focus(&bot, result, ADMIN_ID).await;
    steps.assert_says("scored lowest");
    let done = choose(&bot, steps, 0, 0).await;
    done.assert_says("posted as a reply");
    let posts = focus_posts(&bot);
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(
        posts[0]["message_reference"]["message_id"].as_str(),
        Some(result.to_string().as_str()),
        "a reply to the result: {}",
        posts[0]
    );
    let first = embed_text(&posts[0]);

    // Choosing again edits that post.
    let steps = press_focus(&bot, result, ADMIN_ID).await;
    let done = choose(&bot, steps, 0, 1).await;
    done.assert_says("new choice");
    let posts = focus_posts(&bot);
    assert_eq!(posts.len(), 1, "one focus per pulse: {posts:?}");
    assert_ne!(embed_text(&posts[0]), first, "edited to the new action");
    bot.fake().assert_no_violations();
    bot.shutdown().await;
}

/// A member without Manage Server but with the lead role set at setup may choose the focus.
async fn the_lead_role_may_choose_the_focus() {
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up_with(&bot, &[("lead_role", TEAM_ROLE_ID.to_string().into())]).await;
    let result = a_result_with_scores(&bot, &mut events).await;
    let steps = press_focus(&bot, result, MEMBER_ID).await;
    steps.assert_says("scored lowest");
    let refused = press_focus(&bot, result, MEMBERS[1]).await;
    assert!(
        refused
            .text()
            .unwrap_or_default()
            .contains("Only the team's lead"),
        "without the role: {}",
        refused.body()
    );
    bot.shutdown().await;
}

async fn a_result_below_the_minimum_has_no_focus_button() {
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up_with(&bot, &[]).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    answer(&bot, message, MEMBERS[0], &[5, 1]).await;
    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    let result = posted(&mut events, DutyKind::PulseResult).await;
    let ids = message_custom_ids(&bot.fake().message(result).expect("result"));
    assert!(!ids.iter().any(|id| id.starts_with("bb:fo:")), "{ids:?}");
    bot.shutdown().await;
}

/// The next week's pulse asks the follow-up beside its statements; it is answered through the
/// same form under the same keyed hash, shown on the result apart from the scores, and deleted
/// at the close with the rest (and `/pulse focus` shows its score): neither the key, nor a hash, nor a member id is left in the
/// database's files, and no answer row remains.
async fn the_follow_up_is_asked_next_week_shown_apart_and_deleted_at_the_close() {
    let mut bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up_with(&bot, &[]).await;
    a_week_with_a_focus(&bot, &mut events).await;

    clock(&bot).set(at("2026-12-07T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    let post = embed_text(&bot.fake().message(message).expect("pulse"));
    assert!(post.contains("Last week we chose to try"), "{post}");
    let members = &MEMBERS[..3];
    for member in members {
        answer(&bot, message, *member, &[3, 3, 5]).await;
    }
    let (pulse_id, key, hashes) = secrets(&bot, members).await;
    let mut needles: Vec<(String, Vec<u8>)> = vec![("the key".into(), key)];
    for (member, hash) in members.iter().zip(&hashes) {
        needles.push((format!("the hash of member {member}"), hash.clone()));
        needles.push((
            format!("member {member} as text"),
            member.to_string().into_bytes(),
        ));
        needles.push((
            format!("member {member} as an integer"),
            i64::try_from(*member).expect("fits").to_le_bytes().to_vec(),
        ));
        needles.push((
            format!("member {member} as a big-endian integer"),
            i64::try_from(*member).expect("fits").to_be_bytes().to_vec(),
        ));
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
    let store = bot.running().store();
    assert_eq!(store.pulse_answered(pulse_id).await.expect("count"), 3);

    clock(&bot).set(at("2026-12-09T09:00:00Z"));
    let result = posted(&mut events, DutyKind::PulseResult).await;
    let result = embed_text(&bot.fake().message(result).expect("result"));
    assert!(
        result.contains("Last week's focus") && result.contains("Average 5.0 of 5 from 3 answers"),
        "{result}"
    );
    // The two statements (3s) make the scores; the follow-up (5s) does not.
    assert!(
        result.contains("\"3.0 of 5 (") && !result.contains("\"5.0 of 5 ("),
        "{result}"
    );
    let store = bot.running().store();
    assert_eq!(store.pulse_key(pulse_id).await.expect("read"), None);
    assert_eq!(
        store.pulse_answered(pulse_id).await.expect("count"),
        0,
        "no answer row left"
    );
    let left = occurrences(&database_files(&bot.database()).await, &needles);
    assert!(
        left.is_empty(),
        "after the close, with the bot running: {left:?}"
    );
    // `/pulse focus` shows the focus with its follow-up score.
    let history = pulse(&bot, ADMIN_ID, "focus", &[]).await;
    let shown = history.embeds()[0].to_string();
    assert!(shown.contains("rated 5.0 of 5 a week later"), "{shown}");
    let stopped = bot
        .restart_after(|database, _| async move { database_files(&database).await })
        .await;
    let left = occurrences(&stopped, &needles);
    assert!(left.is_empty(), "with the bot stopped: {left:?}");
    bot.shutdown().await;
}

/// The digest's "Our focus" field, from its message.
fn focus_part(bot: &TestBot, digest: u64) -> String {
    let message = bot.fake().message(digest).expect("the digest");
    message["embeds"][0]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["name"] == "Our focus")
        .map(|f| f["value"].as_str().unwrap_or_default().to_string())
        .unwrap_or_else(|| panic!("no focus part: {message}"))
}

async fn the_digest_shows_the_focus_then_how_the_team_rated_it() {
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up_with(&bot, &[]).await;
    bot.ask(
        bot.fake()
            .slash("digest")
            .subcommand("setup")
            .as_user(ADMIN_ID)
            .option("channel", TEXT_CHANNEL_ID.to_string())
            .option("day", 4)
            .option("time", "16:00"),
    )
    .await
    .assert_accepted(CALLBACK_MESSAGE);
    a_week_with_a_focus(&bot, &mut events).await;
    clock(&bot).set(at("2026-12-04T16:00:00Z"));
    let digest = posted(&mut events, DutyKind::Digest).await;
    let part = focus_part(&bot, digest);
    assert!(
        part.starts_with("Latest: ") && part.contains("not rated yet"),
        "{part}"
    );

    clock(&bot).set(at("2026-12-07T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    for member in &MEMBERS[..3] {
        answer(&bot, message, *member, &[3, 3, 4]).await;
    }
    clock(&bot).set(at("2026-12-09T09:00:00Z"));
    posted(&mut events, DutyKind::PulseResult).await;
    clock(&bot).set(at("2026-12-11T16:00:00Z"));
    let digest = posted(&mut events, DutyKind::Digest).await;
    let part = focus_part(&bot, digest);
    assert!(part.contains("rated 4.0 of 5 a week later"), "{part}");
    bot.shutdown().await;
}

/// Beside ours, the server's own tips are offered as actions, and "Our own…" opens a form for
/// one line, which only the lead may submit; the focus post carries it as written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lead_may_pick_a_teams_tip_or_write_the_teams_own_action() {
    const TEAM_TIP: &str = "Name who can say stop";
    let bot = start().await;
    let tip = bridgebot::content::team::TeamBody::Tip(bridgebot::content::team::TeamTip {
        title: TEAM_TIP.into(),
        body: "Before a release, agree on the one person who may call it off.".into(),
    });
    add_team_entry(&bot, tip).await;
    let mut events = bot.running().schedule_events();
    set_up_with(&bot, &[]).await;
    let result = a_result_with_scores(&bot, &mut events).await;
    let steps = press_focus(&bot, result, ADMIN_ID).await;
    let pick = steps.custom_ids()[0].to_string();
    let actions = bot.click_on(&steps, &pick, ADMIN_ID).await;
    let offered = actions.text().unwrap_or_default().to_string();
    assert!(offered.contains(TEAM_TIP), "{offered}");
    let own = actions
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with("bb:fw:"))
        .expect("an \"Our own\" button")
        .to_string();
    let form = bot.click_on(&actions, &own, ADMIN_ID).await;
    form.assert_accepted(9);
    let form = form.data()["custom_id"]
        .as_str()
        .expect("a form")
        .to_string();
    let submit = |user: u64, text: &str| {
        bot.fake()
            .submit_modal(&form)
            .as_user(user)
            .field("action", text)
    };
    let refused = bot.ask(submit(MEMBER_ID, "take Fridays off")).await;
    refused.assert_says("Only the team's lead");
    let blank = bot.ask(submit(ADMIN_ID, "   ")).await;
    blank.assert_says("Write the action");
    assert!(focus_posts(&bot).is_empty(), "nothing posted on a mistake");
    let done = bot
        .ask(submit(
            ADMIN_ID,
            "  ask one person a day what\nblocks them ",
        ))
        .await;
    done.assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    let posts = focus_posts(&bot);
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert!(
        embed_text(&posts[0]).contains("ask one person a day what blocks them"),
        "{}",
        posts[0]
    );
    bot.fake().assert_no_violations();
    bot.shutdown().await;
}

on_both_engines!(
    the_lead_chooses_a_focus_posted_as_a_reply_to_the_result_and_a_member_cannot,
    a_result_below_the_minimum_has_no_focus_button,
    the_lead_role_may_choose_the_focus,
    the_follow_up_is_asked_next_week_shown_apart_and_deleted_at_the_close,
    the_digest_shows_the_focus_then_how_the_team_rated_it,
);

on_both_engines!(
    a_reminder_replies_to_the_pulse_once_counting_answers_and_mentions_only_its_role,
    a_reminder_turned_off_is_not_posted,
    a_pulse_closed_before_its_reminder_could_go_gets_none,
);
