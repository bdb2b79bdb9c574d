//! `/admin reload`: for the bot's owners, reload the content from disk without a restart.

use crate::discord::convert::poise_reply;
use crate::discord::{BotError, Context};
use crate::reply::admin as answers;

/// Bot owners' tools.
#[poise::command(slash_command, subcommands("reload"), subcommand_required)]
pub async fn admin(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Reload the content files; a bad edit keeps the current content and lists every problem.
#[poise::command(slash_command)]
pub async fn reload(ctx: Context<'_>) -> Result<(), BotError> {
    let reply = match ctx.data().live_content().reload() {
        Ok(done) => answers::reloaded(&done.from, done.contrasts, done.traits, done.tips),
        Err(problems) => {
            tracing::error!("content not reloaded; the previous content stays in use:\n{problems}");
            answers::not_reloaded(&problems)
        }
    };
    ctx.send(poise_reply(&reply)).await?;
    Ok(())
}
