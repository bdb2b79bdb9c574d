//! `/poll quiz`, `/poll pulse` and `/poll end`: native Discord polls built from the trait
//! lists, closed and summed up by the poll keeper.

use std::time::Duration;

use jiff::SignedDuration;
use poise::serenity_prelude as serenity;
use serenity::Permissions;
use tracing::{error, warn};

use crate::discord::convert::{poise_reply, poll_message};
use crate::discord::rest::RestError;
use crate::discord::{BotError, Context};
use crate::polls::{record_of, Posted};
use crate::reply::poll::{parse_duration, pulse, quiz, PollSpec, PulseList};
use crate::reply::tips::when;
use crate::reply::Reply;
use crate::store::PollState;

/// How long a poll runs when no duration is given.
const DEFAULT_DURATION: Duration = Duration::from_secs(3600);

/// Which list a pulse poll draws from.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum ListChoice {
    #[name = "Leader traits"]
    LeaderTraits,
    #[name = "Manager traits"]
    ManagerTraits,
    Skills,
    Mixed,
}

impl From<ListChoice> for PulseList {
    fn from(choice: ListChoice) -> PulseList {
        match choice {
            ListChoice::LeaderTraits => PulseList::LeaderTraits,
            ListChoice::ManagerTraits => PulseList::ManagerTraits,
            ListChoice::Skills => PulseList::Skills,
            ListChoice::Mixed => PulseList::Mixed,
        }
    }
}

/// Team polls on leading and managing.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("quiz_poll", "pulse_poll", "end"),
    subcommand_required
)]
pub async fn poll(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// "Leader or manager?": guess which side a trait belongs to.
#[poise::command(
    slash_command,
    guild_only,
    rename = "quiz",
    required_bot_permissions = "VIEW_CHANNEL | SEND_MESSAGES | SEND_POLLS"
)]
pub async fn quiz_poll(
    ctx: Context<'_>,
    #[description = "How long it runs: 5m, 2h, 1d (default 1h, at most 7 days)"] duration: Option<
        String,
    >,
) -> Result<(), BotError> {
    let duration = duration_of(duration.as_deref())?;
    let spec = quiz(&ctx.data().content(), &mut rand::rng());
    start(ctx, spec, duration).await
}

/// "Which of these does our team need more of?": answers drawn from a trait list.
#[poise::command(
    slash_command,
    guild_only,
    rename = "pulse",
    required_bot_permissions = "VIEW_CHANNEL | SEND_MESSAGES | SEND_POLLS"
)]
pub async fn pulse_poll(
    ctx: Context<'_>,
    #[description = "Which list the answers come from (default: Mixed)"] list: Option<ListChoice>,
    #[description = "How many answers, 2 to 10 (default 4)"]
    #[min = 2]
    #[max = 10]
    answers: Option<u8>,
    #[description = "Let people pick more than one (default: no)"] multiselect: Option<bool>,
    #[description = "How long it runs: 5m, 2h, 1d (default 1h, at most 7 days)"] duration: Option<
        String,
    >,
) -> Result<(), BotError> {
    let duration = duration_of(duration.as_deref())?;
    let list = list.map_or(PulseList::Mixed, Into::into);
    let count = usize::from(answers.unwrap_or(4));
    let spec = pulse(
        &ctx.data().content(),
        list,
        count,
        multiselect.unwrap_or(false),
        &mut rand::rng(),
    )?;
    start(ctx, spec, duration).await
}

/// End the open poll in this channel now (admins, or the member who started it).
#[poise::command(slash_command, guild_only)]
pub async fn end(ctx: Context<'_>) -> Result<(), BotError> {
    let data = ctx.data();
    let channel = ctx.channel_id().get();
    let Some(open) = data
        .store
        .open_poll_in(channel)
        .await?
        .filter(|p| p.state == PollState::Open)
    else {
        return Err(BotError::user(
            "There is no open poll in this channel to end.",
        ));
    };
    let is_starter = open.started_by == Some(ctx.author().id.get());
    if !is_starter && !member_can_manage(ctx) {
        return Err(BotError::user(
            "Only the member who started this poll, or someone with Manage Server, can end it early.",
        ));
    }
    let now = data.clock.now();
    data.store.set_poll_close(open.message_id, now).await?;
    data.polls.watch(open.message_id, now);
    send(
        ctx,
        Reply::private_note("Ending the poll now; the results follow as a reply to it."),
    )
    .await
}

fn member_can_manage(ctx: Context<'_>) -> bool {
    match ctx {
        poise::Context::Application(app) => app
            .interaction
            .member
            .as_ref()
            .and_then(|m| m.permissions)
            .is_some_and(|p| p.contains(Permissions::MANAGE_GUILD)),
        poise::Context::Prefix(_) => false,
    }
}

fn duration_of(text: Option<&str>) -> Result<Duration, BotError> {
    Ok(text
        .map(parse_duration)
        .transpose()?
        .unwrap_or(DEFAULT_DURATION))
}

async fn send(ctx: Context<'_>, reply: Reply) -> Result<(), BotError> {
    ctx.send(poise_reply(&reply)).await?;
    Ok(())
}

fn link(guild: u64, channel: u64, message: u64) -> String {
    format!("https://discord.com/channels/{guild}/{channel}/{message}")
}

/// Posts the poll, records it, and hands it to the keeper.
async fn start(ctx: Context<'_>, spec: PollSpec, duration: Duration) -> Result<(), BotError> {
    let data = ctx.data();
    let guild = ctx.guild_id().map(|g| g.get()).unwrap_or_default();
    let channel = ctx.channel_id().get();
    let user = ctx.author().id.get();
    if let Some(open) = data.store.open_poll_in(channel).await? {
        return Err(BotError::user(format!(
            "This channel already has a poll running: {}. Wait for its results, or end it with `/poll end`.",
            link(guild, channel, open.message_id)
        )));
    }
    let now = data.clock.now();
    if let Some(wait) = data.poll_cooldown_left(guild, user, now) {
        return Err(BotError::user(format!(
            "You started a poll a moment ago; you can start the next one in {} seconds.",
            wait.as_secs().max(1)
        )));
    }
    let problems = spec.limit_problems();
    if !problems.is_empty() {
        error!(
            ?problems,
            "a poll built from content breaks Discord's limits"
        );
        return Err(BotError::user("I could not build a valid poll from the content just now. Please try the other kind of poll."));
    }
    let message = poll_message(&spec, duration);
    let posted = data
        .rest
        .create_message(channel, &message)
        .await
        .map_err(|e| refused(&e))?;
    let closes_at = now
        .saturating_add(SignedDuration::try_from(duration).unwrap_or(SignedDuration::MAX))
        .unwrap_or(now);
    let record = record_of(
        &spec,
        Posted {
            message_id: posted.id,
            guild_id: guild,
            channel_id: channel,
            started_by: Some(user),
            closes_at,
            created_at: now,
        },
    );
    if !data.store.insert_poll(&record).await? {
        // Another poll won the race for this channel: take this one back.
        warn!(
            channel,
            "two polls started at once in one channel; ending the second"
        );
        let _ = data.rest.expire_poll(channel, posted.id).await;
        return Err(BotError::user(
            "Another poll started in this channel at the same moment; use that one.",
        ));
    }
    data.start_poll_cooldown(guild, user, now);
    data.polls.watch(posted.id, closes_at);
    let text = format!(
        "Poll started: {}. It closes {}; the results will follow as a reply to it.",
        link(guild, channel, posted.id),
        when(closes_at)
    );
    send(ctx, Reply::private_note(text)).await
}

/// A failed poll post, in words for the person who asked.
fn refused(error: &RestError) -> BotError {
    if error.is_permanent() {
        BotError::user(format!(
            "Discord did not accept the poll: {}.",
            error.explain()
        ))
    } else {
        BotError::user("Discord did not take the poll just now. Please try again in a minute.")
    }
}
