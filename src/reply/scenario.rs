//! How a scenario is shown: the situation for the channel to think about, and, to whoever
//! clicks, both responses with the answer and why. The answer is private so that the channel
//! talks it over before anyone reads it.

use super::library::source_line;
use super::{Accent, Action, Button, Embed, Field, Reply};
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
    Reply::embed(Embed {
        title: Some(scenario.name.to_string()),
        description: Some(scenario.situation.to_string()),
        fields: Vec::new(),
        footer: Some(THINK_FIRST.into()),
        accent: Accent::Both,
    })
    .with_button(Button {
        action: Action::RevealScenario {
            id: scenario.id.to_string(),
        },
        label: REVEAL_LABEL.into(),
    })
    .with_button(Button {
        action: Action::AnotherScenario {
            after: scenario.id.to_string(),
        },
        label: ANOTHER_LABEL.into(),
    })
}

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
