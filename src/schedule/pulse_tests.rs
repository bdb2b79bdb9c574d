//! The pulse result across a crash, at the engine level: claimed before sending, so a crash
//! after Discord accepted it records it without a second post, and a crash before sends it once.

use jiff::civil::date;

use super::super::test_support::{answered_pulse, at, FakePoster, Harness};
use super::*;
use crate::clock::ManualClock;
use crate::model::schedule::PulseOptions;
use crate::pulse::member_hash;
use crate::store::DutyClaim;

const GUILD: u64 = 1;
const CHANNEL: u64 = 10;
/// The pulse's own message, which its result replies to.
const PULSE_MESSAGE: u64 = 777;

/// A store with a Monday pulse that three members answered, closed on Wednesday, and the
/// result claimed as a crash between sending and recording leaves it.
async fn store_with_claimed_result() -> Store {
    let store = Store::in_memory().await.expect("store");
    let pulse = answered_pulse(
        &store,
        PulseOptions::new(2, 2),
        PULSE_MESSAGE,
        &[101, 102, 103],
    )
    .await;
    store.close_pulse(pulse.id).await.expect("close");
    let claim = DutyClaim {
        duty: DutyKind::PulseResult,
        guild_id: GUILD,
        local_date: date(2026, 11, 30),
        channel_id: CHANNEL,
        item: None,
        cycle: None,
        payload: Some(format!(
            "{{\"pulse_id\":{},\"week\":\"2026-11-30\"}}",
            pulse.id
        )),
        due_at: at("2026-12-02T09:00:00Z"),
    };
    store
        .claim_duty(&claim, at("2026-12-02T09:00:00Z"))
        .await
        .expect("claim");
    store
}

fn result_posted(e: &ScheduleEvent) -> bool {
    matches!(
        e,
        ScheduleEvent::Posted {
            duty: DutyKind::PulseResult,
            ..
        }
    )
}

#[tokio::test]
async fn a_crash_after_discord_accepted_the_result_does_not_post_it_twice() {
    let store = store_with_claimed_result().await;
    let poster = FakePoster::new();
    poster
        .existing
        .lock()
        .expect("lock")
        .push((CHANNEL, 4242, result_title(date(2026, 11, 30))));
    let mut h = Harness::start(store, ManualClock::new(at("2026-12-02T09:05:00Z")), poster).await;
    let posted = h.expect(result_posted).await;
    assert!(
        matches!(
            posted,
            ScheduleEvent::Posted {
                message_id: 4242,
                ..
            }
        ),
        "{posted:?}"
    );
    assert!(
        h.poster.posts_in(CHANNEL).is_empty(),
        "the result was sent again"
    );
    h.stop().await;
}

#[tokio::test]
async fn a_crash_before_discord_accepted_the_result_sends_it_once_as_a_reply_to_the_pulse() {
    let store = store_with_claimed_result().await;
    let mut h = Harness::start(
        store,
        ManualClock::new(at("2026-12-02T09:05:00Z")),
        FakePoster::new(),
    )
    .await;
    h.expect(result_posted).await;
    let posts = h.poster.posts_in(CHANNEL);
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(
        posts[0].embeds[0].title.as_deref(),
        Some(result_title(date(2026, 11, 30)).as_str())
    );
    let replied_to: Vec<Option<u64>> = h
        .poster
        .posts
        .lock()
        .expect("lock")
        .iter()
        .map(|p| p.reply_to)
        .collect();
    assert_eq!(
        replied_to,
        [Some(PULSE_MESSAGE)],
        "the result replies to its pulse"
    );
    let text = format!("{:?}", posts[0]);
    assert!(
        text.contains("3 people answered") && text.contains("Average 4.0 of 5"),
        "{text}"
    );
    let store = h.stop().await;
    // A restart after that posts nothing more.
    let mut h = Harness::start(
        store,
        ManualClock::new(at("2026-12-02T09:30:00Z")),
        FakePoster::new(),
    )
    .await;
    h.expect(|e| {
        matches!(
            e,
            ScheduleEvent::Planned {
                duty: DutyKind::PulseResult,
                ..
            }
        )
    })
    .await;
    assert!(h.poster.posts_in(CHANNEL).is_empty());
    h.stop().await;
}

/// Opens a pulse of `week` asking `statements`, saves one row of `answers` per member, and
/// closes it.
async fn closed_pulse(
    store: &Store,
    week: jiff::civil::Date,
    statements: &[&str],
    answers: &[[u8; 2]],
) {
    let opened = at(&format!("{week}T09:00:00Z"));
    let statements: Vec<String> = statements.iter().map(|s| (*s).to_string()).collect();
    let key = new_key();
    let pulse = store
        .open_pulse(&NewPulse {
            guild_id: GUILD,
            week,
            channel_id: CHANNEL,
            statements: &statements,
            opened_at: opened,
            closes_at: closes_at(opened, 2),
            key: &key,
        })
        .await
        .expect("open");
    for (member, scores) in (1u64..).zip(answers) {
        let answers: Vec<(String, u8)> = statements.iter().cloned().zip(*scores).collect();
        store
            .save_pulse_answers(pulse.id, &member_hash(&key, member), &answers)
            .await
            .expect("answer");
    }
    assert!(store.close_pulse(pulse.id).await.expect("close"));
}

#[tokio::test]
async fn the_trend_counts_a_negatively_worded_statement_the_other_way_round() {
    let content = crate::content::Content::bundled().expect("content");
    let reversed = |id: &str| {
        content
            .statements
            .iter()
            .find(|s| &*s.id == id)
            .map(|s| s.reversed)
    };
    assert_eq!(reversed("trusted-to-decide"), Some(false));
    assert_eq!(reversed("waited-on-a-decision"), Some(true));
    assert_eq!(reversed("going-through-the-motions"), Some(true));
    assert_eq!(reversed("knew-what-was-mine-to-do"), Some(false));
    assert_eq!(
        reversed("tasks-had-owners-and-dates"),
        Some(false),
        "retired, and still known"
    );
    assert_eq!(reversed("dropped-by-an-operator"), None, "in no content");
    let store = Store::in_memory().await.expect("store");
    // Trusted to decide (4s), and fully agreeing that work waited on a decision (5s: the worst).
    closed_pulse(
        &store,
        date(2026, 11, 9),
        &["trusted-to-decide", "waited-on-a-decision"],
        &[[4, 5], [4, 5], [4, 5]],
    )
    .await;
    // Not at all going through the motions (1s: the best), and 2s on knowing one's tasks.
    closed_pulse(
        &store,
        date(2026, 11, 16),
        &["going-through-the-motions", "knew-what-was-mine-to-do"],
        &[[1, 2], [1, 2], [2, 2]],
    )
    .await;
    // A pulse that asked a statement since retired: it counts toward its side as before.
    closed_pulse(
        &store,
        date(2026, 11, 23),
        &["tasks-had-owners-and-dates", "trusted-to-decide"],
        &[[1, 3], [1, 3], [1, 3]],
    )
    .await;
    // A pulse that asked an id the content no longer has (an operator's edited folder): the
    // other statement still counts.
    closed_pulse(
        &store,
        date(2026, 11, 30),
        &["dropped-by-an-operator", "trusted-to-decide"],
        &[[1, 2], [1, 2], [1, 2]],
    )
    .await;
    // A pulse none of whose statements the content has has nothing to score.
    closed_pulse(
        &store,
        date(2026, 12, 7),
        &["dropped-by-an-operator", "also-dropped"],
        &[[5, 5], [5, 5], [5, 5]],
    )
    .await;
    let points = trend_points(&store, &content, GUILD, 12, 3)
        .await
        .expect("trend");
    let scores: Vec<_> = points
        .iter()
        .map(|p| (p.week.to_string(), p.leading, p.managing))
        .collect();
    let leading_two = (5.0 * 2.0 + 4.0) / 3.0;
    assert_eq!(
        scores,
        [
            ("2026-11-09".to_string(), Some(4.0), Some(1.0)),
            ("2026-11-16".to_string(), Some(leading_two), Some(2.0)),
            ("2026-11-23".to_string(), Some(3.0), Some(1.0)),
            ("2026-11-30".to_string(), Some(2.0), None),
        ],
        "oldest first; the week with no statement the content knows is left out"
    );
    let words = crate::reply::pulse::trend_lines(&points, 3).join("\n");
    assert!(
        words.contains("2026-11-09: leading 4.0, managing 1.0")
            && words.contains("2026-11-16: leading 4.7, managing 2.0")
            && words.contains("2026-11-23: leading 3.0, managing 1.0")
            && words.contains("2026-11-30: leading 2.0, managing -")
            && !words.contains("withheld"),
        "{words}"
    );
}
