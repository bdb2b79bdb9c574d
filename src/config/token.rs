//! The bot token, which never shows itself.

use std::fmt;

use super::ConfigError;

/// The bot token. Its `Debug` and `Display` never show it, so it cannot leak into a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub(super) fn new(raw: &str, from: &str) -> Result<Token, ConfigError> {
        let token = raw.trim();
        let token = token.strip_prefix("Bot ").unwrap_or(token);
        if token.is_empty() {
            return Err(ConfigError::EmptyToken {
                from: from.to_string(),
            });
        }
        Ok(Token(token.to_string()))
    }

    /// The secret itself, for handing to serenity only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
