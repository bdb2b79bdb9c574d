//! What a server has set for itself as a whole, apart from any one duty's schedule: its time
//! zone (the default every setup offers), where the daily tip draws from, and the dates the
//! bot met it and was removed from it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::when::Zone;

/// Where the daily tip draws from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentMix {
    /// The bundled deck and the server's own tips together.
    #[default]
    Both,
    /// Only the tips the server added.
    TeamOnly,
    /// Only the bundled deck.
    BundledOnly,
}

impl ContentMix {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentMix::Both => "both",
            ContentMix::TeamOnly => "team_only",
            ContentMix::BundledOnly => "bundled_only",
        }
    }

    pub fn from_stored(word: &str) -> Option<ContentMix> {
        [
            ContentMix::Both,
            ContentMix::TeamOnly,
            ContentMix::BundledOnly,
        ]
        .into_iter()
        .find(|mix| mix.as_str() == word)
    }
}

/// A server's own settings; a server that never set anything has the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSettings {
    pub guild_id: u64,
    /// The zone every setup offers unless told another (`/settings timezone`).
    pub zone: Option<Zone>,
    pub content_mix: ContentMix,
    /// When the bot greeted the server, once.
    pub welcomed_at: Option<Timestamp>,
    /// When the bot was removed from the server; its data goes after a grace period unless the
    /// bot is added back.
    pub removed_at: Option<Timestamp>,
}

impl ServerSettings {
    /// The settings of a server that never set anything.
    pub fn new(guild_id: u64) -> ServerSettings {
        ServerSettings {
            guild_id,
            zone: None,
            content_mix: ContentMix::default(),
            welcomed_at: None,
            removed_at: None,
        }
    }
}

/// What happened to the bot's place in a server, as the gateway told it; published for tests
/// and logs (`RunningBot::server_events`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerChange {
    /// The server is out of reach in a Discord outage: nothing changes.
    Unavailable(u64),
    /// The bot was removed: its data goes after the grace period.
    Removed(u64),
    /// The bot is in the server (again): a pending removal is called off.
    Present(u64),
    /// Everything of the server was deleted, as its admin asked.
    Forgotten(u64),
}
