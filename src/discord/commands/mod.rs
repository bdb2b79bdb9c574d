//! The command registry: every slash command the bot has, in one list.

mod admin;
mod channels;
mod content;
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
use crate::reply::{Access, CommandInfo, OptionInfo};

pub use grammar::{choice, grammar, Choice, CommandShape, OptionKind, OptionShape};
pub use library::{SideChoice, TraitKindChoice};
pub use polls::PollKindChoice;

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
        (content::content(), Managers),
        (content::forget_server(), Managers),
        (content::suggestions(), Managers),
        (content::suggest(), Everyone),
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
        collect_infos(command, "", Access::Everyone, &mut infos);
    }
    infos
}

fn collect_infos(command: &Command, parent: &str, access: Access, infos: &mut Vec<CommandInfo>) {
    let path = format!("{parent}{}", command.name);
    let access = if command.owners_only {
        Access::Owners
    } else if command.default_member_permissions.manage_guild() {
        access.max(Access::Managers)
    } else {
        access
    };
    if !command.subcommands.is_empty() {
        for sub in &command.subcommands {
            collect_infos(sub, &format!("{path} "), access, infos);
        }
        return;
    }
    infos.push(CommandInfo {
        name: path,
        description: command
            .description
            .as_deref()
            .unwrap_or_default()
            .to_string(),
        options: command
            .parameters
            .iter()
            .map(|p| OptionInfo {
                name: p.name.to_string(),
                required: p.required,
            })
            .collect(),
        access,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn help_shows_every_registered_command_on_a_screen_that_fits_a_phone() {
        use crate::reply::{help, HelpGroup, HelpPage};
        use strum::IntoEnumIterator;
        let commands = all_commands();
        let infos = command_infos(&commands);
        for info in &infos {
            let top = info.name.split(' ').next().unwrap_or_default();
            assert!(
                HelpGroup::of(top).is_some() || top == "help",
                "/{} is on no screen of /help",
                info.name
            );
        }
        let contrast = infos.iter().find(|i| i.name == "contrast").expect("listed");
        assert_eq!(contrast.access, Access::Everyone);
        assert_eq!(contrast.options.len(), 1);
        let setup = infos
            .iter()
            .find(|i| i.name == "tips setup")
            .expect("listed");
        assert_eq!(setup.access, Access::Managers);
        let reload = infos
            .iter()
            .find(|i| i.name == "admin reload")
            .expect("listed");
        assert_eq!(reload.access, Access::Owners);
        for viewer in [Access::Everyone, Access::Managers, Access::Owners] {
            for group in HelpGroup::iter() {
                let reply = help(&infos, HelpPage { group, viewer });
                assert!(reply.limit_problems().is_empty(), "{group:?}");
                let text = reply.embeds[0].description.clone().unwrap_or_default();
                assert!(
                    text.lines().count() <= 16 && text.chars().count() <= 1_800,
                    "{group:?} for {viewer:?} is longer than a phone screen:\n{text}"
                );
                assert!(!text.contains('['), "{text}");
            }
        }
    }
}
