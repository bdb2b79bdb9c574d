//! Mistakes a person can make in a command, with the words that tell them what to do.
//!
//! These are answered privately and never logged as failures; they are kept apart from the
//! bot's own internal errors, which are logged and answered with a short apology instead.

use crate::text::clip;

/// Longest piece of a person's own input echoed back in an answer.
const ECHO_MAX: usize = 80;

/// A command could not be answered because of what was typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    /// A name that matches nothing: a contrast topic, an example, a question.
    #[error("There is no {what} matching “{query}”. Try one of: {}. Or leave `{option}` empty {instead}.", suggestions.join(", "))]
    Unknown {
        what: &'static str,
        option: &'static str,
        instead: &'static str,
        query: String,
        suggestions: Vec<String>,
    },
    /// An option value that is not of the right form; the message says what to enter.
    #[error("{0}")]
    Invalid(String),
}

impl UserError {
    /// An unknown name, echoing a safe excerpt of what was typed.
    pub fn unknown(
        what: &'static str,
        option: &'static str,
        instead: &'static str,
        query: &str,
        suggestions: Vec<String>,
    ) -> UserError {
        UserError::Unknown {
            what,
            option,
            instead,
            query: echo(query),
            suggestions,
        }
    }
}

/// Characters that reorder the text around them (bidirectional embeddings, overrides and
/// isolates). Left unclosed in an echo, they would turn the bot's own words around.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What a person typed, made safe to show back: one line, no code marks, no reordering
/// marks, clipped.
pub fn echo(input: &str) -> String {
    let flat: String = input
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if c.is_control() || c == '`' { ' ' } else { c })
        .collect();
    clip(flat.trim(), ECHO_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_flattens_and_clips_input() {
        assert_eq!(echo("a\nb`c"), "a b c");
        assert_eq!(echo(&"x".repeat(500)).chars().count(), ECHO_MAX);
        assert_eq!(echo("\u{202E}gnihtemos\u{2067}x"), "gnihtemosx");
    }
}
