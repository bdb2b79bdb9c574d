//! A command line as typed in Discord's command bar: `/name`, then subcommand words, then
//! `option:value` pairs (a value with spaces in double quotes). Only the shape is read here;
//! what the words may be is the registry's grammar (see the module above).

use super::PreviewError;

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    /// The command and subcommand words: `["tips", "status"]`.
    pub path: Vec<String>,
    /// `option:value` pairs in order.
    pub options: Vec<(String, String)>,
}

impl CommandLine {
    pub fn parse(line: &str) -> Result<CommandLine, PreviewError> {
        let tokens = tokenize(line)?;
        let mut tokens = tokens.into_iter();
        let first = tokens.next().ok_or(PreviewError::NotACommand)?;
        let name = first
            .strip_prefix('/')
            .filter(|n| !n.is_empty())
            .ok_or(PreviewError::NotACommand)?;
        let mut path = vec![name.to_lowercase()];
        let mut options = Vec::new();
        for token in tokens {
            match token.split_once(':') {
                Some((key, value)) => options.push((key.to_lowercase(), value.to_string())),
                None if options.is_empty() => path.push(token.to_lowercase()),
                None => {
                    // A bare word after options continues the previous value, as Discord's
                    // command bar would have taken it.
                    if let Some((_, value)) = options.last_mut() {
                        value.push(' ');
                        value.push_str(&token);
                    }
                }
            }
        }
        Ok(CommandLine { path, options })
    }

    /// The value given for `name`, if any (the first, when given twice).
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Splits on whitespace, keeping double-quoted runs together (quotes removed).
fn tokenize(line: &str) -> Result<Vec<String>, PreviewError> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.trim().chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if quoted {
        return Err(PreviewError::UnclosedQuote);
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_subcommands_options_and_quoted_values() {
        let line =
            CommandLine::parse(r#"/tips setup channel:general time:"08:30" timezone:Europe/Paris"#)
                .expect("parses");
        assert_eq!(line.path, ["tips", "setup"]);
        assert_eq!(line.option("time"), Some("08:30"));
        assert_eq!(line.option("timezone"), Some("Europe/Paris"));
        let spaced = CommandLine::parse(r#"/contrast topic:"risk taking""#).expect("parses");
        assert_eq!(spaced.option("topic"), Some("risk taking"));
        let loose = CommandLine::parse("/faq question:can one person be both").expect("parses");
        assert_eq!(loose.option("question"), Some("can one person be both"));
    }

    #[test]
    fn parse_rejects_lines_that_are_not_commands() {
        assert_eq!(
            CommandLine::parse("contrast"),
            Err(PreviewError::NotACommand)
        );
        assert_eq!(CommandLine::parse("/"), Err(PreviewError::NotACommand));
        assert_eq!(
            CommandLine::parse("/x a:\"b"),
            Err(PreviewError::UnclosedQuote)
        );
    }
}
