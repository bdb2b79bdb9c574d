//! A server's own entries: their shapes, the limits they are held to, and reading and writing
//! them as a TOML file.
//!
//! A team entry is shown the way a bundled one of its kind is, so its texts are held to the
//! limits of the Discord fields they render into ([`super::entry`]'s, the same the bundled
//! content meets), and never past what a form's text box takes ([`limits::TEXT_INPUT`]), so
//! whatever fits the form fits the embed. It carries no article: it is credited to the team.
//! What a member wrote is untrusted; nothing here trusts it past these checks.
//!
//! An export is one file in the shape of `content/` (`[[tip]]`, `[[scenario]]` and
//! `[[statement]]` tables, the same keys minus those that name articles), and an import reads
//! it with the same diagnostics as `bridgebot check`: every problem at once, each with its
//! line and what to change.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::entry::{Limit, AS_CHOICE, AS_FIELD, AS_PLACEHOLDER, AS_TITLE};
use super::model::PulseSide;
use super::scenario::Calls;
use super::Content;
use crate::diag::{Diagnostic, Location, SourceFile};
use crate::limits;
use crate::model::team::TeamKind;
use crate::text::char_len;

/// Most tips a server may add: several months of daily tips of its own, and a list an admin can
/// still page through.
pub const MAX_TEAM_TIPS: usize = 300;
/// Most scenarios a server may add.
pub const MAX_TEAM_SCENARIOS: usize = 200;
/// Most pulse statements a server may add.
pub const MAX_TEAM_STATEMENTS: usize = 100;
/// Most suggestions one member may have waiting for review at once.
pub const MAX_WAITING_PER_MEMBER: usize = 3;
/// Most suggestions one member may send in a day (24 hours).
pub const MAX_SUGGESTIONS_PER_DAY: usize = 5;
/// Most suggestions a server may have waiting for review: past it, reviewers catch up first.
pub const MAX_WAITING_PER_SERVER: usize = 50;
/// The largest file `/content import` reads: far more than the caps above need.
pub const MAX_IMPORT_BYTES: usize = 512 * 1024;
/// The name of the file `/content export` attaches and `/content import` expects.
pub const EXPORT_FILE: &str = "team-content.toml";

/// The cap on a server's entries of `kind`.
pub fn cap(kind: TeamKind) -> usize {
    match kind {
        TeamKind::Tip => MAX_TEAM_TIPS,
        TeamKind::Scenario => MAX_TEAM_SCENARIOS,
        TeamKind::Statement => MAX_TEAM_STATEMENTS,
    }
}

/// A tip body: an embed description, capped by the form's text box, which is shorter.
const AS_TIP_BODY: Limit = Limit {
    max: limits::TEXT_INPUT,
    renders_as: "a form's text box",
};
/// A scenario's situation: the question of its poll in `/poll scenario`.
const AS_POLL_QUESTION: Limit = Limit {
    max: limits::POLL_QUESTION,
    renders_as: "a poll question",
};

/// A team's own tip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamTip {
    pub title: String,
    pub body: String,
}

/// A team's own scenario: the situation, what each response would do, and which it calls for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamScenario {
    pub name: String,
    pub situation: String,
    pub leading: String,
    pub managing: String,
    pub calls: Calls,
}

/// A team's own pulse statement, with the side it counts toward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamStatement {
    pub text: String,
    pub side: PulseSide,
    /// Worded negatively, as a bundled statement may be: agreeing is the bad outcome.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reversed: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// One team entry's texts, of any kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamBody {
    Tip(TeamTip),
    Scenario(TeamScenario),
    Statement(TeamStatement),
}

/// One text of an entry, the limit it must respect, and what the form calls it.
#[derive(Debug, Clone, Copy)]
pub struct FieldRule<'a> {
    pub field: &'static str,
    pub text: &'a str,
    pub limit: Limit,
}

/// The longest each field of `kind` may be, in the order a form asks them: a form's text box
/// is capped at these same numbers.
pub fn field_limits(kind: TeamKind) -> &'static [(&'static str, Limit)] {
    match kind {
        TeamKind::Tip => &[("title", AS_TITLE), ("body", AS_TIP_BODY)],
        TeamKind::Scenario => &[
            ("name", AS_CHOICE),
            ("situation", AS_POLL_QUESTION),
            ("leading", AS_FIELD),
            ("managing", AS_FIELD),
        ],
        TeamKind::Statement => &[("text", AS_PLACEHOLDER)],
    }
}

impl TeamBody {
    pub fn kind(&self) -> TeamKind {
        match self {
            TeamBody::Tip(_) => TeamKind::Tip,
            TeamBody::Scenario(_) => TeamKind::Scenario,
            TeamBody::Statement(_) => TeamKind::Statement,
        }
    }

    /// How the entry is named in a list or a choice: the tip's title, the scenario's name, the
    /// statement's text.
    pub fn headline(&self) -> &str {
        match self {
            TeamBody::Tip(tip) => &tip.title,
            TeamBody::Scenario(scenario) => &scenario.name,
            TeamBody::Statement(statement) => &statement.text,
        }
    }

    /// The text two entries are compared by for near-duplicates.
    fn gist(&self) -> &str {
        match self {
            TeamBody::Tip(tip) => &tip.body,
            TeamBody::Scenario(scenario) => &scenario.situation,
            TeamBody::Statement(statement) => &statement.text,
        }
    }

    /// Every text, with its field name and limit.
    pub fn texts(&self) -> Vec<FieldRule<'_>> {
        let values: Vec<&str> = match self {
            TeamBody::Tip(tip) => vec![&tip.title, &tip.body],
            TeamBody::Scenario(s) => vec![&s.name, &s.situation, &s.leading, &s.managing],
            TeamBody::Statement(s) => vec![&s.text],
        };
        field_limits(self.kind())
            .iter()
            .zip(values)
            .map(|(&(field, limit), text)| FieldRule { field, text, limit })
            .collect()
    }

    /// Every way the entry breaks a limit, each as a problem and what to change; empty when it
    /// can be kept.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        for rule in self.texts() {
            let length = char_len(rule.text);
            if rule.text.trim().is_empty() {
                problems.push((
                    format!("`{}` is empty", rule.field),
                    format!("write the {} (not only spaces)", rule.field),
                ));
            } else if length > rule.limit.max {
                problems.push((
                    format!(
                        "`{}` is {length} characters; it is shown as {}, which takes at most {}",
                        rule.field, rule.limit.renders_as, rule.limit.max
                    ),
                    format!(
                        "shorten the {} to {} characters",
                        rule.field, rule.limit.max
                    ),
                ));
            }
        }
        problems
    }

    /// The entry's texts with the spaces around each trimmed, as they are kept.
    pub fn trimmed(mut self) -> TeamBody {
        let trim = |text: &mut String| *text = text.trim().to_string();
        match &mut self {
            TeamBody::Tip(tip) => {
                trim(&mut tip.title);
                trim(&mut tip.body);
            }
            TeamBody::Scenario(s) => {
                for text in [
                    &mut s.name,
                    &mut s.situation,
                    &mut s.leading,
                    &mut s.managing,
                ] {
                    trim(text);
                }
            }
            TeamBody::Statement(s) => trim(&mut s.text),
        }
        self
    }

    /// The texts as the store keeps them.
    pub fn to_json(&self) -> String {
        let value = match self {
            TeamBody::Tip(tip) => serde_json::to_string(tip),
            TeamBody::Scenario(scenario) => serde_json::to_string(scenario),
            TeamBody::Statement(statement) => serde_json::to_string(statement),
        };
        // Plain strings and enums always serialize.
        value.unwrap_or_default()
    }

    /// An entry from what the store keeps.
    pub fn from_json(kind: TeamKind, fields: &str) -> Result<TeamBody, serde_json::Error> {
        Ok(match kind {
            TeamKind::Tip => TeamBody::Tip(serde_json::from_str(fields)?),
            TeamKind::Scenario => TeamBody::Scenario(serde_json::from_str(fields)?),
            TeamKind::Statement => TeamBody::Statement(serde_json::from_str(fields)?),
        })
    }

    /// A stored entry's texts, where the bot only draws from the server's entries (the deck,
    /// the pulse, `/scenario`, the focus): `None` for one that no longer reads as its kind,
    /// which is passed over rather than shown broken.
    pub fn of_entry(entry: &crate::model::team::TeamEntry) -> Option<TeamBody> {
        TeamBody::from_json(entry.kind, &entry.fields).ok()
    }

    pub fn into_tip(self) -> Option<TeamTip> {
        match self {
            TeamBody::Tip(tip) => Some(tip),
            _ => None,
        }
    }

    pub fn into_scenario(self) -> Option<TeamScenario> {
        match self {
            TeamBody::Scenario(scenario) => Some(scenario),
            _ => None,
        }
    }

    pub fn into_statement(self) -> Option<TeamStatement> {
        match self {
            TeamBody::Statement(statement) => Some(statement),
            _ => None,
        }
    }
}

/// Who a team entry is credited to, in place of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credit {
    /// An admin wrote it.
    Team,
    /// A member suggested it: their display name at the time, shown as text (never a mention).
    SuggestedBy(String),
}

impl Credit {
    pub fn of(suggested_by: Option<&str>) -> Credit {
        suggested_by.map_or(Credit::Team, |name| Credit::SuggestedBy(name.to_string()))
    }
}

/// A tip of the daily deck: a bundled one, or one of the server's own with its credit.
#[derive(Debug, Clone)]
pub enum AnyTip<'c> {
    Bundled(&'c super::Tip),
    Team { tip: TeamTip, credit: Credit },
}

impl AnyTip<'_> {
    pub fn title(&self) -> &str {
        match self {
            AnyTip::Bundled(tip) => &tip.title,
            AnyTip::Team { tip, .. } => &tip.title,
        }
    }
}

impl TeamBody {
    /// An entry from a form: `pick` is what the command chose before the form opened (a
    /// scenario's `calls`, a statement's side with `-reversed` when worded negatively), `text`
    /// what was typed in the text box of each field. `None` when `pick` is not a choice the
    /// command offers.
    pub fn from_form(
        kind: TeamKind,
        pick: &str,
        text: impl Fn(&str) -> String,
    ) -> Option<TeamBody> {
        Some(match kind {
            TeamKind::Tip => TeamBody::Tip(TeamTip {
                title: text("title"),
                body: text("body"),
            }),
            TeamKind::Scenario => TeamBody::Scenario(TeamScenario {
                name: text("name"),
                situation: text("situation"),
                leading: text("leading"),
                managing: text("managing"),
                calls: Calls::ALL.into_iter().find(|c| c.id() == pick)?,
            }),
            TeamKind::Statement => {
                let (side, reversed) = match pick.strip_suffix("-reversed") {
                    Some(side) => (side, true),
                    None => (pick, false),
                };
                TeamBody::Statement(TeamStatement {
                    text: text("text"),
                    side: PulseSide::BOTH
                        .into_iter()
                        .find(|s| s.label().eq_ignore_ascii_case(side))?,
                    reversed,
                })
            }
        })
    }

    /// What the form's custom id carries for this entry (see [`TeamBody::from_form`]).
    pub fn pick(&self) -> String {
        match self {
            TeamBody::Tip(_) => String::new(),
            TeamBody::Scenario(s) => s.calls.id().to_string(),
            TeamBody::Statement(s) => {
                let side = s.side.label().to_lowercase();
                if s.reversed {
                    format!("{side}-reversed")
                } else {
                    side
                }
            }
        }
    }

    /// The value of a form field, to prefill the form that edits it.
    pub fn field(&self, field: &str) -> Option<&str> {
        self.texts()
            .into_iter()
            .find(|rule| rule.field == field)
            .map(|rule| rule.text)
    }
}

/// Words of a text, lowercased, for comparing two texts whatever their punctuation.
fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether two texts say nearly the same: at least four fifths of their words in common.
fn near(a: &HashSet<String>, b: &HashSet<String>) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // They share at most the smaller's words and have at least the larger's: texts too
    // different in length are told apart without looking at a word.
    if small.is_empty() || small.len() * 5 < large.len() * 4 {
        return false;
    }
    let shared = small.iter().filter(|word| large.contains(*word)).count();
    let all = a.len() + b.len() - shared;
    shared * 5 >= all * 4
}

/// What a server's entries may not nearly repeat: the bundled entries and the server's own, each
/// with its words counted once, so checking a file of hundreds of entries stays quick.
pub struct Known {
    entries: Vec<(TeamKind, String, HashSet<String>)>,
}

impl Known {
    /// The bundled entries and `team`'s.
    pub fn new<'a>(content: &Content, team: impl IntoIterator<Item = &'a TeamBody>) -> Known {
        let mut entries = Vec::new();
        let mut bundled = |kind: TeamKind, name: &str, gist: &str| {
            entries.push((
                kind,
                format!("the bundled {} “{name}”", kind.as_str()),
                words(gist),
            ));
        };
        for tip in &content.tips {
            bundled(TeamKind::Tip, &tip.title, &tip.body);
        }
        for scenario in &content.scenarios {
            bundled(TeamKind::Scenario, &scenario.name, &scenario.situation);
        }
        for statement in &content.statements {
            bundled(TeamKind::Statement, &statement.text, &statement.text);
        }
        let mut known = Known { entries };
        for body in team {
            known.add(body);
        }
        known
    }

    /// Counts `body` as known, so a later entry may not nearly repeat it.
    pub fn add(&mut self, body: &TeamBody) {
        let kind = body.kind();
        self.entries.push((
            kind,
            format!("your team's {} “{}”", kind.as_str(), body.headline()),
            words(body.gist()),
        ));
    }

    /// What `body` nearly repeats, named for the person adding it.
    pub fn resembled(&self, body: &TeamBody) -> Option<&str> {
        let gist = words(body.gist());
        self.entries
            .iter()
            .find(|(kind, _, known)| *kind == body.kind() && near(&gist, known))
            .map(|(_, name, _)| name.as_str())
    }
}

/// What an entry resembles, for the person adding it: "the bundled tip “…”" or "your team's
/// tip “…”".
pub fn resembles<'a>(
    body: &TeamBody,
    content: &Content,
    team: impl IntoIterator<Item = &'a TeamBody>,
) -> Option<String> {
    Known::new(content, team)
        .resembled(body)
        .map(str::to_string)
}

/// The export file: every entry in the shape of `content/`, tips first.
pub fn to_toml(entries: &[TeamBody]) -> String {
    let mut out = String::from(
        "# This server's own bridgebot content, in the shape of bridgebot's content/ files.\n\
         # Edit it and give it back with /content import: the whole file is added, or nothing.\n",
    );
    for kind in TeamKind::ALL {
        for body in entries.iter().filter(|b| b.kind() == kind) {
            let table = match body {
                TeamBody::Tip(tip) => toml::to_string(tip),
                TeamBody::Scenario(scenario) => toml::to_string(scenario),
                TeamBody::Statement(statement) => toml::to_string(statement),
            };
            out.push_str(&format!("\n[[{}]]\n", kind.as_str()));
            out.push_str(&table.unwrap_or_default());
        }
    }
    out
}

/// Reads an import: every entry, or every problem at once with its line and what to change.
/// `file` is the name the diagnostics use.
pub fn from_toml(file: &str, text: &str) -> Result<Vec<TeamBody>, Vec<Diagnostic>> {
    read_located(file, text).map(|found| found.into_iter().map(|(_, body)| body).collect())
}

/// Reads an import for a server that already has `known`: the file's problems, and then every
/// entry that nearly repeats one of ours, one the server has or one earlier in the file, each
/// at its line, all at once.
pub fn import(file: &str, text: &str, mut known: Known) -> Result<Vec<TeamBody>, Vec<Diagnostic>> {
    let found = read_located(file, text)?;
    let mut problems = Vec::new();
    for (at, body) in &found {
        match known.resembled(body) {
            Some(like) => problems.push(at.diagnostic(
                format!("this {} is nearly the same as {like}", body.kind().as_str()),
                "change it so it says something of its own, or leave it out",
            )),
            None => known.add(body),
        }
    }
    if problems.is_empty() {
        Ok(found.into_iter().map(|(_, body)| body).collect())
    } else {
        problems.sort_by_key(|d| (d.line, d.column));
        Err(problems)
    }
}

fn read_located(file: &str, text: &str) -> Result<Vec<(Location, TeamBody)>, Vec<Diagnostic>> {
    let source = SourceFile::new(file, text);
    let (table, mut problems) = source.parse();
    let mut found = Vec::new();
    for (key, value) in table.into_inner() {
        let Some(kind) = TeamKind::from_stored(key.get_ref()) else {
            problems.push(source.diagnostic(
                &key.span(),
                format!("`{}` is not a kind of entry a team can add", key.get_ref()),
                "use [[tip]], [[scenario]] or [[statement]] entries only",
            ));
            continue;
        };
        let span = value.span();
        let toml::de::DeValue::Array(array) = value.into_inner() else {
            problems.push(source.diagnostic(
                &span,
                format!("`{}` must be a list of entries", kind.as_str()),
                format!(
                    "write each entry under its own [[{}]] header",
                    kind.as_str()
                ),
            ));
            continue;
        };
        for element in array.iter().cloned() {
            let at = source.locate(element.span().start);
            let body = match kind {
                TeamKind::Tip => source.deserialize(element).map(TeamBody::Tip),
                TeamKind::Scenario => source.deserialize(element).map(TeamBody::Scenario),
                TeamKind::Statement => source.deserialize(element).map(TeamBody::Statement),
            };
            match body {
                Ok(body) => {
                    let entry = problems.len();
                    for (problem, fix) in body.problems() {
                        problems
                            .push(at.diagnostic(format!("this {}: {problem}", kind.as_str()), fix));
                    }
                    if problems.len() == entry {
                        found.push((at, body.trimmed()));
                    }
                }
                Err(problem) => problems.push(problem),
            }
        }
    }
    if found.is_empty() && problems.is_empty() {
        problems.push(source.locate(0).diagnostic(
            "the file holds no entries",
            "add [[tip]], [[scenario]] or [[statement]] entries (export first to see the shape)",
        ));
    }
    if problems.is_empty() {
        found.sort_by_key(|(at, body)| (body.kind(), at.line));
        Ok(found)
    } else {
        problems.sort_by_key(|d| (d.line, d.column));
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tip(title: &str, body: &str) -> TeamBody {
        TeamBody::Tip(TeamTip {
            title: title.into(),
            body: body.into(),
        })
    }

    #[test]
    fn empty_blank_and_over_long_fields_are_each_reported_with_the_limit() {
        let problems = tip("   ", &"x".repeat(limits::TEXT_INPUT + 1)).problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].0.contains("`title` is empty"), "{problems:?}");
        assert!(
            problems[1].0.contains(&limits::TEXT_INPUT.to_string()),
            "{problems:?}"
        );
        assert!(tip(
            "Name who can say stop",
            "Before a release, name who can say stop."
        )
        .problems()
        .is_empty());
    }

    #[test]
    fn a_form_reads_back_what_its_pick_and_fields_say() {
        let statement = TeamBody::Statement(TeamStatement {
            text: "My work waited on a decision.".into(),
            side: PulseSide::Managing,
            reversed: true,
        });
        let read = TeamBody::from_form(TeamKind::Statement, &statement.pick(), |f| {
            statement.field(f).unwrap_or_default().to_string()
        });
        assert_eq!(read, Some(statement));
        assert_eq!(
            TeamBody::from_form(TeamKind::Scenario, "sideways", |_| "x".into()),
            None
        );
    }

    #[test]
    fn every_field_limit_fits_a_form_text_box() {
        for kind in TeamKind::ALL {
            for (field, limit) in field_limits(kind) {
                assert!(limit.max <= limits::TEXT_INPUT, "{field}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn near_means_four_fifths_of_all_their_words_are_shared(
            common in proptest::collection::hash_set("[a-z]{3}", 0..10),
            only_a in proptest::collection::hash_set("[0-3]", 0..4),
            only_b in proptest::collection::hash_set("[0-3]", 0..4),
        ) {
            let a: HashSet<String> = common.iter().chain(&only_a).cloned().collect();
            let b: HashSet<String> = common.iter().chain(&only_b).cloned().collect();
            let shared = a.intersection(&b).count();
            let all = a.union(&b).count();
            let expected = !a.is_empty() && !b.is_empty() && shared * 5 >= all * 4;
            proptest::prop_assert_eq!(near(&a, &b), expected);
        }
    }

    #[test]
    fn a_near_copy_of_a_bundled_or_team_entry_names_what_it_resembles() {
        let content = Content::bundled().expect("bundled");
        let bundled = &content.tips[0];
        let copy = tip("Mine", &format!("{}!", bundled.body.to_uppercase()));
        let said = resembles(&copy, &content, []).expect("resembles");
        assert!(said.contains(bundled.title.as_str()), "{said}");
        let ours = tip(
            "Stop",
            "Before a release, name the one person who can say stop.",
        );
        let again = tip(
            "Stop again",
            "before a release name the one person who can say stop",
        );
        let said = resembles(&again, &content, [&ours]).expect("resembles");
        assert!(said.contains("your team's tip “Stop”"), "{said}");
        let other = tip(
            "Other",
            "Celebrate a finished project with the whole team today.",
        );
        assert_eq!(resembles(&other, &content, [&ours]), None);
    }

    #[test]
    fn an_export_reads_back_as_the_same_entries() {
        let entries = vec![
            tip("Say stop", "Before a release, name who can say \"stop\"."),
            TeamBody::Scenario(TeamScenario {
                name: "Late release".into(),
                situation: "The release slips a week.".into(),
                leading: "Explain why it matters.".into(),
                managing: "Re-plan the week.".into(),
                calls: Calls::Managing,
            }),
            TeamBody::Statement(TeamStatement {
                text: "I knew what mattered most this week.".into(),
                side: PulseSide::Leading,
                reversed: false,
            }),
        ];
        let file = to_toml(&entries);
        assert_eq!(from_toml(EXPORT_FILE, &file).expect("reads back"), entries);
    }

    #[test]
    fn an_import_reports_every_mistake_with_its_line() {
        let file = "[[tip]]\ntitle = \"\"\nbody = \"ok\"\n\n[[tip]]\ntitle = \"t\"\nbdy = \"x\"\n\n[[quote]]\ntext = \"q\"\n";
        let problems = from_toml("f.toml", file).expect_err("three mistakes");
        let lines: Vec<usize> = problems.iter().map(|d| d.line).collect();
        assert_eq!(lines.len(), 3, "{problems:?}");
        assert_eq!(lines[0], 1);
        assert!(problems.iter().all(|d| !d.fix.is_empty()));
        assert!(from_toml("f.toml", "not toml at all [").is_err());
    }

    #[test]
    fn an_import_names_every_near_copy_at_its_line() {
        let content = Content::bundled().expect("content");
        let bundled = &content.tips[0];
        let ours = tip(
            "Say who can stop a release",
            "Before each release, name the one person who may call it off.",
        );
        let file = format!(
            "[[tip]]\ntitle = {:?}\nbody = {:?}\n\n[[tip]]\ntitle = \"Fresh\"\nbody = \"Walk the floor on Fridays and ask one person what slowed them down this week.\"\n\n[[tip]]\ntitle = \"Again\"\nbody = \"Before each release, name the one person who may call it off.\"\n",
            bundled.title.as_str(),
            bundled.body.as_str(),
        );
        let problems =
            import("f.toml", &file, Known::new(&content, [&ours])).expect_err("two copies");
        let lines: Vec<usize> = problems.iter().map(|d| d.line).collect();
        assert_eq!(lines, [1, 9], "{problems:?}");
        assert!(
            problems[0].problem.contains("the bundled tip"),
            "{problems:?}"
        );
        assert!(
            problems[1].problem.contains("your team's tip"),
            "{problems:?}"
        );
        let fresh = "[[tip]]\ntitle = \"Fresh\"\nbody = \"Walk the floor on Fridays and ask one person what slowed them down this week.\"\n";
        assert_eq!(
            import("f.toml", fresh, Known::new(&content, [&ours]))
                .expect("new")
                .len(),
            1
        );
    }
}
