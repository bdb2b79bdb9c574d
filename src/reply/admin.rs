//! What `/admin reload` answers.

use super::{Accent, Embed, Reply};
use crate::diag::Diagnostics;
use crate::limits;
use crate::text::clip;

/// A reload that worked: where from, and how much it loaded.
pub fn reloaded(from: &str, contrasts: usize, traits: usize, tips: usize) -> Reply {
    Reply::private_note(format!(
        "Content reloaded from {from}: {contrasts} contrasts, {traits} traits, {tips} tips."
    ))
}

/// A reload that found problems: every one of them, and that nothing changed.
pub fn not_reloaded(problems: &Diagnostics) -> Reply {
    Reply::embed(Embed {
        title: Some("Content not reloaded: the current content stays in use".into()),
        description: Some(clip(&problems.to_string(), limits::EMBED_DESCRIPTION)),
        fields: Vec::new(),
        footer: Some(
            "Fix these in the files, then run /admin reload again (or `bridgebot check`).".into(),
        ),
        accent: Accent::Neutral,
    })
    .ephemeral()
}
