//! `/help`: every command with one line, built from the command registry it is given.

use super::{Accent, Embed, Reply};

/// What `/help` says about one command (or subcommand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandInfo {
    /// How it is typed, with its options: `/contrast [topic]`.
    pub usage: String,
    pub description: String,
    /// Needs Manage Server (or ownership of the bot).
    pub admin: bool,
}

/// The command list, for everyone first and then, in an embed of its own (one embed's
/// description would not hold both), for admins.
pub fn help(commands: &[CommandInfo]) -> Reply {
    let section = |admin: bool| -> String {
        commands
            .iter()
            .filter(|c| c.admin == admin)
            .map(|c| format!("`{}` — {}", c.usage, c.description))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut reply = Reply::embed(Embed {
        title: Some("bridgebot commands".into()),
        description: Some(section(false)),
        fields: Vec::new(),
        footer: Some("Leading and managing: both needed, most people do both.".into()),
        accent: Accent::Neutral,
    })
    .ephemeral();
    let admin = section(true);
    if !admin.is_empty() {
        reply.embeds.push(Embed {
            title: Some("For admins (Manage Server; `/admin` is for the bot's owners)".into()),
            description: Some(admin),
            fields: Vec::new(),
            footer: None,
            accent: Accent::Neutral,
        });
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_every_command_once_with_admins_last() {
        let commands = [
            CommandInfo {
                usage: "/tips setup channel".into(),
                description: "Set up".into(),
                admin: true,
            },
            CommandInfo {
                usage: "/contrast [topic]".into(),
                description: "A contrast".into(),
                admin: false,
            },
        ];
        let reply = help(&commands);
        let text: String = reply
            .embeds
            .iter()
            .filter_map(|e| e.description.clone())
            .collect::<Vec<_>>()
            .join("\n");
        let contrast = text.find("/contrast").expect("listed");
        let setup = text.find("/tips setup").expect("listed");
        assert!(contrast < setup);
        assert_eq!(text.matches("/contrast").count(), 1);
        assert!(reply.ephemeral);
    }
}
