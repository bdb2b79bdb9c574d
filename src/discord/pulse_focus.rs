//! Choosing the team's focus from a pulse's result: the lead's private steps (statement, then
//! action) and the focus post, a reply to the result, edited when the lead chooses again. Only
//! the lead (Manage Server, or the lead role of `/pulse setup`) may; anyone else is told
//! privately who can. Nothing records who
//! chose.

use poise::serenity_prelude as serenity;
use serenity::{ComponentInteraction, CreateInteractionResponse, EditMessage, ModalInteraction};

use super::answers::{self, Serialized};
use super::convert::{channel_message, embed, no_mentions};
use super::{BotError, Data};
use crate::content::team::TeamBody;
use crate::model::duty::DutyKind;
use crate::model::team::TeamKind;
use crate::reply::pulse::results_of;
use crate::reply::pulse_focus as words;
use crate::reply::{Action, Reply};
use crate::store::PulseRecord;

/// Whether a member may choose the team's focus: Discord's Manage Server permission, as the
/// interaction states it, or the lead role set with `/pulse setup`.
async fn is_lead(
    data: &Data,
    guild: Option<serenity::GuildId>,
    member: Option<&serenity::Member>,
) -> Result<bool, BotError> {
    super::manages_or_holds(member, async {
        let Some(guild) = guild else {
            return Ok(None);
        };
        Ok(data
            .schedules
            .get::<crate::model::schedule::PulseOptions>(guild.get())
            .await?
            .and_then(|s| s.options.lead_role_id))
    })
    .await
}

/// The titles of the server's own tips, newest first, offered as actions.
async fn team_tips(data: &Data, guild: u64) -> Result<Vec<String>, BotError> {
    let mut entries = data.store.team_entries(guild, Some(TeamKind::Tip)).await?;
    entries.reverse();
    Ok(entries
        .iter()
        .filter_map(|entry| Some(TeamBody::of_entry(entry)?.into_tip()?.title))
        .take(words::TEAM_TIPS_OFFERED)
        .collect())
}

/// A new private message answering the click.
async fn tell(
    ctx: &serenity::Context,
    component: &ComponentInteraction,
    reply: &Reply,
) -> Result<(), BotError> {
    answers::reply_to_button(&ctx.http, component, &Serialized::now(reply)?).await?;
    Ok(())
}

/// The private message the click came from, replaced.
async fn replace(
    ctx: &serenity::Context,
    component: &ComponentInteraction,
    reply: &Reply,
) -> Result<(), BotError> {
    answers::update(&ctx.http, component, &Serialized::now(reply)?).await?;
    Ok(())
}

/// The closed pulse of this server whose result shows scores.
async fn scored_pulse(
    data: &Data,
    guild: Option<serenity::GuildId>,
    pulse: i64,
) -> Result<Option<PulseRecord>, BotError> {
    let guild = guild.map(|g| g.get());
    Ok(data.store.pulse(pulse).await?.filter(|p| {
        p.closed && Some(p.guild_id) == guild && p.responses >= data.config.pulse.min_responses
    }))
}

/// A click on one of the focus buttons.
pub async fn handle(
    ctx: &serenity::Context,
    component: &ComponentInteraction,
    data: &Data,
    action: &Action,
) -> Result<(), BotError> {
    let pulse = match action {
        Action::FocusOpen { pulse }
        | Action::FocusStatement { pulse, .. }
        | Action::FocusAction { pulse, .. }
        | Action::FocusOwn { pulse, .. } => *pulse,
        _ => return Ok(()),
    };
    if !is_lead(data, component.guild_id, component.member.as_ref()).await? {
        return tell(ctx, component, &words::lead_only()).await;
    }
    let Some(pulse) = scored_pulse(data, component.guild_id, pulse).await? else {
        return tell(ctx, component, &words::nothing_to_choose()).await;
    };
    let content = data.content();
    let team_tips = team_tips(data, pulse.guild_id).await?;
    match *action {
        Action::FocusOpen { .. } => {
            let counts = data.store.pulse_counts(pulse.id).await?;
            let results = results_of(&content, &pulse.statements, &counts);
            let picks: Vec<(usize, String)> = words::lowest(&results)
                .into_iter()
                .filter_map(|i| {
                    let id = &results[i].statement_id;
                    let index = pulse.statements.iter().position(|s| s == id)?;
                    Some((index, id.clone()))
                })
                .collect();
            if picks.is_empty() {
                return tell(ctx, component, &words::nothing_to_choose()).await;
            }
            tell(
                ctx,
                component,
                &words::pick_statement(&content, pulse.id, &picks),
            )
            .await
        }
        Action::FocusStatement { statement, .. } => {
            let Some(id) = pulse.statements.get(statement) else {
                return replace(ctx, component, &words::choice_gone()).await;
            };
            replace(
                ctx,
                component,
                &words::pick_action(&content, &team_tips, pulse.id, statement, id),
            )
            .await
        }
        Action::FocusAction {
            statement, action, ..
        } => {
            let chosen = pulse.statements.get(statement).and_then(|id| {
                words::focus_actions(&content, &team_tips, id)
                    .into_iter()
                    .nth(action)
                    .map(|a| (id.clone(), a))
            });
            let Some((statement_id, action)) = chosen else {
                return replace(ctx, component, &words::choice_gone()).await;
            };
            let replaced = post_focus(ctx, data, &pulse, &statement_id, &action).await?;
            replace(ctx, component, &words::focus_posted(replaced)).await
        }
        Action::FocusOwn { statement, .. } => {
            if pulse.statements.get(statement).is_none() {
                return replace(ctx, component, &words::choice_gone()).await;
            }
            let form = words::own_action_form(pulse.id, statement);
            component
                .create_response(
                    &ctx.http,
                    CreateInteractionResponse::Modal(super::convert::modal(&form)),
                )
                .await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The lead's own action, from its form: checked as the buttons are (the lead, a result with
/// scores), then posted like a chosen one. A mistake is the lead's, said privately.
pub async fn own_submitted(
    ctx: &serenity::Context,
    modal: &ModalInteraction,
    data: &Data,
    pulse: i64,
    statement: usize,
) -> Result<(), BotError> {
    if !is_lead(data, modal.guild_id, modal.member.as_ref()).await? {
        return Err(BotError::user(words::LEAD_ONLY));
    }
    let Some(pulse) = scored_pulse(data, modal.guild_id, pulse).await? else {
        return Err(BotError::user(words::NOTHING_TO_CHOOSE));
    };
    let Some(statement_id) = pulse.statements.get(statement).cloned() else {
        return Err(BotError::user(words::CHOICE_GONE));
    };
    let action = words::own_action(&super::team::typed(modal, "action")).map_err(BotError::user)?;
    let replaced = post_focus(ctx, data, &pulse, &statement_id, &action).await?;
    super::team::answer(ctx, modal, &words::focus_posted(replaced)).await
}

/// Stores the focus and posts it as a reply to the result, or edits the post of an earlier
/// choice; `true` when it replaced one.
async fn post_focus(
    ctx: &serenity::Context,
    data: &Data,
    pulse: &PulseRecord,
    statement_id: &str,
    action: &str,
) -> Result<bool, BotError> {
    let focus = data
        .store
        .choose_focus(
            pulse.id,
            pulse.guild_id,
            statement_id,
            action,
            data.clock.now(),
        )
        .await?;
    let post = words::focus_post(&data.content(), pulse.week, statement_id, action);
    let channel = serenity::ChannelId::new(pulse.channel_id);
    if let Some(message) = focus.message_id {
        let edit = EditMessage::new()
            .allowed_mentions(no_mentions())
            .embeds(post.embeds.iter().map(embed).collect());
        ctx.http
            .edit_message(channel, message.into(), &edit, Vec::new())
            .await?;
        return Ok(true);
    }
    let result = data
        .store
        .duty_entry(DutyKind::PulseResult, pulse.guild_id, pulse.week)
        .await?
        .and_then(|entry| entry.message_id);
    let mut message = channel_message(&post, no_mentions());
    if let Some(result) = result {
        message = message.reference_message((channel, serenity::MessageId::new(result)));
    }
    let sent = channel.send_message(&ctx.http, message).await?;
    data.store
        .set_focus_message(pulse.id, sent.id.get())
        .await?;
    Ok(false)
}
