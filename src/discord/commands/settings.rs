//! `/settings …` (admins): what a server sets for itself as a whole. Its time zone is asked once
//! here and then offered by every setup, so a lead does not type it four times.

use super::tips::zones;
use super::{guild, send};
use crate::discord::{BotError, Context};
use crate::reply::settings as words;
use crate::when::Zone;

/// This server's own settings (admins).
#[poise::command(
    slash_command,
    guild_only,
    subcommands("timezone"),
    subcommand_required
)]
pub async fn settings(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Set the time zone every setup uses unless it is given another; without a zone, show it.
#[poise::command(slash_command, guild_only)]
pub async fn timezone(
    ctx: Context<'_>,
    #[description = "The server's time zone, like Europe/Berlin; leave it out to see the current one"]
    #[autocomplete = "zones"]
    zone: Option<String>,
) -> Result<(), BotError> {
    let data = ctx.data();
    let mut settings = data.store.server(guild(ctx)?).await?;
    let Some(zone) = zone else {
        return send(ctx, words::zone_shown(settings.zone.as_ref())).await;
    };
    settings.zone = Some(Zone::parse(&zone).map_err(BotError::user)?);
    data.store.save_server(&settings, data.clock.now()).await?;
    let zone = settings.zone.as_ref().map(Zone::name).unwrap_or_default();
    send(ctx, words::zone_set(zone)).await
}
