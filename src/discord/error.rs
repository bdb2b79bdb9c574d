//! Errors on the Discord path, and the one handler for every poise `FrameworkError`.
//!
//! A person's mistake ([`UserError`]) is answered privately in plain words and is not a
//! failure of the bot. Anything else is the bot's problem: it is logged with its fields and
//! the person gets a short apology, never the internals.

use poise::serenity_prelude as serenity;
use poise::FrameworkError;
use tracing::{debug, error, warn};

use super::convert::poise_reply;
use super::Data;
use crate::reply::{said, Reply, UserError};

/// Everything a command or event handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    /// The person asked for something that cannot be done as asked.
    #[error(transparent)]
    User(#[from] UserError),
    /// Discord refused or did not answer a request.
    #[error("Discord request failed: {}", describe(.0))]
    Discord(Box<serenity::Error>),
    /// An owed request (a post in a channel) failed.
    #[error("Discord request failed: {0}")]
    Rest(#[from] crate::rest::RestError),
    /// The database failed.
    #[error("database: {0}")]
    Store(#[from] crate::store::StoreError),
    /// Work drawn off the runtime (a chart) never ran: the bot was stopping.
    #[error("{0}")]
    Abandoned(#[from] crate::tasks::Abandoned),
}

impl From<serenity::Error> for BotError {
    fn from(error: serenity::Error) -> BotError {
        BotError::Discord(Box::new(error))
    }
}

impl BotError {
    /// A user error from a message, for checks written in commands.
    pub fn user(message: impl Into<String>) -> BotError {
        BotError::User(UserError::Invalid(message.into()))
    }
}

/// A serenity error in words that carry no secret. reqwest's own messages include the request
/// URL, and interaction URLs contain the interaction token, so those are described by kind.
pub fn describe(error: &serenity::Error) -> String {
    use serenity::HttpError;
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => format!(
            "{} {} (Discord code {}): {}",
            response.method.as_str(),
            response.status_code,
            response.error.code,
            response.error.message
        ),
        serenity::Error::Http(HttpError::Request(request)) => {
            let kind = if request.is_timeout() {
                "timed out"
            } else if request.is_connect() {
                "could not connect"
            } else {
                "failed"
            };
            format!(
                "request {kind}{}",
                request
                    .status()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default()
            )
        }
        other => other.to_string(),
    }
}

pub use crate::reply::said::APOLOGY;

/// Handles every kind of framework error: explain privately, or log and apologize.
pub async fn on_error(error: FrameworkError<'_, Data, BotError>) {
    record(&error);
    match error {
        FrameworkError::Setup { error, .. } => error!(%error, "start-up failed"),
        FrameworkError::EventHandler { error, event, .. } => {
            error!(%error, event = event.snake_case_name(), "event handler failed");
        }
        FrameworkError::Command {
            error: BotError::User(user),
            ctx,
            ..
        } => {
            say(ctx, &user.to_string()).await;
        }
        FrameworkError::Command { error, ctx, .. } => {
            error!(%error, command = %ctx.command().qualified_name, "command failed");
            say(ctx, APOLOGY).await;
        }
        FrameworkError::CommandPanic { payload, ctx, .. } => {
            error!(panic = payload.as_deref().unwrap_or("unknown"), command = %ctx.command().qualified_name, "command panicked");
            say(ctx, APOLOGY).await;
        }
        FrameworkError::SubcommandRequired { ctx } => {
            let names: Vec<&str> = ctx
                .command()
                .subcommands
                .iter()
                .map(|c| c.name.as_ref())
                .collect();
            say(ctx, &said::pick_subcommand(&ctx.command().name, &names)).await;
        }
        FrameworkError::ArgumentParse {
            error, input, ctx, ..
        } => {
            debug!(%error, command = %ctx.command().qualified_name, "argument parse failed");
            say(ctx, &said::unreadable_value(input.as_deref())).await;
        }
        FrameworkError::CommandStructureMismatch {
            description, ctx, ..
        } => {
            warn!(description, command = %ctx.command().qualified_name, "Discord sent an outdated command shape");
            say(ctx.into(), said::OUTDATED_COMMAND).await;
        }
        FrameworkError::CooldownHit {
            remaining_cooldown,
            ctx,
            ..
        } => {
            say(ctx, &said::wait(remaining_cooldown.as_secs())).await;
        }
        FrameworkError::MissingBotPermissions {
            missing_permissions,
            ctx,
            ..
        } => {
            say(ctx, &said::bot_needs(&missing_permissions.to_string())).await;
        }
        FrameworkError::MissingUserPermissions {
            missing_permissions,
            ctx,
            ..
        } => {
            let missing = missing_permissions.map(|p| p.to_string());
            say(ctx, &said::only_members_with(missing.as_deref())).await;
        }
        FrameworkError::PermissionFetchFailed { ctx, .. } => {
            warn!(command = %ctx.command().qualified_name, "could not fetch permissions");
            say(ctx, APOLOGY).await;
        }
        FrameworkError::NotAnOwner { ctx, .. } => {
            say(ctx, said::ONLY_OWNERS).await;
        }
        FrameworkError::GuildOnly { ctx, .. } => {
            say(ctx, said::GUILD_ONLY).await;
        }
        FrameworkError::DmOnly { ctx, .. } => say(ctx, said::DM_ONLY).await,
        FrameworkError::NsfwOnly { ctx, .. } => say(ctx, said::NSFW_ONLY).await,
        FrameworkError::CommandCheckFailed {
            error: Some(BotError::User(user)),
            ctx,
            ..
        } => {
            say(ctx, &user.to_string()).await;
        }
        FrameworkError::CommandCheckFailed {
            error: Some(error),
            ctx,
            ..
        } => {
            error!(%error, command = %ctx.command().qualified_name, "command check failed");
            say(ctx, APOLOGY).await;
        }
        FrameworkError::CommandCheckFailed {
            error: None, ctx, ..
        } => {
            say(ctx, said::NOT_HERE).await;
        }
        FrameworkError::UnknownCommand { msg, .. } => {
            debug!(message = %msg.id, "unknown prefix command")
        }
        FrameworkError::UnknownInteraction { interaction, .. } => {
            warn!(command = %interaction.data.name, "interaction for a command this bot does not have");
        }
        FrameworkError::DynamicPrefix { error, .. } => error!(%error, "dynamic prefix failed"),
        FrameworkError::NonCommandMessage { error, .. } => error!(%error, "message handler failed"),
        other => warn!(error = %other, "unhandled framework error"),
    }
}

/// Counts an interaction that ended in an error, by whose mistake it was.
fn record(error: &FrameworkError<'_, Data, BotError>) {
    use crate::metrics::{interaction, Outcome};
    let Some(ctx) = error.ctx() else {
        return;
    };
    let outcome = match error {
        FrameworkError::Command {
            error: BotError::User(_),
            ..
        }
        | FrameworkError::CommandCheckFailed {
            error: Some(BotError::User(_)) | None,
            ..
        }
        | FrameworkError::ArgumentParse { .. }
        | FrameworkError::SubcommandRequired { .. }
        | FrameworkError::CooldownHit { .. }
        | FrameworkError::MissingBotPermissions { .. }
        | FrameworkError::MissingUserPermissions { .. }
        | FrameworkError::NotAnOwner { .. }
        | FrameworkError::GuildOnly { .. }
        | FrameworkError::DmOnly { .. }
        | FrameworkError::NsfwOnly { .. } => Outcome::UserError,
        _ => Outcome::Failed,
    };
    if let FrameworkError::Command {
        error: BotError::Discord(inner),
        ..
    } = error
    {
        if let serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) =
            inner.as_ref()
        {
            crate::rest::count_rest_error(response.status_code.as_u16());
        }
    }
    interaction(&ctx.command().qualified_name, outcome, None);
}

/// Answers privately; if even that fails, there is nobody left to tell but the log. An
/// autocomplete request takes only choices, so it gets none (a check it failed, a value it
/// could not read): Discord then shows an empty list instead of "loading options failed".
async fn say(ctx: super::Context<'_>, text: &str) {
    if let poise::Context::Application(app) = ctx {
        if app.interaction_type == poise::CommandInteractionType::Autocomplete {
            let none = serenity::CreateInteractionResponse::Autocomplete(
                serenity::CreateAutocompleteResponse::new(),
            );
            if let Err(error) = app.interaction.create_response(ctx.http(), none).await {
                warn!(%error, "could not answer an autocomplete request");
            }
            return;
        }
    }
    if let Err(error) = ctx.send(poise_reply(&Reply::private_note(text))).await {
        warn!(%error, "could not send an error message");
    }
}
