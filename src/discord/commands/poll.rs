//! `/poll quiz`, `/poll needs`, `/poll scenario` and `/poll end`: native Discord polls built
//! from the trait lists and the scenarios, opened by `polls::Polls` and closed and summed up by
//! the poll keeper.

use poise::serenity_prelude as serenity;
use serenity::Permissions;
use tracing::error;

use super::{guild, send};
use crate::discord::{BotError, Context};
use crate::model::poll::{PollDuration, PollSpec, TimedPoll};
use crate::polls::{EndError, OpenError, Venue};
use crate::reply::poll::scenario_poll as scenario_spec;
use crate::reply::poll::{needs, quiz, NeedsList};
use crate::reply::poll_notes;
use crate::reply::Reply;
use crate::retry::Transient;

/// Which list a needs poll draws from.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum ListChoice {
    #[name = "Leader traits"]
    LeaderTraits,
    #[name = "Manager traits"]
    ManagerTraits,
    Skills,
    Mixed,
}

impl From<ListChoice> for NeedsList {
    fn from(choice: ListChoice) -> NeedsList {
        match choice {
            ListChoice::LeaderTraits => NeedsList::LeaderTraits,
            ListChoice::ManagerTraits => NeedsList::ManagerTraits,
            ListChoice::Skills => NeedsList::Skills,
            ListChoice::Mixed => NeedsList::Mixed,
        }
    }
}

/// Team polls on leading and managing.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("quiz_poll", "needs_poll", "scenario_poll", "end"),
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
    #[description = "How long it stays open, like 30m, 4h or 2d (default 1h, at most 7d)"]
    open_for: Option<String>,
) -> Result<(), BotError> {
    let duration = duration_of(open_for.as_deref())?;
    let spec = quiz(&ctx.data().content(), &mut rand::rng());
    start(ctx, spec, duration).await
}

/// "Which of these does our team need more of?": answers drawn from a trait list.
#[poise::command(
    slash_command,
    guild_only,
    rename = "needs",
    required_bot_permissions = "VIEW_CHANNEL | SEND_MESSAGES | SEND_POLLS"
)]
pub async fn needs_poll(
    ctx: Context<'_>,
    #[description = "Which list the answers come from (default: Mixed)"] list: Option<ListChoice>,
    #[description = "How many answers, 2 to 10 (default 4)"]
    #[min = 2]
    #[max = 10]
    answers: Option<u8>,
    #[description = "Let people pick more than one (default: no)"] multiselect: Option<bool>,
    #[description = "How long it stays open, like 30m, 4h or 2d (default 1h, at most 7d)"]
    open_for: Option<String>,
) -> Result<(), BotError> {
    let duration = duration_of(open_for.as_deref())?;
    let list = list.map_or(NeedsList::Mixed, Into::into);
    let count = usize::from(answers.unwrap_or(4));
    let spec = needs(
        &ctx.data().content(),
        list,
        count,
        multiselect.unwrap_or(false),
        &mut rand::rng(),
    )?;
    start(ctx, spec, duration).await
}

/// "What does this moment call for most?": leading, managing, or both, for one situation.
#[poise::command(
    slash_command,
    guild_only,
    rename = "scenario",
    required_bot_permissions = "VIEW_CHANNEL | SEND_MESSAGES | SEND_POLLS"
)]
pub async fn scenario_poll(
    ctx: Context<'_>,
    #[description = "How long it stays open, like 30m, 4h or 2d (default 1h, at most 7d)"]
    open_for: Option<String>,
) -> Result<(), BotError> {
    let duration = duration_of(open_for.as_deref())?;
    let guild = ctx.guild_id().map(|g| g.get());
    let spec = match crate::discord::team_scenarios::poll(ctx.data(), guild).await? {
        Some(theirs) => theirs,
        None => scenario_spec(&ctx.data().content(), &mut rand::rng()),
    };
    start(ctx, spec, duration).await
}

/// End the open poll in this channel now (admins, or the member who started it).
#[poise::command(slash_command, guild_only)]
pub async fn end(ctx: Context<'_>) -> Result<(), BotError> {
    let ended = ctx
        .data()
        .polls
        .end_now(
            ctx.channel_id().get(),
            ctx.author().id.get(),
            member_has(ctx, Permissions::MANAGE_GUILD),
        )
        .await;
    match ended {
        Ok(()) => send(ctx, Reply::private_note(poll_notes::ENDING)).await,
        Err(EndError::NothingOpen) => Err(BotError::user(poll_notes::NOTHING_TO_END)),
        Err(EndError::NotYours) => Err(BotError::user(poll_notes::NOT_YOURS)),
        Err(EndError::Store(error)) => Err(error.into()),
    }
}

/// Whether the member who ran the command has any of `permissions` in the channel.
fn member_has(ctx: Context<'_>, permissions: Permissions) -> bool {
    match ctx {
        poise::Context::Application(app) => app
            .interaction
            .member
            .as_ref()
            .and_then(|m| m.permissions)
            .is_some_and(|p| p.intersects(permissions)),
        poise::Context::Prefix(_) => false,
    }
}

/// Members who may skip the poll cooldown, as Discord's own slowmode lets them.
const COOLDOWN_EXEMPT: Permissions = Permissions::MANAGE_MESSAGES.union(Permissions::MANAGE_GUILD);

fn duration_of(text: Option<&str>) -> Result<PollDuration, BotError> {
    Ok(text
        .map(PollDuration::parse)
        .transpose()
        .map_err(BotError::user)?
        .unwrap_or(PollDuration::HOUR))
}

/// Opens the poll (unless the member is cooling down) and says where it is.
async fn start(ctx: Context<'_>, spec: PollSpec, duration: PollDuration) -> Result<(), BotError> {
    let data = ctx.data();
    let venue = Venue {
        guild_id: guild(ctx)?,
        channel_id: ctx.channel_id().get(),
        started_by: Some(ctx.author().id.get()),
    };
    let user = ctx.author().id.get();
    let exempt = member_has(ctx, COOLDOWN_EXEMPT);
    let now = data.clock.now();
    if let Some(wait) = data
        .cooldowns
        .left(venue.guild_id, user, now)
        .filter(|_| !exempt)
    {
        return Err(BotError::user(poll_notes::cooling_down(wait)));
    }
    let opened = data.polls.open(venue, &TimedPoll { spec, duration }).await;
    let opened = match opened {
        Ok(opened) => opened,
        Err(refused) => return Err(refused_in_words(venue, refused)),
    };
    if !exempt {
        data.cooldowns
            .started(venue.guild_id, user, now, opened.closes_at);
    }
    send(
        ctx,
        poll_notes::started(
            venue.guild_id,
            venue.channel_id,
            opened.message_id,
            opened.closes_at,
        ),
    )
    .await
}

/// A poll that was not opened, in words for the person who asked.
fn refused_in_words(venue: Venue, refused: OpenError) -> BotError {
    match refused {
        OpenError::ChannelBusy { message_id } => BotError::user(poll_notes::channel_busy(
            venue.guild_id,
            venue.channel_id,
            message_id,
        )),
        OpenError::Raced => BotError::user(poll_notes::RACED),
        OpenError::Invalid(problems) => {
            error!(
                ?problems,
                "a poll built from content breaks Discord's limits"
            );
            BotError::user(poll_notes::INVALID)
        }
        OpenError::Port(error) if error.is_permanent() => BotError::user(poll_notes::REFUSED),
        OpenError::Port(_) => BotError::user(poll_notes::TRY_AGAIN),
        OpenError::Store(error) => error.into(),
    }
}
