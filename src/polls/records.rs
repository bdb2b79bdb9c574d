//! A poll in its three forms: as built from content ([`PollSpec`]), as claimed by the
//! scheduler before posting ([`PendingPoll`]), and as stored once posted ([`PollRecord`]).

use std::time::Duration;

use jiff::Timestamp;

use crate::reply::poll::{PollAnswer, PollKind, PollSpec};
use crate::store::{PendingPoll, PollRecord, PollState, StoredAnswer};

fn stored_answers(spec: &PollSpec) -> Vec<StoredAnswer> {
    spec.answers
        .iter()
        .map(|a| StoredAnswer {
            text: a.text.clone(),
            entry_id: a.entry_id.clone(),
        })
        .collect()
}

fn spec_answers(answers: &[StoredAnswer]) -> Vec<PollAnswer> {
    answers
        .iter()
        .map(|a| PollAnswer {
            text: a.text.clone(),
            entry_id: a.entry_id.clone(),
        })
        .collect()
}

/// Who started a poll, where, and until when.
#[derive(Debug, Clone, Copy)]
pub struct Posted {
    pub message_id: u64,
    pub guild_id: u64,
    pub channel_id: u64,
    /// `None` for a scheduled poll.
    pub started_by: Option<u64>,
    pub closes_at: Timestamp,
    pub created_at: Timestamp,
}

/// The record of a poll just posted.
pub fn record_of(spec: &PollSpec, posted: Posted) -> PollRecord {
    PollRecord {
        message_id: posted.message_id,
        guild_id: posted.guild_id,
        channel_id: posted.channel_id,
        started_by: posted.started_by,
        kind: spec.kind.as_str().to_string(),
        question: spec.question.clone(),
        answers: stored_answers(spec),
        subject: spec.subject.clone(),
        correct: spec.correct.and_then(|c| u32::try_from(c).ok()),
        multiselect: spec.multiselect,
        closes_at: posted.closes_at,
        state: PollState::Open,
        recap_message_id: None,
        detail: None,
        created_at: posted.created_at,
    }
}

/// The poll as built, rebuilt from its record.
pub fn spec_of(poll: &PollRecord) -> PollSpec {
    PollSpec {
        kind: PollKind::from_stored(&poll.kind).unwrap_or(PollKind::Pulse),
        question: poll.question.clone(),
        answers: spec_answers(&poll.answers),
        multiselect: poll.multiselect,
        subject: poll.subject.clone(),
        correct: poll.correct.and_then(|c| usize::try_from(c).ok()),
    }
}

/// What the scheduler claims before posting a weekly poll.
pub fn pending_of(spec: &PollSpec, duration: Duration) -> PendingPoll {
    PendingPoll {
        kind: spec.kind.as_str().to_string(),
        question: spec.question.clone(),
        answers: stored_answers(spec),
        subject: spec.subject.clone(),
        correct: spec.correct.and_then(|c| u32::try_from(c).ok()),
        multiselect: spec.multiselect,
        duration_minutes: u32::try_from(duration.as_secs() / 60).unwrap_or(u32::MAX),
    }
}

/// The claimed poll as built, to post it.
pub fn spec_of_pending(pending: &PendingPoll) -> PollSpec {
    PollSpec {
        kind: PollKind::from_stored(&pending.kind).unwrap_or(PollKind::Pulse),
        question: pending.question.clone(),
        answers: spec_answers(&pending.answers),
        multiselect: pending.multiselect,
        subject: pending.subject.clone(),
        correct: pending.correct.and_then(|c| usize::try_from(c).ok()),
    }
}

/// How long a claimed poll runs.
pub fn duration_of(pending: &PendingPoll) -> Duration {
    Duration::from_secs(u64::from(pending.duration_minutes) * 60)
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;
    use crate::content::Content;

    #[test]
    fn a_poll_survives_every_form_unchanged() {
        let content = Content::bundled().expect("content");
        let spec = crate::reply::poll::quiz(&content, &mut StdRng::seed_from_u64(4));
        let at = Timestamp::from_second(1_800_000_000).expect("ts");
        let posted = Posted {
            message_id: 1,
            guild_id: 2,
            channel_id: 3,
            started_by: None,
            closes_at: at,
            created_at: at,
        };
        assert_eq!(spec_of(&record_of(&spec, posted)), spec);
        let pending = pending_of(&spec, Duration::from_secs(90 * 60));
        assert_eq!(spec_of_pending(&pending), spec);
        assert_eq!(duration_of(&pending), Duration::from_secs(90 * 60));
    }
}
