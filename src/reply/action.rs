//! What a button does, carried in its custom id.
//!
//! Buttons hold their whole state in the custom id (`bb:contrast:vision-execution`), so a
//! click can be answered by any process, after any restart, without a lookup.

const PREFIX: &str = "bb";

/// The action behind a button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Show a different contrast than `after`.
    AnotherContrast { after: String },
    /// Show a different tip than `after`.
    AnotherTip { after: String },
    /// Show a different scenario than `after`.
    AnotherScenario { after: String },
    /// Show the one who clicked what the scenario `id` calls for, privately.
    RevealScenario { id: String },
    /// Open the private answer form of a team pulse.
    PulseAnswer { pulse: i64 },
}

impl Action {
    /// The custom id Discord hands back on a click.
    pub fn custom_id(&self) -> String {
        match self {
            Action::AnotherContrast { after } => format!("{PREFIX}:contrast:{after}"),
            Action::AnotherTip { after } => format!("{PREFIX}:tip:{after}"),
            Action::AnotherScenario { after } => format!("{PREFIX}:scenario:{after}"),
            Action::RevealScenario { id } => format!("{PREFIX}:scenario-answer:{id}"),
            Action::PulseAnswer { pulse } => format!("{PREFIX}:pulse:{pulse}"),
        }
    }

    /// Whether the answer replaces the message the button sits under; otherwise it is a new
    /// message (a private one, for a revealed answer).
    pub fn replaces_message(&self) -> bool {
        !matches!(self, Action::RevealScenario { .. })
    }

    /// The action a custom id stands for; `None` for ids this bot did not make.
    pub fn parse(custom_id: &str) -> Option<Action> {
        let rest = custom_id.strip_prefix(PREFIX)?.strip_prefix(':')?;
        let (kind, after) = rest.split_once(':')?;
        if kind == "pulse" {
            return after
                .parse()
                .ok()
                .map(|pulse| Action::PulseAnswer { pulse });
        }
        let after = after.to_string();
        match kind {
            "contrast" => Some(Action::AnotherContrast { after }),
            "tip" => Some(Action::AnotherTip { after }),
            "scenario" => Some(Action::AnotherScenario { after }),
            "scenario-answer" => Some(Action::RevealScenario { id: after }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_round_trip() {
        for action in [
            Action::AnotherContrast {
                after: "vision-execution".into(),
            },
            Action::AnotherTip {
                after: "name-the-destination".into(),
            },
            Action::AnotherScenario {
                after: "two-directions".into(),
            },
            Action::RevealScenario {
                id: "two-directions".into(),
            },
            Action::PulseAnswer { pulse: 42 },
        ] {
            assert_eq!(Action::parse(&action.custom_id()), Some(action));
        }
    }

    #[test]
    fn only_a_revealed_answer_is_a_new_message() {
        let reveal = Action::RevealScenario { id: "x".into() };
        assert!(!reveal.replaces_message());
        assert!(Action::AnotherScenario { after: "x".into() }.replaces_message());
        assert!(Action::AnotherTip { after: "x".into() }.replaces_message());
    }

    #[test]
    fn foreign_ids_are_not_ours() {
        for id in [
            "",
            "bb",
            "bb:",
            "bb:unknown:x",
            "other:contrast:x",
            "contrast:x",
            "bb:pulse:x",
        ] {
            assert_eq!(Action::parse(id), None, "{id}");
        }
    }
}
