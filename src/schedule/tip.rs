//! The daily tip as a duty: one tip a day per server, walking the deck in the server's own
//! order, with a role mention and a discussion thread when the server asked for them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use tracing::{info, warn};

use super::duty::{Arrival, Ctx, Duty, Plan, Prepared, SendError, Sending};
use super::engine::ScheduleEvent;
use crate::limits;
use crate::model::duty::{DutyKind, DutyStatus};
use crate::model::schedule::{DutyOptions, Schedule, TipOptions, TipSchedule};
use crate::reply::duty_notes::DutyNote;
use crate::reply::tips::daily_tip;
use crate::reply::Reply;
use crate::rest::RestError;
use crate::store::StoreError;
use crate::tasks::BoxFuture;
use crate::text::clip;
use crate::when::Occurrence;

/// What a scheduled post may mention and which message it answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Addressing {
    /// The one role mentioned (and the only mention allowed).
    pub role: Option<u64>,
    /// The message the post replies to; when that message is gone the post goes out plain.
    pub reply_to: Option<u64>,
}

/// How the scheduler reaches Discord for its posts.
pub trait Poster: Send + Sync + 'static {
    /// Posts `reply` as `to` says. Returns the message id.
    fn post<'a>(
        &'a self,
        channel_id: u64,
        reply: &'a Reply,
        to: Addressing,
    ) -> BoxFuture<'a, Result<u64, RestError>>;
    /// The id of a message the bot posted in `channel_id` after `since` with an embed titled
    /// `title`, if there is one.
    fn find_own<'a>(
        &'a self,
        channel_id: u64,
        since: Timestamp,
        title: &'a str,
    ) -> BoxFuture<'a, Result<Option<u64>, RestError>>;
    /// Opens a discussion thread on a posted tip.
    fn start_thread<'a>(
        &'a self,
        channel_id: u64,
        message_id: u64,
        name: &'a str,
    ) -> BoxFuture<'a, Result<(), RestError>>;
}

/// The daily tip.
pub(super) struct Tip {
    pub poster: std::sync::Arc<dyn Poster>,
}

/// What a tip's claim carries besides the tip itself (its `item`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct TipPost {
    #[serde(default)]
    role_id: Option<u64>,
    #[serde(default)]
    thread: bool,
}

impl Duty for Tip {
    const KIND: DutyKind = DutyKind::Tip;
    type Settings = TipSchedule;
    type Payload = TipPost;

    async fn settle_without_post(
        &self,
        ctx: &Ctx,
        plan: &Plan<TipSchedule>,
        owed: Occurrence,
    ) -> Result<Option<ScheduleEvent>, StoreError> {
        if !plan.settings.options.skips(owed.date) {
            return Ok(None);
        }
        let guild = plan.settings.guild_id;
        let now = ctx.clock.now();
        ctx.store
            .record_duty(
                DutyKind::Tip,
                guild,
                owed.date,
                DutyStatus::Skipped,
                &DutyNote::SkippedAsAsked.to_string(),
                owed.at,
                now,
            )
            .await?;
        let settings = Schedule {
            options: TipOptions {
                skip_date: None,
                ..plan.settings.options.clone()
            },
            ..plan.settings.clone()
        };
        ctx.store.save_schedule(&settings, now).await?;
        info!(guild, date = %owed.date, "daily tip skipped as asked");
        Ok(Some(ScheduleEvent::Skipped {
            duty: DutyKind::Tip,
            guild,
            date: owed.date,
        }))
    }

    async fn prepare(
        &self,
        ctx: &Ctx,
        guild: u64,
        plan: &Plan<TipSchedule>,
        _owed: Occurrence,
    ) -> Result<Prepared<TipPost>, StoreError> {
        let content = ctx.content.get();
        let (cycle, tip) = super::tip_settings::upcoming(&ctx.store, &content, guild).await?;
        Ok(Prepared::Send {
            item: Some(tip.id.to_string()),
            cycle: Some(cycle),
            payload: TipPost {
                role_id: plan.settings.options.role_id,
                thread: plan.settings.options.thread,
            },
        })
    }

    async fn send(&self, ctx: &Ctx, post: &Sending<TipPost>) -> Result<u64, SendError> {
        let content = ctx.content.get();
        let tip = post
            .item
            .as_deref()
            .and_then(|id| content.tip(id))
            .ok_or(SendError::Refused(DutyNote::TipRemoved))?;
        let reply = daily_tip(&content, tip, post.payload.role_id);
        Ok(self
            .poster
            .post(
                post.channel,
                &reply,
                Addressing {
                    role: post.payload.role_id,
                    reply_to: None,
                },
            )
            .await?)
    }

    async fn find(
        &self,
        ctx: &Ctx,
        post: &Sending<TipPost>,
        since: Timestamp,
    ) -> Result<Option<u64>, RestError> {
        let content = ctx.content.get();
        let title = post
            .item
            .as_deref()
            .and_then(|id| content.tip(id))
            .map(|t| t.title.to_string())
            .unwrap_or_default();
        self.poster.find_own(post.channel, since, &title).await
    }

    async fn after_post(
        &self,
        ctx: &Ctx,
        post: &Sending<TipPost>,
        message_id: u64,
        arrival: Arrival,
    ) -> Result<(), StoreError> {
        if !post.payload.thread || arrival == Arrival::Found {
            return Ok(());
        }
        let content = ctx.content.get();
        let Some(tip) = post.item.as_deref().and_then(|id| content.tip(id)) else {
            return Ok(());
        };
        let name = clip(&tip.title, limits::THREAD_NAME);
        if let Err(error) = self
            .poster
            .start_thread(post.channel, message_id, &name)
            .await
        {
            warn!(guild = post.guild, %error, "could not open a thread on the tip");
        }
        Ok(())
    }
}
