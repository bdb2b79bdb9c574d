//! The weekly digest as a duty of the engine: one post a week for the team's lead, claimed,
//! sent, recorded and recovered like every other scheduled post.
//!
//! What it says is read from the database when it is sent, for the seven days before its due
//! time (not the moment of sending), so a digest recovered after a crash says what the first
//! attempt would have said.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::duty::{Ctx, Duty, Plan, Prepared, SendError, Sending};
use super::pulse::{close_due, trend_points};
use crate::content::Content;
use crate::model::duty::DutyKind;
use crate::model::ids::MessageId;
use crate::model::poll::PollTally;
use crate::model::schedule::DigestSchedule;
use crate::port::{Addressing, PortError, Poster};
use crate::pulse::stats::WeekPoint;
use crate::reply::digest::{digest, digest_title, DigestInput, PulseWeek};
use crate::reply::pulse::results_of;
use crate::reply::Reply;
use crate::store::StoreError;
use crate::tasks::off_runtime;
use crate::when::Occurrence;

/// Weeks of the trend the digest draws.
const TREND_WEEKS: u32 = 12;

/// What the digest covers: the week before it is due.
const WEEK: SignedDuration = SignedDuration::from_hours(24 * 7);

/// What a digest is made of, read from the database.
struct Read {
    pulse: Option<PulseWeek>,
    trend: Vec<WeekPoint>,
    polls: Vec<PollTally>,
}

/// The weekly digest.
pub(super) struct Digest {
    pub poster: Arc<dyn Poster>,
    pub min_responses: u32,
}

/// What a digest's claim carries: the local date it is for, which names the post.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DigestPost {
    date: jiff::civil::Date,
}

impl Duty for Digest {
    const KIND: DutyKind = DutyKind::Digest;
    type Settings = DigestSchedule;
    type Payload = DigestPost;

    async fn prepare(
        &self,
        _ctx: &Ctx,
        _guild: u64,
        _plan: &Plan<DigestSchedule>,
        owed: Occurrence,
    ) -> Result<Prepared<DigestPost>, StoreError> {
        Ok(Prepared::Send {
            item: None,
            cycle: None,
            payload: DigestPost { date: owed.date },
        })
    }

    async fn send(&self, ctx: &Ctx, post: &Sending<DigestPost>) -> Result<MessageId, SendError> {
        let reply = self.build(ctx, post).await?;
        Ok(self
            .poster
            .post(post.channel, &reply, Addressing::default())
            .await?)
    }

    async fn find(
        &self,
        _ctx: &Ctx,
        post: &Sending<DigestPost>,
        since: Timestamp,
    ) -> Result<Option<MessageId>, PortError> {
        let title = digest_title(post.payload.date);
        self.poster.find_own(post.channel, since, &title).await
    }
}

impl Digest {
    /// The digest of the week before `post.due_at`, its chart drawn off the runtime's threads.
    async fn build(&self, ctx: &Ctx, post: &Sending<DigestPost>) -> Result<Reply, SendError> {
        let (content, input) = self.read(ctx, post).await.map_err(SendError::from)?;
        let (date, min_responses) = (post.payload.date, self.min_responses);
        let focus = super::focus::focus_lines(&ctx.store, post.guild, 2, min_responses)
            .await
            .map_err(SendError::from)?;
        let focus = crate::reply::pulse_focus::digest_focus_field(&content, &focus);
        let mut reply = off_runtime(move || {
            let Read {
                pulse,
                trend,
                polls,
            } = input;
            digest(
                &content,
                &DigestInput {
                    date,
                    pulse,
                    trend: &trend,
                    min_responses,
                    polls: &polls,
                },
            )
        })
        .await?;
        if let Some(embed) = reply.embeds.first_mut() {
            embed.fields.push(focus);
        }
        Ok(reply)
    }

    /// What the digest of the week before `post.due_at` says, read from the database.
    async fn read(
        &self,
        ctx: &Ctx,
        post: &Sending<DigestPost>,
    ) -> Result<(Arc<Content>, Read), StoreError> {
        let content = ctx.content.get();
        let until = post.due_at;
        let from = until.saturating_sub(WEEK).unwrap_or(until);
        // A pulse due to close by now is closed (and its answers deleted) before it is read.
        close_due(&ctx.store, post.guild, ctx.clock.now()).await?;
        let pulse = match ctx
            .store
            .closed_pulses(post.guild, 2)
            .await?
            .into_iter()
            .find(|p| p.closes_at > from && p.closes_at <= until)
        {
            Some(pulse) => {
                let results = if pulse.responses >= self.min_responses {
                    results_of(
                        &content,
                        &pulse.statements,
                        &ctx.store.pulse_counts(pulse.id).await?,
                    )
                } else {
                    Vec::new()
                };
                Some(PulseWeek {
                    responses: pulse.responses,
                    results,
                })
            }
            None => None,
        };
        let trend = trend_points(
            &ctx.store,
            &content,
            post.guild,
            TREND_WEEKS,
            self.min_responses,
        )
        .await?;
        let polls = ctx.store.poll_tallies(post.guild, from, until).await?;
        Ok((
            content,
            Read {
                pulse,
                trend,
                polls,
            },
        ))
    }
}

#[cfg(test)]
#[path = "digest_tests.rs"]
mod tests;
