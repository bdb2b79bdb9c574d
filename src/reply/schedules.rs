//! What the schedule commands answer, the same way for every duty a server sets up (the
//! daily tip, the weekly poll, the team pulse, the weekly digest): set up, status, paused,
//! resumed, stopped, not set up, why the bot cannot post in a channel and what a duty needs
//! there (the names of [`Permission`]s; which duty needs which is `model::duty`'s). Each duty names
//! itself with its [`ScheduleWords`]; what only one duty has (the tip's role, the pulse's days
//! open) arrives as extra fields, built here too.

use jiff::civil::{Date, Weekday};
use jiff::Timestamp;

use super::{Accent, Embed, Field, Reply};
use crate::model::duty::Permission;
use crate::model::schedule::{PollOptions, PulseOptions, TipOptions};
use crate::when::{Days, Recurrence};

/// How a duty is named in its commands' answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleWords {
    /// The status embed's title: "Daily tips".
    pub title: &'static str,
    /// "the daily tip": what is set up.
    pub thing: &'static str,
    /// "tip": one post of it.
    pub post: &'static str,
    /// The command group: "tips".
    pub command: &'static str,
    /// What goes on after a pause or a stop, if anything.
    pub still_owed: Option<&'static str>,
    /// What members see each time it is posted.
    pub members_see: &'static str,
    /// What to do after setting it up.
    pub next_step: &'static str,
}

pub const TIP: ScheduleWords = ScheduleWords {
    title: "Daily tips",
    thing: "daily tip",
    post: "tip",
    command: "tips",
    still_owed: None,
    members_see: "a short tip with its source and an \"Another tip\" button that answers privately.",
    next_step: "set up the anonymous weekly team pulse with `/pulse setup channel: day: time:`. See this any time with `/tips status`.",
};

pub const WEEKLY_POLL: ScheduleWords = ScheduleWords {
    title: "Weekly poll",
    thing: "weekly poll",
    post: "poll",
    command: "polls",
    still_owed: Some("A poll already running still gets its results."),
    members_see: "a native Discord poll to vote in, and its results as a reply when it closes.",
    next_step: "see it any time with `/polls status`; try one right now with `/poll quiz`.",
};

pub const PULSE: ScheduleWords = ScheduleWords {
    title: "Team pulse",
    thing: "team pulse",
    post: "pulse",
    command: "pulse",
    still_owed: Some("A pulse already open still closes when its time is up and gets its result."),
    members_see: "a post with an Answer button: each member scores a few statements from 1 to 5, privately and anonymously; the team's result is posted when it closes.",
    next_step: "tell the team where it opens and that answers are anonymous. See how it stands with `/pulse status`; for a weekly summary, `/digest setup`.",
};

pub const DIGEST: ScheduleWords = ScheduleWords {
    title: "Weekly digest",
    thing: "weekly digest",
    post: "digest",
    command: "digest",
    still_owed: None,
    members_see:
        "a summary of the team's week: the pulse, the quiz and scenario polls, and one suggestion.",
    next_step: "see it any time with `/digest status`.",
};

/// A Discord timestamp: shown in each reader's own time zone and language.
pub fn discord_time(at: Timestamp, style: char) -> String {
    format!("<t:{}:{style}>", at.as_second())
}

/// "<t:…:F> (<t:…:R>)": the full date and how far away it is.
pub fn when(at: Timestamp) -> String {
    format!("{} ({})", discord_time(at, 'F'), discord_time(at, 'R'))
}

/// A weekday's English name.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// Which days a schedule posts, in words: "weekdays (Monday to Friday)", "every Monday".
pub fn days_label(days: Days) -> String {
    match days {
        Days::EveryDay => "every day".into(),
        Days::Weekdays => "weekdays (Monday to Friday)".into(),
        Days::Weekly(day) => format!("every {}", weekday_name(day)),
    }
}

/// "<#10> at 09:00 (Europe/Berlin), weekdays (Monday to Friday)".
pub fn where_and_when(channel_id: u64, when: &Recurrence) -> String {
    format!(
        "<#{channel_id}> at {} ({}), {}",
        when.time,
        when.zone,
        days_label(when.days)
    )
}

/// The line naming the next post, or saying there is none.
fn next_line(words: &ScheduleWords, next: Option<Timestamp>) -> String {
    match next {
        Some(at) => format!("Next {}: {}.", words.post, when(at)),
        None => format!("No {} is scheduled.", words.post),
    }
}

/// What a setup found about the bot in its channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelCheck<'a> {
    pub channel_id: u64,
    /// What the duty needs there, by name.
    pub needs: &'a [&'a str],
    /// What the bot lacks there; `None` when it could not tell.
    pub missing: Option<&'a [&'a str]>,
}

/// The answer to a successful setup, the same for every duty: what was set (`summary`), what
/// members will see and when the first is, whether the bot can post there, and the next step.
pub fn set_up(
    words: &ScheduleWords,
    summary: &str,
    next: Option<Timestamp>,
    check: ChannelCheck<'_>,
) -> Reply {
    let first = match next {
        Some(at) => format!("The first: {}.", when(at)),
        None => format!("No {} is scheduled.", words.post),
    };
    let can_post = match check.missing {
        None => unchecked(check.channel_id, check.needs),
        Some([]) => format!("Yes: I have {} there.", listed(check.needs)),
        Some(missing) => format!(
            "Not yet: I am missing {} there. A server admin can grant it in the channel's settings (Permissions).",
            listed(missing)
        ),
    };
    Reply::private_note(format!(
        "{summary}\n**What members will see:** {} {first}\n**Can I post there?** {can_post}\n**Next step:** {}",
        words.members_see, words.next_step
    ))
}

/// What a tip setup set.
pub fn tip_summary(channel_id: u64, when: &Recurrence) -> String {
    format!("Daily tips are set: {}.", where_and_when(channel_id, when))
}

/// What a weekly poll setup set.
pub fn poll_summary(channel_id: u64, when: &Recurrence, options: &PollOptions) -> String {
    format!(
        "A {} poll will run in {}, open for {}.",
        options.kind,
        where_and_when(channel_id, when),
        options.duration
    )
}

/// What a pulse setup set.
pub fn pulse_summary(channel_id: u64, when: &Recurrence, options: &PulseOptions) -> String {
    format!(
        "A team pulse will open in {}, with {} statements, open for {}{}; reminder: {}.",
        where_and_when(channel_id, when),
        options.questions,
        days(options.open_days),
        options
            .role_id
            .map_or_else(String::new, |role| format!(", mentioning <@&{role}>")),
        super::pulse_notes::reminder_setting(options.remind_hours)
    )
}

/// What a digest setup set.
pub fn digest_summary(channel_id: u64, when: &Recurrence) -> String {
    format!(
        "A weekly digest will be posted in {}: the team pulse, the week's quiz and scenario polls, and one suggestion.",
        where_and_when(channel_id, when)
    )
}

/// "1 day", "2 days".
pub fn days(count: u8) -> String {
    if count == 1 {
        "1 day".into()
    } else {
        format!("{count} days")
    }
}

/// A server without this schedule.
pub fn not_set_up(words: &ScheduleWords) -> Reply {
    Reply::private_note(format!(
        "There is no {} in this server: it is not set up yet. Set it up with `/{} setup`.",
        words.thing, words.command
    ))
}

/// A confirmation of a change, with the next post.
pub fn changed(words: &ScheduleWords, what: &str, next: Option<Timestamp>) -> Reply {
    Reply::private_note(format!("{what} {}", next_line(words, next)))
}

/// `pause`: done, or there was nothing to pause.
pub fn paused(words: &ScheduleWords, schedule: Option<()>) -> Reply {
    match schedule {
        Some(()) => {
            let still = words
                .still_owed
                .map(|s| format!(" {s}"))
                .unwrap_or_default();
            changed(
                words,
                &format!(
                    "The {} is paused; `/{} resume` starts it again.{still}",
                    words.thing, words.command
                ),
                None,
            )
        }
        None => nothing_to(words, "pause"),
    }
}

/// `resume`: done (with the next post), or there was nothing to resume.
pub fn resumed(words: &ScheduleWords, next: Option<Option<Timestamp>>) -> Reply {
    match next {
        Some(next) => changed(
            words,
            &format!(
                "The {} is on again; the days it was paused are not made up.",
                words.thing
            ),
            next,
        ),
        None => nothing_to(words, "resume"),
    }
}

/// `stop`: done, or there was nothing to stop.
pub fn stopped(words: &ScheduleWords, done: bool) -> Reply {
    if done {
        let still = words
            .still_owed
            .map(|s| format!(" {s}"))
            .unwrap_or_default();
        Reply::private_note(format!(
            "The {} is stopped.{still} Set it up again any time with `/{} setup`.",
            words.thing, words.command
        ))
    } else {
        Reply::private_note(format!(
            "There is no {} in this server to stop.",
            words.thing
        ))
    }
}

fn nothing_to(words: &ScheduleWords, verb: &str) -> Reply {
    Reply::private_note(format!(
        "There is no {} to {verb}: it is not set up yet. Set it up with `/{} setup`.",
        words.thing, words.command
    ))
}

/// What a status shows, gathered by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusView {
    pub channel_id: u64,
    pub when: Recurrence,
    pub paused: bool,
    pub next: Option<Timestamp>,
    /// The last post: its date and a link to the message.
    pub last_post: Option<(Date, String)>,
    /// The latest day that went wrong after the last post (missed or failed), with why.
    pub problem: Option<(Date, String)>,
    /// Permissions the bot lacks in the channel; `None` when they could not be checked.
    pub missing_permissions: Option<Vec<&'static str>>,
    /// What only this duty has, shown after the common fields.
    pub details: Vec<Field>,
}

/// A link to a message.
pub fn message_link(guild_id: u64, channel_id: u64, message_id: u64) -> String {
    format!("https://discord.com/channels/{guild_id}/{channel_id}/{message_id}")
}

/// The answer to `status`: one embed of the same shape for every duty.
pub fn status(words: &ScheduleWords, view: &StatusView) -> Reply {
    let state = if view.paused {
        format!(
            "Paused: nothing is posted until `/{} resume`.",
            words.command
        )
    } else {
        "Active.".to_string()
    };
    let mut fields = vec![
        Field::new(
            "Where and when",
            where_and_when(view.channel_id, &view.when),
        ),
        Field::new("State", state),
        Field::inline(
            format!("Next {}", words.post),
            view.next.map_or_else(|| "none scheduled".into(), when),
        ),
        Field::inline(
            format!("Last {}", words.post),
            view.last_post.as_ref().map_or_else(
                || "none yet".into(),
                |(date, link)| format!("[{date}]({link})"),
            ),
        ),
    ];
    fields.extend(view.details.iter().cloned());
    if let Some((date, why)) = &view.problem {
        fields.push(Field::new("Not posted", format!("{date}: {why}")));
    }
    fields.push(Field::new(
        "Can I post there?",
        permissions_line(view.missing_permissions.as_deref()),
    ));
    Reply::embed(Embed {
        title: Some(words.title.into()),
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

/// The tip's own status fields.
pub fn tip_details(options: &TipOptions) -> Vec<Field> {
    let mut fields = vec![
        Field::inline(
            "Role mentioned",
            options
                .role_id
                .map_or_else(|| "none".into(), |r| format!("<@&{r}>")),
        ),
        Field::inline(
            "Discussion thread",
            if options.thread { "on" } else { "off" },
        ),
    ];
    if let Some(date) = options.skip_date {
        fields.push(Field::new(
            "Skipping",
            format!("The tip of {date} will be skipped."),
        ));
    }
    fields
}

/// The weekly poll's own status fields.
pub fn poll_details(options: &PollOptions) -> Vec<Field> {
    vec![
        Field::inline("Kind", options.kind.to_string()),
        Field::inline("Open for", options.duration.to_string()),
    ]
}

/// The pulse's own status fields: its settings, the open pulse's count (never what anyone
/// answered), and how the last result went.
pub fn pulse_details(
    options: &PulseOptions,
    open: Option<&super::pulse_notes::OpenPulse>,
    last: Option<&super::pulse_notes::LastResult>,
) -> Vec<Field> {
    let mut fields = vec![
        Field::inline("Statements", options.questions.to_string()),
        Field::inline("Open for", days(options.open_days)),
        Field::inline(
            "Reminder",
            super::pulse_notes::reminder_setting(options.remind_hours),
        ),
    ];
    fields.push(Field::new(
        "This week",
        match open {
            Some(pulse) => pulse.sentence(),
            None => "No pulse is open now.".into(),
        },
    ));
    if let Some(last) = last {
        fields.push(Field::new("Last result", last.sentence()));
    }
    fields
}

/// A permission as Discord's settings name it.
pub fn permission_name(permission: Permission) -> &'static str {
    match permission {
        Permission::ViewChannel => "View Channel",
        Permission::SendMessages => "Send Messages",
        Permission::EmbedLinks => "Embed Links",
        Permission::AttachFiles => "Attach Files",
        Permission::SendPolls => "Send Polls",
        Permission::CreatePublicThreads => "Create Public Threads",
    }
}

/// The names of `permissions`, in order.
pub fn permission_names(permissions: &[Permission]) -> Vec<&'static str> {
    permissions.iter().copied().map(permission_name).collect()
}

/// "A", "A and B", "A, B and C".
fn listed(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Why a post was not made: Discord refused the bot in its channel. `what` is the post ("weekly
/// poll", "poll's results"), `needs` what such a post needs there.
pub fn not_allowed_to_post(what: &str, needs: &[Permission]) -> String {
    format!(
        "I am not allowed to post the {what} in that channel (I need {} there)",
        listed(&permission_names(needs))
    )
}

/// Why a post was not made: its channel was deleted.
pub const CHANNEL_GONE: &str = "the channel no longer exists";

/// Why a post was not made: the message it needed (the poll it recaps) was deleted.
pub const MESSAGE_GONE: &str = "the message it answers no longer exists";

/// Why the bot cannot take a schedule in a channel, as an instruction.
pub fn cannot_post_in(channel_id: u64, missing: &[&str]) -> String {
    format!(
        "I can't post in <#{channel_id}>: I am missing {} there. Grant it in the channel's settings (Permissions), or pick another text channel.",
        missing.join(", ")
    )
}

/// Why a channel that is not a text channel cannot take a scheduled post.
pub fn not_a_text_channel(channel_id: u64, words: &ScheduleWords) -> String {
    format!(
        "<#{channel_id}> is not a text channel. Pick a text or announcement channel for the {}.",
        words.thing
    )
}

/// Said below a setting saved for a channel whose permissions could not be checked: the bot
/// did not hear from Discord in time, so `needs` are named for the member to make sure of.
pub fn unchecked(channel_id: u64, needs: &[&str]) -> String {
    format!(
        "I could not check my permissions in <#{channel_id}> just now, so this is saved without that check. If nothing appears there, make sure I have {} in that channel.",
        needs.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schedule::DutyOptions as _;
    use crate::when::{DailyTime, Zone};

    fn weekdays() -> Recurrence {
        Recurrence {
            time: DailyTime::new(9, 0).expect("time"),
            zone: Zone::parse("Europe/Berlin").expect("zone"),
            days: Days::Weekdays,
        }
    }

    #[test]
    fn setup_names_the_place_the_time_and_the_next_post_as_discord_timestamps() {
        let at = Timestamp::from_second(1_800_000_000).expect("ts");
        let check = ChannelCheck {
            channel_id: 10,
            needs: &["View Channel", "Send Messages"],
            missing: Some(&[]),
        };
        let text = set_up(&TIP, &tip_summary(10, &weekdays()), Some(at), check)
            .text
            .expect("text");
        assert!(
            text.contains("**What members will see:** a short tip"),
            "{text}"
        );
        assert!(
            text.contains(
                "**Can I post there?** Yes: I have View Channel and Send Messages there."
            ),
            "{text}"
        );
        assert!(
            text.contains("**Next step:** set up the anonymous weekly team pulse"),
            "{text}"
        );
        for words in [TIP, WEEKLY_POLL, PULSE, DIGEST] {
            let unchecked = set_up(
                &words,
                "Set.",
                None,
                ChannelCheck {
                    missing: None,
                    ..check
                },
            )
            .text
            .expect("text");
            assert!(unchecked.contains("could not check"), "{unchecked}");
            assert!(unchecked.contains("**Next step:**"), "{unchecked}");
        }
        assert!(text.contains("<#10> at 09:00 (Europe/Berlin)"), "{text}");
        assert!(
            text.contains("<t:1800000000:F>") && text.contains("<t:1800000000:R>"),
            "{text}"
        );
        assert!(text.contains("`/tips status`"), "{text}");
    }

    #[test]
    fn status_says_what_is_missing_and_why_a_day_failed() {
        let reply = status(
            &TIP,
            &StatusView {
                channel_id: 10,
                when: weekdays(),
                paused: false,
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
                details: tip_details(&TipOptions {
                    role_id: Some(5),
                    ..TipOptions::default()
                }),
            },
        );
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
        assert!(all.contains("Role mentioned=<@&5>"), "{all}");
        assert!(reply.limit_problems().is_empty());
    }

    #[test]
    fn every_duty_answers_pause_resume_and_stop_in_the_same_words() {
        for words in [TIP, WEEKLY_POLL, PULSE, DIGEST] {
            let paused = paused(&words, Some(())).text.expect("text");
            assert!(
                paused.contains(&format!("`/{} resume`", words.command)),
                "{paused}"
            );
            let missing = paused_missing(&words);
            assert!(missing.contains("not set up"), "{missing}");
            let stopped = stopped(&words, true).text.expect("text");
            assert!(stopped.contains("stopped"), "{stopped}");
            let none = not_set_up(&words).text.expect("text");
            assert!(
                none.contains(&format!("no {}", words.thing))
                    && none.contains(&format!("`/{} setup`", words.command)),
                "{none}"
            );
        }
    }

    fn paused_missing(words: &ScheduleWords) -> String {
        paused(words, None).text.expect("text")
    }

    #[test]
    fn a_weekly_poll_setup_is_described_in_words() {
        use crate::model::poll::{PollDuration, PollKind};
        let when = Recurrence {
            time: DailyTime::new(15, 30).expect("time"),
            zone: Zone::utc(),
            days: Days::Weekly(Weekday::Friday),
        };
        let options = PollOptions {
            kind: PollKind::Needs,
            duration: PollDuration::DAY,
        };
        let reply = set_up(
            &WEEKLY_POLL,
            &poll_summary(10, &when, &options),
            None,
            ChannelCheck {
                channel_id: 10,
                needs: &[],
                missing: Some(&[]),
            },
        );
        let text = reply.text.expect("text");
        assert!(
            text.starts_with(
                "A needs poll will run in <#10> at 15:30 (UTC), every Friday, open for 1 day.\n**What members will see:** a native Discord poll"
            ),
            "{text}"
        );
        assert!(reply.ephemeral);
    }

    #[test]
    fn a_refusal_names_what_the_duty_needs() {
        use crate::model::duty::DutyKind;
        let poll = not_allowed_to_post(DutyKind::WeeklyPoll.label(), DutyKind::WeeklyPoll.needs());
        assert_eq!(
            poll,
            "I am not allowed to post the weekly poll in that channel (I need View Channel, Send Messages, Embed Links and Send Polls there)"
        );
        for kind in [DutyKind::Digest, DutyKind::PulseResult] {
            let chart = not_allowed_to_post(kind.label(), kind.needs());
            assert!(chart.contains("Attach Files"), "{chart}");
        }
        let tip = not_allowed_to_post(
            DutyKind::Tip.label(),
            &TipOptions {
                thread: true,
                ..TipOptions::default()
            }
            .needs(),
        );
        assert!(
            tip.contains("Embed Links and Create Public Threads"),
            "{tip}"
        );
        assert!(
            !tip.contains("Send Polls") && !tip.contains("Attach Files"),
            "{tip}"
        );
    }

    #[test]
    fn days_are_words_not_debug_names() {
        assert_eq!(days_label(Days::Weekly(Weekday::Friday)), "every Friday");
        assert_eq!(days(1), "1 day");
        assert_eq!(days(3), "3 days");
    }
}
