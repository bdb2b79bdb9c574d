//! Team polls, decided without Discord: what a poll asks, how long Discord is asked to run it,
//! and the recap posted when it closes.
//!
//! Two kinds of poll get a team talking about how it leads and manages. A *quiz* names one
//! trait or similarity and asks whether it belongs to leading, managing or both; its recap
//! gives the answer and the reason from the content. A *pulse* offers a handful of traits and
//! asks which the team needs more of; its recap looks closer at the winner: the contrast it
//! belongs to and a tip to try.
//!
//! Everything here is data in, data out. Randomness comes only from the `rng` passed in, and a
//! recap depends only on the content, the [`PollSpec`] and the final counts, so the `discord`
//! layer can store a poll's kind and content ids, rebuild the spec after a restart
//! ([`quiz_about`], [`pulse_from`]) and post exactly the recap it would have posted anyway.

use std::time::Duration;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;

use super::error::echo;
use super::{check, UserError};
use crate::content::{Content, Side, Similarity, Trait, TraitKind};
use crate::limits;

/// Which list a pulse poll draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PulseList {
    LeaderTraits,
    ManagerTraits,
    /// Skills of both sides.
    Skills,
    /// Every trait of both sides.
    Mixed,
}

impl PulseList {
    pub const ALL: [PulseList; 4] = [
        PulseList::LeaderTraits,
        PulseList::ManagerTraits,
        PulseList::Skills,
        PulseList::Mixed,
    ];

    /// How the list is named to a person, as in the command's choices.
    pub fn label(self) -> &'static str {
        match self {
            PulseList::LeaderTraits => "Leader traits",
            PulseList::ManagerTraits => "Manager traits",
            PulseList::Skills => "Skills",
            PulseList::Mixed => "Mixed",
        }
    }

    fn includes(self, trait_: &Trait) -> bool {
        match self {
            PulseList::LeaderTraits => trait_.side == Side::Leader,
            PulseList::ManagerTraits => trait_.side == Side::Manager,
            PulseList::Skills => trait_.kind == TraitKind::Skill,
            PulseList::Mixed => true,
        }
    }

    /// The traits this list offers, in file order.
    pub fn traits(self, content: &Content) -> Vec<&Trait> {
        content.traits.iter().filter(|t| self.includes(t)).collect()
    }
}

/// What kind of poll, as stored (so a recap can be rebuilt after a restart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PollKind {
    Quiz,
    Pulse,
}

impl PollKind {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PollKind::Quiz => "quiz",
            PollKind::Pulse => "pulse",
        }
    }

    /// The kind a stored word names.
    pub fn from_stored(word: &str) -> Option<PollKind> {
        match word {
            "quiz" => Some(PollKind::Quiz),
            "pulse" => Some(PollKind::Pulse),
            _ => None,
        }
    }
}

/// One answer of a poll: the text shown (<= 55 chars) and the content entry it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollAnswer {
    pub text: String,
    pub entry_id: String,
}

/// A poll ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSpec {
    pub kind: PollKind,
    /// At most [`limits::POLL_QUESTION`] characters.
    pub question: String,
    /// Between [`limits::POLL_MIN_ANSWERS`] and [`limits::POLL_MAX_ANSWERS`], no two from the
    /// same entry, distinct texts.
    pub answers: Vec<PollAnswer>,
    pub multiselect: bool,
    /// For a quiz: the id of the trait or similarity asked about, and the index of the correct answer.
    pub subject: Option<String>,
    pub correct: Option<usize>,
}

impl PollSpec {
    /// Every way this poll breaks Discord's limits or our own rules; empty when it can be sent.
    pub fn limit_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        check(
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
            check(
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

    /// A quiz has one right answer and takes one vote per person; a pulse has neither.
    fn kind_problems(&self, problems: &mut Vec<String>) {
        match self.kind {
            PollKind::Quiz => {
                if self.subject.is_none() {
                    problems.push("the quiz names no subject".into());
                }
                if self.correct.is_none_or(|i| i >= self.answers.len()) {
                    problems.push(format!(
                        "the quiz's correct answer {:?} is not one of its {} answers",
                        self.correct,
                        self.answers.len()
                    ));
                }
                if self.multiselect {
                    problems.push("a quiz takes one answer per person".into());
                }
            }
            PollKind::Pulse => {
                if self.subject.is_some() || self.correct.is_some() {
                    problems.push("a pulse poll has no subject or correct answer".into());
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

// ----- Quiz -----

/// The three answers of every quiz, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuizAnswer {
    Leader,
    Manager,
    Both,
}

impl QuizAnswer {
    const ALL: [QuizAnswer; 3] = [QuizAnswer::Leader, QuizAnswer::Manager, QuizAnswer::Both];

    fn of_side(side: Side) -> QuizAnswer {
        match side {
            Side::Leader => QuizAnswer::Leader,
            Side::Manager => QuizAnswer::Manager,
        }
    }

    fn id(self) -> &'static str {
        match self {
            QuizAnswer::Leader => "leader",
            QuizAnswer::Manager => "manager",
            QuizAnswer::Both => "both",
        }
    }

    fn label(self) -> &'static str {
        match self {
            QuizAnswer::Leader => Side::Leader.label(),
            QuizAnswer::Manager => Side::Manager.label(),
            QuizAnswer::Both => "Both",
        }
    }

    /// Where the answer stands among [`QuizAnswer::ALL`].
    fn index(self) -> usize {
        match self {
            QuizAnswer::Leader => 0,
            QuizAnswer::Manager => 1,
            QuizAnswer::Both => 2,
        }
    }
}

/// What a quiz can ask about: a trait of one side, or something both sides share.
#[derive(Debug, Clone, Copy)]
enum Subject<'a> {
    Trait(&'a Trait),
    Similarity(&'a Similarity),
}

impl<'a> Subject<'a> {
    /// Every trait, then every similarity, in file order.
    fn all(content: &'a Content) -> Vec<Subject<'a>> {
        content
            .traits
            .iter()
            .map(Subject::Trait)
            .chain(content.similarities.iter().map(Subject::Similarity))
            .collect()
    }

    fn find(content: &'a Content, id: &str) -> Option<Subject<'a>> {
        content
            .trait_by_id(id)
            .map(Subject::Trait)
            .or_else(|| content.similarity(id).map(Subject::Similarity))
    }

    fn id(self) -> &'a str {
        match self {
            Subject::Trait(t) => &t.id,
            Subject::Similarity(s) => &s.id,
        }
    }

    fn short(self) -> &'a str {
        match self {
            Subject::Trait(t) => &t.short,
            Subject::Similarity(s) => &s.short,
        }
    }

    fn answer(self) -> QuizAnswer {
        match self {
            Subject::Trait(t) => QuizAnswer::of_side(t.side),
            Subject::Similarity(_) => QuizAnswer::Both,
        }
    }
}

/// The quiz question without its subject: used on its own only when content offers nothing
/// to ask about, which validated content never does.
const QUIZ_QUESTION: &str = "Who does this: a leader, a manager, or both?";

/// A "leader, manager, or both?" quiz about one trait or similarity, picked at random with
/// equal chances for each. Validated content always has traits; on content without any, the
/// spec has no subject and [`PollSpec::limit_problems`] says so.
pub fn quiz(content: &Content, rng: &mut impl Rng) -> PollSpec {
    match Subject::all(content).choose(rng) {
        Some(subject) => quiz_of(*subject),
        None => PollSpec {
            kind: PollKind::Quiz,
            question: QUIZ_QUESTION.into(),
            answers: quiz_answers(),
            multiselect: false,
            subject: None,
            correct: None,
        },
    }
}

/// The quiz about the trait or similarity `subject_id`, as [`quiz`] would build it: for
/// rebuilding a stored poll. `None` when content no longer has that entry.
pub fn quiz_about(content: &Content, subject_id: &str) -> Option<PollSpec> {
    Subject::find(content, subject_id).map(quiz_of)
}

fn quiz_of(subject: Subject<'_>) -> PollSpec {
    PollSpec {
        kind: PollKind::Quiz,
        question: format!("{QUIZ_QUESTION} “{}”", subject.short()),
        answers: quiz_answers(),
        multiselect: false,
        subject: Some(subject.id().to_string()),
        correct: Some(subject.answer().index()),
    }
}

fn quiz_answers() -> Vec<PollAnswer> {
    QuizAnswer::ALL
        .iter()
        .map(|answer| PollAnswer {
            text: answer.label().into(),
            entry_id: answer.id().into(),
        })
        .collect()
}

// ----- Pulse -----

const PULSE_QUESTION: &str = "What does our team need more of right now?";
const PULSE_QUESTION_MULTI: &str = "What does our team need more of right now? Pick all that fit.";

/// A "what do we need more of?" poll offering `answers` traits of `list`, drawn at random
/// without repetition and shown in random order.
pub fn pulse(
    content: &Content,
    list: PulseList,
    answers: usize,
    multiselect: bool,
    rng: &mut impl Rng,
) -> Result<PollSpec, UserError> {
    check_answer_count(answers)?;
    let mut pool = list.traits(content);
    if pool.len() < answers {
        return Err(list_too_short(list, pool.len(), answers));
    }
    let (chosen, _) = pool.partial_shuffle(rng, answers);
    Ok(pulse_of(chosen, multiselect))
}

/// The pulse poll offering exactly the traits `entry_ids`, in that order: for rebuilding a
/// stored poll. `None` when content no longer has one of them.
pub fn pulse_from(content: &Content, entry_ids: &[String], multiselect: bool) -> Option<PollSpec> {
    let traits: Option<Vec<&Trait>> = entry_ids.iter().map(|id| content.trait_by_id(id)).collect();
    traits.map(|traits| pulse_of(&traits, multiselect))
}

fn pulse_of(traits: &[&Trait], multiselect: bool) -> PollSpec {
    let question = if multiselect {
        PULSE_QUESTION_MULTI
    } else {
        PULSE_QUESTION
    };
    PollSpec {
        kind: PollKind::Pulse,
        question: question.into(),
        answers: traits
            .iter()
            .map(|t| PollAnswer {
                text: t.short.to_string(),
                entry_id: t.id.to_string(),
            })
            .collect(),
        multiselect,
        subject: None,
        correct: None,
    }
}

fn check_answer_count(answers: usize) -> Result<(), UserError> {
    let (fewest, most) = (limits::POLL_MIN_ANSWERS, limits::POLL_MAX_ANSWERS);
    if (fewest..=most).contains(&answers) {
        return Ok(());
    }
    Err(UserError::Invalid(format!(
        "A pulse poll offers from {fewest} to {most} answers. \
         Set `answers` to a number in that range (you asked for {answers})."
    )))
}

fn list_too_short(list: PulseList, has: usize, asked: usize) -> UserError {
    let entries = if has == 1 { "entry" } else { "entries" };
    let label = list.label();
    let mixed = PulseList::Mixed.label();
    let message = match (has < limits::POLL_MIN_ANSWERS, list == PulseList::Mixed) {
        (true, true) => format!("The {label} list has {has} {entries}, too few for a poll."),
        (true, false) => format!(
            "The {label} list has {has} {entries}, too few for a poll. Try the {mixed} list."
        ),
        (false, mixed_already) => {
            let longer = if mixed_already {
                String::new()
            } else {
                format!(", or the longer {mixed} list")
            };
            format!(
                "The {label} list has {has} {entries}, fewer than the {asked} answers you \
                 asked for. Try `answers:{has}` or fewer{longer}."
            )
        }
    };
    UserError::Invalid(message)
}

// ----- Duration -----

const MINUTES_PER_HOUR: u64 = 60;
const MINUTES_PER_DAY: u64 = 24 * MINUTES_PER_HOUR;
const SECONDS_PER_HOUR: u64 = 3600;

/// What every duration error ends with: the form to write and the range allowed.
const WRITE_A_DURATION: &str = "Write a duration like 5m, 2h or 1d, from 1 minute to 7 days.";

/// How long a poll runs, from what a person typed.
///
/// The grammar: one or more groups of a whole number and a unit, which add up, with spaces
/// allowed anywhere between them: `5m`, `90m`, `2h`, `1d`, `1h30m`, `1d 12h`, `45 min`,
/// `3 hours`. Units, in any case: `m`, `min`, `mins`, `minute`, `minutes`; `h`, `hr`, `hrs`,
/// `hour`, `hours`; `d`, `day`, `days`. A bare number, seconds and fractions (`1.5h`) are
/// refused, so a typo never silently means something else. The result is from
/// [`limits::POLL_MIN_MINUTES`] to [`limits::POLL_MAX_DAYS`]; when the option is left out the
/// caller uses an hour.
pub fn parse_duration(text: &str) -> Result<Duration, UserError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(UserError::Invalid(WRITE_A_DURATION.into()));
    }
    let minutes = parse_minutes(text).ok_or_else(|| {
        UserError::Invalid(format!(
            "“{}” is not a duration I can read. {WRITE_A_DURATION}",
            echo(text)
        ))
    })?;
    if minutes < limits::POLL_MIN_MINUTES {
        return Err(UserError::Invalid(format!(
            "A poll needs to stay open for at least a minute. {WRITE_A_DURATION}"
        )));
    }
    if minutes > limits::POLL_MAX_DAYS * MINUTES_PER_DAY {
        return Err(UserError::Invalid(format!(
            "A poll here stays open for a week at most. {WRITE_A_DURATION}"
        )));
    }
    Ok(Duration::from_secs(minutes * 60))
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
        "h" | "hr" | "hrs" | "hour" | "hours" => Some(MINUTES_PER_HOUR),
        "d" | "day" | "days" => Some(MINUTES_PER_DAY),
        _ => None,
    }
}

/// The duration Discord is asked for: whole hours, rounded up, at least
/// [`limits::POLL_MIN_HOURS`], at most [`limits::POLL_MAX_HOURS`]. Shorter polls are created
/// with an hour and ended early by the bot (see [`ends_early`]).
pub fn discord_hours(duration: Duration) -> u32 {
    let started_second = u64::from(duration.subsec_nanos() > 0);
    let seconds = duration.as_secs().saturating_add(started_second);
    let hours = u32::try_from(seconds.div_ceil(SECONDS_PER_HOUR)).unwrap_or(u32::MAX);
    hours.clamp(limits::POLL_MIN_HOURS, limits::POLL_MAX_HOURS)
}

/// Whether the bot must end the poll itself: Discord would keep it open past `duration`.
pub fn ends_early(duration: Duration) -> bool {
    let asked = Duration::from_secs(u64::from(discord_hours(duration)) * SECONDS_PER_HOUR);
    duration < asked
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;

    const SEEDS: u64 = 200;

    fn content() -> Content {
        Content::bundled().expect("bundled content is valid")
    }

    fn assert_sendable(spec: &PollSpec) {
        let problems = spec.limit_problems();
        assert!(problems.is_empty(), "{spec:?}: {problems:?}");
    }

    fn expected_answer(content: &Content, subject: &str) -> &'static str {
        match content.trait_by_id(subject) {
            Some(t) => t.side.label(),
            None => {
                assert!(content.similarity(subject).is_some(), "{subject} unknown");
                "Both"
            }
        }
    }

    fn invalid_message(error: UserError) -> String {
        match error {
            UserError::Invalid(message) => message,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn every_quiz_subject_makes_a_sendable_quiz_with_the_right_answer() {
        let content = content();
        let ids = content
            .traits
            .iter()
            .map(|t| t.id.as_str())
            .chain(content.similarities.iter().map(|s| s.id.as_str()));
        for id in ids {
            let spec = quiz_about(&content, id).expect("subject exists");
            assert_sendable(&spec);
            assert_eq!(spec.kind, PollKind::Quiz);
            assert_eq!(spec.subject.as_deref(), Some(id));
            let texts: Vec<&str> = spec.answers.iter().map(|a| a.text.as_str()).collect();
            assert_eq!(texts, ["Leader", "Manager", "Both"]);
            let correct = spec.correct.expect("a quiz has a correct answer");
            assert_eq!(spec.answers[correct].text, expected_answer(&content, id));
            assert!(!spec.multiselect);
        }
    }

    #[test]
    fn the_quiz_question_names_the_short_label() {
        let content = content();
        let trait_ = &content.traits[0];
        let spec = quiz_about(&content, &trait_.id).expect("exists");
        assert!(spec.question.contains(&format!("“{}”", trait_.short)));
        assert!(spec.question.starts_with(QUIZ_QUESTION));
    }

    #[test]
    fn random_quizzes_are_sendable_and_reach_both_sides_and_similarities() {
        let content = content();
        let mut answers_seen = HashSet::new();
        for seed in 0..SEEDS {
            let spec = quiz(&content, &mut StdRng::seed_from_u64(seed));
            assert_sendable(&spec);
            let subject = spec.subject.clone().expect("a subject");
            let correct = spec.correct.expect("a correct answer");
            assert_eq!(
                spec.answers[correct].text,
                expected_answer(&content, &subject)
            );
            answers_seen.insert(spec.answers[correct].text.clone());
        }
        assert_eq!(answers_seen.len(), 3, "{answers_seen:?}");
    }

    #[test]
    fn a_quiz_without_anything_to_ask_is_caught_by_the_limit_check() {
        let mut content = content();
        content.traits.clear();
        content.similarities.clear();
        let spec = quiz(&content, &mut StdRng::seed_from_u64(1));
        assert!(!spec.limit_problems().is_empty());
    }

    #[test]
    fn every_pulse_list_and_size_is_sendable_over_many_seeds() {
        let content = content();
        for list in PulseList::ALL {
            let pool = list.traits(&content);
            let most = pool.len().min(limits::POLL_MAX_ANSWERS);
            for answers in limits::POLL_MIN_ANSWERS..=most {
                for seed in 0..SEEDS {
                    let multiselect = seed % 2 == 0;
                    let mut rng = StdRng::seed_from_u64(seed);
                    let spec = pulse(&content, list, answers, multiselect, &mut rng)
                        .expect("the list is long enough");
                    assert_sendable(&spec);
                    assert_eq!(spec.answers.len(), answers);
                    assert_eq!(spec.multiselect, multiselect);
                    assert_eq!((spec.subject.as_ref(), spec.correct), (None, None));
                    for answer in &spec.answers {
                        let trait_ = content.trait_by_id(&answer.entry_id).expect("a trait");
                        assert!(list.includes(trait_), "{} not in {list:?}", trait_.id);
                        assert_eq!(answer.text, trait_.short.as_str());
                    }
                }
            }
        }
    }

    #[test]
    fn pulse_polls_never_repeat_an_entry_or_a_text() {
        let content = content();
        for list in PulseList::ALL {
            for seed in 0..SEEDS {
                let mut rng = StdRng::seed_from_u64(seed);
                let spec = pulse(&content, list, 10, false, &mut rng).expect("long enough");
                let ids: HashSet<&str> = spec.answers.iter().map(|a| a.entry_id.as_str()).collect();
                let texts: HashSet<&str> = spec.answers.iter().map(|a| a.text.as_str()).collect();
                assert_eq!(ids.len(), spec.answers.len());
                assert_eq!(texts.len(), spec.answers.len());
            }
        }
    }

    #[test]
    fn every_list_is_long_enough_for_the_largest_poll_in_bundled_content() {
        let content = content();
        for list in PulseList::ALL {
            assert!(
                list.traits(&content).len() >= limits::POLL_MAX_ANSWERS,
                "{list:?}"
            );
        }
    }

    #[test]
    fn pulse_rejects_answer_counts_outside_two_to_ten() {
        let content = content();
        for answers in [0, 1, 11, 50] {
            let error = pulse(
                &content,
                PulseList::Mixed,
                answers,
                false,
                &mut StdRng::seed_from_u64(1),
            )
            .expect_err("out of range");
            let message = invalid_message(error);
            assert!(message.contains("from 2 to 10 answers"), "{message}");
            assert!(
                message.contains(&format!("(you asked for {answers})")),
                "{message}"
            );
        }
    }

    #[test]
    fn a_list_shorter_than_asked_says_how_many_it_has_and_suggests_a_number() {
        let mut content = content();
        let mut skills = 0;
        content.traits.retain(|t| {
            let keep = t.kind != TraitKind::Skill || skills < 3;
            skills += usize::from(t.kind == TraitKind::Skill);
            keep
        });
        let error = pulse(
            &content,
            PulseList::Skills,
            5,
            false,
            &mut StdRng::seed_from_u64(1),
        )
        .expect_err("only 3 skills");
        let message = invalid_message(error);
        assert!(
            message.contains("The Skills list has 3 entries"),
            "{message}"
        );
        assert!(message.contains("5 answers"), "{message}");
        assert!(message.contains("`answers:3`"), "{message}");
        assert!(message.contains("the longer Mixed list"), "{message}");
        assert!(pulse(
            &content,
            PulseList::Skills,
            3,
            false,
            &mut StdRng::seed_from_u64(1)
        )
        .is_ok());
    }

    #[test]
    fn a_short_mixed_list_suggests_only_a_smaller_number() {
        let mut content = content();
        content.traits.truncate(4);
        let error = pulse(
            &content,
            PulseList::Mixed,
            5,
            false,
            &mut StdRng::seed_from_u64(1),
        )
        .expect_err("only 4 traits");
        let message = invalid_message(error);
        assert!(
            message.contains("The Mixed list has 4 entries"),
            "{message}"
        );
        assert!(message.ends_with("Try `answers:4` or fewer."), "{message}");
    }

    #[test]
    fn a_list_too_short_for_any_poll_suggests_another_list() {
        let mut content = content();
        let first_skill = content
            .traits
            .iter()
            .find(|t| t.kind == TraitKind::Skill)
            .map(|t| t.id.to_string());
        content
            .traits
            .retain(|t| t.kind != TraitKind::Skill || Some(t.id.to_string()) == first_skill);
        let error = pulse(
            &content,
            PulseList::Skills,
            2,
            false,
            &mut StdRng::seed_from_u64(1),
        )
        .expect_err("one skill");
        let message = invalid_message(error);
        assert!(message.contains("has 1 entry, too few"), "{message}");
        assert!(message.contains("Try the Mixed list."), "{message}");
    }

    #[test]
    fn a_stored_poll_rebuilds_to_the_same_spec() {
        let content = content();
        let mut rng = StdRng::seed_from_u64(5);
        let spec = pulse(&content, PulseList::Mixed, 6, true, &mut rng).expect("ok");
        let ids: Vec<String> = spec.answers.iter().map(|a| a.entry_id.clone()).collect();
        assert_eq!(pulse_from(&content, &ids, true), Some(spec));
        let quiz_spec = quiz(&content, &mut rng);
        let subject = quiz_spec.subject.clone().expect("subject");
        assert_eq!(quiz_about(&content, &subject), Some(quiz_spec));
        assert_eq!(quiz_about(&content, "no-such-entry"), None);
        assert_eq!(pulse_from(&content, &["no-such-entry".into()], false), None);
    }

    #[test]
    fn poll_kinds_round_trip_through_storage() {
        for kind in [PollKind::Quiz, PollKind::Pulse] {
            assert_eq!(PollKind::from_stored(kind.as_str()), Some(kind));
        }
        assert_eq!(PollKind::from_stored("Quiz "), None);
    }

    #[test]
    fn limit_problems_names_each_broken_rule() {
        let answer = |text: &str, id: &str| PollAnswer {
            text: text.into(),
            entry_id: id.into(),
        };
        let spec = PollSpec {
            kind: PollKind::Pulse,
            question: "q".repeat(limits::POLL_QUESTION + 1),
            answers: vec![
                answer(&"a".repeat(limits::POLL_ANSWER + 1), "one"),
                answer("Same", "two"),
                answer("same ", "three"),
                answer("Other", "two"),
            ],
            multiselect: false,
            subject: None,
            correct: None,
        };
        let problems = spec.limit_problems();
        assert_eq!(problems.len(), 4, "{problems:?}");

        let lonely = PollSpec {
            kind: PollKind::Quiz,
            question: "Who?".into(),
            answers: vec![answer("Leader", "leader")],
            multiselect: true,
            subject: None,
            correct: Some(1),
        };
        // One answer, no subject, a correct index past the end, multiselect.
        assert_eq!(
            lonely.limit_problems().len(),
            4,
            "{:?}",
            lonely.limit_problems()
        );

        let too_many = PollSpec {
            kind: PollKind::Pulse,
            question: "Which?".into(),
            answers: (0..=limits::POLL_MAX_ANSWERS)
                .map(|i| answer(&format!("answer {i}"), &format!("id-{i}")))
                .collect(),
            multiselect: false,
            subject: Some("x".into()),
            correct: None,
        };
        assert_eq!(too_many.limit_problems().len(), 2);
    }

    fn minutes(text: &str) -> u64 {
        parse_duration(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .as_secs()
            / 60
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
            let message = invalid_message(parse_duration(text).expect_err(text));
            assert!(message.ends_with(WRITE_A_DURATION), "{text}: {message}");
        }
        let message = invalid_message(parse_duration("soon").expect_err("words"));
        assert!(message.contains("“soon”"), "{message}");
    }

    #[test]
    fn durations_outside_a_minute_to_a_week_are_refused() {
        // The sentences name the range in words; they must follow the limits.
        assert_eq!((limits::POLL_MIN_MINUTES, limits::POLL_MAX_DAYS), (1, 7));
        for text in ["0m", "0h", "0d 0m", "7d1m", "8d", "169h", "10081m"] {
            let message = invalid_message(parse_duration(text).expect_err(text));
            assert!(message.ends_with(WRITE_A_DURATION), "{text}: {message}");
        }
        assert!(parse_duration("0m").is_err_and(|e| e.to_string().contains("at least a minute")));
        assert!(parse_duration("8d").is_err_and(|e| e.to_string().contains("a week at most")));
    }

    #[test]
    fn discord_is_asked_for_whole_hours_rounded_up() {
        let from = |text: &str| discord_hours(parse_duration(text).expect(text));
        assert_eq!(from("5m"), 1);
        assert_eq!(from("1h"), 1);
        assert_eq!(from("61m"), 2);
        assert_eq!(from("90m"), 2);
        assert_eq!(from("7d"), 168);
        assert_eq!(discord_hours(Duration::ZERO), limits::POLL_MIN_HOURS);
        assert_eq!(discord_hours(Duration::from_millis(3_600_001)), 2);
        assert_eq!(discord_hours(Duration::MAX), limits::POLL_MAX_HOURS);
    }

    #[test]
    fn the_bot_ends_a_poll_itself_only_when_discord_would_run_it_longer() {
        let early = |text: &str| ends_early(parse_duration(text).expect(text));
        assert!(early("5m"));
        assert!(early("90m"));
        assert!(!early("1h"));
        assert!(!early("2h"));
        assert!(!early("7d"));
    }
}
