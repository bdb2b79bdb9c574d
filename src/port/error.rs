//! What can go wrong at the port, as far as the scheduler and the keeper act on it.

use std::time::Duration;

use crate::model::duty::Permission;
use crate::reply::schedules as words;
use crate::retry::Transient;

/// Why a request through the port did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortError {
    /// Discord asked the bot to wait this long before trying again.
    #[error("rate limited; retry after {0:?}")]
    RetryAfter(Duration),
    /// Discord had a problem, or did not answer: trying again later may help. The words are
    /// for logs (a status, a timeout), never a URL.
    #[error("{0}")]
    Transient(String),
    /// Discord refused: as it is, the request will never succeed.
    #[error("{0}")]
    Refused(Refusal),
}

/// Why Discord refused, in the terms the bot can explain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The bot may not see or post in the channel (Missing Access, Missing Permissions).
    #[error("missing permissions or access in the channel")]
    NotAllowed,
    /// The channel is gone.
    #[error("unknown channel")]
    UnknownChannel,
    /// The message is gone.
    #[error("unknown message")]
    UnknownMessage,
    /// Anything else: Discord's status, code and message (or why its answer could not be
    /// read), for logs.
    #[error("{0}")]
    Other(String),
}

impl Transient for PortError {
    fn is_permanent(&self) -> bool {
        matches!(self, PortError::Refused(_))
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            PortError::RetryAfter(wait) => Some(*wait),
            PortError::Transient(_) | PortError::Refused(_) => None,
        }
    }
}

impl PortError {
    /// What a server's admins are told when `what` (the "weekly poll", the "poll's results")
    /// could not be posted because of this error; `needs` is what those posts need in their
    /// channel, named when the bot was not allowed.
    pub fn explain(&self, what: &str, needs: &[Permission]) -> String {
        match self {
            PortError::Refused(Refusal::NotAllowed) => words::not_allowed_to_post(what, needs),
            PortError::Refused(Refusal::UnknownChannel) => words::CHANNEL_GONE.into(),
            PortError::Refused(Refusal::UnknownMessage) => words::MESSAGE_GONE.into(),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::duty::DutyKind;

    #[test]
    fn only_a_refusal_is_permanent_and_only_a_rate_limit_names_its_wait() {
        let limited = PortError::RetryAfter(Duration::from_secs(2));
        assert!(!limited.is_permanent());
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(2)));
        assert!(!PortError::Transient("Discord answered 502".into()).is_permanent());
        assert!(PortError::Refused(Refusal::UnknownChannel).is_permanent());
    }

    #[test]
    fn a_refusal_is_explained_with_what_the_duty_needs() {
        let refused = PortError::Refused(Refusal::NotAllowed);
        let poll = refused.explain(DutyKind::WeeklyPoll.label(), DutyKind::WeeklyPoll.needs());
        assert!(
            poll.contains("not allowed to post the weekly poll"),
            "{poll}"
        );
        assert!(poll.contains("Send Polls"), "{poll}");
        let gone = PortError::Refused(Refusal::UnknownChannel).explain("tip", &[]);
        assert!(gone.contains("no longer exists"), "{gone}");
    }
}
