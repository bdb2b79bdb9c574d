//! Gateway events that are not slash commands: button clicks, start-up, and the bot joining
//! or leaving a server.

use poise::serenity_prelude as serenity;
use serenity::{ComponentInteraction, FullEvent, Interaction, ModalInteraction};
use tracing::{debug, error, info, warn};

use super::{answers, BotError, Data, APOLOGY};
use crate::metrics::Outcome;
use crate::reply::{Action, CustomId, HelpGroup, HelpPage, Reply, Request};

/// The poise event handler.
pub async fn handle(
    ctx: &serenity::Context,
    event: &FullEvent,
    data: &Data,
) -> Result<(), BotError> {
    match event {
        FullEvent::Ready { data_about_bot } => {
            info!(user = %data_about_bot.user.name, guilds = data_about_bot.guilds.len(), "connected to Discord");
            crate::schedule::retention::sweep_now(
                data.store.clone(),
                data.clock.now(),
                data.scheduler.clone(),
            );
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
        FullEvent::InteractionCreate {
            interaction: Interaction::Modal(modal),
        } => on_form(ctx, modal, data).await,
        FullEvent::GuildDelete { incomplete, .. } => {
            super::team::server_left(data, incomplete.id.get(), incomplete.unavailable).await;
        }
        FullEvent::GuildCreate { guild, .. } => {
            // The welcome first: whether to greet again depends on when the bot was removed,
            // which noting its presence forgets.
            let welcomed = super::welcome::on_guild_create(ctx, guild, data).await;
            let joined = jiff::Timestamp::from_second(guild.joined_at.unix_timestamp())
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
            super::team::server_present(data, guild.id.get(), joined).await;
            welcomed?;
        }
        // A poll message changed: perhaps it ended. The keeper looks (only at its own polls).
        FullEvent::MessageUpdate { event, .. } => data.keeper.check(event.id.get()),
        _ => {}
    }
    Ok(())
}

/// A click on one of our components: a private message is edited in place with the next
/// answer; under a message the channel reads (and for a revealed scenario answer or the pulse's
/// form) a private message answers the one who clicked, and the public one stays as it is. Every click is
/// answered and counted: a mistake with its words, a failure with the apology, both privately
/// to whoever clicked.
async fn on_button(
    ctx: &serenity::Context,
    component: &ComponentInteraction,
    data: &Data,
) -> Result<(), BotError> {
    let custom_id = &component.data.custom_id;
    let Some(click) = CustomId::parse(custom_id) else {
        debug!(%custom_id, "a component this bot did not make");
        return Ok(());
    };
    let in_flight = data.in_flight.start();
    let answered = match click {
        CustomId::Form(form) => super::pulse_form::handle(ctx, component, data, form).await,
        CustomId::Action(action) => answer_click(ctx, component, data, &action).await,
        // Forms are submitted, never clicked.
        CustomId::Team(_) | CustomId::FocusOwn { .. } => return Ok(()),
    };
    let outcome = match answered {
        Ok(()) => Outcome::Answered,
        // Also the entry a button names having left the content in a reload.
        Err(BotError::User(mistake)) => {
            tell(ctx, component, &mistake.to_string()).await;
            Outcome::UserError
        }
        Err(error) => {
            error!(%error, custom_id = %component.data.custom_id, "button failed");
            tell(ctx, component, APOLOGY).await;
            Outcome::Failed
        }
    };
    crate::metrics::interaction("button", outcome, Some(in_flight.elapsed()));
    Ok(())
}

/// A submitted form of ours: answered like a click, a mistake with its words and a failure
/// with the apology, both privately.
async fn on_form(ctx: &serenity::Context, modal: &ModalInteraction, data: &Data) {
    let custom_id = &modal.data.custom_id;
    let in_flight = data.in_flight.start();
    let submitted = match CustomId::parse(custom_id) {
        Some(CustomId::Team(form)) => super::team::submitted(ctx, modal, data, form).await,
        Some(CustomId::FocusOwn { pulse, statement }) => {
            super::pulse_focus::own_submitted(ctx, modal, data, pulse, statement).await
        }
        _ => {
            debug!(%custom_id, "a form this bot did not make");
            return;
        }
    };
    let outcome = match submitted {
        Ok(()) => Outcome::Answered,
        Err(BotError::User(mistake)) => {
            tell_form(ctx, modal, &mistake.to_string()).await;
            Outcome::UserError
        }
        Err(error) => {
            error!(%error, %custom_id, "form failed");
            tell_form(ctx, modal, APOLOGY).await;
            Outcome::Failed
        }
    };
    crate::metrics::interaction("form", outcome, Some(in_flight.elapsed()));
}

async fn tell_form(ctx: &serenity::Context, modal: &ModalInteraction, text: &str) {
    if let Err(error) = super::team::answer(ctx, modal, &Reply::private_note(text)).await {
        warn!(%error, "could not answer a form");
    }
}

async fn answer_click(
    ctx: &serenity::Context,
    component: &ComponentInteraction,
    data: &Data,
    action: &Action,
) -> Result<(), BotError> {
    let private = component
        .message
        .flags
        .is_some_and(|f| f.contains(serenity::MessageFlags::EPHEMERAL));
    if super::team_scenarios::clicked(ctx, component, data, action, private).await? {
        return Ok(());
    }
    let request = match action {
        Action::AnotherContrast { after } => Request::AnotherContrast { after },
        Action::AnotherTip { after } => Request::AnotherTip { after },
        Action::AnotherScenario { after } => Request::AnotherScenario { after },
        Action::RevealScenario { id } => Request::RevealScenario { id },
        Action::Sources { ids } => Request::Sources { ids },
        Action::PulseAnswer { pulse } => {
            return super::pulse_form::open(ctx, component, data, *pulse).await;
        }
        Action::ForgetServer { guild } => {
            return super::team::forget_confirmed(ctx, component, data, *guild).await;
        }
        Action::ListPage { kind, page } => {
            return super::team::list_turned(ctx, component, data, *kind, *page).await;
        }
        Action::Review {
            suggestion,
            verdict,
        } => {
            return super::suggestions::review(ctx, component, data, *suggestion, *verdict).await;
        }
        Action::Help { group } => Request::Help {
            commands: &data.command_infos,
            page: HelpPage {
                // A screen this bot no longer has: the first one.
                group: HelpGroup::from_key(group).unwrap_or(HelpGroup::Start),
                viewer: super::access(
                    data,
                    component.user.id,
                    component.member.as_ref().and_then(|m| m.permissions),
                    false,
                ),
            },
        },
        Action::FocusOpen { .. }
        | Action::FocusStatement { .. }
        | Action::FocusAction { .. }
        | Action::FocusOwn { .. } => {
            return super::pulse_focus::handle(ctx, component, data, action).await;
        }
    };
    let content = data.content();
    if action.replaces_message() && private {
        // Only the one who clicked sees this message: it becomes the next answer.
        let answer = data.answers.reply(&content, request, &mut rand::rng())?;
        answers::update(&ctx.http, component, &answer).await?;
    } else {
        // The channel reads this message: the one who clicked gets the next answer privately
        // and the message stays as everyone saw it.
        let answer = data
            .answers
            .private_reply(&content, request, &mut rand::rng())?;
        answers::reply_to_button(&ctx.http, component, &answer).await?;
    }
    Ok(())
}

/// A private message to whoever clicked; if even that fails, only the log is left.
async fn tell(ctx: &serenity::Context, component: &ComponentInteraction, text: &str) {
    let sent = match answers::Serialized::now(&Reply::private_note(text)) {
        Ok(note) => answers::reply_to_button(&ctx.http, component, &note)
            .await
            .map_err(BotError::from),
        Err(error) => Err(error),
    };
    if let Err(error) = sent {
        warn!(%error, "could not answer a button click");
    }
}
