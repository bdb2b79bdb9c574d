//! The poll duration parser (`5m`, `1h30m`, `2 days`): a duration within the poll limits or a
//! message saying what to write, never a panic or an overflow.
#![no_main]

use bridgebot::limits;
use bridgebot::reply::poll::{discord_hours, ends_early, parse_duration};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(duration) = parse_duration(&text) else {
        return;
    };
    let minutes = duration.as_secs() / 60;
    assert!(
        minutes >= limits::POLL_MIN_MINUTES,
        "{text:?} gave {minutes} min"
    );
    assert!(
        minutes <= limits::POLL_MAX_DAYS * 24 * 60,
        "{text:?} gave {minutes} min"
    );
    let hours = discord_hours(duration);
    assert!(
        (1..=limits::POLL_MAX_HOURS).contains(&hours),
        "{hours} hours"
    );
    let _ = ends_early(duration);
});
