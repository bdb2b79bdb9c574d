//! Turning a [`Reply`] into serenity builders: the only place that knows both.
//!
//! Every builder made here carries empty allowed mentions, so no content can ever ping
//! anyone, whatever it contains.

use crate::limits;
use poise::serenity_prelude as serenity;
use serenity::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateAttachment, CreateButton,
    CreateEmbed, CreateEmbedFooter, CreateMessage, CreatePoll, CreatePollAnswer,
};

use crate::model::poll::TimedPoll;
use crate::reply::{Accent, Embed, Reply};

/// Embed colours, one per [`Accent`].
fn colour(accent: Accent) -> u32 {
    match accent {
        Accent::Leader => 0x2E86AB,
        Accent::Manager => 0xE07A1F,
        Accent::Both => 0x6A4C93,
        Accent::Neutral => 0x5865F2,
    }
}

/// Mentions nobody: no users, no roles, not @everyone.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

pub fn embed(embed: &Embed) -> CreateEmbed {
    let mut built = CreateEmbed::new().colour(colour(embed.accent));
    if let Some(title) = &embed.title {
        built = built.title(title);
    }
    if let Some(description) = &embed.description {
        built = built.description(description);
    }
    for field in &embed.fields {
        built = built.field(&field.name, &field.value, field.inline);
    }
    if let Some(footer) = &embed.footer {
        built = built.footer(CreateEmbedFooter::new(footer));
    }
    built
}

fn components(reply: &Reply) -> Vec<CreateActionRow> {
    if reply.buttons.is_empty() {
        return Vec::new();
    }
    reply
        .buttons
        .chunks(limits::BUTTONS_PER_ROW)
        .map(|row| {
            CreateActionRow::Buttons(
                row.iter()
                    .map(|button| {
                        CreateButton::new(button.action.custom_id())
                            .label(&button.label)
                            .style(ButtonStyle::Secondary)
                    })
                    .collect(),
            )
        })
        .collect()
}

/// The reply's files, for serenity to upload as `files[n]` parts beside the message JSON.
pub fn attachments(reply: &Reply) -> Vec<CreateAttachment> {
    reply
        .attachments
        .iter()
        .map(|file| CreateAttachment::bytes(file.bytes.clone(), file.name.clone()))
        .collect()
}

/// For answering a slash command through poise (files included).
pub fn poise_reply(reply: &Reply) -> poise::CreateReply {
    let mut built = poise::CreateReply::default()
        .ephemeral(reply.ephemeral)
        .allowed_mentions(no_mentions())
        .components(components(reply));
    for file in attachments(reply) {
        built = built.attachment(file);
    }
    if let Some(text) = &reply.text {
        built = built.content(text);
    }
    for item in &reply.embeds {
        built = built.embed(embed(item));
    }
    built
}

/// For posting into a channel on the bot's own initiative (the daily tip, poll recaps). The
/// reply's files are not in it: [`crate::rest::Rest::create_message`] uploads them beside it.
pub fn channel_message(reply: &Reply, allowed: CreateAllowedMentions) -> CreateMessage {
    let mut built = CreateMessage::new()
        .allowed_mentions(allowed)
        .components(components(reply))
        .embeds(reply.embeds.iter().map(embed).collect());
    if let Some(text) = &reply.text {
        built = built.content(text);
    }
    built
}

/// A message carrying a native poll. Discord counts durations in whole hours (at least one);
/// a shorter poll is ended early by the poll keeper, and its text says when.
pub fn poll_message(poll: &TimedPoll) -> CreateMessage {
    let spec = &poll.spec;
    let answers = spec
        .answers
        .iter()
        .map(|a| CreatePollAnswer::new().text(&a.text))
        .collect();
    let poll_duration = poll.duration;
    let hours = u64::from(poll.duration.discord_hours());
    let mut poll = CreatePoll::new()
        .question(&spec.question)
        .answers(answers)
        .duration(std::time::Duration::from_secs(hours * 3600));
    if spec.multiselect {
        poll = poll.allow_multiselect();
    }
    let message = CreateMessage::new()
        .poll(poll)
        .allowed_mentions(no_mentions());
    match crate::reply::poll_notes::closes_early(poll_duration) {
        Some(note) => message.content(note),
        None => message,
    }
}

/// A form of text boxes, as Discord's modal.
pub fn modal(form: &crate::reply::team::Form) -> serenity::CreateModal {
    let rows = form
        .boxes
        .iter()
        .map(|text_box| {
            let style = if text_box.paragraph {
                serenity::InputTextStyle::Paragraph
            } else {
                serenity::InputTextStyle::Short
            };
            let mut input = serenity::CreateInputText::new(style, text_box.label, text_box.field)
                .max_length(u16::try_from(text_box.max).unwrap_or(u16::MAX))
                .required(true);
            if let Some(value) = &text_box.value {
                input = input.value(value);
            }
            CreateActionRow::InputText(input)
        })
        .collect();
    serenity::CreateModal::new(&form.custom_id, &form.title).components(rows)
}

/// A reply as the message answering an interaction (a form's submit), mentioning nobody.
pub fn interaction_message(reply: &Reply) -> serenity::CreateInteractionResponseMessage {
    let mut message = serenity::CreateInteractionResponseMessage::new()
        .embeds(reply.embeds.iter().map(embed).collect())
        .components(components(reply))
        .files(attachments(reply))
        .ephemeral(reply.ephemeral)
        .allowed_mentions(no_mentions());
    if let Some(text) = &reply.text {
        message = message.content(text);
    }
    message
}
