//! The rules of the daily tip's settings, for the commands that change or show them: which
//! day is owed next, what resuming resets, which tip comes next, and what the log says about
//! the last days. The commands only map options and show the answers.

use std::collections::HashSet;

use jiff::civil::Date;
use jiff::Timestamp;

use super::deck;
use super::tip::{next_post, today};
use crate::config::TipsConfig;
use crate::content::{Content, Tip};
use crate::model::duty::{DutyKind, DutyStatus};
use crate::store::{Store, StoreError, TipSettings};
use crate::when::Occurrence;

/// The next tip a server gets, as things stand: a day already in the log is not owed again.
pub async fn next_tip(
    store: &Store,
    settings: &TipSettings,
    now: Timestamp,
    config: &TipsConfig,
) -> Result<Option<Occurrence>, StoreError> {
    let today = today(settings, now);
    let mut logged = HashSet::new();
    for day in [today.yesterday().ok(), Some(today)].into_iter().flatten() {
        if store
            .duty_entry(DutyKind::Tip, settings.guild_id, day)
            .await?
            .is_some()
        {
            logged.insert(day);
        }
    }
    Ok(next_post(
        settings,
        |date| logged.contains(&date),
        now,
        config,
    ))
}

/// The settings after `/tips resume`: days that passed during a pause are not owed.
pub fn resumed(settings: &TipSettings, now: Timestamp) -> TipSettings {
    if !settings.paused {
        return settings.clone();
    }
    TipSettings {
        paused: false,
        active_since: now,
        ..settings.clone()
    }
}

/// The settings after `/tips skip`, and the day skipped; `None` when no tip is scheduled.
pub async fn skipping_next(
    store: &Store,
    settings: &TipSettings,
    now: Timestamp,
    config: &TipsConfig,
) -> Result<Option<(TipSettings, Date)>, StoreError> {
    Ok(next_tip(store, settings, now, config).await?.map(|next| {
        let skipping = TipSettings {
            skip_date: Some(next.date),
            ..settings.clone()
        };
        (skipping, next.date)
    }))
}

/// The id of the tip posted today in the server (in its zone), if one was.
pub async fn todays_tip(
    store: &Store,
    guild: u64,
    now: Timestamp,
) -> Result<Option<String>, StoreError> {
    let Some(settings) = store.tip_settings(guild).await? else {
        return Ok(None);
    };
    let entry = store
        .duty_entry(DutyKind::Tip, guild, today(&settings, now))
        .await?;
    Ok(entry
        .filter(|e| e.status == DutyStatus::Posted)
        .and_then(|e| e.item))
}

/// The tip the server gets next from its deck.
pub async fn upcoming<'a>(
    store: &Store,
    content: &'a Content,
    guild: u64,
) -> Result<&'a Tip, StoreError> {
    let cycle = store.latest_cycle(DutyKind::Tip, guild).await?;
    let shown = store.items_in_cycle(DutyKind::Tip, guild, cycle).await?;
    let shown = shown.iter().map(String::as_str).collect();
    Ok(deck::next_tip(content, guild, cycle, &shown).1)
}

/// The last tip posted, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastPost {
    pub date: Date,
    pub channel_id: u64,
    pub message_id: u64,
}

/// What the log says about a server's recent days.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History {
    pub last_post: Option<LastPost>,
    /// The latest day that went wrong after the last post (missed or failed), with why.
    pub problem: Option<(Date, String)>,
}

pub async fn history(store: &Store, guild: u64) -> Result<History, StoreError> {
    let last = store
        .latest_duty(DutyKind::Tip, guild, &[DutyStatus::Posted])
        .await?;
    let trouble = store
        .latest_duty(
            DutyKind::Tip,
            guild,
            &[DutyStatus::Missed, DutyStatus::Failed],
        )
        .await?;
    let problem = trouble
        .filter(|t| last.as_ref().is_none_or(|l| t.local_date > l.local_date))
        .map(|t| (t.local_date, t.detail.unwrap_or_default()));
    let last_post = last.and_then(|l| {
        Some(LastPost {
            date: l.local_date,
            channel_id: l.channel_id?,
            message_id: l.message_id?,
        })
    });
    Ok(History { last_post, problem })
}
