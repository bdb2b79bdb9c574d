//! The daily tip's own rules beyond its schedule (see `settings.rs` for what every schedule
//! shares): which day `/tips skip` skips, which tip was posted today, and which comes next.

use jiff::civil::Date;
use jiff::Timestamp;

use super::deck;
use super::settings::{today, Schedules};
use crate::content::team::{AnyTip, Credit, TeamBody};
use crate::content::Content;
use crate::model::duty::{DutyKind, DutyStatus};
use crate::model::schedule::{Schedule, TipOptions, TipSchedule};
use crate::model::server::ContentMix;
use crate::model::team::{parse_item_id, TeamEntry, TeamKind};
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
/// ([`deck::next_tip`]) applied to what the post log says this pass has shown. The deck is
/// what the server's content mix draws from: the bundled tips, its own, or both (with
/// `team_only` and no tip of its own yet, the bundled ones). The daily tip's post and
/// `/tips preview` both ask here, so the preview is the tip that is posted.
pub async fn upcoming<'a>(
    store: &Store,
    content: &'a Content,
    guild: u64,
) -> Result<Dealt<'a>, StoreError> {
    let mix = store.server(guild).await?.content_mix;
    let team = match mix {
        ContentMix::BundledOnly => Vec::new(),
        ContentMix::Both | ContentMix::TeamOnly => {
            store.team_entries(guild, Some(TeamKind::Tip)).await?
        }
    };
    let team_ids: Vec<String> = team.iter().map(TeamEntry::item_id).collect();
    let mut ids = match mix {
        ContentMix::TeamOnly if !team_ids.is_empty() => Vec::new(),
        _ => deck::bundled(content),
    };
    ids.extend(team_ids.iter().map(String::as_str));
    let cycle = store.latest_cycle(DutyKind::Tip, guild).await?;
    let shown = store.items_in_cycle(DutyKind::Tip, guild, cycle).await?;
    let shown = shown.iter().map(String::as_str).collect();
    let Some((cycle, item)) = deck::next_tip(&ids, guild, cycle, &shown) else {
        // Validated content always has tips; this is only reached with none at all.
        return Err(StoreError::Corrupt("the content has no tips".into()));
    };
    let tip = match parse_item_id(item) {
        Some(id) => team.iter().find(|entry| entry.id == id).and_then(team_tip),
        None => content.tip(item).map(AnyTip::Bundled),
    };
    let item = item.to_string();
    match tip {
        Some(tip) => Ok(Dealt { cycle, item, tip }),
        None => Err(StoreError::Corrupt(format!("tip {item} left the deck"))),
    }
}

/// The tip dealt next: its pass, the id the post log keeps, and the tip.
pub struct Dealt<'a> {
    pub cycle: u64,
    pub item: String,
    pub tip: AnyTip<'a>,
}

/// The tip a post log item names: a bundled tip, or one of the server's own; `None` when it
/// has been removed since.
pub async fn resolve<'a>(
    store: &Store,
    content: &'a Content,
    guild: u64,
    item: &str,
) -> Result<Option<AnyTip<'a>>, StoreError> {
    Ok(match parse_item_id(item) {
        Some(id) => store
            .team_entry(guild, id)
            .await?
            .as_ref()
            .and_then(team_tip),
        None => content.tip(item).map(AnyTip::Bundled),
    })
}

/// A stored team entry as a tip of the deck; `None` for an entry of another kind (or one
/// whose texts no longer read, which is skipped rather than posted).
fn team_tip(entry: &TeamEntry) -> Option<AnyTip<'static>> {
    Some(AnyTip::Team {
        tip: TeamBody::of_entry(entry)?.into_tip()?,
        credit: Credit::of(entry.suggested_by.as_deref()),
    })
}
