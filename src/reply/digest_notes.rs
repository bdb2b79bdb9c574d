//! What the `/digest` admin commands answer.

use jiff::civil::Weekday;
use jiff::Timestamp;

use super::Reply;
use crate::when::{DailyTime, Zone};

/// A server's digest settings, as the answers show them.
#[derive(Debug, Clone)]
pub struct Settings<'a> {
    pub channel_id: u64,
    pub weekday: Weekday,
    pub time: DailyTime,
    pub zone: &'a Zone,
    pub paused: bool,
}

fn when(next: Option<Timestamp>) -> String {
    next.map_or_else(
        || "not scheduled".into(),
        |at| format!("<t:{}:F>", at.as_second()),
    )
}

pub fn set_up(settings: &Settings<'_>, next: Option<Timestamp>) -> Reply {
    Reply::private_note(format!(
        "A weekly digest will be posted in <#{}> every {:?} at {} ({}): the team pulse, the week's quiz and scenario polls, and one suggestion. Next: {}.",
        settings.channel_id,
        settings.weekday,
        settings.time,
        settings.zone,
        when(next)
    ))
}

pub fn not_set_up() -> Reply {
    Reply::private_note(
        "There is no weekly digest in this server yet. Set one up with `/digest setup`.",
    )
}

pub fn status(settings: &Settings<'_>, next: Option<Timestamp>) -> Reply {
    let state = if settings.paused { "paused" } else { "running" };
    Reply::private_note(format!(
        "Weekly digest in <#{}>: {state}, every {:?} at {} ({}). Next: {}.",
        settings.channel_id,
        settings.weekday,
        settings.time,
        settings.zone,
        when(next)
    ))
}

pub fn paused(done: bool) -> Reply {
    Reply::private_note(if done {
        "The weekly digest is paused. Resume it with `/digest resume`."
    } else {
        "There is no weekly digest to pause. Set one up with `/digest setup`."
    })
}

pub fn resumed(done: bool) -> Reply {
    Reply::private_note(if done {
        "The weekly digest is running again; nothing is owed for the weeks it was paused."
    } else {
        "There is no weekly digest to resume. Set one up with `/digest setup`."
    })
}

pub fn stopped(done: bool) -> Reply {
    Reply::private_note(if done {
        "The weekly digest is stopped. Set it up again any time with `/digest setup`."
    } else {
        "There is no weekly digest to stop."
    })
}
