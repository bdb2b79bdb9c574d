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
    /// Open the private answer form of a team pulse.
    PulseAnswer { pulse: i64 },
}

impl Action {
    /// The custom id Discord hands back on a click.
    pub fn custom_id(&self) -> String {
        match self {
            Action::AnotherContrast { after } => format!("{PREFIX}:contrast:{after}"),
            Action::AnotherTip { after } => format!("{PREFIX}:tip:{after}"),
            Action::PulseAnswer { pulse } => format!("{PREFIX}:pulse:{pulse}"),
        }
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
            Action::PulseAnswer { pulse: 42 },
        ] {
            assert_eq!(Action::parse(&action.custom_id()), Some(action));
        }
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
