//! `/admin reload`: for the bot's owners, reload the content from disk without a restart.

use crate::app::reload_content;
use crate::discord::convert::poise_reply;
use crate::discord::{BotError, Context};
use crate::limits;
use crate::reply::{Accent, Embed, Reply};
use crate::text::clip;

/// Bot owners' tools.
#[poise::command(
    slash_command,
    owners_only,
    default_member_permissions = "ADMINISTRATOR",
    subcommands("reload"),
    subcommand_required
)]
pub async fn admin(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Reload the content files; a bad edit keeps the current content and lists every problem.
#[poise::command(slash_command, owners_only)]
pub async fn reload(ctx: Context<'_>) -> Result<(), BotError> {
    let data = ctx.data();
    let reply = match reload_content(&data.config, data.content_slot()) {
        Ok(done) => Reply::private_note(format!(
            "Content reloaded from {}: {} contrasts, {} traits, {} tips.",
            done.from, done.contrasts, done.traits, done.tips
        )),
        Err(problems) => {
            tracing::error!("content not reloaded; the previous content stays in use:\n{problems}");
            Reply::embed(Embed {
                title: Some("Content not reloaded: the current content stays in use".into()),
                description: Some(clip(&problems.to_string(), limits::EMBED_DESCRIPTION)),
                fields: Vec::new(),
                footer: Some(
                    "Fix these in the files, then run /admin reload again (or `bridgebot check`)."
                        .into(),
                ),
                accent: Accent::Neutral,
            })
            .ephemeral()
        }
    };
    ctx.send(poise_reply(&reply)).await?;
    Ok(())
}
