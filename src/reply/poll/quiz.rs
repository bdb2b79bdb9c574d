//! The quiz: "who does this: a leader, a manager, or both?" about one trait or similarity.
//!
//! The right answer follows from the subject's evidence, what each article says of it (see
//! [`Evidence::answer`]); a trait with `quiz = "skip"` is never asked about, and a similarity
//! is always "Both". The recap's "why" is written from the same evidence (see `why.rs`).

use rand::seq::IndexedRandom;
use rand::Rng;

use crate::content::{Content, Evidence, QuizAnswer, Similarity, Text, Trait};
use crate::model::poll::{PollAnswer, PollKind, PollSpec};

/// What a quiz can ask about: a trait of one side, or something both sides share.
#[derive(Debug, Clone, Copy)]
pub(super) enum Subject<'a> {
    Trait(&'a Trait),
    Similarity(&'a Similarity),
}

impl<'a> Subject<'a> {
    /// Every trait that may be quizzed, then every similarity, in file order.
    pub(super) fn all(content: &'a Content) -> Vec<Subject<'a>> {
        content
            .traits
            .iter()
            .filter(|t| t.quiz_answer().is_some())
            .map(Subject::Trait)
            .chain(content.similarities.iter().map(Subject::Similarity))
            .collect()
    }

    /// The subject `id`, when content has it and may quiz it.
    pub(super) fn find(content: &'a Content, id: &str) -> Option<Subject<'a>> {
        content
            .trait_by_id(id)
            .filter(|t| t.quiz_answer().is_some())
            .map(Subject::Trait)
            .or_else(|| content.similarity(id).map(Subject::Similarity))
    }

    pub(super) fn id(self) -> &'a str {
        match self {
            Subject::Trait(t) => &t.id,
            Subject::Similarity(s) => &s.id,
        }
    }

    pub(super) fn short(self) -> &'a str {
        match self {
            Subject::Trait(t) => &t.short,
            Subject::Similarity(s) => &s.short,
        }
    }

    pub(super) fn answer(self) -> QuizAnswer {
        match self {
            Subject::Trait(t) => t.quiz_answer().unwrap_or(QuizAnswer::of_side(t.side)),
            Subject::Similarity(_) => QuizAnswer::Both,
        }
    }

    /// What each article says of it, which its answer follows from.
    pub(super) fn evidence(self) -> Option<&'a Evidence> {
        match self {
            Subject::Trait(t) => t.evidence.as_ref(),
            Subject::Similarity(s) => s.evidence.as_ref(),
        }
    }

    /// How the recap's "why" closes, in the content's words, after what each article says.
    pub(super) fn closing(self) -> &'a str {
        match self {
            Subject::Trait(t) => t.quiz_reason(),
            Subject::Similarity(s) => s.quiz_reason(),
        }
    }

    pub(super) fn sources(self) -> &'a [Text] {
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

/// Why the quiz about `subject_id` has the answer it has, article by article, as its recap
/// says it. `None` when content has no such quiz subject.
pub fn quiz_why(content: &Content, subject_id: &str) -> Option<String> {
    Subject::find(content, subject_id).map(|subject| super::why::why(content, subject))
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

    fn expected_answer(content: &Content, subject: &str) -> &'static str {
        match content.trait_by_id(subject) {
            Some(t) => t.quiz_answer().expect("a quizzed trait").label(),
            None => {
                assert!(content.similarity(subject).is_some(), "{subject} unknown");
                "Both"
            }
        }
    }

    fn assert_sendable(spec: &PollSpec) {
        let problems = spec.limit_problems();
        assert!(problems.is_empty(), "{spec:?}: {problems:?}");
    }

    #[test]
    fn every_quiz_subject_makes_a_sendable_quiz_with_the_right_answer() {
        let content = content();
        let ids = content
            .traits
            .iter()
            .filter(|t| t.quiz_answer().is_some())
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
    fn a_skipped_trait_is_never_asked_about() {
        let content = content();
        let skipped: Vec<&str> = content
            .traits
            .iter()
            .filter(|t| t.quiz_answer().is_none())
            .map(|t| t.id.as_str())
            .collect();
        assert!(!skipped.is_empty(), "bundled content skips some traits");
        for id in &skipped {
            assert_eq!(quiz_about(&content, id), None, "{id}");
        }
        for seed in 0..SEEDS {
            let spec = quiz(&content, &mut StdRng::seed_from_u64(seed));
            let subject = spec.subject.expect("a subject");
            assert!(!skipped.contains(&subject.as_str()), "{subject}");
        }
    }
}
