//! The pulse reminder at the engine level: due its lead before the close, a reply to the pulse
//! that counts answers, once across a crash between claim and record, and never when the
//! reminder is off or the pulse closed first.

use jiff::civil::date;

use super::super::engine::ScheduleEvent;
use super::super::test_support::{answered_pulse, at, FakePoster, Harness};
use super::*;
use crate::clock::ManualClock;
use crate::store::{DutyClaim, Store};

const GUILD: u64 = 1;
const CHANNEL: u64 = 10;
/// The pulse's own message, which its reminder replies to.
const PULSE_MESSAGE: u64 = 777;
const ROLE: u64 = 55;

/// A store with a Monday 09:00 pulse open two days (closing Wednesday 09:00) that two members
/// answered, reminded `remind_hours` before the close.
async fn store_with_open_pulse(remind_hours: Option<u8>) -> (Store, i64) {
    let store = Store::in_memory().await.expect("store");
    let options = PulseOptions {
        remind_hours,
        role_id: Some(ROLE),
        ..PulseOptions::new(2, 2)
    };
    let pulse = answered_pulse(&store, options, PULSE_MESSAGE, &[101, 102]).await;
    (store, pulse.id)
}

/// The reminder claimed as a crash between claim and record leaves it.
async fn claim(store: &Store, pulse_id: i64) {
    let claim = DutyClaim {
        duty: DutyKind::PulseReminder,
        guild_id: GUILD,
        local_date: date(2026, 11, 30),
        channel_id: CHANNEL,
        item: None,
        cycle: None,
        payload: Some(format!(
            "{{\"pulse_id\":{pulse_id},\"week\":\"2026-11-30\",\"role_id\":{ROLE}}}"
        )),
        due_at: at("2026-12-01T09:00:00Z"),
    };
    assert!(store
        .claim_duty(&claim, at("2026-12-01T09:00:00Z"))
        .await
        .expect("claim"));
}

fn reminder_posted(e: &ScheduleEvent) -> bool {
    matches!(
        e,
        ScheduleEvent::Posted {
            duty: DutyKind::PulseReminder,
            ..
        }
    )
}

fn reminder_planned(e: &ScheduleEvent) -> bool {
    matches!(
        e,
        ScheduleEvent::Planned {
            duty: DutyKind::PulseReminder,
            ..
        }
    )
}

#[tokio::test]
async fn the_reminder_goes_out_once_a_day_before_the_close_as_a_reply_counting_answers() {
    let (store, _) = store_with_open_pulse(Some(24)).await;
    let mut h = Harness::start(
        store,
        ManualClock::new(at("2026-12-01T08:00:00Z")),
        FakePoster::new(),
    )
    .await;
    let planned = h.expect(reminder_planned).await;
    assert_eq!(
        planned,
        ScheduleEvent::Planned {
            duty: DutyKind::PulseReminder,
            guild: GUILD,
            next: Some(at("2026-12-01T09:00:00Z")),
        }
    );
    h.clock.set(at("2026-12-01T09:00:00Z"));
    h.expect(reminder_posted).await;
    let posts = h.poster.posts.lock().expect("lock").clone();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(
        posts[0].reply_to,
        Some(PULSE_MESSAGE),
        "a reply to the pulse"
    );
    assert_eq!(posts[0].role, Some(ROLE), "the role the server asked for");
    let text = format!("{:?}", posts[0].reply);
    assert!(
        text.contains("2 people have answered so far") && text.contains("from 3 answers"),
        "{text}"
    );
    assert!(!text.contains("101") && !text.contains("102"), "{text}");
    let store = h.stop().await;
    // A restart after that posts nothing more.
    let mut h = Harness::start(
        store,
        ManualClock::new(at("2026-12-01T10:00:00Z")),
        FakePoster::new(),
    )
    .await;
    h.expect(reminder_planned).await;
    assert!(h.poster.posts_in(CHANNEL).is_empty());
    h.stop().await;
}

#[tokio::test]
async fn a_crash_after_discord_accepted_the_reminder_does_not_post_it_twice() {
    let (store, pulse_id) = store_with_open_pulse(Some(24)).await;
    claim(&store, pulse_id).await;
    let poster = FakePoster::new();
    poster.existing.lock().expect("lock").push((
        CHANNEL,
        4242,
        crate::reply::pulse_reminder::reminder_title(date(2026, 11, 30)),
    ));
    let mut h = Harness::start(store, ManualClock::new(at("2026-12-01T09:05:00Z")), poster).await;
    let posted = h.expect(reminder_posted).await;
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
    assert!(h.poster.posts_in(CHANNEL).is_empty(), "sent again");
    h.stop().await;
}

#[tokio::test]
async fn a_crash_before_discord_accepted_the_reminder_sends_it_once() {
    let (store, pulse_id) = store_with_open_pulse(Some(24)).await;
    claim(&store, pulse_id).await;
    let mut h = Harness::start(
        store,
        ManualClock::new(at("2026-12-01T09:05:00Z")),
        FakePoster::new(),
    )
    .await;
    h.expect(reminder_posted).await;
    assert_eq!(
        h.poster.posts_in(CHANNEL).len(),
        1,
        "sent after the restart"
    );
    let store = h.stop().await;
    let mut h = Harness::start(
        store,
        ManualClock::new(at("2026-12-01T09:30:00Z")),
        FakePoster::new(),
    )
    .await;
    h.expect(reminder_planned).await;
    assert!(h.poster.posts_in(CHANNEL).is_empty(), "once");
    let store = h.stop().await;
    let entry = store
        .duty_entry(DutyKind::PulseReminder, GUILD, date(2026, 11, 30))
        .await
        .expect("log")
        .expect("recorded");
    assert_eq!(entry.status, crate::model::duty::DutyStatus::Posted);
}

/// Started after the reminder's moment (inside the catch-up window), with the reminder off or
/// the pulse already closed: nothing is owed, nothing is posted or logged.
async fn nothing_owed(store: Store) {
    let mut h = Harness::start(
        store,
        ManualClock::new(at("2026-12-01T09:30:00Z")),
        FakePoster::new(),
    )
    .await;
    let planned = h.expect(reminder_planned).await;
    assert!(
        matches!(planned, ScheduleEvent::Planned { next: None, .. }),
        "{planned:?}"
    );
    assert!(h.poster.posts_in(CHANNEL).is_empty());
    let store = h.stop().await;
    assert_eq!(
        store
            .duty_entry(DutyKind::PulseReminder, GUILD, date(2026, 11, 30))
            .await
            .expect("log"),
        None
    );
}

#[tokio::test]
async fn a_reminder_turned_off_is_never_posted() {
    let (store, _) = store_with_open_pulse(None).await;
    nothing_owed(store).await;
}

#[tokio::test]
async fn a_pulse_closed_before_its_reminder_gets_none() {
    let (store, pulse_id) = store_with_open_pulse(Some(24)).await;
    assert!(store.close_pulse(pulse_id).await.expect("close"));
    nothing_owed(store).await;
}

#[tokio::test]
async fn the_same_start_with_the_reminder_on_catches_it_up() {
    let (store, _) = store_with_open_pulse(Some(24)).await;
    let mut h = Harness::start(
        store,
        ManualClock::new(at("2026-12-01T09:30:00Z")),
        FakePoster::new(),
    )
    .await;
    h.expect(reminder_posted).await;
    assert_eq!(h.poster.posts_in(CHANNEL).len(), 1);
    h.stop().await;
}

#[test]
fn a_reminder_is_due_its_lead_before_the_close_and_never_at_or_before_the_opening() {
    let opened = at("2026-11-30T09:00:00Z");
    let closes = at("2026-12-02T09:00:00Z");
    assert_eq!(
        reminder_at(opened, closes, 24),
        Some(at("2026-12-01T09:00:00Z"))
    );
    assert_eq!(
        reminder_at(opened, closes, 1),
        Some(at("2026-12-02T08:00:00Z"))
    );
    assert_eq!(reminder_at(opened, closes, 48), None, "as it opens");
    assert_eq!(reminder_at(opened, at("2026-12-01T09:00:00Z"), 24), None);
}
