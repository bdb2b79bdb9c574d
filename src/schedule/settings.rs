//! Changing a server's schedule, and what every status shows of it.
//!
//! [`Schedules`] saves a schedule and plans it again in one call: no command can save and then
//! forget to tell the scheduler. Pausing and resuming go through the rules of
//! [`Schedule::paused`] and [`Schedule::resumed`]. What a status shows (the next post, the
//! last one, the last day that went wrong) is read here the same way for every duty.

use std::collections::HashSet;

use jiff::civil::Date;
use jiff::{Timestamp, Zoned};

use super::engine::{next_due, Scheduler};
use crate::clock::SharedClock;
use crate::config::ScheduleConfig;
use crate::model::duty::{DutyKind, DutyStatus};
use crate::model::schedule::{DutyOptions, Schedule};
use crate::store::{Store, StoreError};
use crate::when::Occurrence;

/// The settings service: every change to a server's schedules goes through it.
#[derive(Clone)]
pub struct Schedules {
    store: Store,
    scheduler: Scheduler,
    clock: SharedClock,
    config: ScheduleConfig,
}

impl Schedules {
    pub fn new(
        store: Store,
        scheduler: Scheduler,
        clock: SharedClock,
        config: ScheduleConfig,
    ) -> Self {
        Schedules {
            store,
            scheduler,
            clock,
            config,
        }
    }

    /// The server's schedule for the duty `O` belongs to.
    pub async fn get<O: DutyOptions>(&self, guild: u64) -> Result<Option<Schedule<O>>, StoreError> {
        self.store.schedule(guild).await
    }

    /// Saves a schedule and plans its duty again.
    pub async fn save<O: DutyOptions>(&self, schedule: &Schedule<O>) -> Result<(), StoreError> {
        self.store.save_schedule(schedule, self.clock.now()).await?;
        self.scheduler.changed(O::DUTY, schedule.guild_id);
        Ok(())
    }

    /// Changes the server's saved schedule; `None` when it has none.
    pub async fn update<O: DutyOptions>(
        &self,
        guild: u64,
        change: impl FnOnce(Schedule<O>) -> Schedule<O>,
    ) -> Result<Option<Schedule<O>>, StoreError> {
        let Some(schedule) = self.get::<O>(guild).await? else {
            return Ok(None);
        };
        let changed = change(schedule);
        self.save(&changed).await?;
        Ok(Some(changed))
    }

    /// Pauses the server's schedule; `None` when it has none.
    pub async fn pause<O: DutyOptions>(
        &self,
        guild: u64,
    ) -> Result<Option<Schedule<O>>, StoreError> {
        self.update(guild, Schedule::paused).await
    }

    /// Resumes it: nothing is owed for the time it was paused.
    pub async fn resume<O: DutyOptions>(
        &self,
        guild: u64,
    ) -> Result<Option<Schedule<O>>, StoreError> {
        let now = self.clock.now();
        self.update(guild, |schedule| schedule.resumed(now)).await
    }

    /// Removes the server's schedule for `O`'s duty; `false` when it had none. What was
    /// posted stays in the log.
    pub async fn stop<O: DutyOptions>(&self, guild: u64) -> Result<bool, StoreError> {
        let removed = self.store.delete_schedule(O::DUTY, guild).await?;
        if removed {
            self.scheduler.changed(O::DUTY, guild);
        }
        Ok(removed)
    }

    /// When the schedule's next post goes out, as things stand: a day already in the log is
    /// not owed again, a day owed now (inside the catch-up window) counts as now, and a day
    /// the options skip does not count. `None` when paused.
    pub async fn next_post<O: DutyOptions>(
        &self,
        schedule: &Schedule<O>,
    ) -> Result<Option<Occurrence>, StoreError> {
        if schedule.paused {
            return Ok(None);
        }
        let now = self.clock.now();
        let today = today(schedule, now);
        let mut logged = HashSet::new();
        for day in [today.yesterday().ok(), Some(today)].into_iter().flatten() {
            if self
                .store
                .duty_entry(O::DUTY, schedule.guild_id, day)
                .await?
                .is_some()
            {
                logged.insert(day);
            }
        }
        Ok(next_due(
            &schedule.when.clone().into(),
            schedule.active_since,
            |date| logged.contains(&date) || schedule.options.skips(date),
            now,
            &self.config,
        ))
    }

    /// What the log says about the server's recent posts of `duty`.
    pub async fn history(&self, duty: DutyKind, guild: u64) -> Result<History, StoreError> {
        history(&self.store, duty, guild).await
    }
}

/// Today's date in a schedule's zone.
pub fn today<O>(schedule: &Schedule<O>, now: Timestamp) -> Date {
    Zoned::new(now, schedule.when.zone.tz().clone()).date()
}

/// The last post of a duty, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastPost {
    pub date: Date,
    pub channel_id: u64,
    pub message_id: u64,
}

/// What the log says about a server's recent days of a duty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History {
    pub last_post: Option<LastPost>,
    /// The latest day that went wrong after the last post (missed or failed), with why.
    pub problem: Option<(Date, String)>,
}

pub async fn history(store: &Store, duty: DutyKind, guild: u64) -> Result<History, StoreError> {
    let last = store
        .latest_duty(duty, guild, &[DutyStatus::Posted])
        .await?;
    let trouble = store
        .latest_duty(duty, guild, &[DutyStatus::Missed, DutyStatus::Failed])
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
