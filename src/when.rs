//! When something a server set up is due: pure arithmetic over its time of day, zone and days.
//!
//! A leaf module (jiff only): the store keeps these values, the scheduler plans with them and
//! the commands parse them, so they are parsed into types once, here, and nowhere else.
//!
//! A tip is set for a local time of day. On a spring-forward day that time may not exist; the
//! tip is then due at the first instant after the gap. On a fall-back day the time exists
//! twice; the tip is due at the first of the two, and the post log (keyed by local date)
//! makes sure the second passes without a post.

use std::fmt;
use std::sync::OnceLock;

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ToSpan};

/// A time of day on a 24-hour clock, to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DailyTime {
    hour: i8,
    minute: i8,
}

impl DailyTime {
    /// 09:00, the daily tip's time unless it is given another.
    pub const NINE_AM: DailyTime = DailyTime { hour: 9, minute: 0 };

    pub const fn new(hour: i8, minute: i8) -> Option<DailyTime> {
        if hour >= 0 && hour < 24 && minute >= 0 && minute < 60 {
            Some(DailyTime { hour, minute })
        } else {
            None
        }
    }

    /// A time of day as people write it: `09:00`, `9:00` and `21:30` on a 24-hour clock, or
    /// `9am`, `9 pm`, `9:30am` and `12pm` on a 12-hour one.
    pub fn parse(text: &str) -> Result<DailyTime, String> {
        let bad = || {
            format!(
                "“{}” is not a time of day. Write it like 09:00, 9:00, 21:30 or 9am.",
                crate::text::clip(text.trim(), 40)
            )
        };
        let lower = text.trim().to_ascii_lowercase();
        let (clock, half) = match lower
            .strip_suffix("am")
            .map(|rest| (rest, Some(false)))
            .or_else(|| lower.strip_suffix("pm").map(|rest| (rest, Some(true))))
        {
            Some((rest, half)) => (rest.trim_end(), half),
            None => (lower.as_str(), None),
        };
        let number = |part: &str| -> Option<i8> {
            (1..=2).contains(&part.len()).then_some(())?;
            part.bytes().all(|b| b.is_ascii_digit()).then_some(())?;
            part.parse().ok()
        };
        let (hour, minute) = match (clock.split_once(':'), half) {
            (Some((hour, minute)), _) => (hour, Some(minute)),
            // A bare hour is a time only with am or pm: "9" alone could be either.
            (None, Some(_)) => (clock, None),
            (None, None) => return Err(bad()),
        };
        let hour = number(hour).ok_or_else(bad)?;
        let minute = match minute {
            Some(minute) if minute.len() == 2 => number(minute).ok_or_else(bad)?,
            Some(_) => return Err(bad()),
            None => 0,
        };
        let hour = match half {
            None => hour,
            Some(_) if !(1..=12).contains(&hour) => return Err(bad()),
            Some(pm) => hour % 12 + if pm { 12 } else { 0 },
        };
        DailyTime::new(hour, minute).ok_or_else(bad)
    }

    fn civil(self) -> Time {
        Time::constant(self.hour, self.minute, 0, 0)
    }
}

impl fmt::Display for DailyTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// Which days a tip is posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Days {
    EveryDay,
    /// Monday to Friday.
    Weekdays,
    /// Once a week, on this day (scheduled polls).
    Weekly(Weekday),
}

impl Days {
    pub fn includes(self, date: Date) -> bool {
        match self {
            Days::EveryDay => true,
            Days::Weekdays => !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday),
            Days::Weekly(day) => date.weekday() == day,
        }
    }

    /// How the daily tip's choice is stored (a weekly schedule stores its weekday instead).
    pub fn key(self) -> &'static str {
        match self {
            Days::EveryDay => "every_day",
            Days::Weekdays => "weekdays",
            Days::Weekly(_) => "weekly",
        }
    }

    pub fn from_key(key: &str) -> Option<Days> {
        match key {
            "every_day" => Some(Days::EveryDay),
            "weekdays" => Some(Days::Weekdays),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Days::EveryDay => "every day",
            Days::Weekdays => "weekdays (Monday to Friday)",
            Days::Weekly(day) => match day {
                Weekday::Monday => "every Monday",
                Weekday::Tuesday => "every Tuesday",
                Weekday::Wednesday => "every Wednesday",
                Weekday::Thursday => "every Thursday",
                Weekday::Friday => "every Friday",
                Weekday::Saturday => "every Saturday",
                Weekday::Sunday => "every Sunday",
            },
        }
    }
}

/// The names of every time zone in the bundled database, sorted.
pub fn zone_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .map(|name| name.to_string())
            .collect();
        names.sort();
        names
    })
}

/// A time zone from the bundled database, under the IANA name it is stored and shown with.
#[derive(Debug, Clone)]
pub struct Zone {
    name: String,
    zone: TimeZone,
}

impl Zone {
    /// A zone by its IANA name, ignoring case (`europe/paris` finds `Europe/Paris`).
    pub fn parse(name: &str) -> Result<Zone, String> {
        let wanted = name.trim();
        let canonical = zone_names()
            .iter()
            .find(|known| known.eq_ignore_ascii_case(wanted))
            .ok_or_else(|| {
                format!(
                    "“{}” is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or Asia/Tokyo (start typing and pick one from the list).",
                    crate::text::clip(wanted, 60)
                )
            })?;
        let zone = TimeZone::get(canonical)
            .map_err(|e| format!("cannot load time zone {canonical}: {e}"))?;
        Ok(Zone {
            name: canonical.clone(),
            zone,
        })
    }

    /// Coordinated Universal Time, the zone used when none is given.
    pub fn utc() -> Zone {
        Zone {
            name: "UTC".into(),
            zone: TimeZone::UTC,
        }
    }

    /// The canonical IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone, for arithmetic.
    pub fn tz(&self) -> &TimeZone {
        &self.zone
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// One day's due moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// The server's local date it belongs to: the key of the post log.
    pub date: Date,
    pub at: Timestamp,
}

/// When a schedule posts: a local time of day, in one zone, on some days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub time: DailyTime,
    pub zone: Zone,
    pub days: Days,
}

/// How far to look for the next or previous posting day: a week and a day, so a weekly
/// schedule always finds one.
const SEARCH_DAYS: i64 = 8;

impl Recurrence {
    /// The due moment on `date`, if the tip is posted that day.
    pub fn on(&self, date: Date) -> Option<Occurrence> {
        self.days.includes(date).then(|| Occurrence {
            date,
            at: instant_of(self.zone.tz(), date.to_datetime(self.time.civil())),
        })
    }

    /// The first occurrence strictly after `after`.
    pub fn next_after(&self, after: Timestamp) -> Option<Occurrence> {
        let today = after.to_zoned(self.zone.tz().clone()).date();
        (-1..=SEARCH_DAYS)
            .filter_map(|offset| today.checked_add(offset.days()).ok())
            .filter_map(|date| self.on(date))
            .find(|occurrence| occurrence.at > after)
    }

    /// The latest occurrence at or before `at`.
    pub fn latest_at_or_before(&self, at: Timestamp) -> Option<Occurrence> {
        let today = at.to_zoned(self.zone.tz().clone()).date();
        (-SEARCH_DAYS..=1)
            .rev()
            .filter_map(|offset| today.checked_add(offset.days()).ok())
            .filter_map(|date| self.on(date))
            .find(|occurrence| occurrence.at <= at)
    }

    /// The local date of an instant in this schedule's zone.
    pub fn local_date(&self, at: Timestamp) -> Date {
        at.to_zoned(self.zone.tz().clone()).date()
    }
}

/// When a duty is due: a schedule that repeats, or moments fixed in advance (a pulse's
/// close, whenever and however the pulse was opened).
#[derive(Debug, Clone)]
pub enum Timetable {
    Recurring(Recurrence),
    /// Each moment with the date that keys it in the post log, in time order.
    Fixed(Vec<Occurrence>),
}

impl Timetable {
    /// The first occurrence strictly after `after`.
    pub fn next_after(&self, after: Timestamp) -> Option<Occurrence> {
        match self {
            Timetable::Recurring(schedule) => schedule.next_after(after),
            Timetable::Fixed(moments) => moments.iter().find(|o| o.at > after).copied(),
        }
    }

    /// The latest occurrence at or before `at`.
    pub fn latest_at_or_before(&self, at: Timestamp) -> Option<Occurrence> {
        match self {
            Timetable::Recurring(schedule) => schedule.latest_at_or_before(at),
            Timetable::Fixed(moments) => moments.iter().rev().find(|o| o.at <= at).copied(),
        }
    }

    /// What a post asked for at `at`, outside the timetable, counts as: that local day of a
    /// schedule. A fixed moment cannot be asked for early.
    pub fn asked_for(&self, at: Timestamp) -> Option<Occurrence> {
        match self {
            Timetable::Recurring(schedule) => Some(Occurrence {
                date: schedule.local_date(at),
                at,
            }),
            Timetable::Fixed(_) => None,
        }
    }
}

impl From<Recurrence> for Timetable {
    fn from(schedule: Recurrence) -> Timetable {
        Timetable::Recurring(schedule)
    }
}

/// The instant a local date and time names: the earlier of two in a repeated hour, and the
/// first instant after the gap for a time skipped by a spring-forward change.
fn instant_of(zone: &TimeZone, local: DateTime) -> Timestamp {
    let ambiguous = zone.to_ambiguous_zoned(local);
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { offset } | AmbiguousOffset::Fold { before: offset, .. } => {
            offset.to_timestamp(local).unwrap_or(Timestamp::MAX)
        }
        AmbiguousOffset::Gap { after, .. } => {
            // Read with the later offset, the local time lands just before the transition;
            // the transition itself is the first instant that exists after the gap.
            let before_gap = after.to_timestamp(local).unwrap_or(Timestamp::MAX);
            zone.following(before_gap)
                .next()
                .map_or(before_gap, |transition| transition.timestamp())
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn schedule(zone: &str, hour: i8, minute: i8, days: Days) -> Recurrence {
        Recurrence {
            time: DailyTime::new(hour, minute).expect("valid time"),
            zone: Zone::parse(zone).expect("zone"),
            days,
        }
    }

    fn local(schedule: &Recurrence, at: Timestamp) -> String {
        at.to_zoned(schedule.zone.tz().clone())
            .strftime("%Y-%m-%d %H:%M %Z")
            .to_string()
    }

    fn ts(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    #[test]
    fn times_parse_as_people_write_them_and_reject_the_rest() {
        for (text, hour, minute) in [
            ("09:00", 9, 0),
            ("9:00", 9, 0),
            (" 7:05 ", 7, 5),
            ("21:30", 21, 30),
            ("9am", 9, 0),
            ("9 AM", 9, 0),
            ("9:30pm", 21, 30),
            ("12pm", 12, 0),
            ("12am", 0, 0),
            ("12:15 am", 0, 15),
            ("0:00", 0, 0),
        ] {
            assert_eq!(
                DailyTime::parse(text),
                Ok(DailyTime::new(hour, minute).expect("t")),
                "{text}"
            );
        }
        for bad in [
            "25:99", "24:00", "9", "09:5x", "-1:30", "", "12:345", "13pm", "0am", "9:5", "9:5am",
            "am", "+9:00", "9h",
        ] {
            let error = DailyTime::parse(bad).expect_err(bad);
            assert!(error.contains("09:00, 9:00, 21:30 or 9am"), "{error}");
        }
    }

    #[test]
    fn zones_are_found_by_name_ignoring_case() {
        assert_eq!(
            Zone::parse("europe/paris").expect("zone").name(),
            "Europe/Paris"
        );
        assert!(Zone::parse("Mars/Olympus")
            .expect_err("unknown")
            .contains("Europe/Berlin"));
        assert!(zone_names().len() > 300);
    }

    #[test]
    fn a_nine_oclock_tip_stays_at_nine_local_across_both_changes() {
        for zone in ["Europe/Berlin", "America/New_York", "Australia/Sydney"] {
            let s = schedule(zone, 9, 0, Days::EveryDay);
            let mut at = ts("2026-01-01T00:00:00Z");
            for _ in 0..400 {
                let next = s.next_after(at).expect("a next day");
                assert!(
                    local(&s, next.at).contains(" 09:00 "),
                    "{zone}: {}",
                    local(&s, next.at)
                );
                assert_eq!(s.local_date(next.at), next.date);
                at = next.at;
            }
        }
    }

    #[test]
    fn a_time_skipped_by_spring_forward_posts_at_the_first_instant_after_the_gap() {
        // Berlin skips 02:00-03:00 on 2026-03-29; New York on 2026-03-08; Sydney's spring is
        // 2026-10-04.
        for (zone, day, expected) in [
            ("Europe/Berlin", date(2026, 3, 29), "2026-03-29 03:00"),
            ("America/New_York", date(2026, 3, 8), "2026-03-08 03:00"),
            ("Australia/Sydney", date(2026, 10, 4), "2026-10-04 03:00"),
        ] {
            let s = schedule(zone, 2, 30, Days::EveryDay);
            let occurrence = s.on(day).expect("every day");
            assert!(
                local(&s, occurrence.at).starts_with(expected),
                "{zone}: {}",
                local(&s, occurrence.at)
            );
            assert_eq!(occurrence.date, day);
        }
    }

    #[test]
    fn a_repeated_hour_posts_at_the_first_of_the_two() {
        // Berlin repeats 02:00-03:00 on 2026-10-25: first at +02:00 (00:30 UTC).
        let s = schedule("Europe/Berlin", 2, 30, Days::EveryDay);
        let occurrence = s.on(date(2026, 10, 25)).expect("every day");
        assert_eq!(occurrence.at, ts("2026-10-25T00:30:00Z"));
        // And the next one after it is the following day, not the second 02:30.
        let next = s.next_after(occurrence.at).expect("next");
        assert_eq!(next.date, date(2026, 10, 26));
    }

    #[test]
    fn weekdays_skip_saturday_and_sunday() {
        let s = schedule("UTC", 9, 0, Days::Weekdays);
        // 2026-11-27 is a Friday.
        let next = s.next_after(ts("2026-11-27T10:00:00Z")).expect("next");
        assert_eq!(next.date, date(2026, 11, 30));
        assert_eq!(next.date.weekday(), Weekday::Monday);
        assert!(s.on(date(2026, 11, 28)).is_none());
    }

    #[test]
    fn a_weekly_schedule_posts_on_its_day_only() {
        let s = schedule("Europe/Berlin", 10, 0, Days::Weekly(Weekday::Wednesday));
        let next = s.next_after(ts("2026-11-26T12:00:00Z")).expect("next");
        assert_eq!(next.date, date(2026, 12, 2));
        assert_eq!(next.date.weekday(), Weekday::Wednesday);
        assert_eq!(
            s.next_after(next.at).expect("after").date,
            date(2026, 12, 9)
        );
    }

    #[test]
    fn latest_at_or_before_finds_the_occurrence_just_passed() {
        let s = schedule("America/New_York", 9, 0, Days::Weekdays);
        // Monday 2026-11-30 10:00 New York = 15:00 UTC.
        let latest = s
            .latest_at_or_before(ts("2026-11-30T15:00:00Z"))
            .expect("latest");
        assert_eq!(latest.date, date(2026, 11, 30));
        assert_eq!(latest.at, ts("2026-11-30T14:00:00Z"));
        // Monday 08:00: the latest is Friday's.
        let latest = s
            .latest_at_or_before(ts("2026-11-30T13:00:00Z"))
            .expect("latest");
        assert_eq!(latest.date, date(2026, 11, 27));
        // Exactly at the due moment counts.
        assert_eq!(
            s.latest_at_or_before(ts("2026-11-30T14:00:00Z"))
                .expect("at")
                .date,
            date(2026, 11, 30)
        );
    }
}
