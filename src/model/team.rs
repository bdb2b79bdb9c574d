//! A server's own entries as the store keeps them: which kind, the texts as JSON (their shape
//! is `content::team`'s, which checks them; the store only carries them), and who added and
//! suggested each, for the credit a team entry is shown with.

use jiff::Timestamp;

/// What a server can add of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TeamKind {
    Tip,
    Scenario,
    Statement,
}

impl TeamKind {
    pub const ALL: [TeamKind; 3] = [TeamKind::Tip, TeamKind::Scenario, TeamKind::Statement];

    /// The word stored in the database, and the table name of an export (`[[tip]]`).
    pub fn as_str(self) -> &'static str {
        match self {
            TeamKind::Tip => "tip",
            TeamKind::Scenario => "scenario",
            TeamKind::Statement => "statement",
        }
    }

    pub fn from_stored(word: &str) -> Option<TeamKind> {
        TeamKind::ALL.into_iter().find(|kind| kind.as_str() == word)
    }

    /// How the kind is named to a person, in the plural.
    pub fn plural(self) -> &'static str {
        match self {
            TeamKind::Tip => "tips",
            TeamKind::Scenario => "scenarios",
            TeamKind::Statement => "pulse statements",
        }
    }
}

/// One entry a server added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamEntry {
    /// The store's id, unique across servers.
    pub id: i64,
    pub guild_id: u64,
    pub kind: TeamKind,
    /// The entry's texts as JSON, in the shape of its kind.
    pub fields: String,
    /// The member who added it, or approved the suggestion it came from.
    pub added_by: u64,
    /// The display name of the member who suggested it; `None` when an admin wrote it.
    pub suggested_by: Option<String>,
    pub added_at: Timestamp,
}

/// The prefix of a team entry's item id in the post log and on buttons: `team:42`. A bundled id
/// is kebab-case words and can hold no colon (`content::is_valid_id`), so the two never meet.
pub const ITEM_PREFIX: &str = "team:";

impl TeamEntry {
    /// The id the deck and the post log know this entry by.
    pub fn item_id(&self) -> String {
        item_id(self.id)
    }
}

/// The item id of the team entry `id`.
pub fn item_id(id: i64) -> String {
    format!("{ITEM_PREFIX}{id}")
}

/// The store id in a team item id; `None` for a bundled id.
pub fn parse_item_id(item: &str) -> Option<i64> {
    item.strip_prefix(ITEM_PREFIX)?.parse().ok()
}

/// Where a server reviews its members' suggestions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewSettings {
    pub channel_id: u64,
    /// Members with this role may decide, besides those with Manage Server.
    pub reviewer_role_id: Option<u64>,
}

/// Where a suggestion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionStatus {
    Waiting,
    Approved,
    Declined,
}

impl SuggestionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionStatus::Waiting => "waiting",
            SuggestionStatus::Approved => "approved",
            SuggestionStatus::Declined => "declined",
        }
    }

    pub fn from_stored(word: &str) -> Option<SuggestionStatus> {
        [
            SuggestionStatus::Waiting,
            SuggestionStatus::Approved,
            SuggestionStatus::Declined,
        ]
        .into_iter()
        .find(|s| s.as_str() == word)
    }
}

/// A member's suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub id: i64,
    pub guild_id: u64,
    pub kind: TeamKind,
    /// The texts as JSON, in the shape of its kind.
    pub fields: String,
    pub member_id: u64,
    /// The member's display name when they sent it, credited as text.
    pub member_name: String,
    pub sent_at: Timestamp,
    pub review_message_id: Option<u64>,
    pub status: SuggestionStatus,
    pub decided_by: Option<u64>,
    pub decided_at: Option<Timestamp>,
}
