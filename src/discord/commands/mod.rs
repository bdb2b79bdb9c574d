//! The command registry: every slash command the bot has, in one list.

mod admin;
mod library;
mod poll;
mod polls;
mod tips;

use super::{BotError, Data};
use crate::reply::CommandInfo;

pub use library::{KindChoice, SideChoice};

/// A command of this bot.
pub type Command = poise::Command<Data, BotError>;

/// Every command, in the order `/help` lists them.
pub fn all_commands() -> Vec<Command> {
    vec![
        library::contrast(),
        library::traits(),
        library::similarities(),
        library::example(),
        library::quote(),
        library::faq(),
        tips::tip(),
        tips::tips(),
        poll::poll(),
        polls::polls(),
        admin::admin(),
        library::help(),
    ]
}

/// What `/help` says about each command and subcommand, read from the registry itself.
pub fn command_infos(commands: &[Command]) -> Vec<CommandInfo> {
    let mut infos = Vec::new();
    for command in commands {
        collect_infos(command, "", &mut infos);
    }
    infos
}

fn collect_infos(command: &Command, parent: &str, infos: &mut Vec<CommandInfo>) {
    let path = format!("{parent}{}", command.name);
    if !command.subcommands.is_empty() {
        for sub in &command.subcommands {
            collect_infos(sub, &format!("{path} "), infos);
        }
        return;
    }
    let options: Vec<String> = command
        .parameters
        .iter()
        .map(|p| {
            if p.required {
                p.name.to_string()
            } else {
                format!("[{}]", p.name)
            }
        })
        .collect();
    let usage = std::iter::once(format!("/{path}"))
        .chain(options)
        .collect::<Vec<_>>()
        .join(" ");
    infos.push(CommandInfo {
        usage,
        description: command
            .description
            .as_deref()
            .unwrap_or_default()
            .to_string(),
        admin: command.default_member_permissions.manage_guild() || command.owners_only,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits;

    #[test]
    fn every_command_and_option_has_a_description_discord_accepts() {
        for command in all_commands() {
            let description = command.description.clone().unwrap_or_default();
            assert!(
                (1..=100).contains(&description.chars().count()),
                "/{}: {description:?}",
                command.name
            );
            for parameter in &command.parameters {
                let text = parameter.description.clone().unwrap_or_default();
                assert!(
                    (1..=100).contains(&text.chars().count()),
                    "/{} {}: {text:?}",
                    command.name,
                    parameter.name
                );
            }
        }
    }

    #[test]
    fn help_lists_every_registered_command() {
        let commands = all_commands();
        let infos = command_infos(&commands);
        for command in &commands {
            assert!(
                infos
                    .iter()
                    .any(|i| i.usage.starts_with(&format!("/{}", command.name))),
                "/{} missing",
                command.name
            );
        }
        let contrast = infos
            .iter()
            .find(|i| i.usage.starts_with("/contrast"))
            .expect("listed");
        assert_eq!(contrast.usage, "/contrast [topic]");
        let help = crate::reply::help(&infos);
        assert!(help.limit_problems().is_empty());
        assert!(
            help.embeds[0]
                .description
                .as_deref()
                .unwrap_or_default()
                .len()
                < limits::EMBED_DESCRIPTION
        );
    }
}
