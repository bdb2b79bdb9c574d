//! Every custom id the bot puts on a component, and the one codec that writes and reads them.
//!
//! Components hold their whole state in the custom id (`bb:contrast:vision-execution`), so a
//! click can be answered by any process, after any restart, without a lookup. Every id is
//! `bb:<tag>:<fields>`, written and read only here: a button of an answer ([`Action`]) and the
//! pulse's private answer form ([`FormId`]) share the prefix, so they share the codec, and a
//! tag can never mean two things.

use crate::model::team::TeamKind;

/// The prefix of every custom id this bot makes.
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
    /// Delete everything the bot keeps about server `guild` now (the confirmation of
    /// `/forget-server`).
    ForgetServer { guild: u64 },
    /// A reviewer's decision on a member's suggestion.
    Review { suggestion: i64, verdict: Verdict },
    /// Page `page` (from 0) of `/content list`, of one kind or all.
    ListPage { kind: Option<TeamKind>, page: usize },
    /// Show, privately, the articles `ids` (comma-separated source ids) in full.
    Sources { ids: String },
    /// Show the `/help` screen of a group (its [`super::help::HelpGroup::key`]).
    Help { group: String },
    /// The lead starts choosing the focus from a pulse's result.
    FocusOpen { pulse: i64 },
    /// The lead picked statement `statement` (its index in the pulse) to focus on.
    FocusStatement { pulse: i64, statement: usize },
    /// The lead picked action `action` (its index among those offered) for the statement.
    FocusAction {
        pulse: i64,
        statement: usize,
        action: usize,
    },
    /// The lead wants to write the team's own action for the statement: a form opens.
    FocusOwn { pulse: i64, statement: usize },
}

/// The state of a member's pulse answer form, carried in its components' custom ids (like
/// every button of this bot), so nothing about a member is kept anywhere until they press
/// Submit. `chosen` holds one digit per statement, `_` where none is picked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormId {
    /// A score picked in the select of statement `index`.
    Pick {
        pulse: i64,
        index: usize,
        chosen: String,
    },
    Submit {
        pulse: i64,
        chosen: String,
    },
}

/// A form (modal) for a server's own entry; what the command chose before it opened (a
/// scenario's call, a statement's side) rides in its custom id, so the submit needs nothing
/// kept in between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamForm {
    /// `/content add`: a new entry of `kind`; `pick` is `""` for a tip.
    Add { kind: TeamKind, pick: String },
    /// `/content edit`: new texts for the server's entry `id`.
    Edit { id: i64 },
    /// `/suggest`: a member's suggestion of `kind`.
    Suggest { kind: TeamKind, pick: String },
    /// "Edit and approve" on a review post: the reviewer's texts for suggestion `id`.
    Review { id: i64 },
}

/// What a reviewer decides on a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    /// Opens a form with the texts; its submit approves them.
    EditAndApprove,
    Decline,
}

/// What a custom id of this bot stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomId {
    /// A button of an answer.
    Action(Action),
    /// A select or Submit of a pulse's private answer form.
    Form(FormId),
    /// A form for a server's own entry.
    Team(TeamForm),
    /// The form of the lead's own action for statement `statement` of pulse `pulse`.
    FocusOwn { pulse: i64, statement: usize },
}

impl CustomId {
    /// The custom id Discord hands back on a click.
    pub fn encode(&self) -> String {
        let (tag, fields) = match self {
            CustomId::Action(action) => match action {
                Action::AnotherContrast { after } => ("contrast", after.clone()),
                Action::AnotherTip { after } => ("tip", after.clone()),
                Action::AnotherScenario { after } => ("scenario", after.clone()),
                Action::RevealScenario { id } => ("scenario-answer", id.clone()),
                Action::PulseAnswer { pulse } => ("pulse", pulse.to_string()),
                Action::ForgetServer { guild } => ("forget", guild.to_string()),
                Action::Review {
                    suggestion,
                    verdict,
                } => {
                    let letter = match verdict {
                        Verdict::Approve => "a",
                        Verdict::EditAndApprove => "e",
                        Verdict::Decline => "d",
                    };
                    ("review", format!("{suggestion}:{letter}"))
                }
                Action::ListPage { kind, page } => (
                    "list",
                    format!("{}:{page}", kind.map_or("all", TeamKind::as_str)),
                ),
                Action::Help { group } => ("help", group.clone()),
                Action::Sources { ids } => ("sources", ids.clone()),
                Action::FocusOpen { pulse } => ("fo", pulse.to_string()),
                Action::FocusStatement { pulse, statement } => {
                    ("fs", format!("{pulse}:{statement}"))
                }
                Action::FocusAction {
                    pulse,
                    statement,
                    action,
                } => ("fa", format!("{pulse}:{statement}:{action}")),
                Action::FocusOwn { pulse, statement } => ("fw", format!("{pulse}:{statement}")),
            },
            CustomId::FocusOwn { pulse, statement } => ("fx", format!("{pulse}:{statement}")),
            CustomId::Form(FormId::Pick {
                pulse,
                index,
                chosen,
            }) => ("pp", format!("{pulse}:{index}:{chosen}")),
            CustomId::Form(FormId::Submit { pulse, chosen }) => ("ps", format!("{pulse}:{chosen}")),
            CustomId::Team(TeamForm::Add { kind, pick }) => {
                ("ta", format!("{}:{pick}", kind.as_str()))
            }
            CustomId::Team(TeamForm::Edit { id }) => ("te", id.to_string()),
            CustomId::Team(TeamForm::Suggest { kind, pick }) => {
                ("sg", format!("{}:{pick}", kind.as_str()))
            }
            CustomId::Team(TeamForm::Review { id }) => ("sr", id.to_string()),
        };
        format!("{PREFIX}:{tag}:{fields}")
    }

    /// What a custom id stands for; `None` for ids this bot did not make (or made wrong).
    pub fn parse(custom_id: &str) -> Option<CustomId> {
        let rest = custom_id.strip_prefix(PREFIX)?.strip_prefix(':')?;
        let (tag, fields) = rest.split_once(':')?;
        let after = || fields.to_string();
        let action = match tag {
            "contrast" => Action::AnotherContrast { after: after() },
            "tip" => Action::AnotherTip { after: after() },
            "scenario" => Action::AnotherScenario { after: after() },
            "scenario-answer" => Action::RevealScenario { id: after() },
            "pulse" => Action::PulseAnswer {
                pulse: fields.parse().ok()?,
            },
            "forget" => Action::ForgetServer {
                guild: fields.parse().ok()?,
            },
            "list" => {
                let (kind, page) = fields.split_once(':')?;
                Action::ListPage {
                    kind: match kind {
                        "all" => None,
                        kind => Some(TeamKind::from_stored(kind)?),
                    },
                    page: page.parse().ok()?,
                }
            }
            "review" => {
                let (id, letter) = fields.split_once(':')?;
                Action::Review {
                    suggestion: id.parse().ok()?,
                    verdict: match letter {
                        "a" => Verdict::Approve,
                        "e" => Verdict::EditAndApprove,
                        "d" => Verdict::Decline,
                        _ => return None,
                    },
                }
            }
            "help" => Action::Help { group: after() },
            "sources" => Action::Sources { ids: after() },
            "fo" => Action::FocusOpen {
                pulse: fields.parse().ok()?,
            },
            "fs" => {
                let (pulse, statement) = fields.split_once(':')?;
                Action::FocusStatement {
                    pulse: pulse.parse().ok()?,
                    statement: statement.parse().ok()?,
                }
            }
            "fa" => {
                let mut parts = fields.splitn(3, ':');
                Action::FocusAction {
                    pulse: parts.next()?.parse().ok()?,
                    statement: parts.next()?.parse().ok()?,
                    action: parts.next()?.parse().ok()?,
                }
            }
            "fw" => {
                let (pulse, statement) = fields.split_once(':')?;
                Action::FocusOwn {
                    pulse: pulse.parse().ok()?,
                    statement: statement.parse().ok()?,
                }
            }
            "fx" => {
                let (pulse, statement) = fields.split_once(':')?;
                return Some(CustomId::FocusOwn {
                    pulse: pulse.parse().ok()?,
                    statement: statement.parse().ok()?,
                });
            }
            "pp" => return pick(fields).map(CustomId::Form),
            "ps" => return submit(fields).map(CustomId::Form),
            "ta" => {
                let (kind, pick) = fields.split_once(':')?;
                return Some(CustomId::Team(TeamForm::Add {
                    kind: TeamKind::from_stored(kind)?,
                    pick: pick.to_string(),
                }));
            }
            "te" => {
                return Some(CustomId::Team(TeamForm::Edit {
                    id: fields.parse().ok()?,
                }))
            }
            "sg" => {
                let (kind, pick) = fields.split_once(':')?;
                return Some(CustomId::Team(TeamForm::Suggest {
                    kind: TeamKind::from_stored(kind)?,
                    pick: pick.to_string(),
                }));
            }
            "sr" => {
                return Some(CustomId::Team(TeamForm::Review {
                    id: fields.parse().ok()?,
                }))
            }
            _ => return None,
        };
        Some(CustomId::Action(action))
    }
}

/// Whether `chosen` holds only scores (1 to 5) and `_` for none yet.
fn valid_choices(chosen: &str) -> bool {
    chosen.chars().all(|c| c == '_' || ('1'..='5').contains(&c))
}

/// `pulse:index:chosen`.
fn pick(fields: &str) -> Option<FormId> {
    let mut parts = fields.splitn(3, ':');
    let pulse = parts.next()?.parse().ok()?;
    let index = parts.next()?.parse().ok()?;
    let chosen = parts.next()?.to_string();
    (valid_choices(&chosen) && index < chosen.len()).then_some(FormId::Pick {
        pulse,
        index,
        chosen,
    })
}

/// `pulse:chosen`.
fn submit(fields: &str) -> Option<FormId> {
    let (pulse, chosen) = fields.split_once(':')?;
    let chosen = chosen.to_string();
    valid_choices(&chosen).then_some(FormId::Submit {
        pulse: pulse.parse().ok()?,
        chosen,
    })
}

impl Action {
    /// The custom id Discord hands back on a click.
    pub fn custom_id(&self) -> String {
        CustomId::Action(self.clone()).encode()
    }

    /// Whether the answer replaces the message the button sits under when that message is the
    /// clicker's own private one; otherwise (and always under a message the channel reads) it
    /// is a new private message.
    pub fn replaces_message(&self) -> bool {
        !matches!(self, Action::RevealScenario { .. } | Action::Sources { .. })
    }

    /// The action a custom id stands for; `None` for ids that are not an answer's button.
    pub fn parse(custom_id: &str) -> Option<Action> {
        match CustomId::parse(custom_id)? {
            CustomId::Action(action) => Some(action),
            CustomId::Form(_) | CustomId::Team(_) | CustomId::FocusOwn { .. } => None,
        }
    }
}

impl FormId {
    /// The custom id of this form component.
    pub fn custom_id(&self) -> String {
        CustomId::Form(self.clone()).encode()
    }

    /// The form state a custom id stands for; `None` for ids that are not the pulse form's.
    pub fn parse(custom_id: &str) -> Option<FormId> {
        match CustomId::parse(custom_id)? {
            CustomId::Form(form) => Some(form),
            CustomId::Action(_) | CustomId::Team(_) | CustomId::FocusOwn { .. } => None,
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
            Action::ForgetServer { guild: u64::MAX },
            Action::Review {
                suggestion: 9,
                verdict: Verdict::EditAndApprove,
            },
            Action::ListPage {
                kind: None,
                page: 3,
            },
            Action::ListPage {
                kind: Some(TeamKind::Statement),
                page: 0,
            },
            Action::FocusOpen { pulse: 42 },
            Action::FocusStatement {
                pulse: 42,
                statement: 2,
            },
            Action::FocusAction {
                pulse: 42,
                statement: 2,
                action: 3,
            },
            Action::FocusOwn {
                pulse: 42,
                statement: 1,
            },
        ] {
            assert_eq!(Action::parse(&action.custom_id()), Some(action));
        }
        let own = CustomId::FocusOwn {
            pulse: 42,
            statement: 1,
        };
        assert_eq!(CustomId::parse(&own.encode()), Some(own));
        assert_eq!(
            Action::FocusAction {
                pulse: 7,
                statement: 1,
                action: 0
            }
            .custom_id(),
            "bb:fa:7:1:0"
        );
        for wrong in ["bb:fs:7", "bb:fa:7:1", "bb:fo:x", "bb:fs:7:-1"] {
            assert_eq!(Action::parse(wrong), None, "{wrong}");
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

    #[test]
    fn the_wire_format_stays_what_posted_messages_carry() {
        let ids = [
            (
                CustomId::Action(Action::AnotherContrast {
                    after: "vision-execution".into(),
                }),
                "bb:contrast:vision-execution",
            ),
            (
                CustomId::Action(Action::RevealScenario { id: "x".into() }),
                "bb:scenario-answer:x",
            ),
            (
                CustomId::Action(Action::PulseAnswer { pulse: 7 }),
                "bb:pulse:7",
            ),
            (
                CustomId::Form(FormId::Pick {
                    pulse: 7,
                    index: 1,
                    chosen: "3_".into(),
                }),
                "bb:pp:7:1:3_",
            ),
            (
                CustomId::Form(FormId::Submit {
                    pulse: 7,
                    chosen: "34".into(),
                }),
                "bb:ps:7:34",
            ),
            (
                CustomId::Team(TeamForm::Add {
                    kind: TeamKind::Scenario,
                    pick: "managing".into(),
                }),
                "bb:ta:scenario:managing",
            ),
            (CustomId::Team(TeamForm::Edit { id: 12 }), "bb:te:12"),
            (CustomId::Team(TeamForm::Review { id: 12 }), "bb:sr:12"),
            (
                CustomId::Action(Action::Review {
                    suggestion: 12,
                    verdict: Verdict::Decline,
                }),
                "bb:review:12:d",
            ),
        ];
        for (id, text) in ids {
            assert_eq!(id.encode(), text);
            assert_eq!(CustomId::parse(text), Some(id));
        }
        assert_eq!(
            Action::parse("bb:pp:7:1:3_"),
            None,
            "a form id is no button"
        );
        assert_eq!(FormId::parse("bb:pulse:7"), None, "a button is no form id");
    }
}
