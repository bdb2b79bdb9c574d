//! A server's own entries on the Discord side: the form a `/content add` or `/content edit`
//! opens, and its submit, which checks the texts (limits, near-copies, the server's cap) and
//! saves them. What is said is `reply::team`'s; the rules are `content::team`'s.

use poise::serenity_prelude as serenity;
use serenity::{CreateInteractionResponse, ModalInteraction};

use super::convert::{interaction_message, modal};
use super::{BotError, Data};
use crate::content::team::{cap, Known, TeamBody};
use crate::model::server::ServerChange;
use crate::model::team::{TeamEntry, TeamKind};
use crate::reply::team::{self as words, Form};
use crate::reply::{said, Reply, TeamForm};
use crate::store::{Added, NewTeamEntry, StoreError};

/// A stored entry's texts.
pub(crate) fn decode(entry: &TeamEntry) -> Result<TeamBody, StoreError> {
    TeamBody::from_json(entry.kind, &entry.fields)
        .map_err(|e| StoreError::Corrupt(format!("team entry {}: {e}", entry.id)))
}

/// A server's entries with their texts, of one kind or all.
pub(crate) async fn entries(
    data: &Data,
    guild: u64,
    kind: Option<TeamKind>,
) -> Result<Vec<(TeamEntry, TeamBody)>, BotError> {
    let mut listed = Vec::new();
    for entry in data.store.team_entries(guild, kind).await? {
        let body = decode(&entry)?;
        listed.push((entry, body));
    }
    Ok(listed)
}

/// Opens `form` as the answer to a slash command.
pub(crate) async fn open_form(ctx: super::SlashContext<'_>, form: &Form) -> Result<(), BotError> {
    ctx.interaction
        .create_response(ctx.http(), CreateInteractionResponse::Modal(modal(form)))
        .await?;
    ctx.has_sent_initial_response
        .store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}

/// Checks entries about to be added to a server: the cap of each kind first (a file of too
/// many is refused before anything else), then each entry against the limits, the bundled
/// content and what the server (and the entries before it) already hold; the first mistake,
/// in words.
pub(crate) async fn check_new(
    data: &Data,
    guild: u64,
    bodies: &[TeamBody],
    except: Option<i64>,
) -> Result<(), BotError> {
    let content = data.content();
    let held: Vec<TeamBody> = entries(data, guild, None)
        .await?
        .into_iter()
        .filter(|(entry, _)| Some(entry.id) != except)
        .map(|(_, body)| body)
        .collect();
    if except.is_none() {
        for kind in TeamKind::ALL {
            let holds = held.iter().filter(|b| b.kind() == kind).count();
            let adding = bodies.iter().filter(|b| b.kind() == kind).count();
            if adding > 0 && holds + adding > cap(kind) {
                return Err(BotError::user(words::over_cap(
                    kind,
                    holds,
                    adding,
                    cap(kind),
                )));
            }
        }
    }
    let mut known = Known::new(&content, &held);
    for body in bodies {
        let problems = body.problems();
        if !problems.is_empty() {
            return Err(BotError::user(words::invalid(&problems)));
        }
        if let Some(like) = known.resembled(body) {
            return Err(BotError::user(words::duplicate(like)));
        }
        known.add(body);
    }
    Ok(())
}

/// Adds checked entries to a server, all or none; the member is told when the cap is reached.
pub(crate) async fn add(
    data: &Data,
    guild: u64,
    bodies: &[TeamBody],
    added_by: u64,
    suggested_by: Option<&str>,
) -> Result<Vec<i64>, BotError> {
    let new: Vec<NewTeamEntry> = bodies
        .iter()
        .map(|body| NewTeamEntry {
            kind: body.kind(),
            fields: body.to_json(),
            suggested_by: suggested_by.map(str::to_string),
        })
        .collect();
    match data
        .store
        .add_team_entries(guild, &new, added_by, cap, data.clock.now())
        .await?
    {
        Added::All(ids) => Ok(ids),
        Added::OverCap { kind, holds } => {
            let adding = bodies.iter().filter(|b| b.kind() == kind).count();
            Err(BotError::user(words::over_cap(
                kind,
                holds,
                adding,
                cap(kind),
            )))
        }
    }
}

/// What a form's text box `field` holds in a submit.
pub(crate) fn typed(modal: &ModalInteraction, field: &str) -> String {
    modal
        .data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .find_map(|component| match component {
            serenity::ActionRowComponent::InputText(input) if input.custom_id == field => {
                input.value.clone()
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// The entry a submitted form holds, trimmed.
pub(crate) fn typed_body(
    modal: &ModalInteraction,
    kind: TeamKind,
    pick: &str,
) -> Result<TeamBody, BotError> {
    Ok(TeamBody::from_form(kind, pick, |f| typed(modal, f))
        .ok_or_else(|| BotError::user(said::OUTDATED_COMMAND))?
        .trimmed())
}

/// A submitted form for a server's own entry: checked, saved, and answered privately. A
/// member's suggestion and a reviewer's edit go to `suggestions`.
pub(crate) async fn submitted(
    ctx: &serenity::Context,
    modal: &ModalInteraction,
    data: &Data,
    form: TeamForm,
) -> Result<(), BotError> {
    let guild = modal
        .guild_id
        .map(|g| g.get())
        .ok_or_else(|| BotError::user(said::GUILD_ONLY))?;
    let form = match form {
        TeamForm::Suggest { kind, pick } => {
            return super::suggestions::submitted(ctx, modal, data, guild, kind, &pick).await;
        }
        TeamForm::Review { id } => {
            return super::suggestions::edited(ctx, modal, data, guild, id).await;
        }
        form @ (TeamForm::Add { .. } | TeamForm::Edit { .. }) => form,
    };
    if !super::manages(modal.member.as_ref()) {
        return Err(BotError::user(said::only_members_with(None)));
    }
    let reply = match form {
        TeamForm::Add { kind, pick } => {
            let body = typed_body(modal, kind, &pick)?;
            let bodies = [body];
            check_new(data, guild, &bodies, None).await?;
            add(data, guild, &bodies, modal.user.id.get(), None).await?;
            words::added(&bodies[0])
        }
        TeamForm::Edit { id } => {
            let entry = data
                .store
                .team_entry(guild, id)
                .await?
                .ok_or_else(|| BotError::user(words::NO_SUCH_ENTRY))?;
            let pick = decode(&entry)?.pick();
            let body = typed_body(modal, entry.kind, &pick)?;
            check_new(data, guild, std::slice::from_ref(&body), Some(id)).await?;
            if !data
                .store
                .edit_team_entry(guild, id, &body.to_json())
                .await?
            {
                return Err(BotError::user(words::NO_SUCH_ENTRY));
            }
            words::edited(&body)
        }
        TeamForm::Suggest { .. } | TeamForm::Review { .. } => return Ok(()),
    };
    answer(ctx, modal, &reply).await
}

/// Answers a form's submit with `reply`.
pub(crate) async fn answer(
    ctx: &serenity::Context,
    modal: &ModalInteraction,
    reply: &Reply,
) -> Result<(), BotError> {
    modal
        .create_response(
            &ctx.http,
            CreateInteractionResponse::Message(interaction_message(reply)),
        )
        .await?;
    Ok(())
}

/// A `GUILD_DELETE`: an outage (`unavailable`) changes nothing; a removal starts the grace
/// period after which the server's data is deleted (`schedule::retention`).
pub(crate) async fn server_left(data: &Data, guild: u64, unavailable: bool) {
    if unavailable {
        tracing::info!(
            guild,
            "server unavailable (a Discord outage); its data stays"
        );
        let _ = data.server_changes.send(ServerChange::Unavailable(guild));
        return;
    }
    match data.store.server_removed(guild, data.clock.now()).await {
        Ok(()) => {
            tracing::info!(
                guild,
                "removed from a server; its data goes in 30 days unless it adds the bot back"
            );
            let _ = data.server_changes.send(ServerChange::Removed(guild));
        }
        Err(error) => tracing::error!(guild, %error, "could not note the removal from a server"),
    }
}

/// A `GUILD_CREATE`: a server the bot was removed from and is back in (it joined since) keeps
/// its data.
pub(crate) async fn server_present(data: &Data, guild: u64, joined: jiff::Timestamp) {
    match data
        .store
        .server_present(guild, joined, data.clock.now())
        .await
    {
        Ok(()) => {
            let _ = data.server_changes.send(ServerChange::Present(guild));
        }
        Err(error) => tracing::error!(guild, %error, "could not note a server's return"),
    }
}

/// The click confirming `/forget-server`: only a member with Manage Server in that same server
/// erases it; the scheduler then finds nothing left to plan for it.
pub(crate) async fn forget_confirmed(
    ctx: &serenity::Context,
    component: &serenity::ComponentInteraction,
    data: &Data,
    guild: u64,
) -> Result<(), BotError> {
    if component.guild_id.map(|g| g.get()) != Some(guild)
        || !super::manages(component.member.as_ref())
    {
        return Err(BotError::user(said::only_members_with(None)));
    }
    data.store.forget_server(guild).await?;
    for &duty in crate::model::duty::DutyKind::ALL {
        data.scheduler.changed(duty, guild);
    }
    tracing::info!(guild, "deleted everything of a server, as its admin asked");
    let _ = data.server_changes.send(ServerChange::Forgotten(guild));
    let done = words::forgotten(component.user.id.get(), data.clock.now());
    let message = serenity::CreateInteractionResponse::UpdateMessage(
        interaction_message(&done).components(Vec::new()),
    );
    component.create_response(&ctx.http, message).await?;
    Ok(())
}

/// A page button of `/content list` (on the admin's private answer): that page, in place.
pub(crate) async fn list_turned(
    ctx: &serenity::Context,
    component: &serenity::ComponentInteraction,
    data: &Data,
    kind: Option<TeamKind>,
    page: usize,
) -> Result<(), BotError> {
    let guild = component
        .guild_id
        .map(|g| g.get())
        .ok_or_else(|| BotError::user(said::GUILD_ONLY))?;
    if !super::manages(component.member.as_ref()) {
        return Err(BotError::user(said::only_members_with(None)));
    }
    let listed = entries(data, guild, kind).await?;
    let page = words::list_page(kind, &listed, page);
    component
        .create_response(
            &ctx.http,
            CreateInteractionResponse::UpdateMessage(interaction_message(&page)),
        )
        .await?;
    Ok(())
}
