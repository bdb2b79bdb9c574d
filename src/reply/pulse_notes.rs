//! What the `/pulse` admin commands answer. Never a per-statement number of an open pulse:
//! only how many answered and when it closes.

use jiff::civil::{Date, Weekday};
use jiff::Timestamp;

use super::Reply;
use crate::when::{DailyTime, Zone};

/// A server's pulse settings, as the answers show them.
#[derive(Debug, Clone)]
pub struct Settings<'a> {
    pub channel_id: u64,
    pub weekday: Weekday,
    pub time: DailyTime,
    pub zone: &'a Zone,
    pub questions: u8,
    pub open_days: u8,
    pub paused: bool,
}

/// How the last pulse's result went, for `/pulse status`.
#[derive(Debug, Clone)]
pub struct LastResult {
    /// The pulse's week.
    pub week: Date,
    pub status: crate::model::duty::DutyStatus,
    /// When it was posted, or why not.
    pub detail: Option<String>,
    pub due_at: Timestamp,
    pub recorded_at: Timestamp,
}

impl LastResult {
    fn sentence(&self) -> String {
        use crate::model::duty::DutyStatus;
        let week = self.week;
        let why = self.detail.as_deref().unwrap_or("no reason was recorded");
        match self.status {
            DutyStatus::Posted if self.recorded_at.duration_since(self.due_at).as_secs() >= 60 => {
                format!(
                    "The result of the week of {week} was posted late, {}.",
                    when(self.recorded_at)
                )
            }
            DutyStatus::Posted => format!(
                "The result of the week of {week} was posted {}.",
                when(self.recorded_at)
            ),
            DutyStatus::Sending => {
                format!("The result of the week of {week} is being posted.")
            }
            DutyStatus::Missed => format!(
                "The result of the week of {week} was not posted: {why}. Its answers were deleted when it closed, as always; the counts are kept and show in `/pulse trend`."
            ),
            DutyStatus::Failed | DutyStatus::Skipped => {
                format!("The result of the week of {week} was not posted: {why}.")
            }
        }
    }
}

/// The open pulse, as far as anyone is shown it before it closes.
#[derive(Debug, Clone, Copy)]
pub struct OpenPulse {
    pub week: Date,
    pub answered: u32,
    pub closes_at: Timestamp,
}

fn when(at: Timestamp) -> String {
    format!("<t:{}:F>", at.as_second())
}

/// `open_for` as a member types it: `2d` or `2` (days, 1 to 6).
pub fn parse_open_for(text: &str) -> Result<u8, String> {
    let digits = text.trim().trim_end_matches(['d', 'D']).trim();
    digits
        .parse::<u8>()
        .ok()
        .filter(|d| (1..=6).contains(d))
        .ok_or_else(|| format!("`{text}` is not a number of days from 1 to 6: write it like `2d`"))
}

/// The answer to `/pulse setup`.
pub fn set_up(settings: &Settings<'_>, next: Option<Timestamp>) -> Reply {
    Reply::private_note(format!(
        "A team pulse will open in <#{}> every {:?} at {} ({}), with {} statements, open for {} day(s). Next: {}.",
        settings.channel_id,
        settings.weekday,
        settings.time,
        settings.zone,
        settings.questions,
        settings.open_days,
        next.map_or_else(|| "not scheduled".into(), when)
    ))
}

pub fn not_set_up() -> Reply {
    Reply::private_note(
        "There is no team pulse in this server yet. Set one up with `/pulse setup`.",
    )
}

/// The answer to `/pulse status`: the schedule and the open pulse's count, nothing more.
pub fn status(
    settings: &Settings<'_>,
    open: Option<OpenPulse>,
    last: Option<&LastResult>,
    next: Option<Timestamp>,
) -> Reply {
    let state = if settings.paused { "paused" } else { "running" };
    let open = match open {
        Some(pulse) => format!(
            "The pulse of the week of {} is open: {} answered so far; it closes {}.",
            pulse.week,
            pulse.answered,
            when(pulse.closes_at)
        ),
        None => "No pulse is open now.".into(),
    };
    let last = last
        .map(|l| format!(" {}", l.sentence()))
        .unwrap_or_default();
    Reply::private_note(format!(
        "Team pulse in <#{}>: {state}, every {:?} at {} ({}). {open}{last} Next: {}.",
        settings.channel_id,
        settings.weekday,
        settings.time,
        settings.zone,
        next.map_or_else(|| "not scheduled".into(), when)
    ))
}

pub fn paused(done: bool) -> Reply {
    Reply::private_note(if done {
        "The team pulse is paused. A pulse already open still closes and gets its result. Resume with `/pulse resume`."
    } else {
        "There is no team pulse to pause. Set one up with `/pulse setup`."
    })
}

pub fn resumed(done: bool) -> Reply {
    Reply::private_note(if done {
        "The team pulse is running again; no pulse is owed for the time it was paused."
    } else {
        "There is no team pulse to resume. Set one up with `/pulse setup`."
    })
}

pub fn stopped(done: bool) -> Reply {
    Reply::private_note(if done {
        "The team pulse is stopped. Past results are kept (counts only); an open pulse is closed when its time is up."
    } else {
        "There is no team pulse in this server to stop."
    })
}

/// `/pulse now` when the week already has one.
pub fn already_this_week(week: Date) -> Reply {
    Reply::private_note(format!(
        "This week already has a team pulse (week of {week}); a server gets one a week."
    ))
}

/// `/pulse now` done.
pub fn started(channel_id: u64, closes_at: Timestamp) -> Reply {
    Reply::private_note(format!(
        "A team pulse is open in <#{channel_id}> until {}.",
        when(closes_at)
    ))
}

/// `/pulse now` while the weekly pulse is paused.
pub fn paused_now() -> Reply {
    Reply::private_note(
        "The team pulse is paused. Resume it with `/pulse resume`, then start one with `/pulse now`.",
    )
}

/// `/pulse now` accepted, the post not out yet (Discord is slow, or it is being sent).
pub fn on_its_way(channel_id: u64) -> Reply {
    Reply::private_note(format!(
        "The team pulse is on its way to <#{channel_id}>; it appears as soon as Discord takes it."
    ))
}

/// `/pulse now` could not post.
pub fn not_started(detail: &str) -> Reply {
    Reply::private_note(format!("I could not post the team pulse: {detail}"))
}

/// `/pulse now` while the bot is stopping.
pub fn shutting_down() -> Reply {
    Reply::private_note(
        "I am restarting right now, so I could not start the pulse. Try `/pulse now` again in a minute.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_for_takes_one_to_six_days() {
        assert_eq!(parse_open_for("2d"), Ok(2));
        assert_eq!(parse_open_for("6"), Ok(6));
        assert!(parse_open_for("7d").is_err());
        assert!(parse_open_for("0d").is_err());
        assert!(parse_open_for("two").is_err());
    }
}
