//! The daily tip as a duty: one tip a day per server, walking the deck in the server's own
//! order, with a role mention and a discussion thread when the server asked for them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use tracing::{info, warn};

use super::duty::{Arrival, Ctx, Duty, Plan, Prepared, SendError, Sending};
use super::engine::ScheduleEvent;
use crate::content::team::AnyTip;
use crate::limits;
use crate::model::duty::{DutyKind, DutyStatus, Permission};
use crate::model::ids::{MessageId, RoleId};
use crate::model::schedule::{DutyOptions, Schedule, TipOptions, TipSchedule};
use crate::port::{Addressing, PortError, Poster};
use crate::reply::duty_notes::DutyNote;
use crate::reply::tips::daily_tip;
use crate::store::StoreError;
use crate::text::clip;
use crate::when::Occurrence;

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
        let dealt = super::tip_settings::upcoming(&ctx.store, &content, guild).await?;
        Ok(Prepared::Send {
            item: Some(dealt.item),
            cycle: Some(dealt.cycle),
            payload: TipPost {
                role_id: plan.settings.options.role_id,
                thread: plan.settings.options.thread,
            },
        })
    }

    /// A tip that opens a thread needs Create Public Threads too.
    fn needs(&self, post: &Sending<TipPost>) -> Vec<Permission> {
        TipOptions {
            thread: post.payload.thread,
            ..TipOptions::default()
        }
        .needs()
    }

    async fn send(&self, ctx: &Ctx, post: &Sending<TipPost>) -> Result<MessageId, SendError> {
        let content = ctx.content.get();
        let tip = tip_of(ctx, &content, post)
            .await?
            .ok_or(SendError::Refused(DutyNote::TipRemoved))?;
        let reply = daily_tip(&content, &tip, post.payload.role_id);
        Ok(self
            .poster
            .post(
                post.channel,
                &reply,
                Addressing {
                    role: post.payload.role_id.map(RoleId::new),
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
    ) -> Result<Option<MessageId>, PortError> {
        let content = ctx.content.get();
        let title = tip_of(ctx, &content, post)
            .await
            .map_err(|error| PortError::Transient(error.to_string()))?
            .map(|t| t.title().to_string())
            .unwrap_or_default();
        self.poster.find_own(post.channel, since, &title).await
    }

    async fn after_post(
        &self,
        ctx: &Ctx,
        post: &Sending<TipPost>,
        message_id: MessageId,
        arrival: Arrival,
    ) -> Result<(), StoreError> {
        if !post.payload.thread || arrival == Arrival::Found {
            return Ok(());
        }
        let content = ctx.content.get();
        let Some(tip) = tip_of(ctx, &content, post).await? else {
            return Ok(());
        };
        let name = clip(tip.title(), limits::THREAD_NAME);
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

/// The tip a claimed post names, bundled or the server's own; `None` once it was removed.
async fn tip_of<'c>(
    ctx: &Ctx,
    content: &'c crate::content::Content,
    post: &Sending<TipPost>,
) -> Result<Option<AnyTip<'c>>, StoreError> {
    match post.item.as_deref() {
        Some(item) => super::tip_settings::resolve(&ctx.store, content, post.guild, item).await,
        None => Ok(None),
    }
}
