//! What the fake remembers between requests: the interactions it sent (so the REST side can
//! answer their callbacks and webhooks) and the commands the bot registered (so options can be
//! typed as declared). Kept apart from both users, like `MessageStore`, so `world` and
//! `interactions` do not import each other.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::{json, Value};

use crate::ids::APP_ID;

/// What the fake remembers about an interaction it sent.
#[derive(Clone, Debug)]
pub(crate) struct InteractionState {
    pub(crate) id: u64,
    pub(crate) kind: u8,
    pub(crate) channel_id: u64,
    pub(crate) guild_id: Option<u64>,
    pub(crate) user_id: u64,
    /// When the frame was written to the bot's socket (the 3 s deadline starts here).
    pub(crate) delivered_at: Option<Instant>,
    /// The callback type the bot answered with, once it did.
    pub(crate) callback: Option<u64>,
    /// The message that is this interaction's "@original" response.
    pub(crate) original_message: Option<u64>,
    /// The original is a deferred "thinking" placeholder not yet edited.
    pub(crate) deferred: bool,
    /// For component interactions: the message the component sits on.
    pub(crate) source_message: Option<u64>,
}

/// Interactions by id, and their tokens.
#[derive(Debug, Default)]
pub(crate) struct InteractionRegistry {
    by_id: HashMap<u64, InteractionState>,
    by_token: HashMap<String, u64>,
}

impl InteractionRegistry {
    pub(crate) fn insert(&mut self, token: String, state: InteractionState) {
        self.by_token.insert(token, state.id);
        self.by_id.insert(state.id, state);
    }

    pub(crate) fn get_mut(&mut self, id: u64) -> Option<&mut InteractionState> {
        self.by_id.get_mut(&id)
    }

    /// The interaction with this token (for webhook routes).
    pub(crate) fn by_token_mut(&mut self, token: &str) -> Option<&mut InteractionState> {
        let id = *self.by_token.get(token)?;
        self.by_id.get_mut(&id)
    }

    /// The interaction whose original response is message `message_id`.
    pub(crate) fn by_original_mut(&mut self, message_id: u64) -> Option<&mut InteractionState> {
        self.by_id
            .values_mut()
            .find(|s| s.original_message == Some(message_id))
    }

    /// The token of interaction `id`, if the fake sent it.
    pub(crate) fn token_matches(&self, id: u64, token: &str) -> bool {
        self.by_token.get(token) == Some(&id)
    }

    /// Notes that the INTERACTION_CREATE frame for `id` reached the bot's socket.
    pub(crate) fn delivered(&mut self, id: u64) {
        if let Some(state) = self.by_id.get_mut(&id) {
            state.delivered_at.get_or_insert_with(Instant::now);
        }
    }
}

/// Commands the bot registered, per scope (global or a guild), as the fake echoed them.
#[derive(Debug, Default)]
pub(crate) struct CommandRegistry {
    scopes: HashMap<Option<u64>, Vec<Value>>,
    /// Discord keeps a command's id across re-registrations with the same name and type.
    ids: HashMap<(Option<u64>, u64, String), u64>,
}

impl CommandRegistry {
    /// Replaces the commands of `scope` (bulk overwrite) and returns them as Discord echoes
    /// them: with ids, application id, version and defaults filled in.
    pub(crate) fn overwrite(
        &mut self,
        scope: Option<u64>,
        commands: &[Value],
        mut new_id: impl FnMut() -> u64,
    ) -> Vec<Value> {
        let echoed: Vec<Value> = commands
            .iter()
            .map(|command| {
                let kind = command.get("type").and_then(Value::as_u64).unwrap_or(1);
                let name = command
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let id = *self
                    .ids
                    .entry((scope, kind, name))
                    .or_insert_with(&mut new_id);
                echo_command(command, id, kind, scope, new_id())
            })
            .collect();
        self.scopes.insert(scope, echoed.clone());
        echoed
    }

    pub(crate) fn scope(&self, scope: Option<u64>) -> Vec<Value> {
        self.scopes.get(&scope).cloned().unwrap_or_default()
    }

    /// Every registered command, guild ones first.
    pub(crate) fn all(&self) -> Vec<Value> {
        let mut scopes: Vec<_> = self.scopes.iter().collect();
        scopes.sort_by_key(|(scope, _)| std::cmp::Reverse(scope.is_some()));
        scopes
            .into_iter()
            .flat_map(|(_, commands)| commands.clone())
            .collect()
    }

    /// The chat input command `name` as registered for `guild_id` (or globally).
    pub(crate) fn find(&self, name: &str, guild_id: Option<u64>) -> Option<&Value> {
        let is_it = |c: &&Value| {
            c.get("name").and_then(Value::as_str) == Some(name)
                && c.get("type").and_then(Value::as_u64) == Some(1)
        };
        guild_id
            .and_then(|g| self.scopes.get(&Some(g)))
            .and_then(|cs| cs.iter().find(is_it))
            .or_else(|| self.scopes.get(&None).and_then(|cs| cs.iter().find(is_it)))
    }
}

fn echo_command(command: &Value, id: u64, kind: u64, scope: Option<u64>, version: u64) -> Value {
    let mut echoed = command.as_object().cloned().unwrap_or_default();
    for (key, default) in [("description", json!("")), ("options", json!([]))] {
        if echoed.get(key).is_none_or(Value::is_null) {
            echoed.insert(key.into(), default);
        }
    }
    echoed
        .entry("default_member_permissions")
        .or_insert(Value::Null);
    echoed.entry("nsfw").or_insert(false.into());
    echoed.insert("id".into(), id.to_string().into());
    echoed.insert("type".into(), kind.into());
    echoed.insert("application_id".into(), APP_ID.to_string().into());
    echoed.insert("guild_id".into(), scope.map(|g| g.to_string()).into());
    echoed.insert("version".into(), version.to_string().into());
    Value::Object(echoed)
}
