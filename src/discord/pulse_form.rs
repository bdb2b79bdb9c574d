//! The private answer form of a team pulse: the "Answer anonymously" button opens it, each
//! select updates it in place, Submit stores the answers under the member's keyed hash and
//! refreshes the count on the pulse post. A member who answered already finds their own
//! answers picked in the form (read back by that same hash, only while the pulse is open, and
//! only into a form nobody else sees). Nothing here logs who answered or what.

use poise::serenity_prelude as serenity;
use serenity::{
    ButtonStyle, ComponentInteraction, ComponentInteractionDataKind, CreateActionRow, CreateButton,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateSelectMenu,
    CreateSelectMenuKind, CreateSelectMenuOption, EditMessage,
};
use tracing::debug;

use super::convert::{embed, no_mentions};
use super::{BotError, Data};
use crate::pulse::member_hash;
use crate::reply::pulse::{
    self as words, answer_form, choose, chosen_from, nothing_chosen, scores,
};
use crate::reply::{FormId, Reply};
use crate::store::PulseRecord;

/// The form's components for what is chosen so far.
fn form_rows(
    data: &Data,
    pulse: &PulseRecord,
    chosen: &str,
    answered_before: bool,
) -> (String, Vec<CreateActionRow>) {
    let form = answer_form(&data.content(), &pulse.statements, answered_before);
    let picked: Vec<char> = chosen.chars().collect();
    let mut rows: Vec<CreateActionRow> = form
        .questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let options = question
                .options
                .iter()
                .map(|(label, score)| {
                    let is_default =
                        picked.get(index).and_then(|c| c.to_digit(10)) == Some(u32::from(*score));
                    CreateSelectMenuOption::new(label, score.to_string())
                        .default_selection(is_default)
                })
                .collect();
            let id = FormId::Pick {
                pulse: pulse.id,
                index,
                chosen: chosen.to_string(),
            };
            CreateActionRow::SelectMenu(
                CreateSelectMenu::new(id.custom_id(), CreateSelectMenuKind::String { options })
                    .placeholder(&question.placeholder),
            )
        })
        .collect();
    let submit = FormId::Submit {
        pulse: pulse.id,
        chosen: chosen.to_string(),
    };
    rows.push(CreateActionRow::Buttons(vec![CreateButton::new(
        submit.custom_id(),
    )
    .label(&form.submit_label)
    .style(ButtonStyle::Primary)]));
    (form.text, rows)
}

fn note(reply: &Reply) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .ephemeral(true)
        .allowed_mentions(no_mentions())
        .content(note_text(reply))
}

async fn respond(
    ctx: &serenity::Context,
    component: &ComponentInteraction,
    response: CreateInteractionResponse,
) -> Result<(), BotError> {
    component.create_response(&ctx.http, response).await?;
    Ok(())
}

/// The member's own answers to an open pulse as the form's picks, if they have answered.
async fn earlier_answers(
    data: &Data,
    pulse: &PulseRecord,
    member: u64,
) -> Result<Option<String>, BotError> {
    let Some(key) = data.store.pulse_key(pulse.id).await? else {
        return Ok(None);
    };
    let hash = member_hash(&key, member);
    let answers = data.store.member_pulse_answers(pulse.id, &hash).await?;
    Ok(chosen_from(&pulse.statements, &answers))
}

async fn open_pulse(data: &Data, pulse: i64) -> Result<Option<PulseRecord>, BotError> {
    let now = data.clock.now();
    Ok(data
        .store
        .pulse(pulse)
        .await?
        .filter(|p| !p.closed && p.closes_at > now))
}

/// "Answer anonymously": the form, only for the member who pressed it.
pub async fn open(
    ctx: &serenity::Context,
    component: &ComponentInteraction,
    data: &Data,
    pulse: i64,
) -> Result<(), BotError> {
    let Some(pulse) = open_pulse(data, pulse).await? else {
        return respond(
            ctx,
            component,
            CreateInteractionResponse::Message(note(&words::closed_already())),
        )
        .await;
    };
    let earlier = earlier_answers(data, &pulse, component.user.id.get()).await?;
    let answered_before = earlier.is_some();
    let chosen = earlier.unwrap_or_else(|| nothing_chosen(pulse.statements.len()));
    let (text, rows) = form_rows(data, &pulse, &chosen, answered_before);
    let message = CreateInteractionResponseMessage::new()
        .ephemeral(true)
        .allowed_mentions(no_mentions())
        .content(text)
        .components(rows);
    respond(ctx, component, CreateInteractionResponse::Message(message)).await
}

/// Where a click on the form leaves it.
enum Step {
    /// The form again, with what is chosen so far.
    Form(CreateInteractionResponseMessage),
    /// The pulse has closed (its key is gone): the form gives way to a note saying so.
    Closed,
    /// Saved: the form gives way to thanks, and the count on the post is refreshed.
    Saved(PulseRecord),
}

/// A select or Submit of the form. A Submit before every statement is rated is the member's
/// mistake, answered privately beside the form by the caller.
pub async fn handle(
    ctx: &serenity::Context,
    component: &ComponentInteraction,
    data: &Data,
    id: FormId,
) -> Result<(), BotError> {
    let step = match id {
        FormId::Pick {
            pulse,
            index,
            chosen,
        } => pick(component, data, pulse, index, &chosen).await?,
        FormId::Submit { pulse, chosen } => submit(component, data, pulse, &chosen).await?,
    };
    let response = match &step {
        Step::Form(form) => form.clone(),
        Step::Closed => note(&words::closed_already()).components(Vec::new()),
        Step::Saved(_) => note(&words::thanks()).components(Vec::new()),
    };
    respond(
        ctx,
        component,
        CreateInteractionResponse::UpdateMessage(response),
    )
    .await?;
    if let Step::Saved(record) = step {
        refresh_count(ctx, data, &record).await;
    }
    Ok(())
}

/// A score picked in one statement's select: the form redrawn with it.
async fn pick(
    component: &ComponentInteraction,
    data: &Data,
    pulse: i64,
    index: usize,
    chosen: &str,
) -> Result<Step, BotError> {
    let Some(record) = open_pulse(data, pulse).await? else {
        return Ok(Step::Closed);
    };
    let score = match &component.data.kind {
        ComponentInteractionDataKind::StringSelect { values } => values
            .first()
            .and_then(|v| v.parse::<u8>().ok())
            .filter(|s| (1..=5).contains(s)),
        _ => None,
    };
    let chosen = score.map_or(chosen.to_string(), |s| choose(chosen, index, s));
    let answered_before = earlier_answers(data, &record, component.user.id.get())
        .await?
        .is_some();
    let (text, rows) = form_rows(data, &record, &chosen, answered_before);
    Ok(Step::Form(
        CreateInteractionResponseMessage::new()
            .content(text)
            .components(rows),
    ))
}

/// Submit: the answers stored under the member's keyed hash, replacing earlier ones.
async fn submit(
    component: &ComponentInteraction,
    data: &Data,
    pulse: i64,
    chosen: &str,
) -> Result<Step, BotError> {
    let Some(record) = open_pulse(data, pulse).await? else {
        return Ok(Step::Closed);
    };
    let Some(picked) = scores(chosen).filter(|s| s.len() == record.statements.len()) else {
        return Err(BotError::user(note_text(&words::rate_every_statement())));
    };
    let Some(key) = data.store.pulse_key(pulse).await? else {
        return Ok(Step::Closed);
    };
    let hash = member_hash(&key, component.user.id.get());
    let answers: Vec<(String, u8)> = record.statements.iter().cloned().zip(picked).collect();
    if !data
        .store
        .save_pulse_answers(pulse, &hash, &answers)
        .await?
    {
        return Ok(Step::Closed);
    }
    Ok(Step::Saved(record))
}

fn note_text(reply: &Reply) -> String {
    reply.text.clone().unwrap_or_default()
}

/// Shows the new number of answers on the pulse post. One edit per pulse is under way at a
/// time: answers that arrive meanwhile are shown by one more edit when it ends, so a rush of
/// answers costs a few edits, not one each. A failure only leaves the count behind.
async fn refresh_count(ctx: &serenity::Context, data: &Data, pulse: &PulseRecord) {
    if pulse.message_id.is_none() || !data.count_edits.begin(pulse.id) {
        return;
    }
    loop {
        edit_count(ctx, data, pulse).await;
        if !data.count_edits.again(pulse.id) {
            break;
        }
    }
}

async fn edit_count(ctx: &serenity::Context, data: &Data, pulse: &PulseRecord) {
    let Some(message) = pulse.message_id else {
        return;
    };
    let answered = match data.store.pulse_answered(pulse.id).await {
        Ok(n) => n,
        Err(error) => {
            debug!(%error, "cannot count the pulse's answers");
            return;
        }
    };
    let post = words::pulse_post(
        &data.content(),
        pulse.id,
        pulse.week,
        &pulse.statements,
        answered,
        pulse.closes_at,
        data.config.pulse.min_responses,
    );
    let edit = EditMessage::new().embeds(post.embeds.iter().map(embed).collect());
    if let Err(error) = ctx
        .http
        .edit_message(pulse.channel_id.into(), message.into(), &edit, Vec::new())
        .await
    {
        debug!(%error, "could not refresh the pulse's count");
    }
}
