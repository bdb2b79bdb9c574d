//! A poll as the bot keeps it: what it asks, how long it runs, and where it stands.
//!
//! `reply` builds a [`PollSpec`] from the content, the scheduler claims it with its
//! [`PollDuration`] before posting, the store keeps it as it is, and the keeper rebuilds the
//! recap from it. One type for all of them, so no layer copies fields into another's shape.

use std::fmt;

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use crate::limits;
use crate::text::{check_len, echo};

/// What kind of poll, as stored (so a recap can be rebuilt after a restart) by its name in
/// lower case, in the database (strum) and in JSON (serde) alike.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum PollKind {
    /// "Leader, manager, or both?" about one trait or similarity; one answer is right.
    Quiz,
    /// "What does our team need more of?" over a few traits; no answer is right. Stored as
    /// "pulse" (rows and payloads keep that word); people read "needs", since "pulse" is the
    /// anonymous weekly survey.
    #[serde(rename = "pulse")]
    #[strum(serialize = "pulse")]
    Needs,
    /// "What does this moment call for most?" about one scenario; one answer is supported.
    Scenario,
}

impl PollKind {
    /// The word stored in the database (what people read is its `Display`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The kind a stored word names.
    pub fn from_stored(word: &str) -> Option<PollKind> {
        word.parse().ok()
    }
}

impl fmt::Display for PollKind {
    /// The kind as people read it: "quiz", "needs", "scenario".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PollKind::Quiz => "quiz",
            PollKind::Needs => "needs",
            PollKind::Scenario => "scenario",
        })
    }
}

/// One answer of a poll: the text shown (<= 55 chars) and the content entry it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollAnswer {
    pub text: String,
    pub entry_id: String,
}

/// A poll ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollSpec {
    pub kind: PollKind,
    /// At most [`limits::POLL_QUESTION`] characters.
    pub question: String,
    /// Between [`limits::POLL_MIN_ANSWERS`] and [`limits::POLL_MAX_ANSWERS`], no two from the
    /// same entry, distinct texts.
    pub answers: Vec<PollAnswer>,
    #[serde(default)]
    pub multiselect: bool,
    /// For a quiz: the id of the trait or similarity asked about, and the index of the
    /// correct answer.
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub correct: Option<usize>,
}

impl PollSpec {
    /// Every way this poll breaks Discord's limits or our own rules; empty when it can be sent.
    pub fn limit_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        check_len(
            &mut problems,
            "poll question",
            &self.question,
            limits::POLL_QUESTION,
        );
        let count = self.answers.len();
        if !(limits::POLL_MIN_ANSWERS..=limits::POLL_MAX_ANSWERS).contains(&count) {
            problems.push(format!(
                "{count} answers, outside {}..={}",
                limits::POLL_MIN_ANSWERS,
                limits::POLL_MAX_ANSWERS
            ));
        }
        for answer in &self.answers {
            check_len(
                &mut problems,
                "poll answer",
                &answer.text,
                limits::POLL_ANSWER,
            );
        }
        for text in repeated(self.answers.iter().map(|a| a.text.trim().to_lowercase())) {
            problems.push(format!("the answer “{text}” is offered twice"));
        }
        for id in repeated(self.answers.iter().map(|a| a.entry_id.clone())) {
            problems.push(format!("the entry `{id}` is offered twice"));
        }
        self.kind_problems(&mut problems);
        problems
    }

    /// A quiz or scenario poll has one right answer and takes one vote per person; a pulse
    /// has neither.
    fn kind_problems(&self, problems: &mut Vec<String>) {
        match self.kind {
            PollKind::Quiz | PollKind::Scenario => {
                let kind = self.kind;
                if self.subject.is_none() {
                    problems.push(format!("the {kind} poll names no subject"));
                }
                if self.correct.is_none_or(|i| i >= self.answers.len()) {
                    problems.push(format!(
                        "the {kind} poll's correct answer {:?} is not one of its {} answers",
                        self.correct,
                        self.answers.len()
                    ));
                }
                if self.multiselect {
                    problems.push(format!("a {kind} poll takes one answer per person"));
                }
            }
            PollKind::Needs => {
                if self.subject.is_some() || self.correct.is_some() {
                    problems.push("a needs poll has no subject or correct answer".into());
                }
            }
        }
    }
}

/// The values that occur more than once, each named once, in order of their second occurrence.
fn repeated(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut twice: Vec<String> = Vec::new();
    for value in values {
        if seen.contains(&value) {
            if !twice.contains(&value) {
                twice.push(value);
            }
        } else {
            seen.push(value);
        }
    }
    twice
}

/// A poll with how long it runs: what the scheduler claims before posting a weekly poll, so
/// recovery after a crash posts exactly that poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedPoll {
    #[serde(flatten)]
    pub spec: PollSpec,
    #[serde(rename = "duration_minutes")]
    pub duration: PollDuration,
}

/// Where a poll the bot started stands. Stored by its name in lower case (`recapping`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray,
)]
#[strum(serialize_all = "lowercase")]
pub enum PollState {
    /// Running; the keeper closes it at its time.
    Open,
    /// The recap is claimed and being posted.
    Recapping,
    /// Done: the recap is posted.
    Recapped,
    /// The recap could not be posted.
    Failed,
}

impl PollState {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The state a stored word names.
    pub fn from_stored(word: &str) -> Option<PollState> {
        word.parse().ok()
    }
}

const MINUTES_PER_HOUR: u32 = 60;
const MINUTES_PER_DAY: u32 = 24 * MINUTES_PER_HOUR;

/// What every duration error ends with: the form to write and the range allowed.
pub const WRITE_A_DURATION: &str = "Write a duration like 5m, 2h or 1d, from 1 minute to 7 days.";

/// How long a poll runs: whole minutes, from [`limits::POLL_MIN_MINUTES`] to
/// [`limits::POLL_MAX_DAYS`]. Parsed once from what a person typed; stored as minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct PollDuration(u32);

impl PollDuration {
    /// An hour: how long a poll runs when no duration is given.
    pub const HOUR: PollDuration = PollDuration(MINUTES_PER_HOUR);
    /// A day: how long a weekly poll runs when no duration is given.
    pub const DAY: PollDuration = PollDuration(MINUTES_PER_DAY);

    /// A duration of `minutes`, if inside the range the bot runs polls for.
    pub fn from_minutes(minutes: u32) -> Option<PollDuration> {
        let range = limits::POLL_MIN_MINUTES..=limits::POLL_MAX_DAYS * u64::from(MINUTES_PER_DAY);
        range
            .contains(&u64::from(minutes))
            .then_some(PollDuration(minutes))
    }

    /// How long a poll runs, from what a person typed.
    ///
    /// The grammar: one or more groups of a whole number and a unit, which add up, with spaces
    /// allowed anywhere between them: `5m`, `90m`, `2h`, `1d`, `1h30m`, `1d 12h`, `45 min`,
    /// `3 hours`. Units, in any case: `m`, `min`, `mins`, `minute`, `minutes`; `h`, `hr`,
    /// `hrs`, `hour`, `hours`; `d`, `day`, `days`. A bare number, seconds and fractions
    /// (`1.5h`) are refused, so a typo never silently means something else. The error is the
    /// sentence to show the person.
    pub fn parse(text: &str) -> Result<PollDuration, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err(WRITE_A_DURATION.into());
        }
        let minutes = parse_minutes(text).ok_or_else(|| {
            format!(
                "“{}” is not a duration I can read. {WRITE_A_DURATION}",
                echo(text)
            )
        })?;
        if minutes < limits::POLL_MIN_MINUTES {
            return Err(format!(
                "A poll needs to stay open for at least a minute. {WRITE_A_DURATION}"
            ));
        }
        u32::try_from(minutes)
            .ok()
            .and_then(PollDuration::from_minutes)
            .ok_or_else(|| format!("A poll here stays open for a week at most. {WRITE_A_DURATION}"))
    }

    pub fn minutes(self) -> u32 {
        self.0
    }

    /// The duration, for time arithmetic.
    pub fn span(self) -> SignedDuration {
        SignedDuration::from_mins(i64::from(self.0))
    }

    /// The duration Discord is asked for: whole hours, rounded up, at least
    /// [`limits::POLL_MIN_HOURS`], at most [`limits::POLL_MAX_HOURS`]. Shorter polls are
    /// created with an hour and ended early by the bot (see [`PollDuration::ends_early`]).
    pub fn discord_hours(self) -> u32 {
        self.0
            .div_ceil(MINUTES_PER_HOUR)
            .clamp(limits::POLL_MIN_HOURS, limits::POLL_MAX_HOURS)
    }

    /// Whether the bot must end the poll itself: Discord would keep it open longer.
    pub fn ends_early(self) -> bool {
        self.0 < self.discord_hours() * MINUTES_PER_HOUR
    }
}

impl fmt::Display for PollDuration {
    /// "1 day", "3 hours", "90 minutes".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: u32| if n == 1 { "" } else { "s" };
        match self.0 {
            m if m % MINUTES_PER_DAY == 0 => {
                let days = m / MINUTES_PER_DAY;
                write!(f, "{days} day{}", plural(days))
            }
            m if m % MINUTES_PER_HOUR == 0 => {
                let hours = m / MINUTES_PER_HOUR;
                write!(f, "{hours} hour{}", plural(hours))
            }
            m => write!(f, "{m} minute{}", plural(m)),
        }
    }
}

impl TryFrom<u32> for PollDuration {
    type Error = String;

    fn try_from(minutes: u32) -> Result<PollDuration, String> {
        PollDuration::from_minutes(minutes)
            .ok_or_else(|| format!("{minutes} minutes is outside the durations a poll runs for"))
    }
}

impl From<PollDuration> for u32 {
    fn from(duration: PollDuration) -> u32 {
        duration.0
    }
}

/// The minutes `text` adds up to, or `None` when it does not follow the grammar (or is too
/// large to count).
fn parse_minutes(text: &str) -> Option<u64> {
    let mut rest = text;
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let (number, after) = split_at_first(rest, |c| !c.is_ascii_digit());
        let (unit, after) = split_at_first(after.trim_start(), |c| !c.is_alphabetic());
        let minutes = number
            .parse::<u64>()
            .ok()?
            .checked_mul(unit_minutes(unit)?)?;
        total = total.checked_add(minutes)?;
        rest = after.trim_start();
    }
    Some(total)
}

/// `text` cut before the first character matching `end`.
fn split_at_first(text: &str, end: impl Fn(char) -> bool) -> (&str, &str) {
    text.split_at(text.find(end).unwrap_or(text.len()))
}

fn unit_minutes(unit: &str) -> Option<u64> {
    match unit.to_lowercase().as_str() {
        "m" | "min" | "mins" | "minute" | "minutes" => Some(1),
        "h" | "hr" | "hrs" | "hour" | "hours" => Some(u64::from(MINUTES_PER_HOUR)),
        "d" | "day" | "days" => Some(u64::from(MINUTES_PER_DAY)),
        _ => None,
    }
}

/// A closed poll with an answer the articles support, as its votes stood at the recap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollTally {
    pub kind: PollKind,
    /// The trait, similarity or scenario asked about.
    pub subject: String,
    /// Everyone who voted.
    pub votes: u32,
    /// Those who picked the supported answer.
    pub supported: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes(text: &str) -> u32 {
        PollDuration::parse(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .minutes()
    }

    #[test]
    fn durations_in_minutes_hours_and_days_are_read() {
        assert_eq!(minutes("5m"), 5);
        assert_eq!(minutes("1m"), 1);
        assert_eq!(minutes("90m"), 90);
        assert_eq!(minutes("2h"), 120);
        assert_eq!(minutes("1d"), 1440);
        assert_eq!(minutes("7d"), 7 * 1440);
        assert_eq!(minutes("1h30m"), 90);
        assert_eq!(minutes(" 1d 12h "), 36 * 60);
        assert_eq!(minutes("45 min"), 45);
        assert_eq!(minutes("3 Hours"), 180);
        assert_eq!(minutes("2H"), 120);
        assert_eq!(minutes("6d23h59m"), 7 * 1440 - 1);
    }

    #[test]
    fn unreadable_durations_say_what_to_write() {
        for text in [
            "",
            "  ",
            "5",
            "1h30",
            "1.5h",
            "-5m",
            "h",
            "30s",
            "5mm",
            "one hour",
            "5m!",
            "1h,30m",
            "٥m",
            "99999999999999999999m",
        ] {
            let message = PollDuration::parse(text).expect_err(text);
            assert!(message.ends_with(WRITE_A_DURATION), "{text}: {message}");
        }
        let message = PollDuration::parse("soon").expect_err("words");
        assert!(message.contains("“soon”"), "{message}");
    }

    #[test]
    fn durations_outside_a_minute_to_a_week_are_refused() {
        // The sentences name the range in words; they must follow the limits.
        assert_eq!((limits::POLL_MIN_MINUTES, limits::POLL_MAX_DAYS), (1, 7));
        for text in ["0m", "0h", "0d 0m", "7d1m", "8d", "169h", "10081m"] {
            let message = PollDuration::parse(text).expect_err(text);
            assert!(message.ends_with(WRITE_A_DURATION), "{text}: {message}");
        }
        assert!(PollDuration::parse("0m").is_err_and(|e| e.contains("at least a minute")));
        assert!(PollDuration::parse("8d").is_err_and(|e| e.contains("a week at most")));
    }

    #[test]
    fn discord_is_asked_for_whole_hours_rounded_up() {
        let from = |text: &str| PollDuration::parse(text).expect(text).discord_hours();
        assert_eq!(from("5m"), 1);
        assert_eq!(from("1h"), 1);
        assert_eq!(from("61m"), 2);
        assert_eq!(from("90m"), 2);
        assert_eq!(from("7d"), 168);
    }

    #[test]
    fn the_bot_ends_a_poll_itself_only_when_discord_would_run_it_longer() {
        let early = |text: &str| PollDuration::parse(text).expect(text).ends_early();
        assert!(early("5m"));
        assert!(early("90m"));
        assert!(!early("1h"));
        assert!(!early("2h"));
        assert!(!early("7d"));
    }

    #[test]
    fn durations_are_labelled_in_the_largest_whole_unit() {
        let label = |text: &str| PollDuration::parse(text).expect(text).to_string();
        assert_eq!(label("1d"), "1 day");
        assert_eq!(label("2d"), "2 days");
        assert_eq!(label("1h"), "1 hour");
        assert_eq!(label("36h"), "36 hours");
        assert_eq!(label("1m"), "1 minute");
        assert_eq!(label("90m"), "90 minutes");
    }

    #[test]
    fn a_timed_poll_is_stored_in_the_shape_earlier_claims_were_written_in() {
        let stored = r#"{"kind":"quiz","question":"Q?","answers":[{"text":"Leader","entry_id":"leader"},{"text":"Manager","entry_id":"manager"}],"subject":"t","correct":1,"multiselect":false,"duration_minutes":90}"#;
        let poll: TimedPoll = serde_json::from_str(stored).expect("reads");
        assert_eq!(poll.spec.kind, PollKind::Quiz);
        assert_eq!(poll.spec.correct, Some(1));
        assert_eq!(poll.duration.minutes(), 90);
        let again: TimedPoll =
            serde_json::from_str(&serde_json::to_string(&poll).expect("writes")).expect("reads");
        assert_eq!(again, poll);
        assert!(serde_json::from_str::<TimedPoll>(&stored.replace("90", "0")).is_err());
    }

    #[test]
    fn kinds_and_states_read_back_what_they_store() {
        for kind in [PollKind::Quiz, PollKind::Needs, PollKind::Scenario] {
            assert_eq!(PollKind::from_stored(kind.as_str()), Some(kind));
        }
        for state in [
            PollState::Open,
            PollState::Recapping,
            PollState::Recapped,
            PollState::Failed,
        ] {
            assert_eq!(PollState::from_stored(state.as_str()), Some(state));
        }
        assert_eq!(PollKind::from_stored("survey"), None);
    }

    #[test]
    fn the_stored_names_are_the_ones_the_databases_hold() {
        use strum::VariantArray as _;
        let kinds: Vec<&str> = PollKind::VARIANTS.iter().map(|k| k.as_str()).collect();
        assert_eq!(kinds, ["quiz", "pulse", "scenario"]);
        let states: Vec<&str> = PollState::VARIANTS.iter().map(|s| s.as_str()).collect();
        assert_eq!(states, ["open", "recapping", "recapped", "failed"]);
        for &kind in PollKind::VARIANTS {
            let json = serde_json::to_string(&kind).expect("json");
            assert_eq!(
                json,
                format!("\"{}\"", kind.as_str()),
                "serde and strum agree"
            );
        }
    }
}
