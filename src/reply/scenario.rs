//! How a scenario is shown: the situation for the channel to think about, and, to whoever
//! clicks, both responses with the answer and why. The answer is private so that the channel
//! talks it over before anyone reads it.

use rand::Rng;

use super::library::source_line;
use super::{Accent, Action, Button, Embed, Field, Reply};
use crate::content::team::{Credit, TeamScenario};
use crate::content::{Calls, Content, Scenario};

/// The label of the button that reveals the answer.
pub const REVEAL_LABEL: &str = "What does it call for?";
/// The label of the button that swaps in another scenario.
pub const ANOTHER_LABEL: &str = "Another scenario";

const THINK_FIRST: &str =
    "Lead, manage, or both? Talk it over, then click below: the answer is shown only to you.";

fn accent_of(calls: Calls) -> Accent {
    match calls {
        Calls::Leading => Accent::Leader,
        Calls::Managing => Accent::Manager,
        Calls::Both => Accent::Both,
    }
}

/// The situation, with the buttons that reveal its answer and show another one.
pub fn scenario_reply(scenario: &Scenario) -> Reply {
    situation_reply(
        &scenario.id,
        &scenario.name,
        &scenario.situation,
        THINK_FIRST.into(),
    )
}

/// A server's own scenario (`id` is its item id), shown like ours and credited to the team.
pub fn team_scenario_reply(id: &str, scenario: &TeamScenario, credit: &Credit) -> Reply {
    let footer = format!("{} · {THINK_FIRST}", super::team::credit_line(credit));
    situation_reply(id, &scenario.name, &scenario.situation, footer)
}

fn situation_reply(id: &str, name: &str, situation: &str, footer: String) -> Reply {
    Reply::embed(Embed {
        title: Some(name.to_string()),
        description: Some(situation.to_string()),
        fields: Vec::new(),
        footer: Some(footer),
        accent: Accent::Both,
    })
    .with_button(Button {
        action: Action::RevealScenario { id: id.to_string() },
        label: REVEAL_LABEL.into(),
    })
    .with_button(Button {
        action: Action::AnotherScenario {
            after: id.to_string(),
        },
        label: ANOTHER_LABEL.into(),
    })
}

/// What a server's own scenario calls for, for the one who clicked: both responses and the
/// team's answer.
pub fn team_scenario_answer(scenario: &TeamScenario, credit: &Credit) -> Reply {
    let body = crate::content::team::TeamBody::Scenario(scenario.clone());
    Reply::embed(Embed {
        accent: accent_of(scenario.calls),
        ..super::team::team_entry_embed(&body, credit)
    })
    .ephemeral()
}

/// A random scenario among ours (`bundled` of them) and a server's own, never `after` again
/// when there is another: `Some(i)` is the server's `i`-th, `None` one of ours (the caller
/// draws which, as it always has).
pub fn pick_team_scenario(
    bundled: usize,
    team_ids: &[String],
    after: &str,
    rng: &mut impl Rng,
) -> Option<usize> {
    let others: Vec<usize> = (0..team_ids.len())
        .filter(|&i| team_ids[i] != after)
        .collect();
    let total = bundled + others.len();
    if total == 0 {
        return None;
    }
    let drawn = rng.random_range(0..total);
    drawn.checked_sub(bundled).map(|i| others[i])
}

/// How one of the server's own scenarios is offered in `/scenario`'s autocomplete, beside ours.
pub fn team_choice_name(name: &str) -> String {
    crate::text::clip(&format!("{name} (your team's)"), crate::limits::CHOICE_NAME)
}

/// The answer of a scenario the server removed, for a button on an older post.
pub const TEAM_SCENARIO_GONE: &str =
    "Your team removed that scenario. Run `/scenario` for another one.";

/// What the moment calls for: both responses, the answer and why, for the one who clicked.
pub fn scenario_answer_reply(content: &Content, scenario: &Scenario) -> Reply {
    let mut fields = vec![
        Field::inline("Leading would", scenario.leading.as_str()),
        Field::inline("Managing would", scenario.managing.as_str()),
        Field::new(
            format!("It calls for: {}", scenario.calls.label()),
            scenario.why.as_str(),
        ),
    ];
    if let Some(contrast) = scenario
        .contrast
        .as_ref()
        .and_then(|id| content.contrast(id))
    {
        fields.push(Field::new(
            "Read more",
            format!("`/contrast topic:{}` ({})", contrast.id, contrast.title),
        ));
    }
    let reply = Reply::embed(Embed {
        title: Some(scenario.name.to_string()),
        description: Some(scenario.situation.to_string()),
        fields,
        footer: Some(source_line(content, &scenario.sources)),
        accent: accent_of(scenario.calls),
    })
    .ephemeral();
    super::library::with_sources(reply, &scenario.sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> Content {
        Content::bundled().expect("bundled content is valid")
    }

    #[test]
    fn a_servers_own_scenario_is_drawn_in_its_share_and_never_right_after_itself() {
        use rand::SeedableRng;
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let team = vec!["team:1".to_string(), "team:2".to_string()];
        let mut drawn = [0usize; 3];
        for _ in 0..3000 {
            match pick_team_scenario(4, &team, "team:2", &mut rng) {
                None => drawn[0] += 1,
                Some(i) => drawn[i + 1] += 1,
            }
        }
        assert_eq!(drawn[2], 0, "not the one just shown");
        assert!((2200..2600).contains(&drawn[0]), "{drawn:?}: ours 4 of 5");
        assert!((500..700).contains(&drawn[1]), "{drawn:?}: theirs 1 of 5");
        assert_eq!(pick_team_scenario(0, &team[..1], "team:1", &mut rng), None);
        assert_eq!(
            pick_team_scenario(0, &team, "", &mut rng).map(|i| i < 2),
            Some(true)
        );
    }

    #[test]
    fn a_servers_own_scenario_keeps_its_answer_back_and_credits_the_team() {
        let scenario = TeamScenario {
            name: "The demo that slipped".into(),
            situation: "Two days before a demo, the feature is half done.".into(),
            leading: "Say why the customer matters.".into(),
            managing: "Cut scope and give each task an owner.".into(),
            calls: Calls::Managing,
        };
        let credit = Credit::SuggestedBy("Ana".into());
        let shown = team_scenario_reply("team:9", &scenario, &credit);
        assert!(!shown.ephemeral);
        let text = format!("{:?}", shown.embeds);
        assert!(
            !text.contains("Cut scope") && text.contains("Suggested by Ana"),
            "{text}"
        );
        assert_eq!(
            shown.buttons[0].action,
            Action::RevealScenario {
                id: "team:9".into()
            }
        );
        let answer = team_scenario_answer(&scenario, &credit);
        assert!(answer.ephemeral);
        let text = format!("{:?}", answer.embeds);
        assert!(
            text.contains("Cut scope") && text.contains("It calls for: Managing"),
            "{text}"
        );
    }

    #[test]
    fn the_situation_is_public_and_keeps_the_answer_back() {
        let content = content();
        for scenario in &content.scenarios {
            let reply = scenario_reply(scenario);
            assert!(!reply.ephemeral);
            let text = format!("{:?}", reply.embeds);
            assert!(!text.contains(scenario.why.as_str()), "{}", scenario.id);
            assert!(!text.contains(scenario.leading.as_str()), "{}", scenario.id);
            let labels: Vec<&str> = reply.buttons.iter().map(|b| b.label.as_str()).collect();
            assert_eq!(labels, [REVEAL_LABEL, ANOTHER_LABEL]);
        }
    }

    #[test]
    fn the_answer_is_private_and_gives_both_responses_the_answer_and_why() {
        let content = content();
        for scenario in &content.scenarios {
            let reply = scenario_answer_reply(&content, scenario);
            assert!(reply.ephemeral);
            let fields = &reply.embeds[0].fields;
            assert_eq!(fields[0].value, scenario.leading.as_str());
            assert_eq!(fields[1].value, scenario.managing.as_str());
            assert_eq!(
                fields[2].name,
                format!("It calls for: {}", scenario.calls.label())
            );
            assert_eq!(fields[2].value, scenario.why.as_str());
            // At most the Sources button: nothing that would change a message.
            assert!(
                reply.buttons.iter().all(|b| b.label == "Sources"),
                "{:?}",
                reply.buttons
            );
        }
    }
}
