//! What the `/pulse` admin commands answer beyond what every schedule answers
//! (`schedules.rs`). Never a per-statement number of an open pulse: only how many answered and
//! when it closes.

use jiff::civil::Date;
use jiff::Timestamp;

use super::schedules::when;
use super::Reply;

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
    pub(super) fn sentence(&self) -> String {
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

impl OpenPulse {
    pub(super) fn sentence(&self) -> String {
        format!(
            "The pulse of the week of {} is open: {} answered so far; it closes {}.",
            self.week,
            self.answered,
            when(self.closes_at)
        )
    }
}

/// The pulse's `open_for` in the one duration format every `open_for` takes (`2d`, `48h`,
/// `2 days`: [`PollDuration::parse`]), as whole days from 1 to 6.
pub fn parse_open_for(text: &str) -> Result<u8, String> {
    let duration = crate::model::poll::PollDuration::parse(text)?;
    let minutes = duration.minutes();
    let days = minutes / (24 * 60);
    (minutes % (24 * 60) == 0 && (1..=6).contains(&days))
        .then(|| u8::try_from(days).ok())
        .flatten()
        .ok_or_else(|| {
            format!("A team pulse stays open for whole days, from 1d to 6d: write it like 2d, not {duration}.")
        })
}

/// `/pulse setup` with the server's @everyone role.
pub const NOT_EVERYONE: &str =
    "The pulse never mentions @everyone. Pick a role made for the purpose, or leave `role` empty.";

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

/// Why `/pulse now` could not post when the database failed (the error itself is logged).
pub const DATABASE_FAILED: &str =
    "the database failed (it is in the bot's log); it is tried again at the next start";

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
        assert_eq!(parse_open_for("6d"), Ok(6));
        assert_eq!(parse_open_for("48h"), Ok(2));
        assert!(parse_open_for("6").is_err(), "a bare number, as everywhere");
        assert!(parse_open_for("36h").is_err());
        assert!(parse_open_for("7d").is_err());
        assert!(parse_open_for("0d").is_err());
        assert!(parse_open_for("two").is_err());
    }
}

/// Longest lead a reminder may have: six days, the longest a pulse stays open.
pub const MAX_REMIND_HOURS: u8 = 144;

/// `remind_before` as a member types it: `24h`, `24` (hours), `1d` (days), or `off`. `None`
/// means no reminder.
pub fn parse_remind_before(text: &str) -> Result<Option<u8>, String> {
    let trimmed = text.trim().to_ascii_lowercase();
    if trimmed == "off" {
        return Ok(None);
    }
    let (digits, per) = match trimmed.strip_suffix('d') {
        Some(days) => (days, 24),
        None => (trimmed.trim_end_matches('h'), 1),
    };
    digits
        .trim()
        .parse::<u16>()
        .ok()
        .and_then(|n| n.checked_mul(per))
        .and_then(|hours| u8::try_from(hours).ok())
        .filter(|hours| (1..=MAX_REMIND_HOURS).contains(hours))
        .map(Some)
        .ok_or_else(|| {
            format!(
                "`{text}` is not a time before the close: write it like `24h` or `1d` (1 hour to 6 days), or `off` for no reminder"
            )
        })
}

/// The reminder as the setup and the status say it.
pub fn reminder_setting(hours: Option<u8>) -> String {
    match hours {
        Some(1) => "1 hour before it closes".to_string(),
        Some(hours) if hours % 24 == 0 && hours > 24 => {
            format!("{} days before it closes", hours / 24)
        }
        Some(hours) => format!("{hours} hours before it closes"),
        None => "off".to_string(),
    }
}

#[cfg(test)]
mod reminder_tests {
    use super::*;

    #[test]
    fn remind_before_reads_hours_days_and_off_and_refuses_the_rest() {
        assert_eq!(parse_remind_before("24h"), Ok(Some(24)));
        assert_eq!(parse_remind_before(" 12 "), Ok(Some(12)));
        assert_eq!(parse_remind_before("2d"), Ok(Some(48)));
        assert_eq!(parse_remind_before("OFF"), Ok(None));
        for wrong in ["0h", "7d", "145h", "soon", "-3h", ""] {
            let error = parse_remind_before(wrong).expect_err(wrong);
            assert!(
                error.contains("`24h`") && error.contains("`off`"),
                "{error}"
            );
        }
        assert_eq!(reminder_setting(Some(24)), "24 hours before it closes");
        assert_eq!(reminder_setting(Some(48)), "2 days before it closes");
        assert_eq!(reminder_setting(None), "off");
    }
}
