//! The weekly poll as a duty: one poll a week per server that scheduled one, opened the same
//! way `/poll` opens one (`polls::Polls::open`), then closed and recapped by the keeper.

use jiff::Timestamp;

use super::duty::{Arrival, Ctx, Duty, Plan, Prepared, SendError, Sending};
use super::team::{drawn, TheirScenario};
use crate::content::Content;
use crate::model::duty::DutyKind;
use crate::model::ids::MessageId;
use crate::model::poll::{PollKind, PollSpec, TimedPoll};
use crate::model::schedule::PollSchedule;
use crate::polls::{OpenError, Polls, Venue};
use crate::port::PortError;
use crate::reply::duty_notes::DutyNote;
use crate::reply::poll::{needs, quiz, NeedsList};
use crate::reply::poll::{scenario_poll, team_scenario_poll};
use crate::store::StoreError;
use crate::when::Occurrence;

/// Answers in a scheduled needs poll.
const NEEDS_ANSWERS: usize = 4;

/// The weekly poll.
pub(super) struct WeeklyPoll {
    pub polls: Polls,
}

/// The week's poll, built from the content (a scenario poll from ours and the server's own
/// scenarios, `theirs`); the note says why when it cannot be.
fn build(
    content: &Content,
    kind: PollKind,
    theirs: &[TheirScenario],
) -> Result<PollSpec, DutyNote> {
    let mut rng = rand::rng();
    let spec = match kind {
        PollKind::Quiz => quiz(content, &mut rng),
        PollKind::Needs => needs(content, NeedsList::Mixed, NEEDS_ANSWERS, false, &mut rng)
            .map_err(DutyNote::PollNotBuilt)?,
        PollKind::Scenario => match drawn(content.scenarios.len(), theirs, "", &mut rng) {
            Some(ours) => team_scenario_poll(&ours.scenario),
            None => scenario_poll(content, &mut rng),
        },
    };
    let problems = spec.limit_problems();
    if problems.is_empty() {
        Ok(spec)
    } else {
        Err(DutyNote::PollBreaksLimits(problems))
    }
}

fn venue(post: &Sending<TimedPoll>) -> Venue {
    Venue {
        guild_id: post.guild,
        channel_id: post.channel.get(),
        started_by: None,
    }
}

impl Duty for WeeklyPoll {
    const KIND: DutyKind = DutyKind::WeeklyPoll;
    type Settings = PollSchedule;
    type Payload = TimedPoll;

    async fn prepare(
        &self,
        ctx: &Ctx,
        guild: u64,
        plan: &Plan<PollSchedule>,
        _owed: Occurrence,
    ) -> Result<Prepared<TimedPoll>, StoreError> {
        let theirs = match plan.settings.options.kind {
            PollKind::Scenario => super::team::scenarios(&ctx.store, guild).await?,
            PollKind::Quiz | PollKind::Needs => Vec::new(),
        };
        Ok(
            match build(&ctx.content.get(), plan.settings.options.kind, &theirs) {
                Ok(spec) => Prepared::Send {
                    item: None,
                    cycle: None,
                    payload: TimedPoll {
                        spec,
                        duration: plan.settings.options.duration,
                    },
                },
                Err(problem) => Prepared::Broken(problem),
            },
        )
    }

    async fn send(&self, _ctx: &Ctx, post: &Sending<TimedPoll>) -> Result<MessageId, SendError> {
        match self.polls.open(venue(post), &post.payload).await {
            Ok(opened) => Ok(MessageId::new(opened.message_id)),
            Err(OpenError::Port(error)) => Err(SendError::Port(error)),
            Err(OpenError::Store(error)) => Err(SendError::Store(DutyNote::PollNotRecorded(
                error.to_string(),
            ))),
            Err(OpenError::ChannelBusy { message_id }) => {
                Err(SendError::Refused(DutyNote::PollChannelBusy { message_id }))
            }
            Err(OpenError::Raced) => Err(SendError::Refused(DutyNote::PollRaced)),
            Err(OpenError::Invalid(problems)) => {
                Err(SendError::Refused(DutyNote::PollBreaksLimits(problems)))
            }
        }
    }

    async fn find(
        &self,
        _ctx: &Ctx,
        post: &Sending<TimedPoll>,
        since: Timestamp,
    ) -> Result<Option<MessageId>, PortError> {
        self.polls
            .find(post.channel, since, &post.payload.spec.question)
            .await
    }

    async fn after_post(
        &self,
        _ctx: &Ctx,
        post: &Sending<TimedPoll>,
        message_id: MessageId,
        arrival: Arrival,
    ) -> Result<(), StoreError> {
        if arrival == Arrival::Found {
            self.polls
                .adopt(
                    venue(post),
                    &post.payload,
                    message_id.get(),
                    post.claimed_at,
                )
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::team::{Credit, TeamScenario};
    use crate::content::Calls;

    #[test]
    fn a_weekly_scenario_poll_can_be_one_of_the_servers_own() {
        let mut content = Content::bundled().expect("content");
        let theirs = [TheirScenario {
            id: "team:7".into(),
            scenario: TeamScenario {
                name: "The demo that slipped".into(),
                situation: "Two days before the demo, the feature is half done.".into(),
                leading: "Say why the customer matters.".into(),
                managing: "Cut scope and give each task an owner.".into(),
                calls: Calls::Managing,
            },
            credit: Credit::Team,
        }];
        // With none of ours left to draw, the draw is theirs every time.
        content.scenarios.clear();
        let spec = build(&content, PollKind::Scenario, &theirs).expect("a poll");
        assert_eq!(
            spec.subject
                .as_deref()
                .and_then(crate::reply::poll::team_scenario_of),
            Some(theirs[0].scenario.clone())
        );
        let bundled = Content::bundled().expect("content");
        let ours = build(&bundled, PollKind::Scenario, &[]).expect("a poll");
        assert!(ours
            .subject
            .as_deref()
            .is_some_and(|id| bundled.scenario(id).is_some()));
    }
}
