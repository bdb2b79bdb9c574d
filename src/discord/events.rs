//! Gateway events that are not slash commands: button clicks, and start-up.

use poise::serenity_prelude as serenity;
use serenity::{ComponentInteraction, FullEvent, Interaction};
use tracing::{debug, info};

use super::{answers, BotError, Data};
use crate::metrics::Outcome;
use crate::reply::{Action, Request};

/// The poise event handler.
pub async fn handle(
    ctx: &serenity::Context,
    event: &FullEvent,
    data: &Data,
) -> Result<(), BotError> {
    match event {
        FullEvent::Ready { data_about_bot } => {
            info!(user = %data_about_bot.user.name, guilds = data_about_bot.guilds.len(), "connected to Discord");
            if data
                .connected_before
                .swap(true, std::sync::atomic::Ordering::Relaxed)
            {
                crate::metrics::gateway_reconnect();
            }
        }
        FullEvent::Resume { .. } => {
            info!("gateway session resumed");
            crate::metrics::gateway_reconnect();
        }
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(component),
        } => on_button(ctx, component, data).await?,
        // A poll message changed: perhaps it ended. The keeper looks (only at its own polls).
        FullEvent::MessageUpdate { event, .. } => data.keeper.check(event.id.get()),
        _ => {}
    }
    Ok(())
}

/// A click on one of our buttons: the message is edited in place with the new answer.
async fn on_button(
    ctx: &serenity::Context,
    component: &ComponentInteraction,
    data: &Data,
) -> Result<(), BotError> {
    if super::pulse_form::handle(ctx, component, data).await? {
        return Ok(());
    }
    let Some(action) = Action::parse(&component.data.custom_id) else {
        debug!(custom_id = %component.data.custom_id, "a component this bot did not make");
        return Ok(());
    };
    let request = match &action {
        Action::AnotherContrast { after } => Request::AnotherContrast { after },
        Action::AnotherTip { after } => Request::AnotherTip { after },
        Action::PulseAnswer { pulse } => {
            return super::pulse_form::open(ctx, component, data, *pulse).await;
        }
    };
    let in_flight = data.in_flight.start();
    let answer = data
        .answers
        .reply(&data.content(), request, &mut rand::rng())?;
    let sent = answers::update(&ctx.http, component, &answer).await;
    let outcome = if sent.is_ok() {
        Outcome::Answered
    } else {
        Outcome::Failed
    };
    crate::metrics::interaction("button", outcome, Some(in_flight.elapsed()));
    sent?;
    Ok(())
}
