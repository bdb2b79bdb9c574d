//! What the bot answers, decided without Discord.
//!
//! Every command's answer is built here as plain data (a [`Reply`] of [`Embed`]s and
//! [`Button`]s) from the loaded content. The `discord` layer only turns a `Reply` into
//! serenity builders, and `bridgebot preview` only turns it into terminal text, so both show
//! exactly the same answer and this layer can be tested without a connection.

pub mod admin;
pub mod articles;
pub mod autocomplete;
mod custom_id;
pub mod digest;
pub mod duty_notes;
mod error;
mod help;
pub mod layout;
mod library;
pub mod poll;
pub mod poll_notes;
pub mod pulse;
pub mod pulse_focus;
pub mod pulse_notes;
pub mod pulse_reminder;
mod request;
pub mod scenario;
pub mod schedules;
pub mod settings;
pub mod team;
mod text;
pub mod tips;
pub mod welcome;

pub use crate::model::file::Attachment;
pub use custom_id::{Action, CustomId, FormId, TeamForm, Verdict};
pub use error::{said, UserError};
pub use help::{help, Access, CommandInfo, HelpGroup, HelpPage, OptionInfo};
pub use library::{contrast_embed, source_line, tip_embed, tip_reply};
pub use request::{answer, decide, show, Decision, Request, Shown};
pub use text::to_plain_text;

use crate::limits;
use crate::text::{char_len, check_len as check};

/// A whole answer: what one message or interaction response shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    /// Plain text above the embeds.
    pub text: Option<String>,
    pub embeds: Vec<Embed>,
    pub buttons: Vec<Button>,
    /// Files sent with the message, such as a chart.
    pub attachments: Vec<Attachment>,
    /// Shown only to the person who asked.
    pub ephemeral: bool,
}

impl Reply {
    /// A reply of one embed.
    pub fn embed(embed: Embed) -> Reply {
        Reply {
            embeds: vec![embed],
            ..Reply::default()
        }
    }

    /// A short plain message only the asker sees: how user errors are answered.
    pub fn private_note(text: impl Into<String>) -> Reply {
        Reply {
            text: Some(text.into()),
            ephemeral: true,
            ..Reply::default()
        }
    }

    pub fn with_button(mut self, button: Button) -> Reply {
        self.buttons.push(button);
        self
    }

    /// The post with `role` mentioned above it (the only mention its message allows), or as
    /// it was when no role is set.
    pub fn mentioning(mut self, role: Option<u64>) -> Reply {
        if let Some(role) = role {
            self.text = Some(format!("<@&{role}>"));
        }
        self
    }

    pub fn with_attachment(mut self, name: impl Into<String>, bytes: Vec<u8>) -> Reply {
        self.attachments.push(Attachment {
            name: name.into(),
            bytes,
        });
        self
    }

    pub fn ephemeral(mut self) -> Reply {
        self.ephemeral = true;
        self
    }

    /// This reply with `line` below its text (as its text when it had none).
    pub fn with_line(mut self, line: &str) -> Reply {
        self.text = Some(match self.text.take() {
            Some(text) => format!("{text}\n{line}"),
            None => line.to_string(),
        });
        self
    }

    /// Every way this reply breaks Discord's limits; empty when it can be sent.
    pub fn limit_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(text) = &self.text {
            check(&mut problems, "message text", text, limits::MESSAGE_CONTENT);
        }
        if self.text.is_none() && self.embeds.is_empty() && self.attachments.is_empty() {
            problems.push("the reply has neither text nor embeds nor files".into());
        }
        if self.attachments.len() > limits::ATTACHMENTS_PER_MESSAGE {
            problems.push(format!(
                "{} files, more than {}",
                self.attachments.len(),
                limits::ATTACHMENTS_PER_MESSAGE
            ));
        }
        for attachment in &self.attachments {
            check(
                &mut problems,
                "file name",
                &attachment.name,
                limits::ATTACHMENT_NAME,
            );
        }
        let uploaded: usize = self.attachments.iter().map(|a| a.bytes.len()).sum();
        if uploaded > limits::UPLOAD_BYTES {
            problems.push(format!(
                "the files weigh {uploaded} bytes, more than {}",
                limits::UPLOAD_BYTES
            ));
        }
        if self.embeds.len() > limits::EMBEDS_PER_MESSAGE {
            problems.push(format!(
                "{} embeds, more than {}",
                self.embeds.len(),
                limits::EMBEDS_PER_MESSAGE
            ));
        }
        for embed in &self.embeds {
            embed.limit_problems(&mut problems);
        }
        let total: usize = self.embeds.iter().map(Embed::total_chars).sum();
        if total > limits::EMBED_TOTAL {
            problems.push(format!(
                "the embeds hold {total} characters, more than {}",
                limits::EMBED_TOTAL
            ));
        }
        if self.buttons.len() > limits::BUTTONS_PER_ROW * limits::ACTION_ROWS {
            problems.push(format!(
                "{} buttons, more than {} rows of {}",
                self.buttons.len(),
                limits::ACTION_ROWS,
                limits::BUTTONS_PER_ROW
            ));
        }
        for button in &self.buttons {
            check(
                &mut problems,
                "button label",
                &button.label,
                limits::BUTTON_LABEL,
            );
            check(
                &mut problems,
                "button id",
                &button.action.custom_id(),
                limits::CUSTOM_ID,
            );
        }
        problems
    }
}

/// The colour family of an embed: which side it speaks about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Accent {
    Leader,
    Manager,
    /// Both sides, or the contrast between them.
    #[default]
    Both,
    /// Notices: status, help, errors.
    Neutral,
}

/// One embed, in Discord's shape but without its types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embed {
    pub title: Option<String>,
    pub description: Option<String>,
    pub fields: Vec<Field>,
    pub footer: Option<String>,
    pub accent: Accent,
}

impl Embed {
    /// Characters that count toward Discord's per-message embed total.
    pub fn total_chars(&self) -> usize {
        let fields: usize = self
            .fields
            .iter()
            .map(|f| char_len(&f.name) + char_len(&f.value))
            .sum();
        [&self.title, &self.description, &self.footer]
            .into_iter()
            .flatten()
            .map(|text| char_len(text))
            .sum::<usize>()
            + fields
    }

    fn limit_problems(&self, problems: &mut Vec<String>) {
        if let Some(title) = &self.title {
            check(problems, "embed title", title, limits::EMBED_TITLE);
        }
        if let Some(description) = &self.description {
            check(
                problems,
                "embed description",
                description,
                limits::EMBED_DESCRIPTION,
            );
        }
        if let Some(footer) = &self.footer {
            check(problems, "embed footer", footer, limits::EMBED_FOOTER);
        }
        if self.fields.len() > limits::EMBED_FIELDS {
            problems.push(format!(
                "{} fields, more than {}",
                self.fields.len(),
                limits::EMBED_FIELDS
            ));
        }
        for field in &self.fields {
            check(
                problems,
                "field name",
                &field.name,
                limits::EMBED_FIELD_NAME,
            );
            check(
                problems,
                "field value",
                &field.value,
                limits::EMBED_FIELD_VALUE,
            );
        }
    }
}

/// One embed field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

impl Field {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Field {
        Field {
            name: name.into(),
            value: value.into(),
            inline: false,
        }
    }

    pub fn inline(name: impl Into<String>, value: impl Into<String>) -> Field {
        Field {
            inline: true,
            ..Field::new(name, value)
        }
    }
}

/// A button under a reply; what it does travels in its custom id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub action: Action,
    pub label: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_problems_names_every_overflow() {
        let reply = Reply {
            text: Some("x".repeat(limits::MESSAGE_CONTENT + 1)),
            embeds: vec![Embed {
                title: Some("t".repeat(limits::EMBED_TITLE + 1)),
                fields: vec![Field::new("n", "v".repeat(limits::EMBED_FIELD_VALUE + 1))],
                ..Embed::default()
            }],
            ..Reply::default()
        };
        let problems = reply.limit_problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn limit_problems_checks_files() {
        let fine = Reply::default().with_attachment("pulse.png", vec![0; 16]);
        assert_eq!(fine.limit_problems(), Vec::<String>::new());
        let mut crowded = Reply::private_note("x");
        for _ in 0..=limits::ATTACHMENTS_PER_MESSAGE {
            crowded = crowded.with_attachment("", Vec::new());
        }
        let heavy =
            Reply::private_note("x").with_attachment("a", vec![0; limits::UPLOAD_BYTES + 1]);
        assert_eq!(
            crowded.limit_problems().len(),
            2 + limits::ATTACHMENTS_PER_MESSAGE,
            "{:?}",
            crowded.limit_problems()
        );
        assert_eq!(heavy.limit_problems().len(), 1);
    }

    #[test]
    fn total_counts_title_description_fields_and_footer() {
        let embed = Embed {
            title: Some("ab".into()),
            description: Some("cde".into()),
            fields: vec![Field::new("f", "gh")],
            footer: Some("ij".into()),
            accent: Accent::Both,
        };
        assert_eq!(embed.total_chars(), 10);
    }
}
