//! `bridgebot preview '/contrast topic:vision'`: a command typed as in Discord, answered as
//! terminal text by the same [`answer`](super::answer) the bot uses.
//!
//! The line is parsed the way Discord's command bar reads it: `/name`, then subcommand
//! words, then `option:value` pairs (a value with spaces in double quotes).

use rand::Rng;

use super::{answer, to_plain_text, CommandInfo, Reply, Request};
use crate::content::{Content, Side, TraitKind};
use crate::pulse::stats::WeekPoint;

/// Why a preview line could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreviewError {
    #[error("write a command as in Discord, starting with /, for example: /contrast topic:vision")]
    NotACommand,
    #[error("there is no /{0} command; try /help for the list")]
    UnknownCommand(String),
    #[error("/{command} has no option `{option}`{}", if expected.is_empty() { String::new() } else { format!("; its options: {expected}") })]
    UnknownOption {
        command: String,
        option: String,
        expected: String,
    },
    #[error("`{option}:{value}` is not a choice; use one of: {choices}")]
    BadChoice {
        option: String,
        value: String,
        choices: String,
    },
    #[error("/{command} needs `{option}:`, for example /{command} {option}:{example}")]
    MissingOption {
        command: String,
        option: String,
        example: String,
    },
    #[error("an opening \" has no closing \"")]
    UnclosedQuote,
    #[error("/{0} answers from a server's own settings and needs Discord; run the bot to try it")]
    NeedsServer(String),
}

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

    fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn only_options(&self, allowed: &[&str]) -> Result<(), PreviewError> {
        match self
            .options
            .iter()
            .find(|(key, _)| !allowed.contains(&key.as_str()))
        {
            Some((key, _)) => Err(PreviewError::UnknownOption {
                command: self.path.join(" "),
                option: key.clone(),
                expected: allowed.join(", "),
            }),
            None => Ok(()),
        }
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

/// Commands whose answer depends on a server's stored settings.
const SERVER_COMMANDS: [&str; 6] = ["tips", "poll", "polls", "admin", "pulse", "digest"];

/// Weeks `/pulse trend` shows unless asked otherwise, and at most.
const TREND_WEEKS: (usize, usize) = (12, 52);

/// Answers a command line as the bot would, as text.
pub fn preview(
    content: &Content,
    line: &str,
    commands: &[CommandInfo],
    rng: &mut impl Rng,
) -> Result<String, PreviewError> {
    preview_reply(content, line, commands, rng).map(|reply| to_plain_text(&reply))
}

/// Answers a command line as the bot would: the whole reply, files included.
pub fn preview_reply(
    content: &Content,
    line: &str,
    commands: &[CommandInfo],
    rng: &mut impl Rng,
) -> Result<Reply, PreviewError> {
    let command = CommandLine::parse(line)?;
    if command.path == ["pulse", "trend"] {
        return sample_trend(&command);
    }
    if command.path == ["digest"] {
        command.only_options(&[])?;
        return Ok(sample_digest(content));
    }
    let request = request_for(&command, commands)?;
    Ok(
        answer(content, request, rng)
            .unwrap_or_else(|error| Reply::private_note(error.to_string())),
    )
}

/// `/pulse trend` as an example team would see it: preview has no server, so the weeks are
/// made up (a steady rise, one week withheld), and the reply says so.
fn sample_trend(command: &CommandLine) -> Result<Reply, PreviewError> {
    command.only_options(&["weeks"])?;
    let weeks = match command.option("weeks") {
        None => TREND_WEEKS.0,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=TREND_WEEKS.1).contains(n))
            .ok_or_else(|| bad_choice("weeks", text, "a number of weeks from 1 to 52"))?,
    };
    let mut reply = super::pulse::trend(&sample_weeks(weeks), 3);
    reply.text = Some(format!(
        "Sample data: preview has no server, so these are an example team's {weeks} weeks."
    ));
    Ok(reply)
}

/// An example team's weeks up to 2026-11-30: a steady rise, one week withheld.
fn sample_weeks(weeks: usize) -> Vec<WeekPoint> {
    let last = jiff::civil::date(2026, 11, 30);
    (0..weeks)
        .map(|n| {
            let back = i64::try_from(weeks - 1 - n).unwrap_or(0);
            let step = f64::from(u8::try_from(n % 12).unwrap_or(0));
            let withheld = n + 4 == weeks;
            WeekPoint {
                week: last
                    .checked_sub(jiff::Span::new().weeks(back))
                    .unwrap_or(last),
                leading: (!withheld).then_some(3.0 + step / 10.0),
                managing: (!withheld).then_some(3.6 - step / 20.0),
            }
        })
        .collect()
}

/// The weekly digest as an example team would get it: its weeks from [`sample_weeks`], a
/// pulse of five answers, one quiz and one scenario poll.
fn sample_digest(content: &Content) -> Reply {
    use crate::content::PulseSide;
    use crate::model::poll::{PollKind, PollTally};
    use crate::pulse::stats::{Counts, StatementResult};

    let mut weeks = sample_weeks(TREND_WEEKS.0);
    let result = |side: PulseSide, counts: [u32; 5]| {
        content
            .deck()
            .find(|s| s.side == side)
            .map(|s| StatementResult {
                statement_id: s.id.to_string(),
                side,
                reversed: s.reversed,
                counts: Counts(counts),
            })
    };
    let results = [
        result(PulseSide::Leading, [0, 1, 1, 2, 1]),
        result(PulseSide::Managing, [1, 2, 1, 1, 0]),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    if let Some(this_week) = weeks.last_mut() {
        this_week.leading = crate::pulse::stats::side_score(&results, PulseSide::Leading);
        this_week.managing = crate::pulse::stats::side_score(&results, PulseSide::Managing);
    }
    let polls: Vec<PollTally> = [
        content
            .traits
            .first()
            .map(|t| (PollKind::Quiz, t.id.to_string(), 8, 5)),
        content
            .scenarios
            .first()
            .map(|s| (PollKind::Scenario, s.id.to_string(), 6, 2)),
    ]
    .into_iter()
    .flatten()
    .map(|(kind, subject, votes, supported)| PollTally {
        kind,
        subject,
        votes,
        supported,
    })
    .collect();
    let mut reply = super::digest::digest(
        content,
        &super::digest::DigestInput {
            date: jiff::civil::date(2026, 12, 4),
            pulse: Some(super::digest::PulseWeek {
                responses: 5,
                results,
            }),
            trend: &weeks,
            min_responses: 3,
            polls: &polls,
        },
    );
    reply.text =
        Some("Sample data: preview has no server, so this is an example team's week.".into());
    reply
}

fn request_for<'a>(
    command: &'a CommandLine,
    commands: &'a [CommandInfo],
) -> Result<Request<'a>, PreviewError> {
    let name = command.path[0].as_str();
    let request = match name {
        "contrast" => {
            command.only_options(&["topic"])?;
            Request::Contrast {
                topic: command.option("topic"),
            }
        }
        "traits" => {
            command.only_options(&["side", "kind"])?;
            let side = command
                .option("side")
                .ok_or_else(|| PreviewError::MissingOption {
                    command: name.into(),
                    option: "side".into(),
                    example: "Leader".into(),
                })?;
            Request::Traits {
                side: parse_side(side)?,
                kind: command.option("kind").map(parse_kind).transpose()?,
            }
        }
        "similarities" => simple(command, Request::Similarities)?,
        "quote" => simple(command, Request::Quote)?,
        "example" => {
            command.only_options(&["name"])?;
            Request::Example {
                name: command.option("name"),
            }
        }
        "faq" => {
            command.only_options(&["question"])?;
            Request::Faq {
                question: command.option("question"),
            }
        }
        "tip" => simple(command, Request::RandomTip)?,
        "scenario" => {
            command.only_options(&["name"])?;
            Request::Scenario {
                name: command.option("name"),
            }
        }
        "help" => simple(command, Request::Help { commands })?,
        other if SERVER_COMMANDS.contains(&other) => {
            return Err(PreviewError::NeedsServer(command.path.join(" ")))
        }
        other => return Err(PreviewError::UnknownCommand(other.to_string())),
    };
    Ok(request)
}

fn simple<'a>(command: &CommandLine, request: Request<'a>) -> Result<Request<'a>, PreviewError> {
    command.only_options(&[])?;
    Ok(request)
}

fn parse_side(value: &str) -> Result<Side, PreviewError> {
    match value.to_lowercase().as_str() {
        "leader" => Ok(Side::Leader),
        "manager" => Ok(Side::Manager),
        _ => Err(bad_choice("side", value, "Leader, Manager")),
    }
}

fn parse_kind(value: &str) -> Result<TraitKind, PreviewError> {
    match value.to_lowercase().as_str() {
        "characteristics" | "characteristic" => Ok(TraitKind::Characteristic),
        "skills" | "skill" => Ok(TraitKind::Skill),
        _ => Err(bad_choice("kind", value, "Characteristics, Skills")),
    }
}

fn bad_choice(option: &str, value: &str, choices: &str) -> PreviewError {
    PreviewError::BadChoice {
        option: option.into(),
        value: value.into(),
        choices: choices.into(),
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn pulse_trend_previews_sample_weeks_with_the_chart_and_says_they_are_samples() {
        let content = Content::bundled().expect("content");
        let mut rng = StdRng::seed_from_u64(1);
        let reply =
            preview_reply(&content, "/pulse trend weeks:8", &[], &mut rng).expect("preview");
        assert!(reply
            .text
            .as_deref()
            .unwrap_or_default()
            .contains("Sample data"));
        assert_eq!(reply.attachments.len(), 1, "the chart");
        let text = to_plain_text(&reply);
        assert_eq!(text.matches("withheld").count(), 1, "{text}");
        assert!(matches!(
            preview_reply(&content, "/pulse trend weeks:0", &[], &mut rng),
            Err(PreviewError::BadChoice { .. })
        ));
        assert!(matches!(
            preview_reply(&content, "/pulse status", &[], &mut rng),
            Err(PreviewError::NeedsServer(_))
        ));
    }

    #[test]
    fn the_digest_previews_an_example_week_with_its_chart_and_says_it_is_a_sample() {
        let content = Content::bundled().expect("content");
        let mut rng = StdRng::seed_from_u64(1);
        let reply = preview_reply(&content, "/digest", &[], &mut rng).expect("preview");
        assert!(reply
            .text
            .as_deref()
            .unwrap_or_default()
            .contains("Sample data"));
        assert_eq!(reply.attachments.len(), 1, "the trend chart");
        let text = to_plain_text(&reply);
        assert!(text.contains("5 people answered"), "{text}");
        assert!(
            text.contains("picked the answer the articles support"),
            "{text}"
        );
        assert!(text.contains("Weakest this week"), "{text}");
        assert!(matches!(
            preview_reply(&content, "/digest setup", &[], &mut rng),
            Err(PreviewError::NeedsServer(_))
        ));
    }

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

    #[test]
    fn preview_answers_like_the_bot() {
        let content = Content::bundled().expect("valid");
        let text = preview(
            &content,
            "/contrast topic:vision",
            &[],
            &mut StdRng::seed_from_u64(1),
        )
        .expect("answers");
        let contrast = content.contrast("vision-execution").expect("exists");
        assert!(text.starts_with(contrast.title.as_str()), "{text}");
        assert!(text.contains(contrast.leader.as_str()));
        assert!(text.contains("[ Another contrast ]"));
    }

    #[test]
    fn preview_shows_user_errors_as_the_private_note_the_bot_would_send() {
        let content = Content::bundled().expect("valid");
        let text = preview(
            &content,
            "/contrast topic:astrology",
            &[],
            &mut StdRng::seed_from_u64(1),
        )
        .expect("answers");
        assert!(text.contains("astrology"));
        assert!(text.contains("only the person who asked"));
    }

    #[test]
    fn preview_explains_bad_options() {
        let content = Content::bundled().expect("valid");
        let mut rng = StdRng::seed_from_u64(1);
        assert!(matches!(
            preview(&content, "/traits side:boss", &[], &mut rng),
            Err(PreviewError::BadChoice { .. })
        ));
        assert!(matches!(
            preview(&content, "/traits", &[], &mut rng),
            Err(PreviewError::MissingOption { .. })
        ));
        assert!(matches!(
            preview(&content, "/quote colour:red", &[], &mut rng),
            Err(PreviewError::UnknownOption { .. })
        ));
        assert!(matches!(
            preview(&content, "/dance", &[], &mut rng),
            Err(PreviewError::UnknownCommand(_))
        ));
        assert!(matches!(
            preview(&content, "/tips status", &[], &mut rng),
            Err(PreviewError::NeedsServer(_))
        ));
    }
}
