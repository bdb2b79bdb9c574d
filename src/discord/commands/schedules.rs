//! The commands every schedule has, written once: `setup` (its check of the channel and its
//! answer), `status`, `pause`, `resume` and `stop`. Each duty's group (`/tips`, `/polls`,
//! `/pulse`, `/digest`) declares its subcommands as one-line calls of these, naming its duty
//! through [`Managed`]; what a duty has of its own (the tip's role, the pulse's open pulse)
//! is its [`Managed::details`].

use super::channels::lacking;
use super::{guild, send};
use crate::discord::{BotError, Context};
use crate::model::duty::Permission;
use crate::model::schedule::{DutyOptions, Schedule};
use crate::reply::schedules::{self as words, permission_names, ScheduleWords, StatusView};
use crate::reply::Field;
use crate::when::{DailyTime, Zone};

/// A duty whose schedule a command group manages.
pub(super) trait Managed {
    type Options: DutyOptions;
    const WORDS: ScheduleWords;

    /// The duty's own status fields.
    fn details(
        ctx: Context<'_>,
        schedule: &Schedule<Self::Options>,
    ) -> impl std::future::Future<Output = Result<Vec<Field>, BotError>> + Send;
}

/// A setup's time of day and zone: the zone given, else the server's own
/// (`/settings timezone`), else UTC.
pub(super) async fn time_and_zone(
    ctx: Context<'_>,
    time: &str,
    timezone: Option<&str>,
) -> Result<(DailyTime, Zone), BotError> {
    let time = DailyTime::parse(time).map_err(BotError::user)?;
    let zone = match timezone {
        Some(name) => Zone::parse(name).map_err(BotError::user)?,
        None => ctx
            .data()
            .store
            .server(guild(ctx)?)
            .await?
            .zone
            .unwrap_or_else(Zone::utc),
    };
    Ok((time, zone))
}

/// The server's schedule, or the private note that it has none yet.
pub(super) async fn schedule_or_note<M: Managed>(
    ctx: Context<'_>,
) -> Result<Option<Schedule<M::Options>>, BotError> {
    let schedule = ctx.data().schedules.get(guild(ctx)?).await?;
    if schedule.is_none() {
        send(ctx, words::not_set_up(&M::WORDS)).await?;
    }
    Ok(schedule)
}

/// Which of `needs` the bot lacks in `channel_id`; refuses (with what to grant) when it lacks
/// any, and is `None` when it could not tell.
pub(super) async fn check_channel(
    ctx: Context<'_>,
    channel_id: u64,
    needs: &[Permission],
) -> Result<Option<Vec<&'static str>>, BotError> {
    let missing = lacking(ctx, guild(ctx)?, channel_id, needs).await;
    if let Some(missing) = missing.as_ref().filter(|m| !m.is_empty()) {
        return Err(BotError::user(words::cannot_post_in(channel_id, missing)));
    }
    Ok(missing)
}

/// `setup`: checks the channel, saves the schedule (planning it again) and says what was
/// set, with `summary` naming it, and when the first post goes out.
pub(super) async fn set_up<M: Managed>(
    ctx: Context<'_>,
    schedule: Schedule<M::Options>,
    summary: &str,
) -> Result<(), BotError> {
    let needs = schedule.options.needs();
    let missing = check_channel(ctx, schedule.channel_id, &needs).await?;
    let schedules = &ctx.data().schedules;
    schedules.save(&schedule).await?;
    let next = schedules.next_post(&schedule).await?.map(|o| o.at);
    let needs = permission_names(&needs);
    let check = words::ChannelCheck {
        channel_id: schedule.channel_id,
        needs: &needs,
        missing: missing.as_deref(),
    };
    send(ctx, words::set_up(&M::WORDS, summary, next, check)).await
}

/// Saves a changed schedule and confirms `what`, with the next post.
pub(super) async fn save_and_confirm<M: Managed>(
    ctx: Context<'_>,
    schedule: &Schedule<M::Options>,
    what: &str,
) -> Result<crate::reply::Reply, BotError> {
    let schedules = &ctx.data().schedules;
    schedules.save(schedule).await?;
    let next = schedules.next_post(schedule).await?.map(|o| o.at);
    Ok(words::changed(&M::WORDS, what, next))
}

/// `status`: where and when, the next and the last post, what went wrong, whether the bot
/// can post there, and the duty's own details.
pub(super) async fn status<M: Managed>(ctx: Context<'_>) -> Result<(), BotError> {
    let Some(schedule) = schedule_or_note::<M>(ctx).await? else {
        return Ok(());
    };
    let schedules = &ctx.data().schedules;
    let history = schedules
        .history(<M::Options as DutyOptions>::DUTY, schedule.guild_id)
        .await?;
    let view = StatusView {
        channel_id: schedule.channel_id,
        when: schedule.when.clone(),
        paused: schedule.paused,
        next: schedules.next_post(&schedule).await?.map(|o| o.at),
        last_post: history.last_post.map(|last| {
            (
                last.date,
                words::message_link(schedule.guild_id, last.channel_id, last.message_id),
            )
        }),
        problem: history.problem,
        missing_permissions: lacking(
            ctx,
            schedule.guild_id,
            schedule.channel_id,
            &schedule.options.needs(),
        )
        .await,
        details: M::details(ctx, &schedule).await?,
    };
    send(ctx, words::status(&M::WORDS, &view)).await
}

/// `pause`.
pub(super) async fn pause<M: Managed>(ctx: Context<'_>) -> Result<(), BotError> {
    let paused = ctx
        .data()
        .schedules
        .pause::<M::Options>(guild(ctx)?)
        .await?;
    send(ctx, words::paused(&M::WORDS, paused.map(|_| ()))).await
}

/// `resume`: the days it was paused are not made up.
pub(super) async fn resume<M: Managed>(ctx: Context<'_>) -> Result<(), BotError> {
    let schedules = &ctx.data().schedules;
    let resumed = schedules.resume::<M::Options>(guild(ctx)?).await?;
    let next = match &resumed {
        Some(schedule) => Some(schedules.next_post(schedule).await?.map(|o| o.at)),
        None => None,
    };
    send(ctx, words::resumed(&M::WORDS, next)).await
}

/// `stop`: the schedule is removed; what was posted stays.
pub(super) async fn stop<M: Managed>(ctx: Context<'_>) -> Result<(), BotError> {
    let done = ctx.data().schedules.stop::<M::Options>(guild(ctx)?).await?;
    send(ctx, words::stopped(&M::WORDS, done)).await
}
