//! Mistakes a person can make in a command, with the words that tell them what to do.
//!
//! These are answered privately and never logged as failures; they are kept apart from the
//! bot's own internal errors, which are logged and answered with a short apology instead.

use crate::text::echo;

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
