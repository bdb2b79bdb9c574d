//! A server's schedule for one duty: where it posts, when, whether it is paused, since when a
//! post is owed, and the duty's own options.
//!
//! The four duties a server sets up (the daily tip, the weekly poll, the team pulse, the weekly
//! digest) share this one shape, one table and one store API; what differs is each duty's
//! options ([`TipOptions`], [`PollOptions`], [`PulseOptions`], [`DigestOptions`]), kept beside
//! the shared columns as JSON. The rules every schedule follows (pausing keeps the day it was
//! owed from; resuming owes nothing for the time paused) live here, once.

use std::fmt::Debug;

use jiff::civil::Date;
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::duty::{all_of, DutyKind, Permission};
use super::poll::{PollDuration, PollKind};
use crate::when::Recurrence;

/// A duty's own part of a schedule, and which duty it belongs to.
pub trait DutyOptions:
    Serialize + DeserializeOwned + Clone + Debug + PartialEq + Send + Sync + 'static
{
    const DUTY: DutyKind;

    /// Whether the day `date` is to pass without a post (the tip's one skipped day).
    fn skips(&self, _date: Date) -> bool {
        false
    }

    /// What the duty's posts need in the schedule's channel.
    fn needs(&self) -> Vec<Permission> {
        Self::DUTY.needs().to_vec()
    }
}

/// One server's schedule for the duty its options belong to.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule<O> {
    pub guild_id: u64,
    pub channel_id: u64,
    pub when: Recurrence,
    pub paused: bool,
    /// Nothing is owed for a moment before this (set up or resumed then).
    pub active_since: Timestamp,
    pub options: O,
}

impl<O: DutyOptions> Schedule<O> {
    /// A schedule set up at `now`: running, owing nothing before `now`.
    pub fn new(
        guild_id: u64,
        channel_id: u64,
        when: Recurrence,
        options: O,
        now: Timestamp,
    ) -> Self {
        Schedule {
            guild_id,
            channel_id,
            when,
            paused: false,
            active_since: now,
            options,
        }
    }

    /// Paused: nothing is posted until resumed.
    pub fn paused(self) -> Self {
        Schedule {
            paused: true,
            ..self
        }
    }

    /// Resumed at `now`: the days that passed while it was paused are not owed.
    pub fn resumed(self, now: Timestamp) -> Self {
        if !self.paused {
            return self;
        }
        Schedule {
            paused: false,
            active_since: now,
            ..self
        }
    }
}

/// The daily tip's options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TipOptions {
    /// A local date whose tip is skipped once.
    #[serde(default)]
    pub skip_date: Option<Date>,
    /// A role mentioned on each tip.
    #[serde(default)]
    pub role_id: Option<u64>,
    /// Open a discussion thread on each tip.
    #[serde(default)]
    pub thread: bool,
}

impl DutyOptions for TipOptions {
    const DUTY: DutyKind = DutyKind::Tip;

    fn skips(&self, date: Date) -> bool {
        self.skip_date == Some(date)
    }

    fn needs(&self) -> Vec<Permission> {
        let threads: &[Permission] = if self.thread {
            &[Permission::CreatePublicThreads]
        } else {
            &[]
        };
        all_of(Self::DUTY.needs(), threads)
    }
}

/// The weekly poll's options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollOptions {
    pub kind: PollKind,
    /// How long each poll runs.
    pub duration: PollDuration,
}

impl DutyOptions for PollOptions {
    const DUTY: DutyKind = DutyKind::WeeklyPoll;
}

/// Hours before a pulse closes that its reminder is posted, unless the server said otherwise.
pub const DEFAULT_REMIND_HOURS: u8 = 24;

fn default_remind_hours() -> Option<u8> {
    Some(DEFAULT_REMIND_HOURS)
}

/// The team pulse's options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PulseOptions {
    /// Statements asked each week (2 or 3).
    pub questions: u8,
    /// Days each pulse stays open (1 to 6).
    pub open_days: u8,
    /// Hours before the close that a reminder is posted; `None` when the server turned it off.
    /// A row saved before reminders existed reads the default.
    #[serde(default = "default_remind_hours")]
    pub remind_hours: Option<u8>,
    /// A role mentioned on each pulse post and its reminder; none, and they mention nobody.
    #[serde(default)]
    pub role_id: Option<u64>,
    /// Members with this role may choose the team's focus, besides those with Manage Server.
    #[serde(default)]
    pub lead_role_id: Option<u64>,
}

impl PulseOptions {
    /// `questions` statements open `open_days` days, reminded at the default time, mentioning
    /// nobody.
    pub fn new(questions: u8, open_days: u8) -> PulseOptions {
        PulseOptions {
            questions,
            open_days,
            remind_hours: default_remind_hours(),
            role_id: None,
            lead_role_id: None,
        }
    }
}

impl DutyOptions for PulseOptions {
    const DUTY: DutyKind = DutyKind::Pulse;

    /// The pulse's channel also gets its result, with its chart.
    fn needs(&self) -> Vec<Permission> {
        all_of(Self::DUTY.needs(), DutyKind::PulseResult.needs())
    }
}

/// The weekly digest has no options of its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestOptions {}

impl DutyOptions for DigestOptions {
    const DUTY: DutyKind = DutyKind::Digest;
}

/// The schedules a server sets up.
pub type TipSchedule = Schedule<TipOptions>;
pub type PollSchedule = Schedule<PollOptions>;
pub type PulseSchedule = Schedule<PulseOptions>;
pub type DigestSchedule = Schedule<DigestOptions>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::when::{DailyTime, Days, Zone};

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(second).expect("ts")
    }

    fn tip() -> TipSchedule {
        Schedule::new(
            1,
            10,
            Recurrence {
                time: DailyTime::new(9, 0).expect("time"),
                zone: Zone::utc(),
                days: Days::Weekdays,
            },
            TipOptions::default(),
            at(1_000),
        )
    }

    #[test]
    fn resuming_owes_nothing_for_the_time_paused_and_pausing_keeps_what_was_owed() {
        let paused = tip().paused();
        assert!(paused.paused);
        assert_eq!(
            paused.active_since,
            at(1_000),
            "pausing keeps the day it was owed from"
        );
        let resumed = paused.resumed(at(5_000));
        assert!(!resumed.paused);
        assert_eq!(resumed.active_since, at(5_000));
        let again = resumed.clone().resumed(at(9_000));
        assert_eq!(
            again, resumed,
            "resuming a running schedule changes nothing"
        );
    }

    #[test]
    fn a_tip_skips_only_its_skip_date() {
        let mut schedule = tip();
        schedule.options.skip_date = Some(jiff::civil::date(2026, 12, 1));
        assert!(schedule.options.skips(jiff::civil::date(2026, 12, 1)));
        assert!(!schedule.options.skips(jiff::civil::date(2026, 12, 2)));
        assert!(!PulseOptions::new(3, 2).skips(jiff::civil::date(2026, 12, 1)));
    }

    #[test]
    fn a_pulse_saved_before_reminders_reads_the_default_reminder_and_off_stays_off() {
        let old: PulseOptions =
            serde_json::from_str(r#"{"questions":3,"open_days":2}"#).expect("old row");
        assert_eq!(old, PulseOptions::new(3, 2));
        assert_eq!(old.remind_hours, Some(DEFAULT_REMIND_HOURS));
        let off = PulseOptions {
            remind_hours: None,
            ..PulseOptions::new(2, 1)
        };
        let read: PulseOptions =
            serde_json::from_str(&serde_json::to_string(&off).expect("json")).expect("read");
        assert_eq!(
            read.remind_hours, None,
            "off is kept, not read as the default"
        );
    }

    #[test]
    fn a_tip_with_threads_and_a_pulse_with_its_result_need_more() {
        let mut options = TipOptions::default();
        assert!(!options.needs().contains(&Permission::CreatePublicThreads));
        options.thread = true;
        assert!(options.needs().contains(&Permission::CreatePublicThreads));
        let pulse = PulseOptions::new(3, 2);
        assert!(pulse.needs().contains(&Permission::AttachFiles));
    }
}
