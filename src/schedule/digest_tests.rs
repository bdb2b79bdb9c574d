//! The digest across a crash, at the engine level: a claim left `sending` is found in the
//! channel (no second post) or, when it never arrived, sent once.

use jiff::civil::{date, Weekday};

use super::super::test_support::{at, FakePoster, Harness};
use super::*;
use crate::clock::ManualClock;
use crate::model::schedule::{DigestOptions, Schedule};
use crate::schedule::ScheduleEvent;
use crate::store::{DutyClaim, Store};
use crate::when::{DailyTime, Days, Recurrence, Zone};

const GUILD: u64 = 1;
const CHANNEL: u64 = 10;

/// A store with a Friday 16:00 digest whose day was claimed when the bot stopped.
async fn store_with_claimed_digest() -> Store {
    let store = Store::in_memory().await.expect("store");
    let settings = Schedule {
        guild_id: GUILD,
        channel_id: CHANNEL,
        when: Recurrence {
            time: DailyTime::new(16, 0).expect("time"),
            zone: Zone::utc(),
            days: Days::Weekly(Weekday::Friday),
        },
        paused: false,
        active_since: at("2026-11-30T08:00:00Z"),
        options: DigestOptions {},
    };
    store
        .save_schedule(&settings, at("2026-11-30T08:00:00Z"))
        .await
        .expect("save");
    let claim = DutyClaim {
        duty: DutyKind::Digest,
        guild_id: GUILD,
        local_date: date(2026, 12, 4),
        channel_id: CHANNEL,
        item: None,
        cycle: None,
        payload: Some("{\"date\":\"2026-12-04\"}".into()),
        due_at: at("2026-12-04T16:00:00Z"),
    };
    store
        .claim_duty(&claim, at("2026-12-04T16:00:00Z"))
        .await
        .expect("claim");
    store
}

fn digest_posted(e: &ScheduleEvent) -> bool {
    matches!(
        e,
        ScheduleEvent::Posted {
            duty: DutyKind::Digest,
            ..
        }
    )
}

#[tokio::test]
async fn a_digest_discord_took_before_the_crash_is_recorded_not_posted_again() {
    let store = store_with_claimed_digest().await;
    let poster = FakePoster::new();
    poster
        .existing
        .lock()
        .expect("lock")
        .push((CHANNEL, 4343, digest_title(date(2026, 12, 4))));
    let mut h = Harness::start(store, ManualClock::new(at("2026-12-04T16:05:00Z")), poster).await;
    let posted = h.expect(digest_posted).await;
    assert!(
        matches!(
            posted,
            ScheduleEvent::Posted {
                message_id: 4343,
                ..
            }
        ),
        "{posted:?}"
    );
    assert!(h.poster.posts_in(CHANNEL).is_empty(), "posted twice");
    h.stop().await;
}

#[tokio::test]
async fn a_digest_claimed_but_never_sent_is_sent_once_after_the_restart() {
    let store = store_with_claimed_digest().await;
    let mut h = Harness::start(
        store,
        ManualClock::new(at("2026-12-04T16:05:00Z")),
        FakePoster::new(),
    )
    .await;
    h.expect(digest_posted).await;
    let posts = h.poster.posts_in(CHANNEL);
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(
        posts[0].embeds[0].title.as_deref(),
        Some("Weekly digest: the week to 2026-12-04")
    );
    h.stop().await;
}
