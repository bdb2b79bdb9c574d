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

use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;

use super::library::{contrast_embed, distinct_sources, source_line};
use super::{Accent, Embed, Field, Reply, UserError};
use crate::content::{Content, Contrast, Side, Similarity, Text, Tip, Trait, TraitKind};
use crate::limits;
pub use crate::model::poll::{PollAnswer, PollKind, PollSpec};

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

    fn accent(self) -> Accent {
        match self {
            QuizAnswer::Leader => Accent::Leader,
            QuizAnswer::Manager => Accent::Manager,
            QuizAnswer::Both => Accent::Both,
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

    /// Why the answer is right, in the content's words.
    fn explanation(self) -> &'a str {
        match self {
            Subject::Trait(t) => &t.detail,
            Subject::Similarity(s) => &s.shared,
        }
    }

    fn sources(self) -> &'a [Text] {
        match self {
            Subject::Trait(t) => &t.sources,
            Subject::Similarity(s) => &s.sources,
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

// ----- Recap -----

const QUIZ_RECAP_TITLE: &str = "Quiz results";
const PULSE_RECAP_TITLE: &str = "Team pulse results";
const NOBODY_VOTED: &str = "Nobody voted this time.";
/// Said in place of a quiz's reason when content no longer has the entry it asked about.
const REASON_GONE: &str = "The entry this quiz asked about is no longer in the library.";

/// The recap posted as a reply to the poll when it closes. `counts[i]` = votes for `answers[i]`;
/// a missing count is taken as no votes, and extra ones are ignored.
///
/// It depends only on its arguments, so a recap rebuilt after a restart is the same one.
pub fn recap(content: &Content, spec: &PollSpec, counts: &[u64]) -> Reply {
    let counts: Vec<u64> = (0..spec.answers.len())
        .map(|i| counts.get(i).copied().unwrap_or(0))
        .collect();
    let embed = match spec.kind {
        PollKind::Quiz => quiz_recap(content, spec, &counts),
        PollKind::Pulse => pulse_recap(content, spec, &counts),
        PollKind::Scenario => super::scenario_poll::scenario_recap(content, spec, &counts),
    };
    Reply::embed(embed)
}

/// Whole percentages of `counts` that add up to 100, by the largest-remainder method (equal
/// remainders go to the earlier answer, so 1/1/1 is 34/33/33). `None` when nobody voted.
pub fn percentages(counts: &[u64]) -> Option<Vec<u8>> {
    let total: u128 = counts.iter().map(|&c| u128::from(c)).sum();
    if total == 0 {
        return None;
    }
    let scaled: Vec<u128> = counts.iter().map(|&c| u128::from(c) * 100).collect();
    let mut shares: Vec<u8> = scaled
        .iter()
        .map(|s| u8::try_from(s / total).unwrap_or(100))
        .collect();
    let given: usize = shares.iter().map(|&s| usize::from(s)).sum();
    let mut by_remainder: Vec<usize> = (0..counts.len()).collect();
    // A stable sort: equal remainders keep the answers' order.
    by_remainder.sort_by_key(|&i| std::cmp::Reverse(scaled[i] % total));
    for &i in by_remainder.iter().take(100usize.saturating_sub(given)) {
        shares[i] += 1;
    }
    Some(shares)
}

/// The answers with the most votes, in order; empty when nobody voted.
fn most_voted(counts: &[u64]) -> Vec<usize> {
    let top = counts.iter().copied().max().unwrap_or(0);
    if top == 0 {
        return Vec::new();
    }
    (0..counts.len()).filter(|&i| counts[i] == top).collect()
}

/// One line per answer with its votes and share, the `bold` ones in bold; or a note that
/// nobody voted.
pub(super) fn tally(spec: &PollSpec, counts: &[u64], bold: &[usize]) -> String {
    let Some(shares) = percentages(counts) else {
        return NOBODY_VOTED.into();
    };
    let lines: Vec<String> = spec
        .answers
        .iter()
        .zip(counts.iter().zip(shares))
        .enumerate()
        .map(|(i, (answer, (&count, share)))| {
            let line = format!("{} — {} ({share}%)", answer.text, votes(count));
            if bold.contains(&i) {
                format!("**{line}**")
            } else {
                line
            }
        })
        .collect();
    lines.join("\n")
}

fn votes(count: u64) -> String {
    if count == 1 {
        "1 vote".into()
    } else {
        format!("{count} votes")
    }
}

/// The question, the tally, and the right answer with the reason content gives for it.
fn quiz_recap(content: &Content, spec: &PollSpec, counts: &[u64]) -> Embed {
    let correct = spec
        .correct
        .and_then(|i| spec.answers.get(i).map(|answer| (i, answer)));
    let subject = spec
        .subject
        .as_deref()
        .and_then(|id| Subject::find(content, id));
    let bold: Vec<usize> = correct.iter().map(|(i, _)| *i).collect();
    let fields = correct
        .map(|(_, answer)| {
            let reason = subject.map_or(REASON_GONE, |s| s.explanation());
            Field::new(format!("The answer: {}", answer.text), reason)
        })
        .into_iter()
        .collect();
    let accent = correct
        .and_then(|(_, answer)| {
            QuizAnswer::ALL
                .into_iter()
                .find(|q| q.id() == answer.entry_id)
        })
        .map_or(Accent::Neutral, QuizAnswer::accent);
    Embed {
        title: Some(QUIZ_RECAP_TITLE.into()),
        description: Some(format!(
            "{}\n\n{}",
            spec.question,
            tally(spec, counts, &bold)
        )),
        fields,
        footer: subject.map(|s| source_line(content, s.sources())),
        accent,
    }
}

/// The question, the tally, the winner, and for the winner (the first, on a tie) the
/// contrast it belongs to and a tip to try. Without votes, the tally says so and nothing more.
fn pulse_recap(content: &Content, spec: &PollSpec, counts: &[u64]) -> Embed {
    let top = most_voted(counts);
    let mut embed = Embed {
        title: Some(PULSE_RECAP_TITLE.into()),
        description: Some(format!(
            "{}\n\n{}",
            spec.question,
            tally(spec, counts, &top)
        )),
        fields: Vec::new(),
        footer: None,
        accent: Accent::Neutral,
    };
    let winners: Vec<&PollAnswer> = top.iter().filter_map(|&i| spec.answers.get(i)).collect();
    let Some(first) = winners.first() else {
        return embed;
    };
    let winner_traits: Vec<&Trait> = winners
        .iter()
        .filter_map(|a| content.trait_by_id(&a.entry_id))
        .collect();
    embed.accent = accent_of_sides(&winner_traits);
    let names: Vec<&str> = winners.iter().map(|a| a.text.as_str()).collect();
    let said = winner_sentence(&names);
    let mut plain = embed.clone();
    append(&mut plain, &said);
    let looked_at = content
        .trait_by_id(&first.entry_id)
        .and_then(|t| content.contrast(&t.contrast).map(|c| (t, c)));
    let Some((trait_, contrast)) = looked_at else {
        return plain;
    };
    let tied = names.len() > 1;
    append(
        &mut embed,
        &format!("{said} {}", contrast_sentence(&first.text, tied, contrast)),
    );
    closer_look(content, embed, trait_, contrast).unwrap_or(plain)
}

/// Which contrast the recap looks at next, naming the answer it stands for on a tie.
fn contrast_sentence(first: &str, tied: bool, contrast: &Contrast) -> String {
    let which = if tied {
        format!("The first, **{first}**,")
    } else {
        "It".into()
    };
    format!(
        "{which} is part of the contrast **{}**, seen from both sides below.",
        contrast.title
    )
}

/// "Most votes: **A**." or "Tied for most votes: **A**, **B** and **C**."
fn winner_sentence(names: &[&str]) -> String {
    let bold: Vec<String> = names.iter().map(|n| format!("**{n}**")).collect();
    match bold.split_last() {
        Some((last, [])) => format!("Most votes: {last}."),
        Some((last, rest)) => format!("Tied for most votes: {} and {last}.", rest.join(", ")),
        None => String::new(),
    }
}

fn append(embed: &mut Embed, paragraph: &str) {
    let description = embed.description.get_or_insert_with(String::new);
    description.push_str("\n\n");
    description.push_str(paragraph);
}

/// One side's accent when every winner is of that side; both sides' otherwise.
fn accent_of_sides(winners: &[&Trait]) -> Accent {
    match winners.first().map(|t| t.side) {
        Some(side) if winners.iter().all(|t| t.side == side) => match side {
            Side::Leader => Accent::Leader,
            Side::Manager => Accent::Manager,
        },
        _ => Accent::Both,
    }
}

/// The pulse recap with the winner's contrast and the first tip building on it that fits in
/// the message, or without a tip when none fits; `None` when even the contrast is too long.
/// Content is checked against the limits of each field when loaded, not against the whole
/// message, so the recap makes sure itself.
fn closer_look(
    content: &Content,
    base: Embed,
    trait_: &Trait,
    contrast: &Contrast,
) -> Option<Embed> {
    let with_contrast = |tip: Option<&Tip>| {
        let mut embed = base.clone();
        embed.fields = contrast_embed(content, contrast).fields;
        let mut sources = vec![trait_.sources.as_slice(), contrast.sources.as_slice()];
        if let Some(tip) = tip {
            embed.fields.push(Field::new(
                format!("A tip to try: {}", tip.title),
                tip.body.as_str(),
            ));
            sources.push(tip.sources.as_slice());
        }
        embed.footer = Some(source_line(content, &distinct_sources(sources.into_iter())));
        embed
    };
    content
        .tips_building_on(&contrast.id)
        .map(|tip| with_contrast(Some(tip)))
        .chain(std::iter::once_with(|| with_contrast(None)))
        .find(fits)
}

fn fits(embed: &Embed) -> bool {
    Reply::embed(embed.clone()).limit_problems().is_empty()
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

    #[test]
    fn percentages_add_up_to_a_hundred_by_largest_remainder() {
        assert_eq!(percentages(&[1, 1, 1]), Some(vec![34, 33, 33]));
        assert_eq!(percentages(&[2, 1]), Some(vec![67, 33]));
        assert_eq!(percentages(&[0, 3]), Some(vec![0, 100]));
        assert_eq!(
            percentages(&[1, 1, 1, 1, 1, 1]),
            Some(vec![17, 17, 17, 17, 16, 16])
        );
        assert_eq!(percentages(&[1, 2, 2]), Some(vec![20, 40, 40]));
        assert_eq!(percentages(&[u64::MAX, u64::MAX]), Some(vec![50, 50]));
        assert_eq!(percentages(&[0, 0, 0]), None);
        assert_eq!(percentages(&[]), None);
    }

    #[test]
    fn percentages_stay_within_one_point_of_the_exact_share() {
        let mut rng = StdRng::seed_from_u64(3);
        for _ in 0..2000 {
            let len = rng.random_range(2..=10);
            let counts: Vec<u64> = (0..len).map(|_| rng.random_range(0..50)).collect();
            let Some(shares) = percentages(&counts) else {
                assert!(counts.iter().all(|&c| c == 0));
                continue;
            };
            let total: u64 = counts.iter().sum();
            assert_eq!(shares.iter().map(|&s| u64::from(s)).sum::<u64>(), 100);
            for (&count, &share) in counts.iter().zip(&shares) {
                let floor = count * 100 / total;
                assert!(
                    (floor..=floor + 1).contains(&u64::from(share)),
                    "{counts:?} -> {shares:?}"
                );
            }
        }
    }

    fn trait_of(content: &Content, side: Side) -> &Trait {
        content
            .traits_of(side, None)
            .next()
            .expect("a trait of each side")
    }

    fn description(reply: &Reply) -> &str {
        reply.embeds[0].description.as_deref().unwrap_or_default()
    }

    #[test]
    fn a_quiz_recap_shows_the_tally_the_answer_and_why() {
        let content = content();
        let trait_ = trait_of(&content, Side::Manager);
        let spec = quiz_about(&content, &trait_.id).expect("exists");
        let reply = recap(&content, &spec, &[1, 3, 1]);
        assert_eq!(reply.embeds.len(), 1);
        assert!(!reply.ephemeral);
        let embed = &reply.embeds[0];
        let text = description(&reply);
        assert!(text.starts_with(&spec.question), "{text}");
        assert!(text.contains("Leader — 1 vote (20%)"), "{text}");
        assert!(text.contains("**Manager — 3 votes (60%)**"), "{text}");
        assert!(text.contains("Both — 1 vote (20%)"), "{text}");
        assert_eq!(embed.fields.len(), 1);
        assert_eq!(embed.fields[0].name, "The answer: Manager");
        assert_eq!(embed.fields[0].value, trait_.detail.as_str());
        assert_eq!(
            embed.footer.as_deref(),
            Some(source_line(&content, &trait_.sources).as_str())
        );
        assert_eq!(embed.accent, Accent::Manager);
    }

    #[test]
    fn a_quiz_about_a_similarity_answers_both_with_what_is_shared() {
        let content = content();
        let similarity = &content.similarities[0];
        let spec = quiz_about(&content, &similarity.id).expect("exists");
        let reply = recap(&content, &spec, &[2, 0, 1]);
        let embed = &reply.embeds[0];
        assert_eq!(embed.fields[0].name, "The answer: Both");
        assert_eq!(embed.fields[0].value, similarity.shared.as_str());
        assert!(description(&reply).contains("**Both — 1 vote (33%)**"));
        assert_eq!(embed.accent, Accent::Both);
    }

    #[test]
    fn a_quiz_nobody_answered_still_gives_the_answer() {
        let content = content();
        let trait_ = trait_of(&content, Side::Leader);
        let spec = quiz_about(&content, &trait_.id).expect("exists");
        let reply = recap(&content, &spec, &[0, 0, 0]);
        let text = description(&reply);
        assert!(text.ends_with(NOBODY_VOTED), "{text}");
        assert!(!text.contains('%'), "{text}");
        assert_eq!(reply.embeds[0].fields[0].name, "The answer: Leader");
        assert_eq!(reply.embeds[0].accent, Accent::Leader);
    }

    #[test]
    fn a_quiz_whose_entry_left_the_library_still_names_the_answer() {
        let content = content();
        let trait_ = trait_of(&content, Side::Leader);
        let spec = quiz_about(&content, &trait_.id).expect("exists");
        let mut later = content.clone();
        later.traits.retain(|t| t.id.as_str() != trait_.id.as_str());
        let reply = recap(&later, &spec, &[1, 0, 0]);
        assert_eq!(reply.embeds[0].fields[0].name, "The answer: Leader");
        assert_eq!(reply.embeds[0].fields[0].value, REASON_GONE);
        assert!(reply.limit_problems().is_empty());
    }

    /// A pulse offering the first trait of each side, leader first.
    fn two_sided_pulse(content: &Content) -> (PollSpec, &Trait, &Trait) {
        let leader = trait_of(content, Side::Leader);
        let manager = trait_of(content, Side::Manager);
        let ids = [leader.id.to_string(), manager.id.to_string()];
        let spec = pulse_from(content, &ids, false).expect("both exist");
        (spec, leader, manager)
    }

    #[test]
    fn a_pulse_recap_looks_closer_at_the_winner_with_its_contrast_and_a_tip() {
        let content = content();
        let (spec, _, manager) = two_sided_pulse(&content);
        let reply = recap(&content, &spec, &[1, 4]);
        let embed = &reply.embeds[0];
        let text = description(&reply);
        assert!(
            text.contains(&format!("{} — 1 vote (20%)", spec.answers[0].text)),
            "{text}"
        );
        assert!(
            text.contains(&format!("**{} — 4 votes (80%)**", manager.short)),
            "{text}"
        );
        assert!(
            text.contains(&format!("Most votes: **{}**.", manager.short)),
            "{text}"
        );
        let contrast = content.contrast(&manager.contrast).expect("exists");
        assert!(text.contains(&format!("**{}**", contrast.title)), "{text}");

        let tip = content
            .tips_building_on(&contrast.id)
            .next()
            .expect("a tip builds on every contrast");
        let mut expected = contrast_embed(&content, contrast).fields;
        expected.push(Field::new(
            format!("A tip to try: {}", tip.title),
            tip.body.as_str(),
        ));
        assert_eq!(embed.fields, expected);
        let sources = distinct_sources(
            [&manager.sources, &contrast.sources, &tip.sources]
                .into_iter()
                .map(|s| s.as_slice()),
        );
        assert_eq!(
            embed.footer.as_deref(),
            Some(source_line(&content, &sources).as_str())
        );
        assert_eq!(embed.accent, Accent::Manager);
    }

    #[test]
    fn a_tie_names_every_winner_and_looks_closer_at_the_first() {
        let content = content();
        let (spec, leader, manager) = two_sided_pulse(&content);
        let reply = recap(&content, &spec, &[2, 2]);
        let text = description(&reply);
        assert!(
            text.contains(&format!(
                "Tied for most votes: **{}** and **{}**.",
                leader.short, manager.short
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!("The first, **{}**", leader.short)),
            "{text}"
        );
        let contrast = content.contrast(&leader.contrast).expect("exists");
        let embed = &reply.embeds[0];
        assert_eq!(embed.fields[0].value, contrast.leader.as_str());
        assert_eq!(embed.accent, Accent::Both);
        assert_eq!(
            winner_sentence(&["A", "B", "C"]),
            "Tied for most votes: **A**, **B** and **C**."
        );
    }

    #[test]
    fn a_pulse_nobody_answered_says_so_and_nothing_more() {
        let content = content();
        let (spec, _, _) = two_sided_pulse(&content);
        for counts in [&[0, 0][..], &[]] {
            let reply = recap(&content, &spec, counts);
            let embed = &reply.embeds[0];
            assert!(description(&reply).ends_with(NOBODY_VOTED));
            assert!(embed.fields.is_empty());
            assert_eq!(embed.footer, None);
            assert_eq!(embed.accent, Accent::Neutral);
            assert!(reply.limit_problems().is_empty());
        }
    }

    #[test]
    fn a_tip_too_long_for_the_message_is_passed_over() {
        let mut content = content();
        let (spec, _, manager) = two_sided_pulse(&content);
        let contrast = manager.contrast.to_string();
        let building: Vec<String> = content
            .tips_building_on(&contrast)
            .map(|t| t.id.to_string())
            .collect();
        for tip in content
            .tips
            .iter_mut()
            .filter(|t| building.contains(&t.id.to_string()))
        {
            tip.body = Text::new("A very long tip. ".repeat(200));
        }
        let reply = recap(&content, &spec, &[0, 1]);
        assert!(
            reply.limit_problems().is_empty(),
            "{:?}",
            reply.limit_problems()
        );
        let fields = &reply.embeds[0].fields;
        assert_eq!(fields.len(), 3, "the contrast stays, the tip goes");
        assert!(fields.iter().all(|f| !f.name.starts_with("A tip to try")));
    }

    #[test]
    fn every_recap_fits_in_one_message() {
        let content = content();
        let quiz_counts: [&[u64]; 4] = [&[0, 0, 0], &[1, 1, 1], &[u64::MAX, 0, 1], &[7, 7, 0]];
        for subject in Subject::all(&content) {
            let spec = quiz_about(&content, subject.id()).expect("exists");
            for counts in quiz_counts {
                let reply = recap(&content, &spec, counts);
                assert!(
                    reply.limit_problems().is_empty(),
                    "{}: {:?}",
                    subject.id(),
                    reply.limit_problems()
                );
                assert!(!reply.ephemeral);
            }
        }
        // Each trait as the winner, beside the nine longest labels, alone or in a ten-way tie.
        let mut longest: Vec<&Trait> = content.traits.iter().collect();
        longest.sort_by_key(|t| std::cmp::Reverse(t.short.chars().count()));
        for winner in &content.traits {
            let mut ids = vec![winner.id.to_string()];
            ids.extend(
                longest
                    .iter()
                    .filter(|t| t.id.as_str() != winner.id.as_str())
                    .take(limits::POLL_MAX_ANSWERS - 1)
                    .map(|t| t.id.to_string()),
            );
            let spec = pulse_from(&content, &ids, true).expect("all exist");
            let tie = vec![u64::MAX; ids.len()];
            let mut clear_win = vec![1; ids.len()];
            clear_win[0] = 1_000_000;
            for counts in [tie, clear_win] {
                let reply = recap(&content, &spec, &counts);
                assert!(
                    reply.limit_problems().is_empty(),
                    "{}: {:?}",
                    winner.id,
                    reply.limit_problems()
                );
                assert!(
                    reply.embeds[0]
                        .fields
                        .iter()
                        .any(|f| f.name.starts_with("A tip to try")),
                    "{} has no tip in its recap",
                    winner.id
                );
            }
        }
    }

    #[test]
    fn a_recap_rebuilt_from_storage_is_the_same() {
        let content = content();
        let spec = pulse(
            &content,
            PulseList::Mixed,
            5,
            false,
            &mut StdRng::seed_from_u64(9),
        )
        .expect("ok");
        let ids: Vec<String> = spec.answers.iter().map(|a| a.entry_id.clone()).collect();
        let rebuilt = pulse_from(&content, &ids, false).expect("same content");
        let counts = [3, 1, 3, 0, 2];
        assert_eq!(
            recap(&content, &spec, &counts),
            recap(&content, &rebuilt, &counts)
        );
    }

    #[test]
    fn a_contrast_too_long_for_the_message_leaves_just_the_winner() {
        let mut content = content();
        let (spec, _, manager) = two_sided_pulse(&content);
        let (contrast, short) = (manager.contrast.to_string(), manager.short.to_string());
        for c in content
            .contrasts
            .iter_mut()
            .filter(|c| c.id.as_str() == contrast)
        {
            c.leader = Text::new("A very long side. ".repeat(100));
        }
        let reply = recap(&content, &spec, &[0, 1]);
        assert!(
            reply.limit_problems().is_empty(),
            "{:?}",
            reply.limit_problems()
        );
        let text = description(&reply);
        assert!(
            text.ends_with(&format!("Most votes: **{short}**.")),
            "{text}"
        );
        assert!(reply.embeds[0].fields.is_empty());
    }
}
