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

/// What a person is told when a command cannot run as asked, whatever part of the framework
/// noticed. Words only: the Discord layer decides when each applies.
pub mod said {
    use crate::text::clip;

    /// The bot itself failed; the details are in the log, not in the answer.
    pub const APOLOGY: &str = "Sorry, something went wrong on my side while answering that. It has been logged; please try again in a moment.";

    /// A command group was run without one of its subcommands.
    pub fn pick_subcommand(command: &str, subcommands: &[&str]) -> String {
        format!("Pick what to do: /{command} {}.", subcommands.join(" | "))
    }

    /// A value Discord sent could not be read as the option asks (an outdated choice, a number
    /// out of range): what to do, never the parser's words.
    pub fn unreadable_value(input: Option<&str>) -> String {
        let shown = input
            .map(|input| format!(" “{}”", clip(input, 80)))
            .unwrap_or_default();
        format!("I could not use the value{shown}. Pick one of the values Discord offers for that option, or type it as the option's description shows, and try again.")
    }

    pub const OUTDATED_COMMAND: &str = "This command was just updated and Discord still shows the old version. Please try again in a minute.";

    pub fn wait(seconds: u64) -> String {
        format!(
            "Please wait {} seconds before using this again.",
            seconds.max(1)
        )
    }

    pub fn bot_needs(permissions: &str) -> String {
        format!("I need these permissions in this channel first: {permissions}. A server admin can grant them in the channel's settings.")
    }

    pub fn only_members_with(permissions: Option<&str>) -> String {
        let missing = permissions.unwrap_or("Manage Server");
        format!("Only members with {missing} can do this; nothing was changed.")
    }

    pub const ONLY_OWNERS: &str = "Only the bot's owners can do this.";
    pub const GUILD_ONLY: &str = "This works inside a server, not in direct messages.";
    pub const DM_ONLY: &str = "This works only in direct messages.";
    pub const NSFW_ONLY: &str = "This works only in age-restricted channels.";
    pub const NOT_HERE: &str = "You can't use this command here.";
}

#[cfg(test)]
mod tests {
    use super::said;

    #[test]
    fn an_unreadable_value_is_answered_with_what_to_do_and_the_value_clipped() {
        let long = "x".repeat(500);
        let words = said::unreadable_value(Some(&long));
        assert!(words.contains("try again"), "{words}");
        assert!(words.chars().count() < 300, "{words}");
        assert!(!said::unreadable_value(None).contains("“"));
    }
}
