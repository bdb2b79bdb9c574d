//! The registered commands as plain data, read from exactly what Discord is told at
//! registration (`poise::Command::create_as_slash_command`): names, subcommands, options,
//! their kinds, choices and bounds.
//!
//! `bridgebot preview` reads a typed line with this grammar, so it accepts what Discord's
//! command bar accepts and nothing else, and a command, option or choice added to the
//! registry reaches it without a second, hand-written copy to forget.

use poise::serenity_prelude::{CommandOption, CommandOptionType};

use super::Command;

/// A command (or subcommand) as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandShape {
    pub name: String,
    /// Its options, in registration order; empty for a group.
    pub options: Vec<OptionShape>,
    /// Its subcommands; empty for a command that runs itself.
    pub subcommands: Vec<CommandShape>,
}

/// One option of a command.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionShape {
    pub name: String,
    pub required: bool,
    pub kind: OptionKind,
}

/// What an option takes.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionKind {
    Text,
    /// A whole number, within the bounds Discord enforces.
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Number,
    Boolean,
    /// One of these names (the command gets the typed value: see [`choice`]).
    Choice(Vec<String>),
    /// A channel, role, user or file: only Discord can resolve it.
    Resolved,
}

/// The grammar of `commands`, as registered; a command that is not a slash command has none.
pub fn grammar(commands: &[Command]) -> Vec<CommandShape> {
    commands.iter().filter_map(registered).collect()
}

/// A command parameter that is one of a list of choices (`SideChoice`, `PollKindChoice`).
pub use poise::ChoiceParameter as Choice;

/// The typed value of a choice option from one of its registered names, as a command gets it.
pub fn choice<C: Choice>(name: &str) -> Option<C> {
    C::from_name(name)
}

fn registered(command: &Command) -> Option<CommandShape> {
    let created = serde_json::to_value(command.create_as_slash_command()?).ok()?;
    let options: Vec<CommandOption> = match created.get("options") {
        Some(options) => serde_json::from_value(options.clone()).ok()?,
        None => Vec::new(),
    };
    Some(shape(command.name.to_string(), &options))
}

fn shape(name: String, options: &[CommandOption]) -> CommandShape {
    let (subcommands, parameters): (Vec<&CommandOption>, Vec<&CommandOption>) =
        options.iter().partition(|option| {
            matches!(
                option.kind,
                CommandOptionType::SubCommand | CommandOptionType::SubCommandGroup
            )
        });
    CommandShape {
        name,
        options: parameters.into_iter().map(option).collect(),
        subcommands: subcommands
            .into_iter()
            .map(|sub| shape(sub.name.clone(), &sub.options))
            .collect(),
    }
}

fn option(option: &CommandOption) -> OptionShape {
    // poise writes an integer's bounds as numbers (`1.0`), which Discord reads as whole ones.
    let bound = |value: &Option<serde_json::Number>| {
        value.as_ref().and_then(|n| {
            n.as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
        })
    };
    let kind = match option.kind {
        _ if !option.choices.is_empty() => {
            OptionKind::Choice(option.choices.iter().map(|c| c.name.clone()).collect())
        }
        CommandOptionType::String => OptionKind::Text,
        CommandOptionType::Integer => OptionKind::Integer {
            min: bound(&option.min_value),
            max: bound(&option.max_value),
        },
        CommandOptionType::Number => OptionKind::Number,
        CommandOptionType::Boolean => OptionKind::Boolean,
        _ => OptionKind::Resolved,
    };
    OptionShape {
        name: option.name.clone(),
        required: option.required,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{all_commands, SideChoice, TraitKindChoice};
    use super::*;

    fn find<'a>(shapes: &'a [CommandShape], path: &[&str]) -> &'a CommandShape {
        let (first, rest) = path.split_first().expect("a path");
        let found = shapes
            .iter()
            .find(|s| s.name == *first)
            .unwrap_or_else(|| panic!("/{first} is not registered"));
        if rest.is_empty() {
            found
        } else {
            find(&found.subcommands, rest)
        }
    }

    #[test]
    fn every_registered_command_has_its_grammar() {
        let commands = all_commands();
        let shapes = grammar(&commands);
        assert_eq!(shapes.len(), commands.len());
        let traits = find(&shapes, &["traits"]);
        assert_eq!(traits.options.len(), 2);
        assert_eq!(
            traits.options[0],
            OptionShape {
                name: "side".into(),
                required: true,
                kind: OptionKind::Choice(vec!["Leader".into(), "Manager".into()]),
            }
        );
        assert!(!traits.options[1].required);
        let trend = find(&shapes, &["pulse", "trend"]);
        assert_eq!(
            trend.options[0].kind,
            OptionKind::Integer {
                min: Some(1),
                max: Some(52)
            }
        );
        let setup = find(&shapes, &["tips", "setup"]);
        assert_eq!(setup.options[0].kind, OptionKind::Resolved, "a channel");
        assert!(find(&shapes, &["digest"]).subcommands.len() >= 5);
    }

    #[test]
    fn a_registered_choice_name_gives_the_typed_value() {
        assert!(matches!(
            choice::<SideChoice>("Manager"),
            Some(SideChoice::Manager)
        ));
        assert!(matches!(
            choice::<TraitKindChoice>("Skills"),
            Some(TraitKindChoice::Skills)
        ));
        assert!(choice::<SideChoice>("Boss").is_none());
    }
}
