//! `bridgebot preview '/contrast topic:vision'`: a command typed as in Discord, answered as
//! terminal text by the same [`answer`] the bot uses.
//!
//! A command-line feature, so it sits on top beside `cli`. It reads the line with the grammar
//! of the registered commands ([`discord::grammar`]: names, subcommands, options, choices and
//! bounds, exactly what Discord is told), so it accepts what Discord's command bar accepts and
//! cannot drift from it; the line's shape is read in `line.rs`. Where an answer needs a
//! server (`/pulse trend`, the weekly digest, every setup, status, pause, resume and stop,
//! `/settings timezone`), it shows the example team and server of `example.rs` and says so,
//! so an admin's words can be read and tested without one; the rest need Discord.

mod example;
mod line;

use rand::Rng;

pub use line::CommandLine;

use crate::content::{Content, Side, TraitKind};
use crate::discord::{self, Choice, CommandShape, OptionKind, SideChoice, TraitKindChoice};
use crate::model::poll::PollKind;
use crate::model::team::TeamKind;
use crate::reply::pulse::TREND_WEEKS;
use crate::reply::{answer, to_plain_text, CommandInfo, Reply, Request};

/// Why a preview line could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreviewError {
    #[error("write a command as in Discord, starting with /, for example: /contrast topic:vision")]
    NotACommand,
    #[error("there is no /{0} command; try /help for the list")]
    UnknownCommand(String),
    #[error("/{command} has no subcommand `{word}`{}", if expected.is_empty() { "; write its options as name:value".to_string() } else { format!("; its subcommands: {expected}") })]
    UnknownSubcommand {
        command: String,
        word: String,
        expected: String,
    },
    #[error("/{command} needs a subcommand: {expected}")]
    PickSubcommand { command: String, expected: String },
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

/// Answers command lines as the bot would, with the registry's grammar and `/help`.
pub struct Preview {
    grammar: Vec<CommandShape>,
    commands: Vec<CommandInfo>,
}

impl Default for Preview {
    fn default() -> Self {
        Preview::new()
    }
}

impl Preview {
    /// A preview of the bot's registered commands.
    pub fn new() -> Preview {
        let commands = discord::all_commands();
        Preview {
            grammar: discord::grammar(&commands),
            commands: discord::command_infos(&commands),
        }
    }

    /// The answer as terminal text.
    pub fn text(
        &self,
        content: &Content,
        line: &str,
        rng: &mut impl Rng,
    ) -> Result<String, PreviewError> {
        self.reply(content, line, rng)
            .map(|reply| to_plain_text(&reply))
    }

    /// The whole reply, files included. A person's mistake in an option's value (a topic
    /// that matches nothing) is the private note the bot would send, as on Discord.
    pub fn reply(
        &self,
        content: &Content,
        line: &str,
        rng: &mut impl Rng,
    ) -> Result<Reply, PreviewError> {
        let line = CommandLine::parse(line)?;
        let shape = self.shape(&line)?;
        // Options are checked only for what preview answers: a server command is refused
        // as a whole, whatever its options.
        let typed = || Typed::read(&line, shape);
        let path: Vec<&str> = line.path.iter().map(String::as_str).collect();
        let request = match path.as_slice() {
            ["pulse", "trend"] => {
                let weeks = typed()?.integer("weeks").map_or(TREND_WEEKS, |weeks| {
                    u32::try_from(weeks).unwrap_or(TREND_WEEKS)
                });
                return Ok(example::trend(usize::try_from(weeks).unwrap_or(0)));
            }
            ["pulse", "focus"] => {
                typed()?;
                return Ok(example::pulse_loop(content));
            }
            ["digest"] => {
                typed()?;
                return Ok(example::weekly_digest(content));
            }
            ["content", "add", kind] => {
                let typed = typed()?;
                let (kind, pick) = match *kind {
                    "scenario" => (
                        TeamKind::Scenario,
                        typed.chosen("calls").unwrap_or_default().to_lowercase(),
                    ),
                    "statement" => (
                        TeamKind::Statement,
                        typed.chosen("side").unwrap_or_default().to_lowercase(),
                    ),
                    _ => (TeamKind::Tip, String::new()),
                };
                return Ok(example::team_entry(kind, &pick));
            }
            [group, "setup"] if example::Duty::of(group).is_some() => {
                let typed = typed()?;
                let duty = example::Duty::of(group).ok_or(PreviewError::NotACommand)?;
                return Ok(example::setup(
                    duty,
                    example::SetupInput {
                        time: typed.text("time"),
                        timezone: typed.text("timezone"),
                        day: typed.chosen("day"),
                        open_for: typed.text("open_for"),
                        kind: typed.optional_choice::<discord::PollKindChoice, PollKind>("kind")?,
                    },
                ));
            }
            [group, "status"] if example::Duty::of(group).is_some() => {
                typed()?;
                let duty = example::Duty::of(group).ok_or(PreviewError::NotACommand)?;
                return Ok(example::status(duty));
            }
            [group, verb @ ("pause" | "resume" | "stop")] if example::Duty::of(group).is_some() => {
                typed()?;
                let duty = example::Duty::of(group).ok_or(PreviewError::NotACommand)?;
                if let Some(reply) = example::change(duty, verb) {
                    return Ok(reply);
                }
                return Err(PreviewError::NeedsServer(line.path.join(" ")));
            }
            ["settings", "timezone"] => {
                return Ok(example::timezone(typed()?.text("zone")));
            }
            ["contrast"] => Request::Contrast {
                topic: typed()?.text("topic"),
            },
            ["traits"] => {
                let typed = typed()?;
                Request::Traits {
                    side: typed.choice::<SideChoice, Side>("side")?,
                    kind: typed.optional_choice::<TraitKindChoice, TraitKind>("kind")?,
                }
            }
            ["similarities"] => typed().map(|_| Request::Similarities)?,
            ["quote"] => typed().map(|_| Request::Quote)?,
            ["example"] => Request::Example {
                name: typed()?.text("name"),
            },
            ["faq"] => Request::Faq {
                question: typed()?.text("question"),
            },
            ["tip"] => typed().map(|_| Request::RandomTip)?,
            ["scenario"] => Request::Scenario {
                name: typed()?.text("name"),
            },
            ["help"] => {
                typed()?;
                return Ok(self.every_help_screen());
            }
            _ if !shape.subcommands.is_empty() => {
                return Err(PreviewError::PickSubcommand {
                    command: line.path.join(" "),
                    expected: names(&shape.subcommands),
                })
            }
            _ => return Err(PreviewError::NeedsServer(line.path.join(" "))),
        };
        Ok(answer(content, request, rng)
            .unwrap_or_else(|error| Reply::private_note(error.to_string())))
    }

    /// `/help` as an admin who owns the bot sees it: every screen, one below the other.
    fn every_help_screen(&self) -> Reply {
        use strum::IntoEnumIterator;
        let screens: Vec<Reply> = crate::reply::HelpGroup::iter()
            .map(|group| {
                crate::reply::help(
                    &self.commands,
                    crate::reply::HelpPage {
                        group,
                        viewer: crate::reply::Access::Owners,
                    },
                )
            })
            .collect();
        Reply {
            embeds: screens.iter().flat_map(|s| s.embeds.clone()).collect(),
            buttons: screens
                .first()
                .map(|s| s.buttons.clone())
                .unwrap_or_default(),
            ephemeral: true,
            ..Reply::default()
        }
    }

    /// The registered command a line names: its command and subcommand words must exist.
    fn shape(&self, line: &CommandLine) -> Result<&CommandShape, PreviewError> {
        let (first, words) = line.path.split_first().ok_or(PreviewError::NotACommand)?;
        let mut shape = self
            .grammar
            .iter()
            .find(|shape| shape.name == *first)
            .ok_or_else(|| PreviewError::UnknownCommand(first.clone()))?;
        for (depth, word) in words.iter().enumerate() {
            shape = shape
                .subcommands
                .iter()
                .find(|sub| sub.name == *word)
                .ok_or_else(|| PreviewError::UnknownSubcommand {
                    command: line.path[..=depth].join(" "),
                    word: word.clone(),
                    expected: names(&shape.subcommands),
                })?;
        }
        Ok(shape)
    }
}

fn names(shapes: &[CommandShape]) -> String {
    shapes
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An option's value, read as its kind.
#[derive(Debug, Clone, PartialEq)]
enum Value<'l> {
    Text(&'l str),
    Integer(i64),
    /// A choice, by its registered name.
    Choice(String),
    Other,
}

/// A value as Discord's command bar would take it: a choice by its name (any case, or a
/// unique beginning: `lead` for `Leader`), a whole number inside the option's bounds.
fn read_value<'l>(
    name: &str,
    value: &'l str,
    kind: &OptionKind,
) -> Result<Value<'l>, PreviewError> {
    let bad = |choices: String| PreviewError::BadChoice {
        option: name.into(),
        value: value.into(),
        choices,
    };
    match kind {
        OptionKind::Choice(choices) => {
            let typed = value.trim().to_lowercase();
            let exact = choices.iter().find(|c| c.to_lowercase() == typed);
            let starting: Vec<&String> = choices
                .iter()
                .filter(|c| !typed.is_empty() && c.to_lowercase().starts_with(&typed))
                .collect();
            match (exact, starting.as_slice()) {
                (Some(choice), _) => Ok(Value::Choice(choice.clone())),
                (None, [choice]) => Ok(Value::Choice((*choice).clone())),
                _ => Err(bad(choices.join(", "))),
            }
        }
        OptionKind::Integer { min, max } => {
            let range = match (min, max) {
                (Some(min), Some(max)) => format!("a whole number from {min} to {max}"),
                (Some(min), None) => format!("a whole number from {min}"),
                (None, Some(max)) => format!("a whole number up to {max}"),
                (None, None) => "a whole number".into(),
            };
            value
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| min.is_none_or(|min| *n >= min) && max.is_none_or(|max| *n <= max))
                .map(Value::Integer)
                .ok_or_else(|| bad(range))
        }
        OptionKind::Boolean => match value.trim().to_lowercase().as_str() {
            "true" | "false" => Ok(Value::Other),
            _ => Err(bad("true, false".into())),
        },
        OptionKind::Number => value
            .trim()
            .parse::<f64>()
            .map(|_| Value::Other)
            .map_err(|_| bad("a number".into())),
        OptionKind::Text => Ok(Value::Text(value)),
        OptionKind::Resolved => Ok(Value::Other),
    }
}

/// The options of a checked line, by name.
struct Typed<'l> {
    command: String,
    values: Vec<(&'l str, Value<'l>)>,
}

impl<'l> Typed<'l> {
    /// The line's options checked against the command's: every option exists, every
    /// required one is there, and each value is one Discord would accept.
    fn read(line: &'l CommandLine, shape: &CommandShape) -> Result<Typed<'l>, PreviewError> {
        let command = line.path.join(" ");
        let mut values = Vec::new();
        for (name, value) in &line.options {
            let option = shape
                .options
                .iter()
                .find(|option| option.name == *name)
                .ok_or_else(|| PreviewError::UnknownOption {
                    command: command.clone(),
                    option: name.clone(),
                    expected: shape
                        .options
                        .iter()
                        .map(|o| o.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })?;
            values.push((name.as_str(), read_value(name, value, &option.kind)?));
        }
        if let Some(missing) = shape
            .options
            .iter()
            .find(|o| o.required && line.option(&o.name).is_none())
        {
            let example = match &missing.kind {
                OptionKind::Choice(choices) => choices.first().cloned().unwrap_or_default(),
                _ => "…".into(),
            };
            return Err(PreviewError::MissingOption {
                command,
                option: missing.name.clone(),
                example,
            });
        }
        Ok(Typed { command, values })
    }

    fn get(&self, name: &str) -> Option<&Value<'l>> {
        self.values
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    fn text(&self, name: &str) -> Option<&'l str> {
        match self.get(name) {
            Some(Value::Text(text)) => Some(text),
            _ => None,
        }
    }

    /// A choice option's registered name, as typed.
    fn chosen(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(Value::Choice(chosen)) => Some(chosen),
            _ => None,
        }
    }

    fn integer(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(Value::Integer(n)) => Some(*n),
            _ => None,
        }
    }

    /// A choice option's typed value, as the command's own parameter type converts it.
    fn optional_choice<C, T>(&self, name: &str) -> Result<Option<T>, PreviewError>
    where
        C: Choice + Into<T>,
    {
        let Some(Value::Choice(chosen)) = self.get(name) else {
            return Ok(None);
        };
        discord::choice::<C>(chosen)
            .map(|c| Some(c.into()))
            .ok_or_else(|| PreviewError::BadChoice {
                option: name.into(),
                value: chosen.clone(),
                choices: C::list()
                    .iter()
                    .map(|c| c.name.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// A required choice option's typed value (its presence was checked with the grammar).
    fn choice<C, T>(&self, name: &str) -> Result<T, PreviewError>
    where
        C: Choice + Into<T>,
    {
        self.optional_choice::<C, T>(name)?
            .ok_or_else(|| PreviewError::MissingOption {
                command: self.command.clone(),
                option: name.into(),
                example: C::list()
                    .first()
                    .map(|c| c.name.to_string())
                    .unwrap_or_default(),
            })
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
        let preview = Preview::new();
        let mut rng = StdRng::seed_from_u64(1);
        let reply = preview
            .reply(&content, "/pulse trend weeks:8", &mut rng)
            .expect("preview");
        assert!(reply
            .text
            .as_deref()
            .unwrap_or_default()
            .contains("Sample data"));
        assert_eq!(reply.attachments.len(), 1, "the chart");
        let text = to_plain_text(&reply);
        assert_eq!(text.matches("withheld").count(), 1, "{text}");
        assert!(matches!(
            preview.reply(&content, "/pulse trend weeks:0", &mut rng),
            Err(PreviewError::BadChoice { .. })
        ));
        assert!(matches!(
            preview.reply(&content, "/pulse now", &mut rng),
            Err(PreviewError::NeedsServer(_))
        ));
    }

    #[test]
    fn pulse_focus_previews_the_loop_reminder_result_with_its_focus_button_and_focus_post() {
        let content = Content::bundled().expect("content");
        let mut rng = rand::rng();
        let reply = Preview::new()
            .reply(&content, "/pulse focus", &mut rng)
            .expect("previewed");
        let titles: Vec<&str> = reply
            .embeds
            .iter()
            .filter_map(|e| e.title.as_deref())
            .collect();
        assert!(titles[0].starts_with("Team pulse reminder"), "{titles:?}");
        assert!(titles[1].starts_with("Team pulse result"), "{titles:?}");
        assert!(
            titles.last().is_some_and(|t| t.starts_with("Our focus")),
            "{titles:?}"
        );
        assert!(reply.buttons.iter().any(|b| b.label == "Choose our focus"));
        assert!(reply
            .text
            .as_deref()
            .is_some_and(|t| t.starts_with("Sample data")));
    }

    #[test]
    fn the_digest_previews_an_example_week_with_its_chart_and_says_it_is_a_sample() {
        let content = Content::bundled().expect("content");
        let preview = Preview::new();
        let mut rng = StdRng::seed_from_u64(1);
        let reply = preview
            .reply(&content, "/digest", &mut rng)
            .expect("preview");
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
            preview.reply(&content, "/digest setup", &mut rng),
            Err(PreviewError::MissingOption { .. })
        ));
    }

    #[test]
    fn a_team_tip_and_scenario_preview_as_a_servers_own_would_appear() {
        let content = Content::bundled().expect("content");
        let preview = Preview::new();
        let tip = preview
            .text(&content, "/content add tip", &mut rand::rng())
            .expect("previews");
        assert!(tip.contains("From your team"), "{tip}");
        assert!(tip.contains("Example"), "{tip}");
        let scenario = preview
            .text(
                &content,
                "/content add scenario calls:Managing",
                &mut rand::rng(),
            )
            .expect("previews");
        assert!(scenario.contains("It calls for: Managing"), "{scenario}");
        assert!(scenario.contains("From your team"), "{scenario}");
    }

    #[test]
    fn every_setup_and_status_previews_for_the_example_server_and_says_so() {
        let content = Content::bundled().expect("content");
        let preview = Preview::new();
        let mut rng = StdRng::seed_from_u64(1);
        for (group, setup) in [
            ("tips", "/tips setup channel:#team time:9am"),
            (
                "polls",
                "/polls setup channel:#team kind:Needs day:Friday time:15:30",
            ),
            (
                "pulse",
                "/pulse setup channel:#team day:Thursday time:16:00 open_for:2d",
            ),
            (
                "digest",
                "/digest setup channel:#leads day:Friday time:17:00",
            ),
        ] {
            let text = preview.text(&content, setup, &mut rng).expect(setup);
            for part in [
                "Sample server",
                "(Europe/Berlin)",
                "**What members will see:**",
                ":F> (<t:",
                ":R>)",
                "**Can I post there?** Yes",
                "**Next step:**",
            ] {
                assert!(text.contains(part), "{setup}: {part} missing:\n{text}");
            }
            let status = preview
                .reply(&content, &format!("/{group} status"), &mut rng)
                .expect("status");
            assert_eq!(status.embeds.len(), 1, "one embed, the same shape");
            let fields: Vec<&str> = status.embeds[0]
                .fields
                .iter()
                .map(|f| f.name.as_str())
                .collect();
            for name in ["Where and when", "State", "Not posted", "Can I post there?"] {
                assert!(fields.contains(&name), "/{group} status: {fields:?}");
            }
            assert!(status.limit_problems().is_empty());
            for verb in ["pause", "resume", "stop"] {
                let said = preview
                    .text(&content, &format!("/{group} {verb}"), &mut rng)
                    .expect(verb);
                assert!(!said.is_empty() && !said.contains("owed"), "{said}");
            }
        }
        let mistake = preview
            .text(&content, "/tips setup channel:#team time:25:99", &mut rng)
            .expect("the bot's private note");
        assert!(mistake.contains("9am"), "{mistake}");
        let needs = preview
            .text(
                &content,
                "/polls setup channel:#team kind:Needs day:Friday time:15:30",
                &mut rng,
            )
            .expect("setup");
        assert!(needs.contains("A needs poll"), "{needs}");
    }

    #[test]
    fn preview_answers_like_the_bot() {
        let content = Content::bundled().expect("valid");
        let text = Preview::new()
            .text(
                &content,
                "/contrast topic:vision",
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
        let text = Preview::new()
            .text(
                &content,
                "/contrast topic:astrology",
                &mut StdRng::seed_from_u64(1),
            )
            .expect("answers");
        assert!(text.contains("astrology"));
        assert!(text.contains("only the person who asked"));
    }

    #[test]
    fn preview_explains_bad_options() {
        let content = Content::bundled().expect("valid");
        let preview = Preview::new();
        let mut rng = StdRng::seed_from_u64(1);
        assert!(matches!(
            preview.text(&content, "/traits side:boss", &mut rng),
            Err(PreviewError::BadChoice { .. })
        ));
        assert!(matches!(
            preview.text(&content, "/traits", &mut rng),
            Err(PreviewError::MissingOption { .. })
        ));
        assert!(matches!(
            preview.text(&content, "/quote colour:red", &mut rng),
            Err(PreviewError::UnknownOption { .. })
        ));
        assert!(matches!(
            preview.text(&content, "/dance", &mut rng),
            Err(PreviewError::UnknownCommand(_))
        ));
        assert!(matches!(
            preview.text(&content, "/tips skip", &mut rng),
            Err(PreviewError::NeedsServer(_))
        ));
    }

    #[test]
    fn the_grammar_is_the_registry_s_choices_subcommands_and_required_options() {
        let content = Content::bundled().expect("valid");
        let preview = Preview::new();
        let mut rng = StdRng::seed_from_u64(1);
        // The registered choices, in any case or by a unique beginning.
        let skills = preview
            .text(&content, "/traits side:manager kind:skill", &mut rng)
            .expect("answers");
        let exact = preview
            .text(&content, "/traits side:Manager kind:Skills", &mut rng)
            .expect("answers");
        assert_eq!(skills, exact);
        let Err(PreviewError::BadChoice { choices, .. }) =
            preview.text(&content, "/traits side:boss", &mut rng)
        else {
            panic!("not a choice");
        };
        assert_eq!(choices, "Leader, Manager");
        let Err(PreviewError::MissingOption { example, .. }) =
            preview.text(&content, "/traits", &mut rng)
        else {
            panic!("side is required");
        };
        assert_eq!(example, "Leader");
        assert!(matches!(
            preview.text(&content, "/tips stauts", &mut rng),
            Err(PreviewError::UnknownSubcommand { .. })
        ));
        assert!(matches!(
            preview.text(&content, "/pulse", &mut rng),
            Err(PreviewError::PickSubcommand { .. })
        ));
        let help = preview.text(&content, "/help", &mut rng).expect("help");
        assert!(
            help.contains("`/traits` What leaders or managers are known for"),
            "{help}"
        );
        assert!(help.contains("*needs side; you can add kind*"), "{help}");
        assert!(help.contains("/admin reload"), "{help}");
    }
}
