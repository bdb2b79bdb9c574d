//! The daily tip's own rules beyond its schedule (see `settings.rs` for what every schedule
//! shares): which day `/tips skip` skips, which tip was posted today, and which comes next.

use jiff::civil::Date;
use jiff::Timestamp;

use super::deck;
use super::settings::{today, Schedules};
use crate::content::{Content, Tip};
use crate::model::duty::{DutyKind, DutyStatus};
use crate::model::schedule::{Schedule, TipOptions, TipSchedule};
use crate::store::{Store, StoreError};

/// The schedule after `/tips skip`, and the day skipped; `None` when no tip is scheduled.
pub async fn skipping_next(
    schedules: &Schedules,
    schedule: &TipSchedule,
) -> Result<Option<(TipSchedule, Date)>, StoreError> {
    Ok(schedules.next_post(schedule).await?.map(|next| {
        let skipping = Schedule {
            options: TipOptions {
                skip_date: Some(next.date),
                ..schedule.options.clone()
            },
            ..schedule.clone()
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
    let Some(schedule) = store.schedule::<TipOptions>(guild).await? else {
        return Ok(None);
    };
    let entry = store
        .duty_entry(DutyKind::Tip, guild, today(&schedule, now))
        .await?;
    Ok(entry
        .filter(|e| e.status == DutyStatus::Posted)
        .and_then(|e| e.item))
}

/// The tip the server gets next, and the pass of its deck it belongs to: the deck's rule
/// ([`deck::next_tip`]) applied to what the post log says this pass has shown. The daily
/// tip's post and `/tips preview` both ask here, so the preview is the tip that is posted.
pub async fn upcoming<'a>(
    store: &Store,
    content: &'a Content,
    guild: u64,
) -> Result<(u64, &'a Tip), StoreError> {
    let cycle = store.latest_cycle(DutyKind::Tip, guild).await?;
    let shown = store.items_in_cycle(DutyKind::Tip, guild, cycle).await?;
    let shown = shown.iter().map(String::as_str).collect();
    Ok(deck::next_tip(content, guild, cycle, &shown))
}
