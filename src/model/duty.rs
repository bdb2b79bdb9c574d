//! Which scheduled duty a log row belongs to, and where it stands.
//!
//! Every duty the scheduler delivers (the daily tip, the weekly poll, the pulse, the digest) keeps one log row per
//! server and local date in the same table, with the same statuses, so claiming, recording and
//! recovering are written once for all of them.

use std::fmt;

/// A kind of scheduled post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DutyKind {
    /// The daily tip.
    Tip,
    /// The weekly poll.
    WeeklyPoll,
    /// Opening the week's team pulse.
    Pulse,
    /// Closing the week's team pulse and posting its result.
    PulseResult,
    /// The weekly digest for the team's lead.
    Digest,
}

impl DutyKind {
    pub const ALL: [DutyKind; 5] = [
        DutyKind::Tip,
        DutyKind::WeeklyPoll,
        DutyKind::Pulse,
        DutyKind::PulseResult,
        DutyKind::Digest,
    ];

    /// The word stored in the database and used in metrics labels.
    pub fn as_str(self) -> &'static str {
        match self {
            DutyKind::Tip => "tip",
            DutyKind::WeeklyPoll => "weekly_poll",
            DutyKind::Pulse => "pulse",
            DutyKind::PulseResult => "pulse_result",
            DutyKind::Digest => "digest",
        }
    }

    /// The duty a stored word names.
    pub fn from_stored(word: &str) -> Option<DutyKind> {
        DutyKind::ALL.into_iter().find(|kind| kind.as_str() == word)
    }

    /// How the duty is named in logs and messages: "daily tip", "weekly poll".
    pub fn label(self) -> &'static str {
        match self {
            DutyKind::Tip => "daily tip",
            DutyKind::WeeklyPoll => "weekly poll",
            DutyKind::Pulse => "team pulse",
            DutyKind::PulseResult => "team pulse result",
            DutyKind::Digest => "weekly digest",
        }
    }
}

impl fmt::Display for DutyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Where one day of a duty stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DutyStatus {
    /// Claimed: being sent now, or the process stopped while sending (recovered at start).
    Sending,
    Posted,
    /// Skipped on purpose (`/tips skip`).
    Skipped,
    /// The bot was down past the catch-up window.
    Missed,
    /// Could not be posted; the detail says why.
    Failed,
}

impl DutyStatus {
    pub const ALL: [DutyStatus; 5] = [
        DutyStatus::Sending,
        DutyStatus::Posted,
        DutyStatus::Skipped,
        DutyStatus::Missed,
        DutyStatus::Failed,
    ];

    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DutyStatus::Sending => "sending",
            DutyStatus::Posted => "posted",
            DutyStatus::Skipped => "skipped",
            DutyStatus::Missed => "missed",
            DutyStatus::Failed => "failed",
        }
    }

    /// The status a stored word names.
    pub fn from_stored(word: &str) -> Option<DutyStatus> {
        DutyStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_read_back_what_they_store() {
        for kind in DutyKind::ALL {
            assert_eq!(DutyKind::from_stored(kind.as_str()), Some(kind));
        }
        for status in DutyStatus::ALL {
            assert_eq!(DutyStatus::from_stored(status.as_str()), Some(status));
        }
        assert_eq!(DutyKind::from_stored("tips"), None);
    }
}
