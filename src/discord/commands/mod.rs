//! The command registry: every slash command the bot has, in one list.

mod admin;
mod channels;
mod digest;
mod grammar;
mod library;
mod poll;
mod polls;
mod pulse;
mod schedules;
mod settings;
mod tips;

use poise::serenity_prelude::Permissions;

use super::{BotError, Data};
use crate::reply::CommandInfo;

pub use grammar::{choice, grammar, Choice, CommandShape, OptionKind, OptionShape};
pub use library::{SideChoice, TraitKindChoice};

/// A command of this bot.
pub type Command = poise::Command<Data, BotError>;

/// Who may use a command. Set here, once per command group, and nowhere else: poise checks
/// a group's requirements for each of its subcommands.
enum Audience {
    Everyone,
    /// Members with Manage Server. Discord hides the command from others
    /// (`default_member_permissions`; a server's owner can change that in the server's
    /// integration settings), and poise checks again when it runs (`required_permissions`), so
    /// whatever the server's overrides, nothing changes for someone without it.
    Managers,
    /// The application's owners and `[discord] owners`; hidden from everyone but
    /// administrators.
    Owners,
}

fn for_audience(mut command: Command, audience: Audience) -> Command {
    match audience {
        Audience::Everyone => {}
        Audience::Managers => {
            command.default_member_permissions = Permissions::MANAGE_GUILD;
            command.required_permissions = Permissions::MANAGE_GUILD;
        }
        Audience::Owners => {
            command.default_member_permissions = Permissions::ADMINISTRATOR;
            command.owners_only = true;
        }
    }
    command
}

/// Sends `reply` as the command's answer (private when the reply says so).
async fn send(
    ctx: crate::discord::Context<'_>,
    reply: crate::reply::Reply,
) -> Result<(), crate::discord::BotError> {
    ctx.send(crate::discord::convert::poise_reply(&reply))
        .await?;
    Ok(())
}

/// The server a command runs in: the one way commands read it. Guild-only commands cannot
/// run anywhere else (poise refuses them first), so for them the error never happens; a
/// command that also works in direct messages (`/tip`) takes `.ok()`.
fn guild(ctx: crate::discord::Context<'_>) -> Result<u64, BotError> {
    ctx.guild_id()
        .map(|g| g.get())
        .ok_or_else(|| BotError::user(crate::reply::said::GUILD_ONLY))
}

/// Every command, in the order `/help` lists them.
pub fn all_commands() -> Vec<Command> {
    use Audience::{Everyone, Managers, Owners};
    [
        (library::contrast(), Everyone),
        (library::traits(), Everyone),
        (library::similarities(), Everyone),
        (library::example(), Everyone),
        (library::quote(), Everyone),
        (library::faq(), Everyone),
        (library::scenario(), Everyone),
        (tips::tip(), Everyone),
        (tips::tips(), Managers),
        (poll::poll(), Everyone),
        (polls::polls(), Managers),
        (pulse::pulse(), Managers),
        (digest::digest(), Managers),
        (settings::settings(), Managers),
        (admin::admin(), Owners),
        (library::help(), Everyone),
    ]
    .into_iter()
    .map(|(command, audience)| for_audience(command, audience))
    .collect()
}

/// What `/help` says about each command and subcommand, read from the registry itself.
pub fn command_infos(commands: &[Command]) -> Vec<CommandInfo> {
    let mut infos = Vec::new();
    for command in commands {
        collect_infos(command, "", false, &mut infos);
    }
    infos
}

fn collect_infos(command: &Command, parent: &str, admin: bool, infos: &mut Vec<CommandInfo>) {
    let path = format!("{parent}{}", command.name);
    let admin = admin || command.default_member_permissions.manage_guild() || command.owners_only;
    if !command.subcommands.is_empty() {
        for sub in &command.subcommands {
            collect_infos(sub, &format!("{path} "), admin, infos);
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
        admin,
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
