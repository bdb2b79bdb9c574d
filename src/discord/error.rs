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
use crate::reply::{Reply, UserError};

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

/// What a person sees when the bot itself failed.
pub const APOLOGY: &str = "Sorry, something went wrong on my side while answering that. It has been logged; please try again in a moment.";

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
            say(
                ctx,
                &format!(
                    "Pick what to do: /{} {}.",
                    ctx.command().name,
                    names.join(" | ")
                ),
            )
            .await;
        }
        FrameworkError::ArgumentParse {
            error, input, ctx, ..
        } => {
            let shown = input
                .map(|i| format!(" “{}”", crate::text::clip(&i, 80)))
                .unwrap_or_default();
            debug!(%error, "argument parse failed");
            say(ctx, &format!("I could not read the value{shown}: {error}. Pick a value from the list Discord shows.")).await;
        }
        FrameworkError::CommandStructureMismatch {
            description, ctx, ..
        } => {
            warn!(description, command = %ctx.command().qualified_name, "Discord sent an outdated command shape");
            say(ctx.into(), "This command was just updated and Discord still shows the old version. Please try again in a minute.").await;
        }
        FrameworkError::CooldownHit {
            remaining_cooldown,
            ctx,
            ..
        } => {
            say(
                ctx,
                &format!(
                    "Please wait {} seconds before using this again.",
                    remaining_cooldown.as_secs().max(1)
                ),
            )
            .await;
        }
        FrameworkError::MissingBotPermissions {
            missing_permissions,
            ctx,
            ..
        } => {
            say(ctx, &format!("I need these permissions in this channel first: {missing_permissions}. A server admin can grant them in the channel's settings.")).await;
        }
        FrameworkError::MissingUserPermissions {
            missing_permissions,
            ctx,
            ..
        } => {
            let missing = missing_permissions
                .map(|p| p.to_string())
                .unwrap_or_else(|| "Manage Server".into());
            say(
                ctx,
                &format!("Only members with {missing} can do this; nothing was changed."),
            )
            .await;
        }
        FrameworkError::PermissionFetchFailed { ctx, .. } => {
            warn!(command = %ctx.command().qualified_name, "could not fetch permissions");
            say(ctx, APOLOGY).await;
        }
        FrameworkError::NotAnOwner { ctx, .. } => {
            say(ctx, "Only the bot's owners can do this.").await;
        }
        FrameworkError::GuildOnly { ctx, .. } => {
            say(ctx, "This works inside a server, not in direct messages.").await;
        }
        FrameworkError::DmOnly { ctx, .. } => say(ctx, "This works only in direct messages.").await,
        FrameworkError::NsfwOnly { ctx, .. } => {
            say(ctx, "This works only in age-restricted channels.").await
        }
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
            say(ctx, "You can't use this command here.").await;
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

/// Answers privately; if even that fails, there is nobody left to tell but the log.
async fn say(ctx: super::Context<'_>, text: &str) {
    if let Err(error) = ctx.send(poise_reply(&Reply::private_note(text))).await {
        warn!(%error, "could not send an error message");
    }
}
