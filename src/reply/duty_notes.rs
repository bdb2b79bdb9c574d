//! Why a day of a scheduled duty went without its post (skipped, missed, failed), in the words
//! a server's admins read in a status.
//!
//! The scheduler says what happened as a typed fact ([`DutyNote`]); only here is it put into
//! words, which the duty log keeps beside the day and every status (`/tips status`,
//! `/pulse status`, ...) shows. So `schedule` holds no sentence, a wording is changed in one
//! place, and a test can read every note a duty can leave. What Discord itself refused is
//! worded by the port (`port::PortError::explain`) and arrives here already in words.

use std::fmt;

use super::UserError;
use crate::model::duty::DutyKind;

/// What happened to a day of a duty, when it was not simply posted.
#[derive(Debug, Clone, PartialEq)]
pub enum DutyNote {
    /// `/tips skip` asked to skip this day's tip.
    SkippedAsAsked,
    /// This week's pulse was opened early with `/pulse now`, so the scheduled one was not.
    OpenedWithPulseNow,
    /// The bot was not running from the due time until the catch-up window closed.
    Missed { catch_up_hours: u32 },
    /// The tip claimed for the day was taken out of the content before it could be sent.
    TipRemoved,
    /// The content has no pulse statements for both sides to ask.
    NoStatements,
    /// The pulse whose result is due was not found closed for its week.
    PulseToReportGone,
    /// The pulse a claimed post is about is no longer in the database.
    PulseDeleted,
    /// The pulse closed before its reminder could go out.
    PulseClosedBeforeReminder,
    /// The weekly poll could not be built from the content.
    PollNotBuilt(UserError),
    /// The poll built from the content breaks Discord's limits (the problems found).
    PollBreaksLimits(Vec<String>),
    /// The channel already had a poll running (its message).
    PollChannelBusy { message_id: u64 },
    /// Another poll opened in the channel at the same moment; ours was ended.
    PollRaced,
    /// The poll was posted but could not be recorded (the database's error).
    PollNotRecorded(String),
    /// The database failed while the post was being made (its error).
    Database(String),
    /// A claim left by a previous run lacks its channel or what it was sending.
    IncompleteClaim,
    /// Every try failed until the catch-up window closed (the last error).
    KeptFailing(String),
    /// After a restart, whether the post had gone out could not be checked (why not).
    NotChecked { duty: DutyKind, why: String },
    /// Discord refused the post; the port's words say why and what to do.
    Discord(String),
    /// The bot was stopping before the post was ready; it is tried again at the next start.
    Stopping,
}

impl fmt::Display for DutyNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DutyNote::SkippedAsAsked => f.write_str("skipped with /tips skip"),
            DutyNote::OpenedWithPulseNow => {
                f.write_str("this week's pulse was started with /pulse now")
            }
            DutyNote::Missed { catch_up_hours } => write!(
                f,
                "the bot was not running from the due time until more than {catch_up_hours} hours later"
            ),
            DutyNote::TipRemoved => f.write_str("the tip was removed from the bot's texts before it was posted"),
            DutyNote::NoStatements => {
                f.write_str("the bot's texts have no pulse statements for both sides")
            }
            DutyNote::PulseToReportGone => f.write_str("the pulse to report on is gone"),
            DutyNote::PulseDeleted => f.write_str("the pulse was no longer on record"),
            DutyNote::PulseClosedBeforeReminder => {
                f.write_str("the pulse closed before its reminder could be posted")
            }
            DutyNote::PollNotBuilt(error) => write!(f, "{error}"),
            DutyNote::PollBreaksLimits(problems) => write!(
                f,
                "the poll would break Discord's limits: {}",
                problems.join("; ")
            ),
            DutyNote::PollChannelBusy { message_id } => write!(
                f,
                "a poll was still open in the channel (message {message_id})"
            ),
            DutyNote::PollRaced => {
                f.write_str("another poll opened in the channel at the same moment")
            }
            DutyNote::PollNotRecorded(error) => {
                write!(f, "the poll could not be recorded: {error}")
            }
            DutyNote::Database(error) => write!(f, "the database failed: {error}"),
            DutyNote::IncompleteClaim => f.write_str("the bot stopped halfway through preparing this post, and what it had written down was not enough to finish it"),
            DutyNote::KeptFailing(error) => write!(
                f,
                "Discord kept failing until the catch-up window closed ({error})"
            ),
            DutyNote::NotChecked { duty, why } => write!(
                f,
                "could not check whether the {} had arrived: {why}",
                duty_name(*duty)
            ),
            DutyNote::Discord(words) => f.write_str(words),
            DutyNote::Stopping => f.write_str(
                "the bot was stopping before the post was ready; it is tried again when it starts",
            ),
        }
    }
}

/// A duty as these notes name it: "daily tip", "weekly poll".
pub fn duty_name(duty: DutyKind) -> &'static str {
    match duty {
        DutyKind::Tip => "daily tip",
        DutyKind::WeeklyPoll => "weekly poll",
        DutyKind::Pulse => "team pulse",
        DutyKind::PulseResult => "team pulse result",
        DutyKind::PulseReminder => "team pulse reminder",
        DutyKind::Digest => "weekly digest",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_note_is_a_sentence_an_admin_can_read() {
        let notes = [
            DutyNote::SkippedAsAsked,
            DutyNote::OpenedWithPulseNow,
            DutyNote::Missed { catch_up_hours: 6 },
            DutyNote::TipRemoved,
            DutyNote::NoStatements,
            DutyNote::PulseToReportGone,
            DutyNote::PulseDeleted,
            DutyNote::PollNotBuilt(UserError::Invalid("the list is too short".into())),
            DutyNote::PollBreaksLimits(vec!["a".into(), "b".into()]),
            DutyNote::PollChannelBusy { message_id: 5 },
            DutyNote::PollRaced,
            DutyNote::PollNotRecorded("locked".into()),
            DutyNote::Database("locked".into()),
            DutyNote::IncompleteClaim,
            DutyNote::KeptFailing("502".into()),
            DutyNote::NotChecked {
                duty: DutyKind::Digest,
                why: "403".into(),
            },
            DutyNote::Discord("I am not allowed to post there".into()),
            DutyNote::Stopping,
            DutyNote::PulseClosedBeforeReminder,
        ];
        for note in &notes {
            let words = note.to_string();
            assert!(
                !words.is_empty() && !words.contains("{"),
                "{note:?}: {words}"
            );
        }
        assert_eq!(
            DutyNote::Missed { catch_up_hours: 6 }.to_string(),
            "the bot was not running from the due time until more than 6 hours later"
        );
        assert!(notes[8].to_string().ends_with("limits: a; b"));
        assert!(notes[15]
            .to_string()
            .starts_with("could not check whether the weekly digest had arrived"));
    }

    #[test]
    fn every_duty_has_a_name() {
        for duty in DutyKind::ALL {
            assert!(!duty_name(*duty).is_empty());
        }
    }
}
