//! What the poll commands answer: a poll started, refused, ended or scheduled. Pure words from
//! plain facts, so `preview` and tests see them as members do.

use std::time::Duration;

use jiff::Timestamp;

use super::schedules::{message_link, when};
use super::Reply;

/// The answer to a poll that started.
pub fn started(guild: u64, channel: u64, message: u64, closes_at: Timestamp) -> Reply {
    Reply::private_note(format!(
        "Poll started: {}. It closes {}; the results will follow as a reply to it.",
        message_link(guild, channel, message),
        when(closes_at)
    ))
}

/// Said in the text of a poll shorter than Discord's shortest (an hour): Discord's own timer
/// shows "1h left" for it, so the post says when it really closes. `None` for any other poll.
pub fn closes_early(duration: crate::model::poll::PollDuration) -> Option<String> {
    duration.ends_early().then(|| {
        format!(
            "This poll closes {duration} after it opens, whatever Discord's timer on it says: I end it then and post the results."
        )
    })
}

/// The channel already has a poll running.
pub fn channel_busy(guild: u64, channel: u64, message: u64) -> String {
    format!(
        "This channel already has a poll running: {}. Wait for its results, or end it with `/poll end`.",
        message_link(guild, channel, message)
    )
}

/// A poll's recap, as a refusal to post it names it ("not allowed to post the poll's results").
pub const RECAP: &str = "poll's results";

/// Another poll won the channel at the same moment.
pub const RACED: &str = "Another poll started in this channel at the same moment; use that one.";

/// The content could not make a poll Discord accepts.
pub const INVALID: &str =
    "I could not build a poll Discord accepts from my texts just now. Please try another kind of poll.";

/// Discord refused the poll for good.
pub const REFUSED: &str = "Discord did not accept the poll here. Check that I can view this channel and send messages and polls in it (the channel's settings, Permissions), then try again.";

/// Why a poll's recap was given up when Discord never marked its count final (kept with the
/// poll).
pub const COUNT_NOT_FINAL: &str =
    "Discord did not mark the poll's count final within a day of its close";

/// Discord did not answer in time, or failed.
pub const TRY_AGAIN: &str = "Discord did not take the poll just now. Please try again in a minute.";

/// A member who started a poll a moment ago.
pub fn cooling_down(wait: Duration) -> String {
    format!(
        "You started a poll a moment ago; you can start the next one in {} seconds.",
        wait.as_secs().max(1)
    )
}

/// `/poll end` with nothing to end.
pub const NOTHING_TO_END: &str = "There is no open poll in this channel to end.";

/// `/poll end` by someone who may not.
pub const NOT_YOURS: &str =
    "Only the member who started this poll, or someone with Manage Server, can end it early.";

/// What `/poll end` says it did.
pub const ENDING: &str = "Ending the poll now; the results follow as a reply to it.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poll_shorter_than_an_hour_says_when_it_really_closes() {
        use crate::model::poll::PollDuration;
        let short = PollDuration::from_minutes(30).expect("duration");
        let text = closes_early(short).expect("said");
        assert!(text.contains("30 minutes after it opens"), "{text}");
        assert_eq!(closes_early(PollDuration::DAY), None);
    }

    #[test]
    fn refusals_say_what_to_do_without_internals() {
        for text in [REFUSED, TRY_AGAIN, RACED, INVALID] {
            assert!(!text.contains("code") && !text.contains("40"), "{text}");
        }
    }
}
