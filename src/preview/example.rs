//! The example team `preview` shows where an answer needs a server's own history: twelve
//! pulses of scores (a steady rise, one week withheld, two weeks paused over the new year), one week's pulse of five answers,
//! a quiz and a scenario poll. Kept here, beside the command that needs it, so no production
//! module carries made-up data; the answers themselves are built by `reply` exactly as the bot
//! builds a server's.

use crate::config::PulseConfig;
use crate::content::{Content, PulseSide};
use crate::model::poll::{PollKind, PollTally};
use crate::pulse::stats::{side_score, Counts, StatementResult, WeekPoint};
use crate::reply::digest::{digest, DigestInput, PulseWeek};
use crate::reply::{pulse, pulse_focus as focus, Reply};

/// The example team's last week.
fn last_week() -> jiff::civil::Date {
    jiff::civil::date(2027, 1, 18)
}

/// The weeks the example team paused the pulse: the two over the turn of the year.
fn paused(week: jiff::civil::Date) -> bool {
    week == jiff::civil::date(2026, 12, 21) || week == jiff::civil::date(2026, 12, 28)
}

/// The fewest answers a result needs, as a bot on the default config shows it.
fn min_responses() -> u32 {
    PulseConfig::default().min_responses
}

/// `/pulse trend` for the example team's last `weeks` weeks, saying it is an example.
pub fn trend(weeks: usize) -> Reply {
    let mut reply = pulse::trend(&weeks_up_to_last(weeks), min_responses());
    reply.text = Some(format!(
        "Sample data: preview has no server, so these are an example team's {weeks} weeks."
    ));
    reply
}

/// The example team's last `weeks` pulses up to [`last_week`]: a steady rise, one week
/// withheld, and the pulse paused over the turn of the year (no pulse, so no point).
fn weeks_up_to_last(weeks: usize) -> Vec<WeekPoint> {
    let mut dates: Vec<jiff::civil::Date> = Vec::with_capacity(weeks);
    let mut week = last_week();
    while dates.len() < weeks {
        if !paused(week) {
            dates.push(week);
        }
        match week.checked_sub(jiff::Span::new().weeks(1)) {
            Ok(before) => week = before,
            Err(_) => break,
        }
    }
    dates.reverse();
    dates
        .into_iter()
        .enumerate()
        .map(|(n, week)| {
            let step = f64::from(u8::try_from(n % 12).unwrap_or(0));
            let withheld = n + 4 == weeks;
            WeekPoint {
                week,
                leading: (!withheld).then_some(3.0 + step / 10.0),
                managing: (!withheld).then_some(3.6 - step / 20.0),
                // The example lead chose a focus two weeks ago.
                focus: n + 3 == weeks,
            }
        })
        .collect()
}

/// The example team's pulse loop: the reminder a day before the pulse closes, the result with
/// its "Choose our focus" button, and the focus its lead chose, saying it is an example.
pub fn pulse_loop(content: &Content) -> Reply {
    let week = last_week();
    let results = example_results(content);
    let closes = jiff::Timestamp::from_second(1_796_634_000).unwrap_or_default();
    let reminder = crate::reply::pulse_reminder::reminder(1, week, 2, min_responses(), closes);
    let mut result = pulse::result(content, week, 5, min_responses(), &results, None);
    result.buttons.push(focus::focus_button(1));
    let lowest = focus::lowest(&results)
        .first()
        .map(|i| results[*i].statement_id.clone())
        .unwrap_or_default();
    let action = focus::focus_actions(content, &[], &lowest)
        .into_iter()
        .next()
        .unwrap_or_default();
    let chosen = focus::focus_post(content, week, &lowest, &action);
    Reply {
        text: Some(
            "Sample data: preview has no server, so this is an example team's pulse: the reminder \
             before it closes, the result with its focus button, and the focus its lead chose."
                .into(),
        ),
        embeds: [reminder.embeds, result.embeds, chosen.embeds].concat(),
        buttons: [reminder.buttons, result.buttons].concat(),
        attachments: result.attachments,
        ephemeral: false,
    }
}

/// One statement of each side with the example week's answers.
fn example_results(content: &Content) -> Vec<StatementResult> {
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
    [
        result(PulseSide::Leading, [0, 1, 1, 2, 1]),
        result(PulseSide::Managing, [1, 2, 1, 1, 0]),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The weekly digest as the example team would get it: its weeks from [`trend`]'s, a pulse
/// of five answers, one quiz and one scenario poll.
pub fn weekly_digest(content: &Content) -> Reply {
    let mut weeks = weeks_up_to_last(pulse::TREND_WEEKS as usize);
    let results = example_results(content);
    if let Some(this_week) = weeks.last_mut() {
        this_week.leading = side_score(&results, PulseSide::Leading);
        this_week.managing = side_score(&results, PulseSide::Managing);
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
    let mut reply = digest(
        content,
        &DigestInput {
            date: jiff::civil::date(2027, 1, 22),
            pulse: Some(PulseWeek {
                responses: 5,
                results,
            }),
            trend: &weeks,
            min_responses: min_responses(),
            polls: &polls,
        },
    );
    reply.text =
        Some("Sample data: preview has no server, so this is an example team's week.".into());
    reply
}

/// `/content add …`: an example of the team's own entry of `kind` as it would appear, since
/// the form that asks its texts needs Discord. `pick` is what the command chose.
pub fn team_entry(kind: crate::model::team::TeamKind, pick: &str) -> Reply {
    use crate::content::team::{Credit, TeamBody};
    use crate::model::team::TeamKind;
    let text = |field: &str| {
        match field {
            "title" => "Name who can stop a release",
            "body" => "Before the next release, agree on the one person who may call it off, and tell the whole team who that is.",
            "name" => "The demo that slipped",
            "situation" => "Two days before a customer demo, the feature it shows is half done.",
            "leading" => "Remind the team why this customer matters and ask what they would cut.",
            "managing" => "List what is left, drop what the demo can live without, and give each task an owner.",
            _ => "I knew who could stop a release if it was not ready.",
        }
        .to_string()
    };
    let Some(body) = TeamBody::from_form(kind, pick, text) else {
        return Reply::private_note("Pick one of the choices the command offers.");
    };
    let noun = match kind {
        TeamKind::Tip => "tip",
        TeamKind::Scenario => "scenario",
        TeamKind::Statement => "pulse statement",
    };
    Reply {
        text: Some(format!(
            "Example: in Discord a form asks the texts; this is how your team's own {noun} would appear."
        )),
        ..Reply::embed(crate::reply::team::team_entry_embed(&body, &Credit::Team))
    }
}

/// The example server the admin commands are previewed in: its channel, its time zone (as
/// `/settings timezone` would have set it) and the moment it is "now".
mod server {
    use jiff::Timestamp;

    pub const CHANNEL: u64 = 100;
    pub const GUILD: u64 = 1;
    pub const ZONE: &str = "Europe/Berlin";

    /// Monday 30 November 2026, 08:00 UTC.
    pub fn now() -> Timestamp {
        Timestamp::from_second(1_796_025_600).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// A duty an admin sets up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    Tip,
    WeeklyPoll,
    Pulse,
    Digest,
}

impl Duty {
    /// The duty of a command group: `tips`, `polls`, `pulse`, `digest`.
    pub fn of(group: &str) -> Option<Duty> {
        match group {
            "tips" => Some(Duty::Tip),
            "polls" => Some(Duty::WeeklyPoll),
            "pulse" => Some(Duty::Pulse),
            "digest" => Some(Duty::Digest),
            _ => None,
        }
    }

    fn words(self) -> &'static schedules::ScheduleWords {
        match self {
            Duty::Tip => &schedules::TIP,
            Duty::WeeklyPoll => &schedules::WEEKLY_POLL,
            Duty::Pulse => &schedules::PULSE,
            Duty::Digest => &schedules::DIGEST,
        }
    }

    fn kind(self) -> DutyKind {
        match self {
            Duty::Tip => DutyKind::Tip,
            Duty::WeeklyPoll => DutyKind::WeeklyPoll,
            Duty::Pulse => DutyKind::Pulse,
            Duty::Digest => DutyKind::Digest,
        }
    }
}

use crate::model::duty::DutyKind;
use crate::model::poll::PollDuration;
use crate::model::schedule::{PollOptions, PulseOptions, TipOptions};
use crate::reply::{pulse_notes, schedules};
use crate::when::{DailyTime, Days, Recurrence, Zone};

/// What a setup was typed with (the channel is the example server's).
#[derive(Debug, Clone, Copy, Default)]
pub struct SetupInput<'a> {
    pub time: Option<&'a str>,
    pub timezone: Option<&'a str>,
    /// A weekday's name, as the `day` choice is registered.
    pub day: Option<&'a str>,
    pub open_for: Option<&'a str>,
    /// The weekly poll's kind, by its stored word (`quiz`, `pulse`, `scenario`).
    pub kind: Option<crate::model::poll::PollKind>,
}

/// Says the answer is the example server's.
fn sample_note() -> String {
    format!(
        "Sample server: preview has none, so this is an example server (channel <#{}>, time zone {} from `/settings timezone`, now {}).",
        server::CHANNEL,
        server::ZONE,
        schedules::discord_time(server::now(), 'F'),
    )
}

fn sample_line(text: &str) -> String {
    format!("{}\n{text}", sample_note())
}

fn weekday(name: Option<&str>) -> jiff::civil::Weekday {
    use jiff::civil::Weekday;
    [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ]
    .into_iter()
    .find(|day| Some(schedules::weekday_name(*day)) == name)
    .unwrap_or(Weekday::Monday)
}

/// `/… setup` in the example server: the answer the bot gives, or the private note its
/// mistake gets.
pub fn setup(duty: Duty, input: SetupInput<'_>) -> Reply {
    match setup_reply(duty, input) {
        Ok(reply) => reply,
        Err(mistake) => Reply::private_note(mistake),
    }
}

fn setup_reply(duty: Duty, input: SetupInput<'_>) -> Result<Reply, String> {
    let time = DailyTime::parse(input.time.unwrap_or("09:00"))?;
    let zone = Zone::parse(input.timezone.unwrap_or(server::ZONE))?;
    let days = match duty {
        Duty::Tip => Days::Weekdays,
        _ => Days::Weekly(weekday(input.day)),
    };
    let when = Recurrence { time, zone, days };
    let channel = server::CHANNEL;
    let summary = match duty {
        Duty::Tip => schedules::tip_summary(channel, &when),
        Duty::WeeklyPoll => schedules::poll_summary(
            channel,
            &when,
            &PollOptions {
                kind: input.kind.unwrap_or(crate::model::poll::PollKind::Quiz),
                duration: input
                    .open_for
                    .map(PollDuration::parse)
                    .transpose()?
                    .unwrap_or(PollDuration::DAY),
            },
        ),
        Duty::Pulse => schedules::pulse_summary(
            channel,
            &when,
            &PulseOptions {
                questions: 3,
                open_days: input
                    .open_for
                    .map(pulse_notes::parse_open_for)
                    .transpose()?
                    .unwrap_or(2),
                role_id: None,
                remind_hours: Some(crate::model::schedule::DEFAULT_REMIND_HOURS),
                lead_role_id: None,
            },
        ),
        Duty::Digest => schedules::digest_summary(channel, &when),
    };
    let next = when.next_after(server::now()).map(|o| o.at);
    let needs = schedules::permission_names(duty.kind().needs());
    let reply = schedules::set_up(
        duty.words(),
        &summary,
        next,
        schedules::ChannelCheck {
            channel_id: channel,
            needs: &needs,
            missing: Some(&[]),
        },
    );
    Ok(Reply {
        text: reply.text.as_deref().map(sample_line),
        ..reply
    })
}

/// `/… status` in the example server: set up at 09:00 on its days, posted last time, and the
/// day before that refused by Discord, so every line of the status shows.
pub fn status(duty: Duty) -> Reply {
    let (days, last, missed) = match duty {
        Duty::Tip => (Days::Weekdays, (2026, 11, 26), (2026, 11, 27)),
        _ => (
            Days::Weekly(jiff::civil::Weekday::Monday),
            (2026, 11, 16),
            (2026, 11, 23),
        ),
    };
    let when = Recurrence {
        time: DailyTime::NINE_AM,
        zone: Zone::parse(server::ZONE).unwrap_or_else(|_| Zone::utc()),
        days,
    };
    let kind = duty.kind();
    let details = match duty {
        Duty::Tip => schedules::tip_details(&TipOptions::default()),
        Duty::WeeklyPoll => schedules::poll_details(&PollOptions {
            kind: crate::model::poll::PollKind::Quiz,
            duration: PollDuration::DAY,
        }),
        Duty::Pulse => schedules::pulse_details(
            &PulseOptions {
                questions: 3,
                open_days: 2,
                role_id: None,
                remind_hours: Some(crate::model::schedule::DEFAULT_REMIND_HOURS),
                lead_role_id: None,
            },
            Some(&pulse_notes::OpenPulse {
                week: jiff::civil::date(2026, 11, 30),
                answered: 4,
                closes_at: server::now() + jiff::SignedDuration::from_hours(36),
            }),
            None,
        ),
        Duty::Digest => Vec::new(),
    };
    let view = schedules::StatusView {
        channel_id: server::CHANNEL,
        next: when.next_after(server::now()).map(|o| o.at),
        when,
        paused: false,
        last_post: Some((
            jiff::civil::date(last.0, last.1, last.2),
            schedules::message_link(server::GUILD, server::CHANNEL, 200),
        )),
        problem: Some((
            jiff::civil::date(missed.0, missed.1, missed.2),
            schedules::not_allowed_to_post(kind.label(), kind.needs()),
        )),
        missing_permissions: Some(vec!["Send Messages"]),
        details,
    };
    Reply {
        text: Some(sample_note()),
        ..schedules::status(duty.words(), &view)
    }
}

/// `pause`, `resume` and `stop` in the example server.
pub fn change(duty: Duty, verb: &str) -> Option<Reply> {
    let words = duty.words();
    let next = Recurrence {
        time: DailyTime::NINE_AM,
        zone: Zone::parse(server::ZONE).unwrap_or_else(|_| Zone::utc()),
        days: Days::Weekdays,
    }
    .next_after(server::now())
    .map(|o| o.at);
    match verb {
        "pause" => Some(schedules::paused(words, Some(()))),
        "resume" => Some(schedules::resumed(words, Some(next))),
        "stop" => Some(schedules::stopped(words, true)),
        _ => None,
    }
}

/// `/settings timezone` in the example server.
pub fn timezone(zone: Option<&str>) -> Reply {
    match zone.map(Zone::parse) {
        None => crate::reply::settings::zone_shown(Zone::parse(server::ZONE).ok().as_ref()),
        Some(Ok(zone)) => crate::reply::settings::zone_set(zone.name()),
        Some(Err(mistake)) => Reply::private_note(mistake),
    }
}
