//! The scenario poll: a situation from `content/scenarios.toml`, asked to the channel as "what
//! does this moment call for most?" with the answers Leading, Managing and Both. Like the quiz
//! it has one supported answer; its recap names that answer and why, with both responses.
//!
//! The spec stores the scenario's id as its subject, so a recap rebuilt after a restart is the
//! one it would have been ([`scenario_poll_about`]).

use rand::seq::IndexedRandom;
use rand::Rng;

use super::recap::tally;
use crate::content::team::TeamScenario;
use crate::content::{Calls, Content, Scenario};
use crate::limits;
use crate::model::poll::{PollAnswer, PollKind, PollSpec};
use crate::reply::library::source_line;
use crate::reply::{Accent, Embed, Field};
use crate::text::{char_len, clip};

/// What every scenario poll asks after its situation.
pub const SCENARIO_QUESTION: &str = "What does this moment call for most?";

const RECAP_TITLE: &str = "Scenario results";
/// Said in place of the reason when content no longer has the scenario the poll asked about.
const REASON_GONE: &str = "The scenario this poll asked about was removed from the bot's texts.";

/// A poll about a random scenario. Validated content always has scenarios; on content without
/// any, the spec has no subject and [`PollSpec::limit_problems`] says so.
pub fn scenario_poll(content: &Content, rng: &mut impl Rng) -> PollSpec {
    match content.scenarios.choose(rng) {
        Some(scenario) => poll_of(scenario),
        None => PollSpec {
            kind: PollKind::Scenario,
            question: SCENARIO_QUESTION.into(),
            answers: answers(),
            multiselect: false,
            subject: None,
            correct: None,
        },
    }
}

/// The poll about the scenario `id`, as [`scenario_poll`] would build it. `None` when content
/// has no such scenario.
pub fn scenario_poll_about(content: &Content, id: &str) -> Option<PollSpec> {
    content.scenario(id).map(poll_of)
}

/// How a poll names a server's own scenario as its subject: the scenario itself, so its recap
/// reads the same after the server edits or removes it.
const TEAM_SUBJECT: &str = "team-scenario:";

/// A poll about a server's own scenario; a situation too long to leave room for the question
/// is clipped in the poll (the whole of it stays in `/scenario`).
pub fn team_scenario_poll(scenario: &TeamScenario) -> PollSpec {
    let asked = format!(" {SCENARIO_QUESTION}");
    let room = limits::POLL_QUESTION.saturating_sub(char_len(&asked));
    PollSpec {
        kind: PollKind::Scenario,
        question: format!("{}{asked}", clip(&scenario.situation, room)),
        answers: answers(),
        multiselect: false,
        // Serializing strings and a choice cannot fail.
        subject: Some(format!(
            "{TEAM_SUBJECT}{}",
            serde_json::to_string(scenario).unwrap_or_default()
        )),
        correct: Some(scenario.calls.index()),
    }
}

/// The server's own scenario a poll's subject names; `None` for one of ours.
pub fn team_scenario_of(subject: &str) -> Option<TeamScenario> {
    serde_json::from_str(subject.strip_prefix(TEAM_SUBJECT)?).ok()
}

fn poll_of(scenario: &Scenario) -> PollSpec {
    PollSpec {
        kind: PollKind::Scenario,
        question: format!("{} {SCENARIO_QUESTION}", scenario.situation),
        answers: answers(),
        multiselect: false,
        subject: Some(scenario.id.to_string()),
        correct: Some(scenario.calls.index()),
    }
}

fn answers() -> Vec<PollAnswer> {
    Calls::ALL
        .iter()
        .map(|calls| PollAnswer {
            text: calls.label().into(),
            entry_id: calls.id().into(),
        })
        .collect()
}

/// The question, the tally with the supported answer in bold, that answer and why, and what
/// each response would do.
pub(super) fn scenario_recap(content: &Content, spec: &PollSpec, counts: &[u64]) -> Embed {
    let supported = spec
        .correct
        .and_then(|i| spec.answers.get(i).map(|answer| (i, answer)));
    let ours = spec.subject.as_deref().and_then(team_scenario_of);
    let scenario = spec.subject.as_deref().and_then(|id| content.scenario(id));
    let bold: Vec<usize> = supported.iter().map(|(i, _)| *i).collect();
    let mut fields: Vec<Field> = supported
        .map(|(_, answer)| match &ours {
            Some(_) => Field::new(
                format!("Your team's answer: {}", answer.text),
                "as your team decided when it added the scenario",
            ),
            None => {
                let reason = scenario.map_or(REASON_GONE, |s| s.why.as_str());
                Field::new(format!("The articles support: {}", answer.text), reason)
            }
        })
        .into_iter()
        .collect();
    let responses = match (&ours, scenario) {
        (Some(team), _) => Some((team.leading.as_str(), team.managing.as_str())),
        (None, Some(s)) => Some((s.leading.as_str(), s.managing.as_str())),
        (None, None) => None,
    };
    if let Some((leading, managing)) = responses {
        fields.push(Field::inline("Leading would", leading));
        fields.push(Field::inline("Managing would", managing));
    }
    let accent = supported
        .and_then(|(_, answer)| Calls::ALL.into_iter().find(|c| c.id() == answer.entry_id))
        .map_or(Accent::Neutral, |calls| match calls {
            Calls::Leading => Accent::Leader,
            Calls::Managing => Accent::Manager,
            Calls::Both => Accent::Both,
        });
    Embed {
        title: Some(RECAP_TITLE.into()),
        description: Some(format!(
            "{}\n\n{}",
            spec.question,
            tally(spec, counts, &bold)
        )),
        fields,
        footer: match ours {
            Some(_) => Some("From your team".into()),
            None => scenario.map(|s| source_line(content, &s.sources)),
        },
        accent,
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;
    use crate::reply::poll::recap;

    fn content() -> Content {
        Content::bundled().expect("bundled content is valid")
    }

    #[test]
    fn a_servers_own_scenario_polls_and_recaps_from_the_poll_alone() {
        let content = content();
        let scenario = TeamScenario {
            name: "The demo that slipped".into(),
            situation: "x".repeat(limits::POLL_QUESTION),
            leading: "Say why the customer matters.".into(),
            managing: "Cut scope and give each task an owner.".into(),
            calls: Calls::Managing,
        };
        let spec = team_scenario_poll(&scenario);
        assert!(
            spec.limit_problems().is_empty(),
            "{:?}",
            spec.limit_problems()
        );
        assert!(spec.question.ends_with(SCENARIO_QUESTION));
        assert_eq!(
            team_scenario_of(spec.subject.as_deref().expect("subject")),
            Some(scenario.clone())
        );
        let recap = scenario_recap(&content, &spec, &[1, 4, 0]);
        let text = format!("{recap:?}");
        assert!(text.contains("Your team's answer: Managing"), "{text}");
        assert!(
            text.contains("Cut scope") && text.contains("From your team"),
            "{text}"
        );
        assert!(!text.contains("articles"), "{text}");
    }

    #[test]
    fn every_scenario_makes_a_sendable_three_answer_poll_with_its_answer() {
        let content = content();
        for scenario in &content.scenarios {
            let spec = scenario_poll_about(&content, &scenario.id).expect("exists");
            assert!(
                spec.limit_problems().is_empty(),
                "{:?}",
                spec.limit_problems()
            );
            let texts: Vec<&str> = spec.answers.iter().map(|a| a.text.as_str()).collect();
            assert_eq!(texts, ["Leading", "Managing", "Both"]);
            let correct = spec.correct.expect("an answer");
            assert_eq!(spec.answers[correct].text, scenario.calls.label());
            assert!(spec.question.starts_with(scenario.situation.as_str()));
            assert!(spec.question.ends_with(SCENARIO_QUESTION));
        }
    }

    #[test]
    fn random_scenario_polls_are_sendable() {
        let content = content();
        for seed in 0..50 {
            let spec = scenario_poll(&content, &mut StdRng::seed_from_u64(seed));
            assert_eq!(spec.kind, PollKind::Scenario);
            assert!(
                spec.limit_problems().is_empty(),
                "{:?}",
                spec.limit_problems()
            );
        }
    }

    #[test]
    fn the_recap_names_the_supported_answer_and_why_and_fits() {
        let content = content();
        for scenario in &content.scenarios {
            let spec = scenario_poll_about(&content, &scenario.id).expect("exists");
            let reply = recap(&content, &spec, &[3, 1, 2]);
            assert!(
                reply.limit_problems().is_empty(),
                "{:?}",
                reply.limit_problems()
            );
            let embed = &reply.embeds[0];
            assert_eq!(
                embed.fields[0].name,
                format!("The articles support: {}", scenario.calls.label())
            );
            assert_eq!(embed.fields[0].value, scenario.why.as_str());
            let description = embed.description.clone().unwrap_or_default();
            assert!(description.contains(&format!("**{} —", scenario.calls.label())));
        }
    }

    #[test]
    fn a_recap_for_a_scenario_gone_from_content_still_gives_the_answer() {
        let content = content();
        let mut spec = scenario_poll(&content, &mut StdRng::seed_from_u64(1));
        spec.subject = Some("no-longer-here".into());
        let reply = recap(&content, &spec, &[]);
        assert_eq!(reply.embeds[0].fields[0].value, REASON_GONE);
    }
}
