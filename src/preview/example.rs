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
    let action = focus::focus_actions(content, &lowest)
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
