//! Team polls, decided without Discord: what a poll asks, how long Discord is asked to run it,
//! and the recap posted when it closes.
//!
//! Two kinds of poll get a team talking about how it leads and manages. A *quiz* ([`quiz`])
//! names one trait or similarity and asks whether it belongs to leading, managing or both; its
//! recap gives the answer and why, article by article, from the subject's evidence. A *needs* poll ([`needs`]) offers a
//! handful of traits and asks which the team needs more of; its recap looks closer at the
//! winner: the contrast it belongs to and a tip to try. [`recap`] builds both recaps.
//!
//! Everything here is data in, data out. Randomness comes only from the `rng` passed in, and a
//! recap depends only on the content, the [`PollSpec`] and the final counts, so the `discord`
//! layer can store a poll's kind and content ids, rebuild the spec after a restart
//! ([`quiz_about`], [`needs_from`]) and post exactly the recap it would have posted anyway.

mod needs;
mod quiz;
mod recap;
mod scenario;
mod why;

pub use crate::model::poll::{PollAnswer, PollKind, PollSpec};
pub use needs::{needs, needs_from, NeedsList};
pub use quiz::{quiz, quiz_about, quiz_why};
pub use recap::{percentages, recap};
pub use scenario::{scenario_poll, scenario_poll_about, team_scenario_of, team_scenario_poll};

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;
    use crate::content::Content;
    use crate::limits;

    fn content() -> Content {
        Content::bundled().expect("bundled content is valid")
    }

    #[test]
    fn a_stored_poll_rebuilds_to_the_same_spec() {
        let content = content();
        let mut rng = StdRng::seed_from_u64(5);
        let spec = needs(&content, NeedsList::Mixed, 6, true, &mut rng).expect("ok");
        let ids: Vec<String> = spec.answers.iter().map(|a| a.entry_id.clone()).collect();
        assert_eq!(needs_from(&content, &ids, true), Some(spec));
        let quiz_spec = quiz(&content, &mut rng);
        let subject = quiz_spec.subject.clone().expect("subject");
        assert_eq!(quiz_about(&content, &subject), Some(quiz_spec));
        assert_eq!(quiz_about(&content, "no-such-entry"), None);
        assert_eq!(needs_from(&content, &["no-such-entry".into()], false), None);
    }

    #[test]
    fn poll_kinds_round_trip_through_storage() {
        for kind in [PollKind::Quiz, PollKind::Needs] {
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
            kind: PollKind::Needs,
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
            kind: PollKind::Needs,
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
}
