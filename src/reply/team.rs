//! A server's own entries as they are shown, and every word of the `/content` commands.
//!
//! A team entry looks like a bundled one of its kind; where a bundled entry names its articles,
//! a team entry is credited to the team, or to the member who suggested it, by name and as
//! plain text (a footer never renders a mention, and every message goes out with no allowed
//! mentions).

use super::{Accent, Embed, Reply};
use crate::content::team::{Credit, TeamBody, TeamTip};
use crate::diag::Diagnostic;
use crate::limits;
use crate::model::server::ContentMix;
use crate::model::team::{TeamEntry, TeamKind};
use crate::text::{clip, echo};

/// The footer of a team entry, in place of its articles.
pub fn credit_line(credit: &Credit) -> String {
    match credit {
        Credit::Team => "From your team".to_string(),
        Credit::SuggestedBy(name) => format!("Suggested by {}", echo(name)),
    }
}

/// One of the team's tips, as posted each day.
pub fn team_tip_embed(tip: &TeamTip, credit: &Credit) -> Embed {
    Embed {
        title: Some(tip.title.clone()),
        description: Some(tip.body.clone()),
        fields: Vec::new(),
        footer: Some(credit_line(credit)),
        accent: Accent::Both,
    }
}

/// Any team entry as it would appear: a tip as posted, a scenario's situation with both
/// responses and what it calls for, a statement with its side.
pub fn team_entry_embed(body: &TeamBody, credit: &Credit) -> Embed {
    match body {
        TeamBody::Tip(tip) => team_tip_embed(tip, credit),
        TeamBody::Scenario(scenario) => Embed {
            title: Some(scenario.name.clone()),
            description: Some(scenario.situation.clone()),
            fields: vec![
                super::Field::inline("Leading would", scenario.leading.as_str()),
                super::Field::inline("Managing would", scenario.managing.as_str()),
                super::Field::new(
                    format!("It calls for: {}", scenario.calls.label()),
                    "as your team decided",
                ),
            ],
            footer: Some(credit_line(credit)),
            accent: Accent::Both,
        },
        TeamBody::Statement(statement) => Embed {
            title: Some("Team pulse statement".into()),
            description: Some(statement.text.clone()),
            fields: vec![super::Field::inline(
                "Counts toward",
                statement.side.label(),
            )],
            footer: Some(credit_line(credit)),
            accent: Accent::Both,
        },
    }
}

/// A form (modal) of text boxes, as plain data: `discord::convert` builds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub custom_id: String,
    pub title: String,
    pub boxes: Vec<TextBox>,
}

/// One text box of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextBox {
    /// The field it fills (`title`, `body`...), as the form's submit names it.
    pub field: &'static str,
    pub label: &'static str,
    /// The most characters it takes: the limit the field is held to.
    pub max: usize,
    /// Several lines rather than one.
    pub paragraph: bool,
    /// What it shows filled in, when editing.
    pub value: Option<String>,
}

fn label(field: &str) -> (&'static str, bool) {
    match field {
        "title" => ("Title", false),
        "body" => ("The tip", true),
        "name" => ("A short name", false),
        "situation" => ("The situation", true),
        "leading" => ("What leading would do", true),
        "managing" => ("What managing would do", true),
        _ => ("The statement", true),
    }
}

/// The form that adds (or, with `prefill`, edits) an entry of `kind`.
pub fn form(kind: TeamKind, custom_id: String, prefill: Option<&TeamBody>) -> Form {
    let verb = if prefill.is_some() { "Edit" } else { "Add" };
    let noun = match kind {
        TeamKind::Tip => "tip",
        TeamKind::Scenario => "scenario",
        TeamKind::Statement => "pulse statement",
    };
    Form {
        custom_id,
        title: format!("{verb} your team's {noun}"),
        boxes: crate::content::team::field_limits(kind)
            .iter()
            .map(|(field, limit)| {
                let (label, paragraph) = label(field);
                TextBox {
                    field,
                    label,
                    max: limit.max,
                    paragraph,
                    value: prefill
                        .and_then(|body| body.field(field))
                        .map(str::to_string),
                }
            })
            .collect(),
    }
}

/// `/content add` done: the entry as it will appear.
pub fn added(body: &TeamBody) -> Reply {
    Reply {
        text: Some(format!(
            "Added to your team's {}. This is how it will appear:",
            body.kind().plural()
        )),
        ..Reply::embed(team_entry_embed(body, &Credit::Team))
    }
    .ephemeral()
}

/// `/content edit` done.
pub fn edited(body: &TeamBody) -> Reply {
    Reply {
        text: Some("Saved. This is how it will appear:".into()),
        ..Reply::embed(team_entry_embed(body, &Credit::Team))
    }
    .ephemeral()
}

/// `/content remove` done.
pub fn removed(kind: TeamKind, headline: &str) -> Reply {
    Reply::private_note(format!(
        "Removed “{}” from your team's {}. It will not be posted again.",
        echo(headline),
        kind.plural()
    ))
}

/// How an entry is offered as an autocomplete choice: its kind and headline, clipped.
pub fn choice_name(kind: TeamKind, headline: &str) -> String {
    clip(
        &format!("{}: {headline}", kind.as_str()),
        limits::CHOICE_NAME,
    )
}

/// Why an attachment that is not a `.toml` file is refused.
pub fn not_toml(file_name: &str) -> String {
    format!("“{}” is not a .toml file", echo(file_name))
}

/// The entry a `/content edit` or `/content remove` names is not the server's.
pub const NO_SUCH_ENTRY: &str =
    "Your team has no such entry. Pick one from the list Discord offers as you type.";

/// What the form's texts break, each with what to change.
pub fn invalid(problems: &[(String, String)]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|(problem, fix)| format!("• {problem}: {fix}."))
        .collect();
    format!("Nothing was saved:\n{}", lines.join("\n"))
}

/// The server already holds `cap` entries of `kind`.
pub fn over_cap(kind: TeamKind, holds: usize, adding: usize, cap: usize) -> String {
    format!(
        "Nothing was added: a server can keep at most {cap} {} of its own, and yours has {holds} (adding {adding}). Remove some with `/content remove` first.",
        kind.plural()
    )
}

/// A near-copy of an entry the server or the bot already has.
pub fn duplicate(resembles: &str) -> String {
    format!("Nothing was saved: this is nearly the same as {resembles}. Change it so it says something of its own.")
}

/// `/content mix` done.
pub fn mix_set(mix: ContentMix) -> Reply {
    Reply::private_note(match mix {
        ContentMix::Both => "The daily tip now draws from the bundled tips and your team's own.",
        ContentMix::TeamOnly => "The daily tip now draws only from your team's own tips (the bundled ones while your team has none).",
        ContentMix::BundledOnly => "The daily tip now draws only from the bundled tips; your team's own stay saved.",
    })
}

/// Entries listed per page of `/content list`.
pub const PAGE_SIZE: usize = 10;

/// One page of `/content list`: numbered headlines with who added them and when.
pub fn list_page(kind: Option<TeamKind>, entries: &[(TeamEntry, TeamBody)], page: usize) -> Reply {
    let what = kind.map_or("entries", TeamKind::plural);
    if entries.is_empty() {
        return Reply::private_note(format!(
            "Your team has no {what} of its own yet. Add one with `/content add`."
        ));
    }
    let pages = entries.len().div_ceil(PAGE_SIZE);
    let page = page.min(pages - 1);
    let lines: Vec<String> = entries
        .iter()
        .enumerate()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|(n, (entry, body))| {
            let by = entry
                .suggested_by
                .as_deref()
                .map(|name| format!("suggested by {}", echo(name)))
                .unwrap_or_else(|| format!("added by <@{}>", entry.added_by));
            format!(
                "{}. **{}** ({}) · {by} · <t:{}:d>",
                n + 1,
                clip(body.headline(), 80),
                entry.kind.as_str(),
                entry.added_at.as_second()
            )
        })
        .collect();
    let mut reply = Reply::embed(Embed {
        title: Some(format!("Your team's {what}")),
        description: Some(clip(&lines.join("\n"), limits::EMBED_DESCRIPTION)),
        fields: Vec::new(),
        footer: Some(format!(
            "Page {} of {pages} · {} in all",
            page + 1,
            entries.len()
        )),
        accent: Accent::Neutral,
    })
    .ephemeral();
    let turn = |page: usize, label: &str| super::Button {
        action: super::Action::ListPage { kind, page },
        label: label.into(),
    };
    if page > 0 {
        reply = reply.with_button(turn(page - 1, "Previous page"));
    }
    if page + 1 < pages {
        reply = reply.with_button(turn(page + 1, "Next page"));
    }
    reply
}

/// `/content export`: the file, and what it holds.
pub fn export(file_name: &str, toml: String, count: usize) -> Reply {
    Reply::private_note(format!(
        "Your team's {count} entries, in the shape of bridgebot's content files. Edit and give the file back with `/content import`."
    ))
    .with_attachment(file_name, toml.into_bytes())
}

/// `/content import` done.
pub fn imported(count: usize) -> Reply {
    Reply::private_note(format!(
        "Imported {count} entries. They are in the rotation from the next post."
    ))
}

/// `/content import` refused: every problem, each with its line and what to change.
pub fn not_imported(problems: &[Diagnostic]) -> Reply {
    let lines: Vec<String> = problems.iter().map(|d| format!("{d}")).collect();
    Reply::embed(Embed {
        title: Some(format!(
            "Nothing was imported: {} problem{} found",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        )),
        description: Some(clip(
            &format!("```\n{}\n```", lines.join("\n").replace('`', "'")),
            limits::EMBED_DESCRIPTION,
        )),
        fields: Vec::new(),
        footer: Some(
            "Fix these in the file and import it again: the whole file is added, or nothing."
                .into(),
        ),
        accent: Accent::Neutral,
    })
    .ephemeral()
}

/// The attachment given to `/content import` cannot be read as an export.
pub fn unreadable_file(why: &str) -> String {
    format!("Nothing was imported: {why}. Attach the `.toml` file `/content export` gives (at most {} KB), edited as you like.", crate::content::team::MAX_IMPORT_BYTES / 1024)
}

/// The label of the button that confirms `/forget-server`.
pub const FORGET_LABEL: &str = "Delete everything now";

/// `/forget-server`: what goes, and the button that confirms it.
pub fn forget_asked(guild: u64) -> Reply {
    Reply::private_note(
        "This deletes everything bridgebot keeps about this server, at once and for good: its settings, every schedule, its own tips, scenarios and pulse statements, its pulses and their counts, its polls and the log of what was posted. Nothing is posted in a channel. Click below to go ahead, or just dismiss this message.",
    )
    .with_button(super::Button {
        action: super::Action::ForgetServer { guild },
        label: FORGET_LABEL.into(),
    })
}

/// `/forget-server` done: who asked, and when.
pub fn forgotten(by: u64, at: jiff::Timestamp) -> Reply {
    Reply::private_note(format!(
        "Deleted: bridgebot keeps nothing about this server any more (asked by <@{by}> <t:{}:f>). Its commands start from the defaults.",
        at.as_second()
    ))
}

/// `/suggest` with no review channel set.
pub const NO_REVIEW_CHANNEL: &str = "Suggestions are not open here yet: an admin must choose where they are reviewed with `/suggestions setup` first.";
/// A click on a review button by someone who may not decide.
pub const ONLY_REVIEWERS: &str =
    "Only reviewers can do this (members with Manage Server, or the reviewer role).";

/// `/suggestions setup` done.
pub fn review_set(channel: u64, role: Option<u64>) -> Reply {
    let who = role.map_or_else(
        || "members with Manage Server".to_string(),
        |role| format!("members with Manage Server or <@&{role}>"),
    );
    Reply::private_note(format!(
        "Members' suggestions will be posted in <#{channel}> for {who} to approve, edit or decline. Nothing a member suggests appears anywhere else before that."
    ))
}

/// A member's suggestion was sent.
pub fn suggestion_sent() -> Reply {
    Reply::private_note(
        "Thanks: your suggestion was sent to the reviewers. Nothing appears in a public channel unless one of them approves it.",
    )
}

/// A member has as many suggestions waiting as they may.
pub fn too_many_waiting(waiting: usize, max: usize) -> String {
    format!("You have {waiting} suggestions waiting for review (at most {max} at a time). You can send more once the reviewers have decided on one.")
}

/// A member sent as many suggestions today as they may.
pub fn too_many_today(max: usize, again: jiff::Timestamp) -> String {
    format!(
        "You have sent {max} suggestions in the last 24 hours, the most a day. You can send more <t:{}:R>.",
        again.as_second()
    )
}

/// The server has as many suggestions waiting as it may.
pub fn server_queue_full(max: usize) -> String {
    format!("{max} suggestions are already waiting for review here, the most a server keeps waiting. You can send yours once the reviewers have caught up.")
}

/// The review post of a suggestion: who sent it, the entry as it would appear, what it
/// resembles, and the three buttons.
pub fn review_post(
    id: i64,
    body: &TeamBody,
    member: u64,
    member_name: &str,
    resembles: Option<&str>,
) -> Reply {
    let mut text = format!(
        "Suggested {} from <@{member}> ({}). Reviewers: approve it, edit and approve it, or decline it.",
        body.kind().as_str(),
        echo(member_name)
    );
    if let Some(like) = resembles {
        text.push_str(&format!("\nIt is nearly the same as {like}."));
    }
    let button = |verdict, label: &str| super::Button {
        action: super::Action::Review {
            suggestion: id,
            verdict,
        },
        label: label.into(),
    };
    Reply {
        text: Some(text),
        ..Reply::embed(team_entry_embed(
            body,
            &Credit::SuggestedBy(member_name.to_string()),
        ))
    }
    .with_button(button(super::Verdict::Approve, "Approve"))
    .with_button(button(super::Verdict::EditAndApprove, "Edit and approve"))
    .with_button(button(super::Verdict::Decline, "Decline"))
}

/// The review post once decided: who decided what and when, and no buttons.
pub fn review_decided(
    body: &TeamBody,
    member_name: &str,
    approved: bool,
    by: u64,
    at: jiff::Timestamp,
) -> Reply {
    let what = if approved { "Approved" } else { "Declined" };
    Reply {
        text: Some(format!("{what} by <@{by}> <t:{}:f>.", at.as_second())),
        ..Reply::embed(team_entry_embed(
            body,
            &Credit::SuggestedBy(member_name.to_string()),
        ))
    }
}

/// A reviewer clicked on a suggestion someone else decided first.
pub fn already_decided(approved: bool, by: Option<u64>) -> String {
    let what = if approved { "approved" } else { "declined" };
    match by {
        Some(by) => format!(
            "Another reviewer, <@{by}>, already {what} this suggestion; nothing was changed."
        ),
        None => format!("This suggestion was already {what}; nothing was changed."),
    }
}

/// The reviewer's answer once their decision is recorded.
pub fn decided_note(approved: bool) -> Reply {
    Reply::private_note(if approved {
        "Approved: it is now one of your team's own entries, credited to the member who suggested it."
    } else {
        "Declined: it will not be used."
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggesters_name_is_credited_as_text_that_cannot_ping_or_break_the_line() {
        let line = credit_line(&Credit::SuggestedBy("<@123>\n`x`".into()));
        assert!(line.starts_with("Suggested by "), "{line}");
        assert!(!line.contains('\n') && !line.contains('`'), "{line}");
        assert_eq!(credit_line(&Credit::Team), "From your team");
    }

    #[test]
    fn every_form_fits_discords_limits_for_forms() {
        for kind in TeamKind::ALL {
            let form = form(kind, "bb:ta:tip:".into(), None);
            assert!(
                form.title.chars().count() <= limits::MODAL_TITLE,
                "{}",
                form.title
            );
            assert!(!form.boxes.is_empty() && form.boxes.len() <= limits::ACTION_ROWS);
            for text_box in &form.boxes {
                assert!(text_box.label.chars().count() <= limits::TEXT_INPUT_LABEL);
                assert!(text_box.max <= limits::TEXT_INPUT);
            }
        }
    }

    #[test]
    fn a_full_list_page_fits_one_message() {
        let body = TeamBody::Tip(TeamTip {
            title: "t".repeat(limits::EMBED_TITLE),
            body: "b".into(),
        });
        let entry = TeamEntry {
            id: 1,
            guild_id: 1,
            kind: TeamKind::Tip,
            fields: String::new(),
            added_by: u64::MAX,
            suggested_by: Some("n".repeat(200)),
            added_at: jiff::Timestamp::UNIX_EPOCH,
        };
        let entries = vec![(entry, body); PAGE_SIZE * 3];
        let reply = list_page(None, &entries, 2);
        assert!(
            reply.limit_problems().is_empty(),
            "{:?}",
            reply.limit_problems()
        );
        assert!(reply.embeds[0]
            .footer
            .as_deref()
            .unwrap_or("")
            .contains("Page 3 of 3"));
    }
}
