//! The answers of the daily-tip settings commands, from plain facts gathered by the caller.

use jiff::civil::Date;
use jiff::Timestamp;

use super::{tip_embed, Accent, Embed, Field, Reply};
use crate::content::{Content, Tip};

/// A Discord timestamp: shown in each reader's own time zone and language.
pub fn discord_time(at: Timestamp, style: char) -> String {
    format!("<t:{}:{style}>", at.as_second())
}

/// "<t:…:F> (<t:…:R>)": the full date and how far away it is.
pub fn when(at: Timestamp) -> String {
    format!("{} ({})", discord_time(at, 'F'), discord_time(at, 'R'))
}

/// How a server's daily tip is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub channel_id: u64,
    /// "09:00".
    pub time: String,
    pub zone: String,
    /// "weekdays (Monday to Friday)".
    pub days: String,
    pub role_id: Option<u64>,
    pub thread: bool,
}

impl Setup {
    fn schedule_line(&self) -> String {
        format!(
            "<#{}> at {} ({}), {}",
            self.channel_id, self.time, self.zone, self.days
        )
    }
}

/// What `/tips status` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub setup: Setup,
    pub paused: bool,
    pub skip_date: Option<Date>,
    pub next: Option<Timestamp>,
    /// The last tip posted: its date and a link to the message.
    pub last_post: Option<(Date, String)>,
    /// The latest day that went wrong after the last post (missed or failed), with why.
    pub problem: Option<(Date, String)>,
    /// Permissions the bot lacks in the channel; `None` when they could not be checked.
    pub missing_permissions: Option<Vec<&'static str>>,
}

/// The answer to a successful `/tips setup`.
pub fn setup_done(setup: &Setup, next: Option<Timestamp>) -> Reply {
    let next = next.map_or_else(|| "not scheduled".to_string(), when);
    Reply::private_note(format!(
        "Daily tips are set: {}.\nNext tip: {next}.\nSee everything with `/tips status`; change it with `/tips setup` again.",
        setup.schedule_line()
    ))
}

/// The answer to `/tips status`.
pub fn status(status: &Status) -> Reply {
    let setup = &status.setup;
    let state = match (status.paused, status.skip_date) {
        (true, _) => "Paused: no tips until `/tips resume`.".to_string(),
        (false, Some(date)) => format!("Active; the tip of {date} will be skipped."),
        (false, None) => "Active.".to_string(),
    };
    let mut fields = vec![
        Field::new("Where and when", setup.schedule_line()),
        Field::new("State", state),
        Field::inline(
            "Next tip",
            status.next.map_or_else(|| "none scheduled".into(), when),
        ),
        Field::inline(
            "Last tip",
            status.last_post.as_ref().map_or_else(
                || "none yet".into(),
                |(date, link)| format!("[{date}]({link})"),
            ),
        ),
        Field::inline(
            "Role mentioned",
            setup
                .role_id
                .map_or_else(|| "none".into(), |r| format!("<@&{r}>")),
        ),
        Field::inline("Discussion thread", if setup.thread { "on" } else { "off" }),
    ];
    if let Some((date, why)) = &status.problem {
        fields.push(Field::new("Not posted", format!("{date}: {why}")));
    }
    fields.push(Field::new(
        "Can I post there?",
        permissions_line(status.missing_permissions.as_deref()),
    ));
    Reply::embed(Embed {
        title: Some("Daily tips".into()),
        description: None,
        fields,
        footer: None,
        accent: Accent::Neutral,
    })
    .ephemeral()
}

fn permissions_line(missing: Option<&[&str]>) -> String {
    match missing {
        None => "I could not check my permissions in that channel.".into(),
        Some([]) => "Yes.".into(),
        Some(missing) => format!(
            "No: I am missing {} there. A server admin can grant it in the channel's settings (Permissions).",
            missing.join(", ")
        ),
    }
}

/// The answer when a server has no daily tip yet.
pub fn not_set_up() -> Reply {
    Reply::private_note(
        "Daily tips are not set up in this server yet. Start them with `/tips setup channel:#your-channel` (optionally with a time, a time zone and the days).",
    )
}

/// A short confirmation of a settings change, with the next tip.
pub fn changed(what: &str, next: Option<Timestamp>) -> Reply {
    let next = next.map_or_else(
        || "No tip is scheduled.".to_string(),
        |at| format!("Next tip: {}.", when(at)),
    );
    Reply::private_note(format!("{what} {next}"))
}

/// Why a channel cannot take the daily tip, as an instruction.
pub fn channel_refused(channel_id: u64, missing: &[&str]) -> String {
    format!(
        "I can't post in <#{channel_id}>: I am missing {} there. Grant it in the channel's settings (Permissions), or pick another text channel.",
        missing.join(", ")
    )
}

/// The daily tip as posted: the embed, with the role mention above it when one is set.
pub fn daily_tip(content: &Content, tip: &Tip, role: Option<u64>) -> Reply {
    Reply {
        text: role.map(|role| format!("<@&{role}>")),
        ..Reply::embed(tip_embed(content, tip))
    }
}

/// `/tips preview`: the next tip, privately, with when it goes out.
pub fn preview(content: &Content, tip: &Tip, next: Option<Timestamp>) -> Reply {
    let heading = next.map_or_else(
        || "The next tip (none is scheduled right now):".to_string(),
        |at| format!("The tip for {}:", when(at)),
    );
    Reply {
        text: Some(heading),
        ..Reply::embed(tip_embed(content, tip))
    }
    .ephemeral()
}

/// Said when a tip command is used outside a server.
pub const SERVER_ONLY: &str = "Daily tips belong to a server; use this command in one.";

/// Why a channel that is not a text channel cannot take a scheduled post.
pub fn not_a_text_channel(channel_id: u64, what: &str) -> String {
    format!("<#{channel_id}> is not a text channel. Pick a text or announcement channel for the {what}.")
}

/// Said below a setting saved for a channel whose permissions could not be checked: the bot
/// did not hear from Discord in time, so `needs` are named for the member to make sure of.
pub fn unchecked(channel_id: u64, needs: &[&str]) -> String {
    format!(
        "I could not check my permissions in <#{channel_id}> just now, so this is saved without that check. If nothing appears there, make sure I have {} in that channel.",
        needs.join(", ")
    )
}

/// What `/tips pause` says it did.
pub const PAUSED: &str = "Daily tips are paused; `/tips resume` starts them again.";
/// What `/tips resume` says it did.
pub const RESUMED: &str = "Daily tips are on.";
/// `/tips skip` when no tip is scheduled.
pub const NOTHING_TO_SKIP: &str =
    "No tip is scheduled, so there is nothing to skip. Use `/tips resume` if tips are paused.";
/// `/tips role` with the server's @everyone role.
pub const NOT_EVERYONE: &str =
    "Tips never mention @everyone. Pick a role made for the purpose, or leave `role` empty.";

/// What `/tips skip` says it did.
pub fn skipping(date: Date) -> String {
    format!("The tip of {date} will be skipped.")
}

/// What `/tips role` says it did.
pub fn mentioning(role: Option<u64>) -> String {
    match role {
        Some(role) => format!("Each tip will mention <@&{role}> (and nobody else)."),
        None => "Tips will mention nobody.".to_string(),
    }
}

/// What `/tips thread` says it did.
pub fn threads(on: bool) -> &'static str {
    if on {
        "Each tip will open a discussion thread."
    } else {
        "Tips will be posted without a thread."
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> Setup {
        Setup {
            channel_id: 10,
            time: "09:00".into(),
            zone: "Europe/Berlin".into(),
            days: "weekdays (Monday to Friday)".into(),
            role_id: Some(5),
            thread: false,
        }
    }

    #[test]
    fn setup_names_the_place_the_time_and_the_next_tip_as_discord_timestamps() {
        let at = Timestamp::from_second(1_800_000_000).expect("ts");
        let text = setup_done(&setup(), Some(at)).text.expect("text");
        assert!(text.contains("<#10> at 09:00 (Europe/Berlin)"), "{text}");
        assert!(
            text.contains("<t:1800000000:F>") && text.contains("<t:1800000000:R>"),
            "{text}"
        );
    }

    #[test]
    fn status_says_what_is_missing_and_why_a_day_failed() {
        let reply = status(&Status {
            setup: setup(),
            paused: false,
            skip_date: None,
            next: None,
            last_post: Some((
                jiff::civil::date(2026, 11, 30),
                "https://discord.com/channels/1/10/99".into(),
            )),
            problem: Some((
                jiff::civil::date(2026, 12, 1),
                "the channel no longer exists".into(),
            )),
            missing_permissions: Some(vec!["Send Messages", "Embed Links"]),
        });
        assert!(reply.ephemeral);
        let embed = &reply.embeds[0];
        let all: String = embed
            .fields
            .iter()
            .map(|f| format!("{}={}\n", f.name, f.value))
            .collect();
        assert!(all.contains("Send Messages, Embed Links"), "{all}");
        assert!(
            all.contains("[2026-11-30](https://discord.com/channels/1/10/99)"),
            "{all}"
        );
        assert!(
            all.contains("2026-12-01: the channel no longer exists"),
            "{all}"
        );
        assert!(reply.limit_problems().is_empty());
    }
}
