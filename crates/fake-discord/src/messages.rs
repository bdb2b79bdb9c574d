//! Messages the bot created, and the polls on them.
//!
//! The fake keeps what the bot posted so it can answer GET/PATCH like Discord, show a test
//! what a channel now holds, and put the right `message` object on a button click. Polls carry
//! votes a test sets and end the way Discord's do: at expiry or on POST .../expire, with the
//! final counts (`results.is_finalized`) possibly lagging behind by a few GETs.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde_json::{json, Value};

use crate::ids::APP_ID;
use crate::multipart::UploadedFile;
use crate::time::iso8601;

/// Message flag: only the invoking user sees the message.
pub(crate) const EPHEMERAL: u64 = 1 << 6;
/// Message flag: embeds are not shown.
pub(crate) const SUPPRESS_EMBEDS: u64 = 1 << 2;
/// Message flag: no push notification.
pub(crate) const SUPPRESS_NOTIFICATIONS: u64 = 1 << 12;
/// Message flag: the deferred "is thinking" placeholder.
pub(crate) const LOADING: u64 = 1 << 7;

/// Which interaction a message answers (for `interaction_metadata`).
#[derive(Clone, Debug)]
pub(crate) struct InteractionMeta {
    pub(crate) id: u64,
    pub(crate) kind: u8,
    pub(crate) user: Value,
    pub(crate) guild_id: Option<u64>,
    /// For a component interaction: the message the component sat on.
    pub(crate) interacted_message: Option<u64>,
}

/// A poll on a stored message.
#[derive(Clone, Debug)]
pub(crate) struct Poll {
    question: Value,
    answers: Vec<Value>,
    expiry: SystemTime,
    allow_multiselect: bool,
    votes: BTreeMap<u64, u64>,
    ended: bool,
    /// GETs of the ended poll still to answer with `is_finalized: false`.
    lag_left: u32,
}

impl Poll {
    fn from_request(poll: &Value, now: SystemTime, finalize_lag: u32) -> Self {
        let hours = poll.get("duration").and_then(Value::as_u64).unwrap_or(24);
        let answers = poll
            .get("answers")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .zip(1u64..)
            .map(|(a, id)| json!({"answer_id": id, "poll_media": a.get("poll_media").cloned().unwrap_or(json!({}))}))
            .collect();
        Self {
            question: poll.get("question").cloned().unwrap_or(json!({"text": ""})),
            answers,
            expiry: now + Duration::from_secs(hours * 3600),
            allow_multiselect: poll
                .get("allow_multiselect")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            votes: BTreeMap::new(),
            ended: false,
            lag_left: finalize_lag,
        }
    }

    /// Whether the poll has ended (expired, or ended early).
    pub(crate) fn has_ended(&self) -> bool {
        self.ended || SystemTime::now() >= self.expiry
    }

    fn is_finalized(&self) -> bool {
        self.has_ended() && self.lag_left == 0
    }

    /// Ends the poll now. With `skip_lag` the results are final at once.
    pub(crate) fn end(&mut self, skip_lag: bool) {
        self.ended = true;
        if skip_lag {
            self.lag_left = 0;
        }
        if self.expiry > SystemTime::now() {
            self.expiry = SystemTime::now();
        }
    }

    /// Counts one GET of the message: an ended poll's lag shrinks by one.
    fn count_get(&mut self) {
        if self.has_ended() && self.lag_left > 0 {
            self.lag_left -= 1;
        }
    }

    pub(crate) fn set_votes(&mut self, votes: &[(u64, u64)]) {
        self.votes = votes.iter().copied().collect();
    }

    fn json(&self, finalized: bool) -> Value {
        let answer_counts: Vec<Value> = self
            .votes
            .iter()
            .filter(|(_, count)| **count > 0)
            .map(|(id, count)| json!({"id": id, "count": count, "me_voted": false}))
            .collect();
        json!({
            "question": self.question,
            "answers": self.answers,
            "expiry": iso8601(self.expiry),
            "allow_multiselect": self.allow_multiselect,
            "layout_type": 1,
            "results": {"is_finalized": finalized, "answer_counts": answer_counts},
        })
    }
}

/// An uploaded file as a message's attachment object.
fn attachment_json(file: &UploadedFile, id: u64, channel_id: u64) -> Value {
    let filename = file.filename.clone().unwrap_or_else(|| "file".into());
    let url = format!("https://cdn.fake-discord.invalid/attachments/{channel_id}/{id}/{filename}");
    json!({
        "id": id.to_string(),
        "filename": filename,
        "size": file.bytes.len(),
        "url": url,
        "proxy_url": url,
        "content_type": file.content_type,
    })
}

/// A message the bot created.
#[derive(Clone, Debug)]
pub(crate) struct StoredMessage {
    pub(crate) id: u64,
    pub(crate) channel_id: u64,
    pub(crate) guild_id: Option<u64>,
    pub(crate) content: String,
    pub(crate) embeds: Vec<Value>,
    pub(crate) components: Vec<Value>,
    pub(crate) attachments: Vec<Value>,
    pub(crate) flags: u64,
    pub(crate) poll: Option<Poll>,
    pub(crate) created: SystemTime,
    pub(crate) edited: Option<SystemTime>,
    pub(crate) interaction: Option<InteractionMeta>,
    pub(crate) message_reference: Option<Value>,
}

fn array_of(body: &Value, key: &str) -> Option<Vec<Value>> {
    match body.get(key)? {
        Value::Array(items) => Some(items.clone()),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

impl StoredMessage {
    /// A message built from a create body (channel message, interaction reply or follow-up).
    pub(crate) fn from_body(
        id: u64,
        channel_id: u64,
        guild_id: Option<u64>,
        body: &Value,
        finalize_lag: u32,
    ) -> Self {
        let now = SystemTime::now();
        let mut message = Self {
            id,
            channel_id,
            guild_id,
            content: String::new(),
            embeds: Vec::new(),
            components: Vec::new(),
            attachments: Vec::new(),
            flags: 0,
            poll: body
                .get("poll")
                .filter(|p| !p.is_null())
                .map(|p| Poll::from_request(p, now, finalize_lag)),
            created: now,
            edited: None,
            interaction: None,
            message_reference: body
                .get("message_reference")
                .filter(|r| !r.is_null())
                .cloned(),
        };
        message.apply(body);
        message.edited = None;
        let creatable = EPHEMERAL | SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS;
        message.flags = body.get("flags").and_then(Value::as_u64).unwrap_or(0) & creatable;
        message
    }

    /// Applies the fields present in an edit body.
    pub(crate) fn apply(&mut self, body: &Value) {
        if let Some(content) = body.get("content") {
            self.content = content.as_str().unwrap_or_default().to_string();
        }
        if let Some(embeds) = array_of(body, "embeds") {
            self.embeds = embeds;
        }
        if let Some(components) = array_of(body, "components") {
            self.components = components;
        }
        if let Some(attachments) = array_of(body, "attachments") {
            self.attachments = attachments;
        }
        if let Some(flags) = body.get("flags").and_then(Value::as_u64) {
            // An edit can only toggle SUPPRESS_EMBEDS; the rest is fixed at creation.
            self.flags = (self.flags & !SUPPRESS_EMBEDS) | (flags & SUPPRESS_EMBEDS);
        }
        self.edited = Some(SystemTime::now());
    }

    /// Turns the request's attachment entries for uploaded files (`{"id": n}` naming the
    /// part `files[n]`) into attachments as Discord returns them, with an id and a URL; other
    /// entries (attachments the message already had) stay. Without files nothing changes.
    pub(crate) fn attach(&mut self, files: &[UploadedFile], mut next_id: impl FnMut() -> u64) {
        if files.is_empty() {
            return;
        }
        let upload = |entry: &Value| -> Option<&UploadedFile> {
            let index = match entry.get("id")? {
                Value::Number(n) => n.as_u64()?,
                Value::String(s) => s.parse().ok()?,
                _ => return None,
            };
            let field = format!("files[{index}]");
            files.iter().find(|f| f.field == field)
        };
        let mut resolved = Vec::new();
        let mut named = Vec::new();
        for entry in &self.attachments {
            match upload(entry) {
                Some(file) => {
                    named.push(file.field.clone());
                    resolved.push(attachment_json(file, next_id(), self.channel_id));
                }
                None => resolved.push(entry.clone()),
            }
        }
        // Discord also takes files the payload does not list.
        for file in files.iter().filter(|f| !named.contains(&f.field)) {
            resolved.push(attachment_json(file, next_id(), self.channel_id));
        }
        self.attachments = resolved;
    }

    /// The custom_ids of every component on the message.
    pub(crate) fn custom_ids(&self) -> Vec<String> {
        self.components
            .iter()
            .flat_map(|row| {
                row.get("components")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            })
            .filter_map(|c| {
                c.get("custom_id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect()
    }

    /// The message as Discord returns it; `author` is the bot's user object.
    pub(crate) fn json(&self, author: &Value) -> Value {
        let finalized = self.poll.as_ref().is_some_and(Poll::is_finalized);
        self.json_with(author, finalized)
    }

    fn json_with(&self, author: &Value, poll_finalized: bool) -> Value {
        let kind = if self.interaction.is_some() { 20 } else { 0 };
        let mut value = json!({
            "id": self.id.to_string(),
            "channel_id": self.channel_id.to_string(),
            "author": author,
            "content": self.content,
            "timestamp": iso8601(self.created),
            "edited_timestamp": self.edited.map(iso8601),
            "tts": false,
            "mention_everyone": false,
            "mentions": [],
            "mention_roles": [],
            "attachments": self.attachments,
            "embeds": self.embeds,
            "components": self.components,
            "pinned": false,
            "type": kind,
            "flags": self.flags,
        });
        if let Some(guild_id) = self.guild_id {
            value["guild_id"] = guild_id.to_string().into();
        }
        if let Some(poll) = &self.poll {
            value["poll"] = poll.json(poll_finalized);
        }
        if let Some(reference) = &self.message_reference {
            value["message_reference"] = reference.clone();
        }
        if let Some(meta) = &self.interaction {
            value["webhook_id"] = APP_ID.to_string().into();
            value["application_id"] = APP_ID.to_string().into();
            let owners = json!({"0": meta.guild_id.unwrap_or(0).to_string()});
            value["interaction_metadata"] = json!({
                "id": meta.id.to_string(),
                "type": meta.kind,
                "user": meta.user,
                "authorizing_integration_owners": owners,
                "original_response_message_id": null,
            });
            if let Some(source) = meta.interacted_message {
                value["interaction_metadata"]["interacted_message_id"] = source.to_string().into();
            }
        }
        value
    }

    /// The message for a GET: counts the GET against an ended poll's finalize lag first.
    pub(crate) fn json_for_get(&mut self, author: &Value) -> Value {
        let finalized = self.poll.as_ref().is_some_and(Poll::is_finalized);
        if let Some(poll) = &mut self.poll {
            poll.count_get();
        }
        self.json_with(author, finalized)
    }
}

/// Every message the bot created, by id.
#[derive(Debug, Default)]
pub(crate) struct MessageStore {
    messages: BTreeMap<u64, StoredMessage>,
}

impl MessageStore {
    pub(crate) fn insert(&mut self, message: StoredMessage) {
        self.messages.insert(message.id, message);
    }

    pub(crate) fn get(&self, id: u64) -> Option<&StoredMessage> {
        self.messages.get(&id)
    }

    /// The message `id` if it is in `channel_id`.
    pub(crate) fn in_channel_mut(
        &mut self,
        channel_id: u64,
        id: u64,
    ) -> Option<&mut StoredMessage> {
        self.messages
            .get_mut(&id)
            .filter(|m| m.channel_id == channel_id)
    }

    pub(crate) fn get_mut(&mut self, id: u64) -> Option<&mut StoredMessage> {
        self.messages.get_mut(&id)
    }

    pub(crate) fn remove(&mut self, id: u64) -> Option<StoredMessage> {
        self.messages.remove(&id)
    }

    /// Messages of a channel, oldest first.
    pub(crate) fn of_channel(&self, channel_id: u64) -> impl Iterator<Item = &StoredMessage> {
        self.messages
            .values()
            .filter(move |m| m.channel_id == channel_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll_message(lag: u32) -> StoredMessage {
        let body = json!({"poll": {"question": {"text": "Q?"}, "answers": [
            {"poll_media": {"text": "a"}}, {"poll_media": {"text": "b"}}
        ], "duration": 24}});
        StoredMessage::from_body(1, 2, Some(3), &body, lag)
    }

    #[test]
    fn poll_answers_get_ids_and_votes_show_up() {
        let mut message = poll_message(0);
        message
            .poll
            .as_mut()
            .expect("poll")
            .set_votes(&[(1, 3), (2, 0)]);
        let json = message.json(&json!({}));
        assert_eq!(json["poll"]["answers"][1]["answer_id"], 2);
        assert_eq!(
            json["poll"]["results"]["answer_counts"],
            json!([{"id": 1, "count": 3, "me_voted": false}])
        );
        assert_eq!(json["poll"]["results"]["is_finalized"], false);
    }

    #[test]
    fn finalize_lag_counts_gets_of_the_ended_poll() {
        let mut message = poll_message(2);
        let author = json!({});
        assert_eq!(
            message.json_for_get(&author)["poll"]["results"]["is_finalized"],
            false
        );
        message.poll.as_mut().expect("poll").end(false);
        assert_eq!(
            message.json_for_get(&author)["poll"]["results"]["is_finalized"],
            false
        );
        assert_eq!(
            message.json_for_get(&author)["poll"]["results"]["is_finalized"],
            false
        );
        assert_eq!(
            message.json_for_get(&author)["poll"]["results"]["is_finalized"],
            true
        );
    }
}
