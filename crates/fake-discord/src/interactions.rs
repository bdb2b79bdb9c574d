//! Injecting interactions (slash commands, autocomplete, button clicks) over the gateway, and
//! remembering them so the REST side can answer their callbacks and webhooks.
//!
//! serenity 0.12.5 silently drops an INTERACTION_CREATE that lacks any of a dozen fields
//! (`entitlements`, `attachment_size_limit`, `member.flags`...), which makes a test hang
//! instead of fail. So every interaction is built from one complete template
//! ([`interaction_json`]), and only `type` and `data` differ between kinds.
//!
//! Options are typed from the command the bot registered (so `.option("count", 3)` becomes an
//! INTEGER option if the bot declared one), falling back to the JSON type of the value.

use serde_json::{json, Map, Value};

use crate::ids::{APP_ID, BOT_USER_ID, GUILD_ID, MEMBER_ID, TEXT_CHANNEL_ID};
use crate::registries::InteractionState;
use crate::world::World;
use crate::FakeDiscord;

/// Interaction type: application command.
const TYPE_COMMAND: u8 = 2;
/// Interaction type: message component.
const TYPE_COMPONENT: u8 = 3;
/// Interaction type: autocomplete.
const TYPE_AUTOCOMPLETE: u8 = 4;
/// Interaction type: a modal (form) submitted.
const TYPE_MODAL_SUBMIT: u8 = 5;

/// An interaction the fake sent, as a test refers to it afterwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InteractionRef {
    /// The interaction id.
    pub id: u64,
    /// The interaction token (used in the callback and webhook routes).
    pub token: String,
    /// The channel it was sent in.
    pub channel_id: u64,
    /// The user who "sent" it.
    pub user_id: u64,
}

impl InteractionRef {
    /// The route of this interaction's callback: `/interactions/{id}/{token}/callback`.
    pub fn callback_route(&self) -> String {
        format!("/interactions/{}/{}/callback", self.id, self.token)
    }
}

/// Who sends an interaction, and where.
#[derive(Clone, Debug)]
struct Origin {
    user_id: u64,
    channel_id: u64,
    dm: bool,
    locale: String,
}

impl Default for Origin {
    fn default() -> Self {
        Self {
            user_id: MEMBER_ID,
            channel_id: TEXT_CHANNEL_ID,
            dm: false,
            locale: "en-US".into(),
        }
    }
}

/// The one template every interaction is built from: all fields serenity 0.12.5 requires,
/// plus what Discord sends besides (`channel`, `app_permissions`, member permissions).
fn interaction_json(
    world: &World,
    id: u64,
    token: &str,
    kind: u8,
    data: Value,
    origin: &Origin,
) -> Value {
    let mut value = json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "data": data,
        "channel_id": origin.channel_id.to_string(),
        "token": token,
        "version": 1,
        "locale": origin.locale,
        "entitlements": [],
        "attachment_size_limit": 10_485_760,
    });
    if origin.dm {
        value["user"] = world.user_json(origin.user_id);
        value["channel"] = json!({"id": origin.channel_id.to_string(), "type": 1});
        value["context"] = 1.into();
        value["app_permissions"] = "0".into();
        value["authorizing_integration_owners"] = json!({"0": "0"});
        return value;
    }
    let guild_id = guild_of(world, origin.channel_id);
    let bot_permissions = world.channel_permissions(origin.channel_id, BOT_USER_ID);
    value["guild_id"] = guild_id.to_string().into();
    value["guild_locale"] = "en-US".into();
    value["member"] = world.member_json(guild_id, origin.user_id, Some(origin.channel_id));
    value["channel"] = world.partial_channel_json(origin.channel_id, origin.user_id);
    value["app_permissions"] = bot_permissions.to_string().into();
    value["authorizing_integration_owners"] = json!({"0": guild_id.to_string()});
    value["context"] = 0.into();
    value
}

fn guild_of(world: &World, channel_id: u64) -> u64 {
    world
        .channels
        .get(&channel_id)
        .map_or(GUILD_ID, |c| c.guild_id)
}

/// Registers and dispatches one interaction.
fn send(
    fd: &FakeDiscord,
    kind: u8,
    origin: &Origin,
    build: impl FnOnce(&World) -> (Value, Option<u64>),
) -> InteractionRef {
    let shared = fd.shared();
    let id = shared.ids.next();
    let token = format!("fake-token-{id}");
    let payload = {
        let mut world = shared.world();
        let (data, source_message) = build(&world);
        let mut payload = interaction_json(&world, id, &token, kind, data, origin);
        if let Some(message) = source_message.and_then(|m| world.messages.get(m)) {
            payload["message"] = message.json(&world.user_json(BOT_USER_ID));
        }
        let guild_id = (!origin.dm).then(|| guild_of(&world, origin.channel_id));
        world.interactions.insert(
            token.clone(),
            InteractionState {
                id,
                kind,
                channel_id: origin.channel_id,
                guild_id,
                user_id: origin.user_id,
                delivered_at: None,
                callback: None,
                original_message: None,
                deferred: false,
                source_message,
            },
        );
        payload
    };
    fd.dispatch("INTERACTION_CREATE", payload);
    InteractionRef {
        id,
        token,
        channel_id: origin.channel_id,
        user_id: origin.user_id,
    }
}

/// Registers and dispatches a slash command or autocomplete interaction.
fn send_command(
    fd: &FakeDiscord,
    kind: u8,
    input: &CommandInput,
    origin: &Origin,
) -> InteractionRef {
    let fallback_command_id = fd.shared().ids.next();
    send(fd, kind, origin, |world| {
        let guild_id = (!origin.dm).then(|| guild_of(world, origin.channel_id));
        (input.data(world, guild_id, fallback_command_id), None)
    })
}

/// Maps an option value to Discord's option type when the command is not registered.
fn inferred_type(value: &Value) -> u64 {
    match value {
        Value::Bool(_) => 5,
        Value::Number(n) if n.is_i64() || n.is_u64() => 4,
        Value::Number(_) => 10,
        _ => 3,
    }
}

/// The options a command (or subcommand) declares, following `path` from the command down.
fn declared_options<'a>(command: Option<&'a Value>, path: &[String]) -> Vec<&'a Value> {
    let mut options: Vec<&Value> = command
        .and_then(|c| c.get("options"))
        .and_then(Value::as_array)
        .map(|o| o.iter().collect())
        .unwrap_or_default();
    for segment in path {
        let next = options
            .iter()
            .find(|o| o.get("name").and_then(Value::as_str) == Some(segment))
            .and_then(|o| o.get("options"))
            .and_then(Value::as_array);
        options = next.map(|o| o.iter().collect()).unwrap_or_default();
    }
    options
}

fn declared_type(declared: &[&Value], name: &str) -> Option<u64> {
    declared
        .iter()
        .find(|o| o.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|o| o.get("type"))
        .and_then(Value::as_u64)
}

/// Command data under construction (shared by slash commands and autocomplete).
#[derive(Clone, Debug, Default)]
struct CommandInput {
    name: String,
    path: Vec<String>,
    options: Vec<(String, Value)>,
    focused: Option<(String, String)>,
    raw_options: Option<Value>,
}

impl CommandInput {
    /// The interaction's `data`; `fallback_id` is the command id if the command is unknown.
    fn data(&self, world: &World, guild_id: Option<u64>, fallback_id: u64) -> Value {
        let command = world.commands.find(&self.name, guild_id);
        let declared = declared_options(command, &self.path);
        let mut resolved = Map::new();
        let mut leaves: Vec<Value> = self
            .options
            .iter()
            .map(|(name, value)| {
                let kind = declared_type(&declared, name).unwrap_or_else(|| inferred_type(value));
                let value = normalize_value(kind, value);
                resolve(world, guild_id, kind, &value, &mut resolved);
                json!({"name": name, "type": kind, "value": value})
            })
            .collect();
        if let Some((name, partial)) = &self.focused {
            let kind = declared_type(&declared, name).unwrap_or(3);
            leaves.push(json!({"name": name, "type": kind, "value": partial, "focused": true}));
        }
        let options = self
            .raw_options
            .clone()
            .unwrap_or_else(|| self.nest(command, leaves));
        let command_id = command
            .and_then(|c| c.get("id"))
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(fallback_id);
        let mut data = json!({
            "id": command_id.to_string(),
            "name": self.name,
            "type": 1,
            "options": options,
            "resolved": resolved,
        });
        if let Some(g) = command
            .and_then(|c| c.get("guild_id"))
            .filter(|g| !g.is_null())
        {
            data["guild_id"] = g.clone();
        }
        data
    }

    /// Wraps the leaf options in their subcommand (group) levels.
    fn nest(&self, command: Option<&Value>, leaves: Vec<Value>) -> Value {
        let mut options = leaves;
        for depth in (0..self.path.len()).rev() {
            let declared = declared_options(command, &self.path[..depth]);
            let name = &self.path[depth];
            let fallback = if depth + 1 < self.path.len() { 2 } else { 1 };
            let kind = declared_type(&declared, name).unwrap_or(fallback);
            options = vec![json!({"name": name, "type": kind, "options": options})];
        }
        Value::Array(options)
    }
}

/// Ids of users, channels and roles go as strings, whatever the test passed.
fn normalize_value(kind: u64, value: &Value) -> Value {
    match (kind, value) {
        (6..=9 | 11, Value::Number(n)) => Value::String(n.to_string()),
        _ => value.clone(),
    }
}

/// Fills `resolved` for user, channel, role and mentionable options, as Discord does.
fn resolve(
    world: &World,
    guild_id: Option<u64>,
    kind: u64,
    value: &Value,
    resolved: &mut Map<String, Value>,
) {
    let Some(id) = value.as_str().and_then(|s| s.parse::<u64>().ok()) else {
        return;
    };
    let mut put = |section: &str, object: Value| {
        let entry = resolved
            .entry(section.to_string())
            .or_insert_with(|| json!({}));
        entry[id.to_string()] = object;
    };
    let is_user = world.users.contains_key(&id);
    if matches!(kind, 6 | 9) && is_user {
        put("users", world.user_json(id));
        if let Some(g) = guild_id {
            let mut member = world.member_json(g, id, None);
            if let Some(m) = member.as_object_mut() {
                m.remove("user");
            }
            put("members", member);
        }
    }
    if kind == 7 && world.channels.contains_key(&id) {
        put("channels", world.partial_channel_json(id, BOT_USER_ID));
    }
    if matches!(kind, 8 | 9) {
        if let Some((_, role)) = world.role_json_by_id(id) {
            put("roles", role);
        }
    }
    if kind == 11 {
        if let Some(upload) = world.attachments.get(&id) {
            put("attachments", upload.json(id));
        }
    }
}

macro_rules! origin_setters {
    () => {
        /// Sent by `user_id` (default [`crate::MEMBER_ID`]).
        pub fn as_user(mut self, user_id: u64) -> Self {
            self.origin.user_id = user_id;
            self
        }

        /// Sent in `channel_id` (default [`crate::TEXT_CHANNEL_ID`]).
        pub fn in_channel(mut self, channel_id: u64) -> Self {
            self.origin.channel_id = channel_id;
            self
        }

        /// Sent from a DM with the bot: `user` instead of `member`, no guild.
        pub fn in_dm(mut self) -> Self {
            self.origin.dm = true;
            self.origin.channel_id = self.fd.shared().ids.next();
            self
        }

        /// The user's locale (default `en-US`).
        pub fn locale(mut self, locale: &str) -> Self {
            self.origin.locale = locale.to_string();
            self
        }
    };
}

/// A slash command about to be injected; see [`FakeDiscord::slash`].
#[must_use = "call .send().await to inject the interaction"]
pub struct SlashCommand {
    fd: FakeDiscord,
    input: CommandInput,
    origin: Origin,
}

impl SlashCommand {
    pub(crate) fn new(fd: FakeDiscord, name: &str) -> Self {
        Self {
            fd,
            input: CommandInput {
                name: name.to_string(),
                ..CommandInput::default()
            },
            origin: Origin::default(),
        }
    }

    /// Goes one level down: a subcommand group, then a subcommand (call twice for both).
    pub fn subcommand(mut self, name: &str) -> Self {
        self.input.path.push(name.to_string());
        self
    }

    /// Adds an option. Its type comes from the registered command, else from the JSON value.
    /// Ids of users, channels and roles may be numbers; they are sent as strings and resolved.
    pub fn option(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.input.options.push((name.to_string(), value.into()));
        self
    }

    /// Replaces the whole `data.options` array with `options`, verbatim.
    pub fn raw_options(mut self, options: Value) -> Self {
        self.input.raw_options = Some(options);
        self
    }

    origin_setters!();

    /// Sends the INTERACTION_CREATE to the bot.
    pub async fn send(self) -> InteractionRef {
        send_command(&self.fd, TYPE_COMMAND, &self.input, &self.origin)
    }
}

/// An autocomplete request about to be injected; see [`FakeDiscord::autocomplete`].
#[must_use = "call .send().await to inject the interaction"]
pub struct Autocomplete {
    fd: FakeDiscord,
    input: CommandInput,
    origin: Origin,
}

impl Autocomplete {
    pub(crate) fn new(fd: FakeDiscord, name: &str) -> Self {
        Self {
            fd,
            input: CommandInput {
                name: name.to_string(),
                ..CommandInput::default()
            },
            origin: Origin::default(),
        }
    }

    /// Goes one level down: a subcommand group, then a subcommand.
    pub fn subcommand(mut self, name: &str) -> Self {
        self.input.path.push(name.to_string());
        self
    }

    /// The option being typed in, and what the user typed so far.
    pub fn focused(mut self, name: &str, partial: &str) -> Self {
        self.input.focused = Some((name.to_string(), partial.to_string()));
        self
    }

    /// Another option already filled in.
    pub fn option(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.input.options.push((name.to_string(), value.into()));
        self
    }

    origin_setters!();

    /// Sends the INTERACTION_CREATE (type 4) to the bot.
    pub async fn send(self) -> InteractionRef {
        assert!(
            self.input.focused.is_some(),
            "autocomplete needs .focused(name, partial)"
        );
        send_command(&self.fd, TYPE_AUTOCOMPLETE, &self.input, &self.origin)
    }
}

/// A button click about to be injected; see [`FakeDiscord::click`].
#[must_use = "call .send().await to inject the interaction"]
pub struct ButtonClick {
    fd: FakeDiscord,
    custom_id: String,
    message: Option<u64>,
    origin: Origin,
    /// Set when the component is a string select: the values picked.
    values: Option<Vec<String>>,
}

impl ButtonClick {
    pub(crate) fn new(fd: FakeDiscord, custom_id: &str) -> Self {
        Self {
            fd,
            custom_id: custom_id.to_string(),
            message: None,
            origin: Origin::default(),
            values: None,
        }
    }

    /// Makes it a pick in a string select menu (component type 3) of these values.
    pub fn select(mut self, values: &[&str]) -> Self {
        self.values = Some(values.iter().map(|v| (*v).to_string()).collect());
        self
    }

    /// The button sits on message `message_id` (one the bot created) in `channel_id`.
    pub fn on_message(mut self, channel_id: u64, message_id: u64) -> Self {
        self.origin.channel_id = channel_id;
        self.message = Some(message_id);
        self
    }

    /// The button sits on the original response to `interaction`.
    pub fn on_original(mut self, interaction: &InteractionRef) -> Self {
        let original = self
            .fd
            .shared()
            .world()
            .interactions
            .get_mut(interaction.id)
            .and_then(|s| s.original_message);
        self.origin.channel_id = interaction.channel_id;
        self.message = Some(original.unwrap_or_else(|| {
            panic!(
                "fake discord: interaction {} has no original response to click on",
                interaction.id
            )
        }));
        self
    }

    origin_setters!();

    /// Sends the INTERACTION_CREATE (type 3, a button) to the bot. Panics if the message is
    /// unknown or carries no component with this custom_id: that is a test bug.
    pub async fn send(self) -> InteractionRef {
        let message_id = self
            .message
            .expect("fake discord: click needs .on_message(..) or .on_original(..)");
        let custom_id = self.custom_id.clone();
        let values = self.values.clone();
        send(&self.fd, TYPE_COMPONENT, &self.origin, |world| {
            let message = world
                .messages
                .get(message_id)
                .unwrap_or_else(|| panic!("fake discord: no message {message_id} to click on"));
            assert!(
                message.custom_ids().contains(&custom_id),
                "fake discord: message {message_id} has no component {custom_id:?} (it has {:?})",
                message.custom_ids()
            );
            let data = match values {
                Some(values) => {
                    json!({"custom_id": custom_id, "component_type": 3, "values": values})
                }
                None => json!({"custom_id": custom_id, "component_type": 2}),
            };
            (data, Some(message_id))
        })
    }
}

/// A form (modal) submitted, about to be injected; see [`FakeDiscord::submit_modal`].
#[must_use = "call .send().await to inject the interaction"]
pub struct ModalSubmit {
    fd: FakeDiscord,
    custom_id: String,
    fields: Vec<(String, String)>,
    origin: Origin,
}

impl ModalSubmit {
    pub(crate) fn new(fd: FakeDiscord, custom_id: &str) -> Self {
        Self {
            fd,
            custom_id: custom_id.to_string(),
            fields: Vec::new(),
            origin: Origin::default(),
        }
    }

    /// What the person typed in the text box `custom_id` (one action row each, as Discord
    /// sends them).
    pub fn field(mut self, custom_id: &str, value: &str) -> Self {
        self.fields.push((custom_id.to_string(), value.to_string()));
        self
    }

    origin_setters!();

    /// Sends the INTERACTION_CREATE (type 5, a modal submit) to the bot.
    pub async fn send(self) -> InteractionRef {
        let custom_id = self.custom_id.clone();
        let rows: Vec<Value> = self
            .fields
            .iter()
            .map(|(id, value)| {
                json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]})
            })
            .collect();
        send(&self.fd, TYPE_MODAL_SUBMIT, &self.origin, move |_| {
            (json!({"custom_id": custom_id, "components": rows}), None)
        })
    }
}
