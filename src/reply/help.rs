//! `/help`: what the bot is for, then its commands in groups a phone shows on one screen each,
//! switched with buttons, built from the command registry it is given. A member sees only the
//! commands they can use; options are written in words ("needs channel; you can add time").

use super::{Accent, Action, Button, Embed, Reply};

/// Who may use a command, and who is reading `/help`: a reader sees the commands of their
/// level and below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Access {
    Everyone,
    /// Members with Manage Server.
    Managers,
    /// The bot's owners (shown to server administrators, whom Discord shows the command).
    Owners,
}

/// One option of a command, as `/help` writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionInfo {
    pub name: String,
    pub required: bool,
}

/// What `/help` says about one command (or subcommand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandInfo {
    /// How it is typed, without options: `tips setup`.
    pub name: String,
    pub description: String,
    pub options: Vec<OptionInfo>,
    pub access: Access,
}

impl CommandInfo {
    /// The command's first word: `tips` for `tips setup`.
    fn top(&self) -> &str {
        self.name.split(' ').next().unwrap_or_default()
    }
}

/// A screen of `/help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum HelpGroup {
    /// What the bot is for, and where to start.
    Start,
    /// Contrasts, traits, examples, quotes, questions, scenarios, today's tip.
    Read,
    /// The daily tip's settings.
    Tips,
    /// Native polls, one-off and weekly.
    Polls,
    /// The anonymous weekly team pulse and the lead's weekly digest.
    Pulse,
    /// The server's own tips, scenarios and statements, and members' suggestions.
    Team,
}

impl HelpGroup {
    /// The word in the button's custom id.
    pub fn key(self) -> &'static str {
        self.into()
    }

    pub fn from_key(key: &str) -> Option<HelpGroup> {
        <HelpGroup as strum::IntoEnumIterator>::iter().find(|g| g.key() == key)
    }

    /// The button's label and the screen's title.
    fn label(self) -> &'static str {
        match self {
            HelpGroup::Start => "Start",
            HelpGroup::Read => "Read and discuss",
            HelpGroup::Tips => "Daily tip",
            HelpGroup::Polls => "Polls",
            HelpGroup::Pulse => "Team pulse",
            HelpGroup::Team => "Your own content",
        }
    }

    /// The screen of a command, by its first word; `None` for a command `/help` does not list
    /// (itself).
    pub fn of(top: &str) -> Option<HelpGroup> {
        match top {
            "contrast" | "traits" | "similarities" | "example" | "quote" | "faq" | "scenario"
            | "tip" => Some(HelpGroup::Read),
            "tips" => Some(HelpGroup::Tips),
            "poll" | "polls" => Some(HelpGroup::Polls),
            "pulse" | "digest" => Some(HelpGroup::Pulse),
            "settings" | "admin" => Some(HelpGroup::Start),
            "content" | "suggestions" | "suggest" | "forget-server" => Some(HelpGroup::Team),
            _ => None,
        }
    }

    /// Whether `viewer` gets this screen: the daily tip's is only settings.
    fn shown_to(self, viewer: Access) -> bool {
        self != HelpGroup::Tips || viewer >= Access::Managers
    }
}

/// Which screen of `/help`, for whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HelpPage {
    pub group: HelpGroup,
    pub viewer: Access,
}

/// "needs side; you can add kind".
fn options_in_words(options: &[OptionInfo]) -> String {
    let names = |required: bool| {
        options
            .iter()
            .filter(|o| o.required == required)
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (needed, optional) = (names(true), names(false));
    match (needed.is_empty(), optional.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!(" *needs {needed}*"),
        (true, false) => format!(" *you can add {optional}*"),
        (false, false) => format!(" *needs {needed}; you can add {optional}*"),
    }
}

fn line(command: &CommandInfo) -> String {
    format!(
        "`/{}` {}{}",
        command.name,
        command.description,
        options_in_words(&command.options)
    )
}

/// What the bot is for, in two lines.
const PURPOSE: &str = "bridgebot helps a team tell leading (direction, people, change) from managing (plans, order, results), and practise both.";

/// The first steps, for whoever can take them.
fn start_here(viewer: Access) -> String {
    if viewer >= Access::Managers {
        "**Start here**\n\
         1. `/settings timezone zone:` your team's time zone, once.\n\
         2. `/tips setup channel:` a short tip each weekday at 9am.\n\
         3. `/pulse setup channel: day: time:` the anonymous weekly pulse.\n\
         4. `/polls setup` and `/digest setup` when you want more.\n\
         Each setup says what members will see, when, and what is missing."
            .into()
    } else {
        "**Start here**\n\
         Try `/contrast`, `/scenario` or `/tip`. When your team's weekly pulse opens, press its **Answer** button: nobody sees who answered what."
            .into()
    }
}

/// What a member reads on the pulse screen, whatever they may run.
const PULSE_FOR_MEMBERS: &str = "The team pulse is an anonymous weekly survey: a few statements, each scored from 1 to 5. Press **Answer** on its post; the result shows only the team's numbers, once enough people answered.";

/// One screen of `/help` for its viewer, with buttons to the others.
pub fn help(commands: &[CommandInfo], page: HelpPage) -> Reply {
    let HelpPage { group, viewer } = page;
    let group = if group.shown_to(viewer) {
        group
    } else {
        HelpGroup::Start
    };
    let listed: Vec<String> = commands
        .iter()
        .filter(|c| c.access <= viewer && HelpGroup::of(c.top()) == Some(group))
        .map(line)
        .collect();
    let mut parts: Vec<String> = Vec::new();
    match group {
        HelpGroup::Start => {
            parts.push(PURPOSE.into());
            parts.push(start_here(viewer));
        }
        HelpGroup::Pulse => parts.push(PULSE_FOR_MEMBERS.into()),
        _ => {}
    }
    if !listed.is_empty() {
        parts.push(listed.join("\n"));
    }
    let buttons = <HelpGroup as strum::IntoEnumIterator>::iter()
        .filter(|g| g.shown_to(viewer))
        .map(|g| Button {
            action: Action::Help {
                group: g.key().into(),
            },
            label: g.label().into(),
        })
        .collect();
    Reply {
        embeds: vec![Embed {
            title: Some(format!("bridgebot help: {}", group.label())),
            description: Some(parts.join("\n\n")),
            fields: Vec::new(),
            footer: Some(if viewer >= Access::Managers {
                "You see the admin commands because you can use them.".into()
            } else {
                "Pick a group below.".into()
            }),
            accent: Accent::Neutral,
        }],
        buttons,
        ..Reply::default()
    }
    .ephemeral()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(name: &str, access: Access, options: &[(&str, bool)]) -> CommandInfo {
        CommandInfo {
            name: name.into(),
            description: "Does it.".into(),
            options: options
                .iter()
                .map(|(name, required)| OptionInfo {
                    name: (*name).into(),
                    required: *required,
                })
                .collect(),
            access,
        }
    }

    fn text(reply: &Reply) -> String {
        reply.embeds[0].description.clone().unwrap_or_default()
    }

    #[test]
    fn options_are_words_and_admin_commands_only_reach_those_who_can_use_them() {
        let commands = [
            info(
                "traits",
                Access::Everyone,
                &[("side", true), ("kind", false)],
            ),
            info("tips setup", Access::Managers, &[("channel", true)]),
            info("pulse setup", Access::Managers, &[]),
            info("admin reload", Access::Owners, &[]),
        ];
        let member = |group| HelpPage {
            group,
            viewer: Access::Everyone,
        };
        let read = help(&commands, member(HelpGroup::Read));
        assert!(
            text(&read).contains("`/traits` Does it. *needs side; you can add kind*"),
            "{}",
            text(&read)
        );
        assert!(!text(&read).contains('['));
        // A member asking for the daily tip's settings gets the start screen.
        let tips = help(&commands, member(HelpGroup::Tips));
        assert!(!text(&tips).contains("/tips setup"), "{}", text(&tips));
        assert_eq!(tips.buttons.len(), 5, "no daily tip screen for a member");
        let pulse = help(&commands, member(HelpGroup::Pulse));
        assert!(text(&pulse).contains("anonymous"));
        assert!(!text(&pulse).contains("/pulse setup"));
        let admin = HelpPage {
            group: HelpGroup::Tips,
            viewer: Access::Managers,
        };
        let tips = help(&commands, admin);
        assert!(text(&tips).contains("`/tips setup` Does it. *needs channel*"));
        assert_eq!(tips.buttons.len(), 6);
        assert!(
            tips.limit_problems().is_empty(),
            "six buttons take two rows"
        );
        let start = help(
            &commands,
            HelpPage {
                group: HelpGroup::Start,
                viewer: Access::Managers,
            },
        );
        assert!(!text(&start).contains("/admin reload"));
        let owner = help(
            &commands,
            HelpPage {
                group: HelpGroup::Start,
                viewer: Access::Owners,
            },
        );
        assert!(text(&owner).contains("/admin reload"));
        for reply in [read, tips, start, owner] {
            assert!(reply.ephemeral);
            assert!(
                reply.limit_problems().is_empty(),
                "{:?}",
                reply.limit_problems()
            );
        }
    }

    #[test]
    fn every_group_round_trips_through_its_key() {
        for group in <HelpGroup as strum::IntoEnumIterator>::iter() {
            assert_eq!(HelpGroup::from_key(group.key()), Some(group));
        }
    }
}
