//! The daily tip as posted, and what the tip's own commands answer beyond what every schedule
//! answers (`schedules.rs`): preview, skip, role and thread.

use jiff::civil::Date;
use jiff::Timestamp;

use super::schedules::when;
use super::team::team_tip_embed;
use super::{tip_embed, Embed, Reply};
use crate::content::team::AnyTip;
use crate::content::Content;

/// A tip of the deck as it is posted: a bundled one credited to its articles, a team's own to
/// the team.
pub fn any_tip_embed(content: &Content, tip: &AnyTip<'_>) -> Embed {
    match tip {
        AnyTip::Bundled(tip) => tip_embed(content, tip),
        AnyTip::Team { tip, credit } => team_tip_embed(tip, credit),
    }
}

/// The daily tip as posted: the embed, with the role mention above it when one is set.
pub fn daily_tip(content: &Content, tip: &AnyTip<'_>, role: Option<u64>) -> Reply {
    let posted = Reply::embed(any_tip_embed(content, tip));
    match tip {
        // A team's own tip names no article, so it has no Sources button.
        AnyTip::Bundled(tip) => super::library::with_sources(posted, &tip.sources),
        AnyTip::Team { .. } => posted,
    }
    .mentioning(role)
}

/// `/tips preview`: the next tip, privately, with when it goes out.
pub fn preview(content: &Content, tip: &AnyTip<'_>, next: Option<Timestamp>) -> Reply {
    let heading = next.map_or_else(
        || "The next tip (none is scheduled right now):".to_string(),
        |at| format!("The tip for {}:", when(at)),
    );
    Reply {
        text: Some(heading),
        ..Reply::embed(any_tip_embed(content, tip))
    }
    .ephemeral()
}

/// `/tips skip` when no tip is scheduled.
pub const NOTHING_TO_SKIP: &str =
    "No tip is scheduled, so there is nothing to skip. Use `/tips resume` if tips are paused.";
/// `/tips role` with the server's @everyone role.
pub const NOT_EVERYONE: &str =
    "Tips never mention @everyone. Pick a role made for the purpose, or leave `role` empty.";

/// What `/tips skip` says it did.
pub fn skipping(date: Date) -> String {
    format!("The tip of {date} will be skipped.")
}

/// What `/tips role` says it did.
pub fn mentioning(role: Option<u64>) -> String {
    match role {
        Some(role) => format!("Each tip will mention <@&{role}> (and nobody else)."),
        None => "Tips will mention nobody.".to_string(),
    }
}

/// What `/tips thread` says it did.
pub fn threads(on: bool) -> &'static str {
    if on {
        "Each tip will open a discussion thread."
    } else {
        "Tips will be posted without a thread."
    }
}
