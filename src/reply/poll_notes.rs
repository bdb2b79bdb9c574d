//! What the poll commands answer: a poll started, refused, ended or scheduled. Pure words from
//! plain facts, so `preview` and tests see them as members do.

use std::time::Duration;

use jiff::Timestamp;

use super::tips::when;
use super::Reply;
use crate::model::poll::{PollDuration, PollKind};
use crate::when::{DailyTime, Days, Zone};

/// A link to a message.
pub fn link(guild: u64, channel: u64, message: u64) -> String {
    format!("https://discord.com/channels/{guild}/{channel}/{message}")
}

/// The answer to a poll that started.
pub fn started(guild: u64, channel: u64, message: u64, closes_at: Timestamp) -> Reply {
    Reply::private_note(format!(
        "Poll started: {}. It closes {}; the results will follow as a reply to it.",
        link(guild, channel, message),
        when(closes_at)
    ))
}

/// The channel already has a poll running.
pub fn channel_busy(guild: u64, channel: u64, message: u64) -> String {
    format!(
        "This channel already has a poll running: {}. Wait for its results, or end it with `/poll end`.",
        link(guild, channel, message)
    )
}

/// Another poll won the channel at the same moment.
pub const RACED: &str = "Another poll started in this channel at the same moment; use that one.";

/// The content could not make a poll Discord accepts.
pub const INVALID: &str =
    "I could not build a valid poll from the content just now. Please try another kind of poll.";

/// Discord refused the poll for good.
pub const REFUSED: &str = "Discord did not accept the poll here. Check that I can view this channel and send messages and polls in it (the channel's settings, Permissions), then try again.";

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

/// What `/polls schedule` says it set.
pub struct Scheduled {
    pub kind: PollKind,
    pub channel_id: u64,
    pub days: Days,
    pub time: DailyTime,
    pub zone: Zone,
    pub duration: PollDuration,
    pub next: Option<Timestamp>,
}

/// The answer to `/polls schedule`.
pub fn scheduled(poll: &Scheduled) -> Reply {
    let next = poll.next.map_or_else(|| "not scheduled".to_string(), when);
    Reply::private_note(format!(
        "A {} poll will run in <#{}> {} at {} ({}), open for {}. Next: {next}.",
        poll.kind,
        poll.channel_id,
        poll.days.label(),
        poll.time,
        poll.zone,
        poll.duration
    ))
}

/// What the bot lacks in a channel to post polls there.
pub fn cannot_post_polls(channel_id: u64, missing: &[&str]) -> String {
    format!(
        "I can't post polls in <#{channel_id}>: I am missing {} there. Grant it in the channel's settings (Permissions), or pick another channel.",
        missing.join(", ")
    )
}

/// The answer to `/polls unschedule`.
pub fn unscheduled(removed: bool) -> Reply {
    Reply::private_note(if removed {
        "The weekly poll is stopped. A poll already running still gets its results."
    } else {
        "There is no weekly poll in this server to stop. Set one up with `/polls schedule`."
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheduled_poll_is_described_in_words() {
        let reply = scheduled(&Scheduled {
            kind: PollKind::Pulse,
            channel_id: 10,
            days: Days::Weekly(jiff::civil::Weekday::Friday),
            time: DailyTime::new(15, 30).expect("time"),
            zone: Zone::utc(),
            duration: PollDuration::DAY,
            next: None,
        });
        let text = reply.text.expect("text");
        assert_eq!(
            text,
            "A pulse poll will run in <#10> every Friday at 15:30 (UTC), open for 1 day. Next: not scheduled."
        );
        assert!(reply.ephemeral);
    }

    #[test]
    fn refusals_say_what_to_do_without_internals() {
        for text in [REFUSED, TRY_AGAIN, RACED, INVALID] {
            assert!(!text.contains("code") && !text.contains("40"), "{text}");
        }
    }
}
