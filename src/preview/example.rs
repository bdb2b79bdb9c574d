//! The example team `preview` shows where an answer needs a server's own history: twelve
//! weeks of pulse scores (a steady rise, one week withheld), one week's pulse of five answers,
//! a quiz and a scenario poll. Kept here, beside the command that needs it, so no production
//! module carries made-up data; the answers themselves are built by `reply` exactly as the bot
//! builds a server's.

use crate::config::PulseConfig;
use crate::content::{Content, PulseSide};
use crate::model::poll::{PollKind, PollTally};
use crate::pulse::stats::{side_score, Counts, StatementResult, WeekPoint};
use crate::reply::digest::{digest, DigestInput, PulseWeek};
use crate::reply::{pulse, Reply};

/// The example team's last week.
fn last_week() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 30)
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

/// The example team's weeks up to [`last_week`]: a steady rise, one week withheld.
fn weeks_up_to_last(weeks: usize) -> Vec<WeekPoint> {
    let last = last_week();
    (0..weeks)
        .map(|n| {
            let back = i64::try_from(weeks - 1 - n).unwrap_or(0);
            let step = f64::from(u8::try_from(n % 12).unwrap_or(0));
            let withheld = n + 4 == weeks;
            WeekPoint {
                week: last
                    .checked_sub(jiff::Span::new().weeks(back))
                    .unwrap_or(last),
                leading: (!withheld).then_some(3.0 + step / 10.0),
                managing: (!withheld).then_some(3.6 - step / 20.0),
            }
        })
        .collect()
}

/// The weekly digest as the example team would get it: its weeks from [`trend`]'s, a pulse
/// of five answers, one quiz and one scenario poll.
pub fn weekly_digest(content: &Content) -> Reply {
    let mut weeks = weeks_up_to_last(pulse::TREND_WEEKS as usize);
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
    let results = [
        result(PulseSide::Leading, [0, 1, 1, 2, 1]),
        result(PulseSide::Managing, [1, 2, 1, 1, 0]),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
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
            date: jiff::civil::date(2026, 12, 4),
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
