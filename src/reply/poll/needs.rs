//! The needs poll: "what does our team need more of right now?", offering a handful of
//! traits from one list, never two whose labels mean the same thing.

use std::collections::HashSet;

use rand::seq::SliceRandom;
use rand::Rng;

use crate::content::{Content, Side, Trait, TraitKind};
use crate::limits;
use crate::model::poll::{PollAnswer, PollKind, PollSpec};
use crate::reply::UserError;

/// Which list a needs poll draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NeedsList {
    LeaderTraits,
    ManagerTraits,
    /// Skills of both sides.
    Skills,
    /// Every trait of both sides.
    Mixed,
}

impl NeedsList {
    pub const ALL: [NeedsList; 4] = [
        NeedsList::LeaderTraits,
        NeedsList::ManagerTraits,
        NeedsList::Skills,
        NeedsList::Mixed,
    ];

    /// How the list is named to a person, as in the command's choices.
    pub fn label(self) -> &'static str {
        match self {
            NeedsList::LeaderTraits => "Leader traits",
            NeedsList::ManagerTraits => "Manager traits",
            NeedsList::Skills => "Skills",
            NeedsList::Mixed => "Mixed",
        }
    }

    fn includes(self, trait_: &Trait) -> bool {
        match self {
            NeedsList::LeaderTraits => trait_.side == Side::Leader,
            NeedsList::ManagerTraits => trait_.side == Side::Manager,
            NeedsList::Skills => trait_.kind == TraitKind::Skill,
            NeedsList::Mixed => true,
        }
    }

    /// The traits this list offers, in file order.
    pub fn traits(self, content: &Content) -> Vec<&Trait> {
        content.traits.iter().filter(|t| self.includes(t)).collect()
    }

    /// How many answers one poll of this list can offer: one per needs group.
    pub fn distinct(self, content: &Content) -> usize {
        let keys: HashSet<&str> = self.traits(content).iter().map(|t| t.needs_key()).collect();
        keys.len()
    }
}

const NEEDS_QUESTION: &str = "What does our team need more of right now?";
const NEEDS_QUESTION_MULTI: &str = "What does our team need more of right now? Pick all that fit.";

/// A "what do we need more of?" poll offering `answers` traits of `list`, drawn at random
/// without repetition, at most one of each needs group, and shown in random order.
pub fn needs(
    content: &Content,
    list: NeedsList,
    answers: usize,
    multiselect: bool,
    rng: &mut impl Rng,
) -> Result<PollSpec, UserError> {
    check_answer_count(answers)?;
    let distinct = list.distinct(content);
    if distinct < answers {
        return Err(list_too_short(list, distinct, answers));
    }
    let mut pool = list.traits(content);
    pool.shuffle(rng);
    let mut groups = HashSet::new();
    let chosen: Vec<&Trait> = pool
        .into_iter()
        .filter(|t| groups.insert(t.needs_key()))
        .take(answers)
        .collect();
    Ok(needs_of(&chosen, multiselect))
}

/// The needs poll offering exactly the traits `entry_ids`, in that order: for rebuilding a
/// stored poll. `None` when content no longer has one of them.
pub fn needs_from(content: &Content, entry_ids: &[String], multiselect: bool) -> Option<PollSpec> {
    let traits: Option<Vec<&Trait>> = entry_ids.iter().map(|id| content.trait_by_id(id)).collect();
    traits.map(|traits| needs_of(&traits, multiselect))
}

fn needs_of(traits: &[&Trait], multiselect: bool) -> PollSpec {
    let question = if multiselect {
        NEEDS_QUESTION_MULTI
    } else {
        NEEDS_QUESTION
    };
    PollSpec {
        kind: PollKind::Needs,
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
        "A needs poll offers from {fewest} to {most} answers. \
         Set `answers` to a number in that range (you asked for {answers})."
    )))
}

fn list_too_short(list: NeedsList, has: usize, asked: usize) -> UserError {
    let entries = if has == 1 { "trait" } else { "traits" };
    let label = list.label();
    let mixed = NeedsList::Mixed.label();
    let message = match (has < limits::POLL_MIN_ANSWERS, list == NeedsList::Mixed) {
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

    fn invalid_message(error: UserError) -> String {
        match error {
            UserError::Invalid(message) => message,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn every_needs_list_and_size_is_sendable_over_many_seeds() {
        let content = content();
        for list in NeedsList::ALL {
            let most = list.distinct(&content).min(limits::POLL_MAX_ANSWERS);
            for answers in limits::POLL_MIN_ANSWERS..=most {
                for seed in 0..SEEDS {
                    let multiselect = seed % 2 == 0;
                    let mut rng = StdRng::seed_from_u64(seed);
                    let spec = needs(&content, list, answers, multiselect, &mut rng)
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
    fn needs_polls_never_repeat_an_entry_a_text_or_a_group() {
        let content = content();
        for list in NeedsList::ALL {
            for seed in 0..SEEDS {
                let mut rng = StdRng::seed_from_u64(seed);
                let spec = needs(&content, list, 10, false, &mut rng).expect("long enough");
                let ids: HashSet<&str> = spec.answers.iter().map(|a| a.entry_id.as_str()).collect();
                let groups: HashSet<&str> = spec
                    .answers
                    .iter()
                    .filter_map(|a| content.trait_by_id(&a.entry_id))
                    .map(|t| t.needs_key())
                    .collect();
                assert_eq!(groups.len(), spec.answers.len(), "{spec:?}");
                let texts: HashSet<&str> = spec.answers.iter().map(|a| a.text.as_str()).collect();
                assert_eq!(ids.len(), spec.answers.len());
                assert_eq!(texts.len(), spec.answers.len());
            }
        }
    }

    #[test]
    fn every_list_is_long_enough_for_the_largest_poll_in_bundled_content() {
        let content = content();
        for list in NeedsList::ALL {
            assert!(
                list.distinct(&content) >= limits::POLL_MAX_ANSWERS,
                "{list:?}"
            );
        }
    }

    #[test]
    fn needs_rejects_answer_counts_outside_two_to_ten() {
        let content = content();
        for answers in [0, 1, 11, 50] {
            let error = needs(
                &content,
                NeedsList::Mixed,
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
        let error = needs(
            &content,
            NeedsList::Skills,
            5,
            false,
            &mut StdRng::seed_from_u64(1),
        )
        .expect_err("only 3 skills");
        let message = invalid_message(error);
        assert!(
            message.contains("The Skills list has 3 traits"),
            "{message}"
        );
        assert!(message.contains("5 answers"), "{message}");
        assert!(message.contains("`answers:3`"), "{message}");
        assert!(message.contains("the longer Mixed list"), "{message}");
        assert!(needs(
            &content,
            NeedsList::Skills,
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
        let error = needs(
            &content,
            NeedsList::Mixed,
            5,
            false,
            &mut StdRng::seed_from_u64(1),
        )
        .expect_err("only 4 traits");
        let message = invalid_message(error);
        assert!(message.contains("The Mixed list has 4 traits"), "{message}");
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
        let error = needs(
            &content,
            NeedsList::Skills,
            2,
            false,
            &mut StdRng::seed_from_u64(1),
        )
        .expect_err("one skill");
        let message = invalid_message(error);
        assert!(message.contains("has 1 trait, too few"), "{message}");
        assert!(message.contains("Try the Mixed list."), "{message}");
    }
}
