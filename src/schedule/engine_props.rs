//! Property tests of the scheduler: for random zones, times, days, catch-up windows
//! and restarts, a server never gets two tips for one local date, every day the bot was up
//! for inside its catch-up window is posted inside that window, and a day the bot slept
//! through is never posted late.
//!
//! Each case simulates a few days of two or three servers in different zones, chosen to
//! include half- and quarter-hour offsets and clock changes (times inside the skipped hour,
//! times in the repeated hour, runs across the change). The bot is stopped and started again
//! over the same store at random moments, some of them a minute or two either side of a due
//! instant or of the end of its catch-up window, where an off-by-one would show. Time is a
//! [`ManualClock`] moved from one due instant to the next, so a case takes well under a
//! tenth of a second. Stops are clean (nothing in flight); a crash between claiming and
//! logging a post is the example tests' and the soak test's subject.
//!
//! The outcome (the poster's record and the post log) is compared with an oracle worked out
//! only from when the bot was up: it says, for each server and local date, whether a tip is
//! owed and when it is posted, or whether the day is recorded as missed. The oracle follows
//! the documented rule that a start catches up only the *latest* owed day; that matters only
//! at one instant (a 23-hour catch-up on a 23-hour local day, started exactly at the next
//! due instant), where the earlier day's window has just closed.
//!
//! `PROPTEST_CASES` raises the number of cases for a longer soak.

use std::collections::HashMap;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::test_runner::TestCaseError;

use super::*;
use crate::clock::{Clock as _, ManualClock};
use crate::model::duty::{DutyKind, DutyStatus};
use crate::model::schedule::{Schedule, TipSchedule};
use crate::schedule::test_support::{settings, FakePoster, Harness, Post, UNPACED};
use crate::store::{DutyEntry, Store};
use crate::when::{DailyTime, Days, Occurrence, Recurrence, Zone};

/// Cases per run unless `PROPTEST_CASES` says otherwise: about eight seconds of a debug build,
/// spread over [`SHARES`] tests.
const CASES: u32 = 64;

/// The property runs as this many tests (the four below) with an equal share of the cases
/// each, so the test harness runs them side by side: as one test it was the unit tests' last
/// to finish, by seconds, on a 2-core machine.
const SHARES: u32 = 4;

/// Whole, half-hour, 45-minute and 30-minute-DST offsets, both hemispheres.
const ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/St_Johns",
    "Australia/Lord_Howe",
];

/// Local times at the ends of the day and around these zones' clock changes (inside the
/// skipped hour, inside the repeated hour, and on their edges).
const EDGE_TIMES: &[(i8, i8)] = &[
    (0, 0),
    (23, 59),
    (1, 0),
    (1, 15),
    (1, 30),
    (1, 45),
    (2, 0),
    (2, 15),
    (2, 30),
    (2, 45),
    (2, 50),
    (3, 0),
    (3, 30),
    (3, 45),
    (3, 50),
];

/// A time of day as generated, before it is placed in the run.
#[derive(Debug, Clone, Copy)]
enum TimeChoice {
    At(i8, i8),
    /// `minute` minutes into the local times skipped or repeated by the zone's clock change
    /// nearest the run's start, folded into -1 (the minute before them) to the shift's length
    /// (the first minute after).
    InChange(i64),
}

/// A run's start as generated: one or two days before a clock change of the first server's
/// zone (when it has them), else a day of the year; at a UTC minute of that day.
#[derive(Debug, Clone, Copy)]
struct StartChoice {
    day_of_year: i64,
    /// Which of the zone's changes, and how many days before it.
    before_change: Option<(usize, i64)>,
    minute: i64,
}

/// One of a zone's clock changes.
#[derive(Debug, Clone, Copy)]
struct Change {
    at: Timestamp,
    /// The first local time it skips (spring) or repeats (autumn).
    from: DateTime,
    minutes: i64,
}

#[derive(Debug, Clone)]
struct RawServer {
    zone: &'static str,
    time: TimeChoice,
    days: Days,
    set_up_before: i64,
}

#[derive(Debug, Clone)]
struct ServerSpec {
    zone: &'static str,
    time: (i8, i8),
    days: Days,
    /// Minutes before the run starts that it was set up (the first day may be owed at once).
    set_up_before: i64,
}

/// A moment the bot stops or comes back, relative to the moment before it.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// Some minutes later.
    After(i64),
    /// `delta` minutes from a server's next due instant, or from the end of that instant's
    /// catch-up window.
    Near {
        server: usize,
        window_end: bool,
        delta: i64,
    },
}

#[derive(Debug, Clone, Copy)]
struct Restart {
    stop: Moment,
    back: Moment,
}

#[derive(Debug, Clone)]
struct Run {
    servers: Vec<ServerSpec>,
    start: Timestamp,
    days: i64,
    catch_up_hours: u32,
    restarts: Vec<Restart>,
}

fn minutes(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

fn date_of(text: &str) -> Date {
    text.parse().expect("date")
}

fn daily_time() -> impl Strategy<Value = TimeChoice> {
    prop_oneof![
        1 => (0i8..24, 0i8..60).prop_map(|(hour, minute)| TimeChoice::At(hour, minute)),
        1 => select(EDGE_TIMES).prop_map(|(hour, minute)| TimeChoice::At(hour, minute)),
        3 => (0i64..120).prop_map(TimeChoice::InChange),
    ]
}

/// Every day more often: clock changes fall on Sundays, which weekdays never see.
fn days() -> impl Strategy<Value = Days> {
    prop_oneof![3 => Just(Days::EveryDay), 1 => Just(Days::Weekdays)]
}

fn server(zone: &'static str) -> impl Strategy<Value = RawServer> {
    (daily_time(), days(), 0i64..=24 * 60).prop_map(move |(time, days, set_up_before)| RawServer {
        zone,
        time,
        days,
        set_up_before,
    })
}

/// Two or three servers, each in a different zone.
fn servers() -> impl Strategy<Value = Vec<RawServer>> {
    subsequence(ZONES, 2..=3)
        .prop_shuffle()
        .prop_flat_map(|zones| zones.into_iter().map(server).collect::<Vec<_>>())
}

fn start() -> impl Strategy<Value = StartChoice> {
    let before_change = prop_oneof![
        1 => Just(None),
        3 => (0usize..4, 1i64..=2).prop_map(Some),
    ];
    (0i64..365, before_change, 0i64..24 * 60).prop_map(|(day_of_year, before_change, minute)| {
        StartChoice {
            day_of_year,
            before_change,
            minute,
        }
    })
}

/// Minutes from a due instant to the second reading of a repeated local time (clock changes
/// here are 30 or 60 minutes), give or take one.
const SECOND_READING: &[i64] = &[29, 30, 31, 59, 60, 61];

fn moment() -> impl Strategy<Value = Moment> {
    let delta = prop_oneof![3 => -2i64..=2, 1 => select(SECOND_READING)];
    prop_oneof![
        (1i64..=90).prop_map(Moment::After),
        (1i64..=48 * 60).prop_map(Moment::After),
        (0usize..3, any::<bool>(), delta).prop_map(|(server, window_end, delta)| {
            Moment::Near {
                server,
                window_end,
                delta,
            }
        }),
    ]
}

fn runs() -> impl Strategy<Value = Run> {
    let restart = (moment(), moment()).prop_map(|(stop, back)| Restart { stop, back });
    (
        servers(),
        start(),
        3i64..=10,
        prop_oneof![2 => Just(6u32), 1 => 0u32..=23],
        proptest::collection::vec(restart, 0..=6),
    )
        .prop_map(|(servers, start, days, catch_up_hours, restarts)| {
            let start = start.resolve(servers[0].zone);
            Run {
                servers: servers.iter().map(|s| s.resolve(start)).collect(),
                start,
                days,
                catch_up_hours,
                restarts,
            }
        })
}

fn zone(name: &str) -> TimeZone {
    Zone::parse(name).expect("zone").tz().clone()
}

/// A zone's clock changes in 2026 (none for a zone without them).
fn changes(zone: &TimeZone) -> Vec<Change> {
    let (year, next_year) = (date_of("2026-01-01"), date_of("2027-01-01"));
    let midnight = |day: Date| day.to_zoned(TimeZone::UTC).expect("midnight").timestamp();
    zone.following(midnight(year))
        .take_while(|change| change.timestamp() < midnight(next_year))
        .map(|change| {
            let at = change.timestamp();
            let before = zone
                .to_offset(at - SignedDuration::from_secs(1))
                .to_datetime(at);
            let after = change.offset().to_datetime(at);
            Change {
                at,
                from: before.min(after),
                minutes: before.duration_until(after).as_mins().abs(),
            }
        })
        .collect()
}

impl StartChoice {
    fn resolve(self, zone_name: &str) -> Timestamp {
        let zone = zone(zone_name);
        let changes = changes(&zone);
        let day = match self.before_change {
            Some((nth, days_before)) if !changes.is_empty() => {
                let change = changes[nth % changes.len()];
                zone.to_datetime(change.at).date() - days_before.days()
            }
            _ => date_of("2026-01-01") + self.day_of_year.days(),
        };
        day.to_zoned(TimeZone::UTC).expect("midnight").timestamp() + minutes(self.minute)
    }
}

impl RawServer {
    fn resolve(&self, start: Timestamp) -> ServerSpec {
        ServerSpec {
            zone: self.zone,
            time: self.time.resolve(self.zone, start),
            days: self.days,
            set_up_before: self.set_up_before,
        }
    }
}

impl TimeChoice {
    fn resolve(self, zone_name: &str, start: Timestamp) -> (i8, i8) {
        let time = match self {
            TimeChoice::At(hour, minute) => Time::constant(hour, minute, 0, 0),
            TimeChoice::InChange(minute) => {
                let changes = changes(&zone(zone_name));
                let near = changes
                    .iter()
                    .find(|c| c.at >= start - SignedDuration::from_hours(24))
                    .or(changes.first());
                // A zone without changes gets a time in the small hours, where they would be.
                let (from, length) = near.map_or((Time::constant(2, 0, 0, 0), 60), |c| {
                    (c.from.time(), c.minutes)
                });
                from.wrapping_add(minutes(minute.rem_euclid(length + 2) - 1))
            }
        };
        (time.hour(), time.minute())
    }
}

impl ServerSpec {
    fn guild(index: usize) -> u64 {
        index as u64 + 1
    }

    fn channel(index: usize) -> u64 {
        index as u64 + 100
    }

    fn schedule(&self) -> Recurrence {
        Recurrence {
            time: DailyTime::new(self.time.0, self.time.1).expect("valid time"),
            zone: Zone::parse(self.zone).expect("zone"),
            days: self.days,
        }
    }

    fn settings(&self, index: usize, run_start: Timestamp) -> TipSchedule {
        Schedule {
            when: self.schedule(),
            active_since: run_start - minutes(self.set_up_before),
            ..settings(ServerSpec::guild(index), ServerSpec::channel(index))
        }
    }
}

impl Run {
    fn end(&self) -> Timestamp {
        self.start + SignedDuration::from_hours(24 * self.days)
    }

    fn catch_up(&self) -> SignedDuration {
        SignedDuration::from_hours(i64::from(self.catch_up_hours))
    }

    fn config(&self) -> ScheduleConfig {
        ScheduleConfig {
            catch_up_hours: self.catch_up_hours,
            posts_per_second: UNPACED,
        }
    }

    fn guilds(&self) -> Vec<u64> {
        (0..self.servers.len()).map(ServerSpec::guild).collect()
    }

    /// When `moment` falls, after `previous` (at least a minute after it).
    fn resolve(&self, moment: Moment, previous: Timestamp) -> Timestamp {
        let at = match moment {
            Moment::After(n) => previous + minutes(n),
            Moment::Near {
                server,
                window_end,
                delta,
            } => {
                let schedule = self.servers[server % self.servers.len()].schedule();
                let due = schedule.next_after(previous).expect("a next day").at;
                let edge = if window_end {
                    self.catch_up()
                } else {
                    SignedDuration::ZERO
                };
                due + edge + minutes(delta)
            }
        };
        at.max(previous + minutes(1))
    }
}

/// What a case left behind.
struct Outcome {
    /// When the bot was running: closed intervals, in order.
    ups: Vec<(Timestamp, Timestamp)>,
    posts: Vec<Post>,
    log: HashMap<(u64, Date), DutyEntry>,
}

/// Plays a run: start, let it work until the next stop, stop, move the clock past the
/// outage, start a new scheduler over the same store; until the run's end.
async fn simulate(run: &Run) -> Outcome {
    let store = Store::in_memory().await.expect("store");
    for (index, server) in run.servers.iter().enumerate() {
        let settings = server.settings(index, run.start);
        store
            .save_schedule(&settings, run.start)
            .await
            .expect("save");
    }
    let clock = ManualClock::new(run.start);
    let poster = FakePoster::with_clock(clock.clone());
    let (end, guilds) = (run.end(), run.guilds());
    let (mut store, mut up_since, mut ups) = (store, run.start, Vec::new());
    let mut restarts = run.restarts.iter();
    loop {
        let mut harness =
            Harness::start_with(store, clock.clone(), poster.clone(), run.config()).await;
        let restart = restarts.next();
        let stop = restart.map_or(end, |r| run.resolve(r.stop, up_since).min(end));
        run_until(&mut harness, &guilds, stop).await;
        ups.push((up_since, stop));
        store = harness.stop().await;
        let Some(back) = restart.map(|r| run.resolve(r.back, stop)) else {
            break;
        };
        if stop >= end || back > end {
            break;
        }
        clock.set(back);
        up_since = back;
    }
    let log = read_log(&store, run).await;
    let posts = poster.posts.lock().expect("lock").clone();
    Outcome { ups, posts, log }
}

/// Lets the scheduler work until `stop`: moves the clock to each due instant in turn and
/// waits there until every server is planned past it, so nothing is in flight when it stops.
async fn run_until(harness: &mut Harness, guilds: &[u64], stop: Timestamp) {
    let mut next = settle(harness, guilds, HashMap::new()).await;
    while let Some(due) = next.values().flatten().min().copied() {
        if due > stop {
            break;
        }
        harness.clock.set(due);
        next = settle(harness, guilds, next).await;
    }
    harness.clock.set(stop);
}

/// Plans a server may go through at one instant: planned now (a catch-up), then the next day.
/// More means the scheduler keeps planning the same moment, and would never settle.
const PLANS_PER_INSTANT: usize = 4;

/// Waits until every server's latest plan is after now (or nothing), and returns the plans.
async fn settle(
    harness: &mut Harness,
    guilds: &[u64],
    mut next: HashMap<u64, Option<Timestamp>>,
) -> HashMap<u64, Option<Timestamp>> {
    let now = harness.clock.now();
    let busy = |next: &HashMap<u64, Option<Timestamp>>| {
        guilds.iter().any(|guild| {
            next.get(guild)
                .is_none_or(|at| at.is_some_and(|at| at <= now))
        })
    };
    for _ in 0..PLANS_PER_INSTANT * guilds.len() {
        if !busy(&next) {
            return next;
        }
        let event = harness
            .expect(|e| matches!(e, ScheduleEvent::Planned { .. }))
            .await;
        if let ScheduleEvent::Planned {
            guild, next: at, ..
        } = event
        {
            next.insert(guild, at);
        }
    }
    assert!(!busy(&next), "the scheduler keeps planning {now}: {next:?}");
    next
}

/// Every local date of the run (and a few either side), in the server's zone.
fn dates(run: &Run, server: &ServerSpec) -> Vec<Date> {
    let schedule = server.schedule();
    let first = schedule.local_date(run.start - SignedDuration::from_hours(72));
    let last = schedule.local_date(run.end() + SignedDuration::from_hours(48));
    first.series(1.day()).take_while(|d| *d <= last).collect()
}

/// The post log's rows for every server over the run's dates.
async fn read_log(store: &Store, run: &Run) -> HashMap<(u64, Date), DutyEntry> {
    let mut log = HashMap::new();
    for (index, server) in run.servers.iter().enumerate() {
        let guild = ServerSpec::guild(index);
        for date in dates(run, server) {
            if let Some(entry) = store
                .duty_entry(DutyKind::Tip, guild, date)
                .await
                .expect("read log")
            {
                log.insert((guild, date), entry);
            }
        }
    }
    log
}

/// What the scheduler owes a server for one local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owed {
    /// Nothing: not a posting day, set up after its time, or not known to be missed yet.
    Nothing,
    /// A post at this instant: the due instant if the bot was running then, else the start
    /// that came back inside the catch-up window.
    Post(Timestamp),
    /// A start saw it as the latest owed day, past its window: recorded as missed.
    Missed,
}

/// The oracle: what `due` is owed, given when the bot was up. `following` is the next due
/// instant, when a start stops seeing this day as the one it owes.
fn owed(
    due: Occurrence,
    following: Timestamp,
    active_since: Timestamp,
    ups: &[(Timestamp, Timestamp)],
    catch_up: SignedDuration,
) -> Owed {
    if due.at < active_since {
        return Owed::Nothing;
    }
    let window_end = due.at + catch_up;
    for &(up, down) in ups {
        if up <= due.at && due.at <= down {
            return Owed::Post(due.at);
        }
        if due.at < up && up < following {
            return if up <= window_end {
                Owed::Post(up)
            } else {
                Owed::Missed
            };
        }
    }
    Owed::Nothing
}

/// Checks, independently of `when.rs`, that a due instant is the first at which the local
/// clock on its date reads the set time or later (the earlier of a repeated time, the end of
/// a skipped hour).
fn check_due_instant(server: &ServerSpec, due: Occurrence) -> Result<(), TestCaseError> {
    let zone = zone(server.zone);
    let wanted = DateTime::from_parts(due.date, Time::constant(server.time.0, server.time.1, 0, 0));
    let local = |at: Timestamp| zone.to_datetime(at);
    prop_assert!(
        local(due.at) >= wanted && local(due.at - SignedDuration::from_secs(1)) < wanted,
        "{} {:?} on {}: due at {} (local {})",
        server.zone,
        server.time,
        due.date,
        due.at,
        local(due.at)
    );
    Ok(())
}

/// The three properties for one server.
fn check_server(run: &Run, index: usize, outcome: &Outcome) -> Result<(), TestCaseError> {
    let server = &run.servers[index];
    let (guild, schedule) = (ServerSpec::guild(index), server.schedule());
    let posts: Vec<&Post> = outcome
        .posts
        .iter()
        .filter(|post| post.channel == ServerSpec::channel(index))
        .collect();
    let by_day = posts_by_day(&schedule, &posts)?;
    for (date, posts) in &by_day {
        // (1) At most one post per server per local date.
        prop_assert!(
            posts.len() == 1,
            "{} posts for {} {date}: {:?}",
            posts.len(),
            server.zone,
            brief(posts)
        );
    }
    let active_since = server.settings(index, run.start).active_since;
    for date in dates(run, server) {
        let expected = match schedule.on(date) {
            Some(due) => {
                check_due_instant(server, due)?;
                let following = schedule.next_after(due.at).expect("next").at;
                owed(due, following, active_since, &outcome.ups, run.catch_up())
            }
            None => Owed::Nothing,
        };
        let day = Day {
            date,
            due: schedule.on(date),
            posts: by_day.get(&date).map(Vec::as_slice).unwrap_or_default(),
            row: outcome.log.get(&(guild, date)),
        };
        day.check(expected, run.catch_up(), &outcome.ups)?;
    }
    Ok(())
}

/// The poster's posts grouped by the local date each was for: the latest due date at or
/// before it (a catch-up window is shorter than the shortest gap between two days).
fn posts_by_day<'p>(
    schedule: &Recurrence,
    posts: &[&'p Post],
) -> Result<HashMap<Date, Vec<&'p Post>>, TestCaseError> {
    let mut by_day: HashMap<Date, Vec<&Post>> = HashMap::new();
    for post in posts {
        let at = post.at.expect("the poster has the clock");
        let Some(due) = schedule.latest_at_or_before(at) else {
            return Err(TestCaseError::fail(format!(
                "a post at {at} before any day was due"
            )));
        };
        by_day.entry(due.date).or_default().push(post);
    }
    Ok(by_day)
}

/// Posts as a failure shows them: message id and time.
fn brief(posts: &[&Post]) -> Vec<(u64, Option<Timestamp>)> {
    posts
        .iter()
        .map(|post| (post.message_id, post.at))
        .collect()
}

/// One server's local date: what happened to it.
struct Day<'a> {
    date: Date,
    due: Option<Occurrence>,
    posts: &'a [&'a Post],
    row: Option<&'a DutyEntry>,
}

impl Day<'_> {
    fn check(
        &self,
        expected: Owed,
        catch_up: SignedDuration,
        ups: &[(Timestamp, Timestamp)],
    ) -> Result<(), TestCaseError> {
        let context = format!(
            "{} (due {:?}): expected {expected:?}, posts {:?}, log {:?}, up {ups:?}",
            self.date,
            self.due,
            brief(self.posts),
            self.row
        );
        match expected {
            Owed::Post(at) => self.check_posted(at, catch_up, &context),
            Owed::Missed => self.check_not_posted(Some(DutyStatus::Missed), &context),
            Owed::Nothing => self.check_not_posted(None, &context),
        }
    }

    /// (2) A day the bot was up for inside its window got exactly one post, inside it.
    fn check_posted(
        &self,
        at: Timestamp,
        catch_up: SignedDuration,
        context: &str,
    ) -> Result<(), TestCaseError> {
        let due = self.due.expect("a posting day").at;
        let [post] = self.posts else {
            return Err(TestCaseError::fail(format!("not posted once: {context}")));
        };
        let posted = post.at.expect("the poster has the clock");
        prop_assert!(
            due <= posted && posted <= due + catch_up,
            "posted outside its window: {context}"
        );
        prop_assert_eq!(posted, at, "posted at another moment: {}", context);
        let row = self.row.map(|r| (r.status, r.message_id));
        prop_assert_eq!(
            row,
            Some((DutyStatus::Posted, Some(post.message_id))),
            "the log does not hold the post: {}",
            context
        );
        Ok(())
    }

    /// (3) A day the bot slept through is not posted; it is recorded as missed once a start
    /// finds it owed and past its window, and has no row before that.
    fn check_not_posted(
        &self,
        status: Option<DutyStatus>,
        context: &str,
    ) -> Result<(), TestCaseError> {
        prop_assert!(self.posts.is_empty(), "posted: {}", context);
        prop_assert_eq!(self.row.map(|r| r.status), status, "log: {}", context);
        Ok(())
    }
}

fn check(run: &Run, outcome: &Outcome) -> Result<(), TestCaseError> {
    for index in 0..run.servers.len() {
        check_server(run, index, outcome)?;
    }
    Ok(())
}

/// One share of the cases (of `PROPTEST_CASES` when set), rounded up.
fn cases() -> u32 {
    let all = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(CASES);
    all.div_ceil(SHARES)
}

fn each_day_is_posted_at_most_once_and_only_inside_its_catch_up_window(
    run: &Run,
) -> Result<(), TestCaseError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let outcome = runtime.block_on(simulate(run));
    check(run, &outcome)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn each_day_is_posted_at_most_once_and_only_inside_its_catch_up_window_1(run in runs()) {
        each_day_is_posted_at_most_once_and_only_inside_its_catch_up_window(&run)?;
    }

    #[test]
    fn each_day_is_posted_at_most_once_and_only_inside_its_catch_up_window_2(run in runs()) {
        each_day_is_posted_at_most_once_and_only_inside_its_catch_up_window(&run)?;
    }

    #[test]
    fn each_day_is_posted_at_most_once_and_only_inside_its_catch_up_window_3(run in runs()) {
        each_day_is_posted_at_most_once_and_only_inside_its_catch_up_window(&run)?;
    }

    #[test]
    fn each_day_is_posted_at_most_once_and_only_inside_its_catch_up_window_4(run in runs()) {
        each_day_is_posted_at_most_once_and_only_inside_its_catch_up_window(&run)?;
    }
}
