//! The time-of-day and time-zone parsers, and the schedule arithmetic on what they accept:
//! `HH:MM`, an IANA zone name, and an instant anywhere in jiff's range. Nothing may panic,
//! and the next occurrence must lie after the instant asked about.
#![no_main]

use bridgebot::when::{DailyTime, Days, Schedule, Zone};
use jiff::Timestamp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((seconds, rest)) = data.split_first_chunk::<8>() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (time_text, zone_text) = text.split_once('\n').unwrap_or((&text, "UTC"));
    let time = DailyTime::parse(time_text);
    let zone = Zone::parse(zone_text);
    let (Ok(time), Ok(zone)) = (time, zone) else {
        return;
    };
    let span = Timestamp::MAX.as_second() - Timestamp::MIN.as_second();
    let offset = i64::from_le_bytes(*seconds).rem_euclid(span);
    let Ok(at) = Timestamp::from_second(Timestamp::MIN.as_second() + offset) else {
        return;
    };
    for days in [Days::EveryDay, Days::Weekdays] {
        let schedule = Schedule {
            time,
            zone: zone.clone(),
            days,
        };
        if let Some(next) = schedule.next_after(at) {
            assert!(next.at > at, "next occurrence {next:?} is not after {at}");
        }
        if let Some(latest) = schedule.latest_at_or_before(at) {
            assert!(
                latest.at <= at,
                "latest occurrence {latest:?} is after {at}"
            );
        }
        let _ = schedule.on(schedule.local_date(at));
    }
});
