//! The bot token, which never shows itself.
//!
//! Held in a [`SecretString`] (secrecy): zeroed when dropped, and read only through
//! [`Token::expose`], for serenity and the REST client. Its own `Debug` and `Display` print
//! `<redacted>`, as every log line and error should.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use super::ConfigError;

/// The bot token. Its `Debug` and `Display` never show it, so it cannot leak into a log line.
#[derive(Clone)]
pub struct Token(SecretString);

impl Token {
    pub(super) fn new(raw: &str, from: &str) -> Result<Token, ConfigError> {
        let token = raw.trim();
        let token = token.strip_prefix("Bot ").unwrap_or(token);
        if token.is_empty() {
            return Err(ConfigError::EmptyToken {
                from: from.to_string(),
            });
        }
        Ok(Token(SecretString::new(token.to_string())))
    }

    /// The secret itself, for handing to serenity and the REST client only.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
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
