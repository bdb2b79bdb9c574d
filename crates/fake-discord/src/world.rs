//! The fake's small, stateful Discord: guilds, roles, members, channels and their permissions,
//! and the JSON Discord would send for each.
//!
//! The JSON is what serenity 0.12.5 needs to deserialize, which is stricter than Discord's
//! documentation suggests: a guild channel that fails to parse is silently left out of the
//! cache, a role without `colors` fails, and so on. The self-tests parse every payload with
//! serenity's own types to keep these shapes honest.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::ids::{self, perms, *};
use crate::messages::MessageStore;
use crate::registries::{CommandRegistry, InteractionRegistry};
use crate::time::iso8601;

/// Whom a permission overwrite applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverwriteTarget {
    /// A role (the guild id is @everyone).
    Role(u64),
    /// A single member.
    Member(u64),
}

/// A channel permission overwrite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overwrite {
    /// Whom it applies to.
    pub target: OverwriteTarget,
    /// Permission bits granted.
    pub allow: u64,
    /// Permission bits denied.
    pub deny: u64,
}

impl Overwrite {
    /// An overwrite for @everyone of `guild_id` denying `deny`.
    pub fn deny_everyone(guild_id: u64, deny: u64) -> Self {
        Self {
            target: OverwriteTarget::Role(guild_id),
            allow: 0,
            deny,
        }
    }

    fn json(&self) -> Value {
        let (id, kind) = match self.target {
            OverwriteTarget::Role(id) => (id, 0),
            OverwriteTarget::Member(id) => (id, 1),
        };
        json!({"id": id.to_string(), "type": kind, "allow": self.allow.to_string(), "deny": self.deny.to_string()})
    }
}

/// The kinds of channel the fake world knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelKind {
    /// A guild text channel (type 0).
    Text,
    /// A guild voice channel (type 2).
    Voice,
    /// A public thread (type 11), made by the bot starting a thread.
    PublicThread,
}

impl ChannelKind {
    fn code(self) -> u8 {
        match self {
            Self::Text => 0,
            Self::Voice => 2,
            Self::PublicThread => 11,
        }
    }
}

/// A user of the fake world.
#[derive(Clone, Debug)]
pub(crate) struct User {
    pub(crate) name: String,
    pub(crate) bot: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Role {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) permissions: u64,
    pub(crate) position: u16,
    pub(crate) mentionable: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Member {
    pub(crate) user_id: u64,
    pub(crate) roles: Vec<u64>,
}

#[derive(Clone, Debug)]
pub(crate) struct Channel {
    pub(crate) id: u64,
    pub(crate) guild_id: u64,
    pub(crate) kind: ChannelKind,
    pub(crate) name: String,
    pub(crate) position: u16,
    pub(crate) overwrites: Vec<Overwrite>,
    /// For threads: the channel the thread lives in.
    pub(crate) parent_id: Option<u64>,
    pub(crate) created: SystemTime,
}

#[derive(Clone, Debug)]
pub(crate) struct Guild {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) owner_id: u64,
    pub(crate) roles: Vec<Role>,
    pub(crate) members: Vec<Member>,
    /// The ids of its channels and threads, kept by [`World::insert_channel`] and
    /// [`World::remove_channel`], so a guild's channels are found without a scan of all of them.
    pub(crate) channel_ids: BTreeSet<u64>,
    /// The channel Discord names for the server's own notices; none unless a test sets one.
    pub(crate) system_channel_id: Option<u64>,
    /// When the bot joined it (GUILD_CREATE's `joined_at`); a fixed day in 2024 unless set.
    pub(crate) joined_at: SystemTime,
    /// The bot was removed from it: a new session neither lists it in READY nor sends its
    /// GUILD_CREATE, until the bot is added again.
    pub(crate) bot_removed: bool,
}

/// What each extra guild ([`crate::FakeOptions::extra_guilds`]) holds besides its four members
/// (the bot, the owner, the admin and a member).
///
/// [`GuildShape::SMALL`], the default, is one text channel and @everyone: what a load test of
/// the bot's own work needs. [`GuildShape::TEAM`] is shaped like a real team's server, for
/// measuring what the bot keeps per server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuildShape {
    /// Text channels, at least one; the first is [`ids::extra_guild_channel_id`].
    pub channels: usize,
    /// Roles, @everyone included (at least one). With two or more, the bot's member holds the
    /// first role after @everyone, as a bot holds its own managed role.
    pub roles: usize,
    /// Whether each channel has one permission overwrite (for a role other than @everyone when
    /// there is one, else for @everyone), granting Attach Files: it changes nothing the bot
    /// may do, but it is there to be kept.
    pub overwrites: bool,
}

impl GuildShape {
    /// One text channel, @everyone, no overwrite.
    pub const SMALL: GuildShape = GuildShape {
        channels: 1,
        roles: 1,
        overwrites: false,
    };
    /// A real team's server: 30 text channels with one overwrite each, and 15 roles.
    pub const TEAM: GuildShape = GuildShape {
        channels: 30,
        roles: 15,
        overwrites: true,
    };
}

impl Default for GuildShape {
    fn default() -> Self {
        Self::SMALL
    }
}

/// When the fake's members joined (any fixed instant works).
fn joined_at() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_704_067_200)
}

/// All state of the fake Discord except the logs.
pub(crate) struct World {
    pub(crate) users: BTreeMap<u64, User>,
    pub(crate) guilds: BTreeMap<u64, Guild>,
    pub(crate) channels: BTreeMap<u64, Channel>,
    pub(crate) messages: MessageStore,
    pub(crate) commands: CommandRegistry,
    pub(crate) interactions: InteractionRegistry,
    /// Roles a test allowed the bot to ping (see `FakeDiscord::allow_role_mention`).
    pub(crate) allowed_role_mentions: BTreeSet<u64>,
    /// Files members attached, served like Discord's CDN (see `FakeDiscord::add_attachment`).
    pub(crate) attachments: BTreeMap<u64, Upload>,
}

/// A file a member attached to an interaction.
#[derive(Clone, Debug)]
pub(crate) struct Upload {
    pub(crate) filename: String,
    pub(crate) content_type: String,
    pub(crate) bytes: Vec<u8>,
    /// Where the fake serves it (its own address).
    pub(crate) url: String,
    /// Whether it is still served; Discord's attachment links expire.
    pub(crate) served: bool,
}

impl Upload {
    /// The attachment object Discord puts in `resolved.attachments`.
    pub(crate) fn json(&self, id: u64) -> serde_json::Value {
        serde_json::json!({
            "id": id.to_string(),
            "filename": self.filename,
            "size": self.bytes.len(),
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        })
    }
}

impl World {
    /// The default world (see the crate docs) plus `extra_guilds` guilds of `shape`.
    pub(crate) fn new(extra_guilds: usize, shape: GuildShape) -> Self {
        let mut world = Self {
            users: BTreeMap::new(),
            guilds: BTreeMap::new(),
            channels: BTreeMap::new(),
            messages: MessageStore::default(),
            commands: CommandRegistry::default(),
            interactions: InteractionRegistry::default(),
            allowed_role_mentions: BTreeSet::new(),
            attachments: BTreeMap::new(),
        };
        for (id, name, bot) in [
            (BOT_USER_ID, "bridgebot", true),
            (APP_OWNER_ID, "developer", false),
            (OWNER_ID, "owner", false),
            (ADMIN_ID, "admin", false),
            (MEMBER_ID, "member", false),
        ] {
            world.users.insert(
                id,
                User {
                    name: name.into(),
                    bot,
                },
            );
        }
        world.add_main_guild();
        for index in 0..extra_guilds {
            world.add_extra_guild(index, shape);
        }
        world
    }

    fn everyone_role(guild_id: u64) -> Role {
        Role {
            id: guild_id,
            name: "@everyone".into(),
            permissions: perms::EVERYONE_DEFAULT,
            position: 0,
            mentionable: false,
        }
    }

    fn add_main_guild(&mut self) {
        let roles = vec![
            Self::everyone_role(GUILD_ID),
            Role {
                id: ADMIN_ROLE_ID,
                name: "admins".into(),
                permissions: perms::MANAGE_GUILD,
                position: 2,
                mentionable: false,
            },
            Role {
                id: TEAM_ROLE_ID,
                name: "team".into(),
                permissions: 0,
                position: 1,
                mentionable: true,
            },
        ];
        let members = vec![
            Member {
                user_id: BOT_USER_ID,
                roles: vec![],
            },
            Member {
                user_id: OWNER_ID,
                roles: vec![],
            },
            Member {
                user_id: ADMIN_ID,
                roles: vec![ADMIN_ROLE_ID],
            },
            Member {
                user_id: MEMBER_ID,
                roles: vec![TEAM_ROLE_ID],
            },
        ];
        self.guilds.insert(
            GUILD_ID,
            Guild {
                id: GUILD_ID,
                name: "Bridge Test Guild".into(),
                owner_id: OWNER_ID,
                roles,
                members,
                channel_ids: BTreeSet::new(),
                system_channel_id: None,
                joined_at: joined_at(),
                bot_removed: false,
            },
        );
        let hidden = vec![Overwrite::deny_everyone(GUILD_ID, perms::VIEW_CHANNEL)];
        let no_polls = vec![Overwrite::deny_everyone(GUILD_ID, perms::SEND_POLLS)];
        for (id, kind, name, overwrites) in [
            (TEXT_CHANNEL_ID, ChannelKind::Text, "general", vec![]),
            (
                SECOND_TEXT_CHANNEL_ID,
                ChannelKind::Text,
                "leadership",
                vec![],
            ),
            (VOICE_CHANNEL_ID, ChannelKind::Voice, "Voice", vec![]),
            (HIDDEN_CHANNEL_ID, ChannelKind::Text, "hidden", hidden),
            (NO_POLLS_CHANNEL_ID, ChannelKind::Text, "no-polls", no_polls),
        ] {
            self.insert_channel(GUILD_ID, id, kind, name, overwrites, None);
        }
    }

    fn add_extra_guild(&mut self, index: usize, shape: GuildShape) {
        let guild_id = ids::extra_guild_id(index);
        let mut roles = vec![Self::everyone_role(guild_id)];
        roles.extend((1..shape.roles.max(1)).map(|n| Role {
            id: ids::extra_guild_role_id(index, n),
            name: format!("role-{n}"),
            permissions: 0,
            position: n as u16,
            mentionable: false,
        }));
        let bot_roles: Vec<u64> = roles.get(1).map(|r| r.id).into_iter().collect();
        let overwrite_target = roles.last().map_or(guild_id, |r| r.id);
        let members = [BOT_USER_ID, OWNER_ID, ADMIN_ID, MEMBER_ID]
            .into_iter()
            .map(|user_id| Member {
                user_id,
                roles: if user_id == BOT_USER_ID {
                    bot_roles.clone()
                } else {
                    Vec::new()
                },
            })
            .collect();
        self.guilds.insert(
            guild_id,
            Guild {
                id: guild_id,
                name: format!("Load Guild {guild_id}"),
                owner_id: OWNER_ID,
                roles,
                members,
                channel_ids: BTreeSet::new(),
                system_channel_id: None,
                joined_at: joined_at(),
                bot_removed: false,
            },
        );
        for n in 0..shape.channels.max(1) {
            let (id, name) = if n == 0 {
                (ids::extra_guild_channel_id(index), "general".to_string())
            } else {
                (
                    ids::extra_guild_more_channel_id(index, n),
                    format!("channel-{n}"),
                )
            };
            let overwrites = if shape.overwrites {
                vec![Overwrite {
                    target: OverwriteTarget::Role(overwrite_target),
                    allow: perms::ATTACH_FILES,
                    deny: 0,
                }]
            } else {
                Vec::new()
            };
            self.insert_channel(guild_id, id, ChannelKind::Text, &name, overwrites, None);
        }
    }

    /// Adds (or replaces) a channel.
    pub(crate) fn insert_channel(
        &mut self,
        guild_id: u64,
        id: u64,
        kind: ChannelKind,
        name: &str,
        overwrites: Vec<Overwrite>,
        parent_id: Option<u64>,
    ) {
        self.unlist_channel(id);
        let position = self.guilds.get_mut(&guild_id).map_or(0, |guild| {
            guild.channel_ids.insert(id);
            guild.channel_ids.len() as u16 - 1
        });
        self.channels.insert(
            id,
            Channel {
                id,
                guild_id,
                kind,
                name: name.into(),
                position,
                overwrites,
                parent_id,
                created: SystemTime::now(),
            },
        );
    }

    /// Removes a channel; `None` if there was none.
    pub(crate) fn remove_channel(&mut self, id: u64) -> Option<Channel> {
        self.unlist_channel(id);
        self.channels.remove(&id)
    }

    /// Takes a channel off its guild's list (before it is replaced or removed).
    fn unlist_channel(&mut self, id: u64) {
        if let Some(old) = self.channels.get(&id) {
            if let Some(guild) = self.guilds.get_mut(&old.guild_id) {
                guild.channel_ids.remove(&id);
            }
        }
    }

    // ----- permissions -------------------------------------------------------------------

    /// Guild-wide permissions of `user_id` (Discord's algorithm: owner and administrator get
    /// everything, otherwise @everyone plus the member's roles).
    pub(crate) fn base_permissions(&self, guild_id: u64, user_id: u64) -> u64 {
        let Some(guild) = self.guilds.get(&guild_id) else {
            return 0;
        };
        if guild.owner_id == user_id {
            return perms::ALL;
        }
        let Some(member) = guild.members.iter().find(|m| m.user_id == user_id) else {
            return 0;
        };
        let permissions = guild
            .roles
            .iter()
            .filter(|r| r.id == guild_id || member.roles.contains(&r.id))
            .fold(0, |acc, r| acc | r.permissions);
        if permissions & perms::ADMINISTRATOR != 0 {
            perms::ALL
        } else {
            permissions
        }
    }

    /// Permissions of `user_id` in `channel_id` after overwrites (threads use their parent's).
    /// Without VIEW_CHANNEL the result is 0, as it means nothing else.
    pub(crate) fn channel_permissions(&self, channel_id: u64, user_id: u64) -> u64 {
        let Some(channel) = self.channels.get(&channel_id) else {
            return 0;
        };
        if let Some(parent) = channel.parent_id {
            return self.channel_permissions(parent, user_id);
        }
        let base = self.base_permissions(channel.guild_id, user_id);
        if base == perms::ALL {
            return base;
        }
        let member_roles = self
            .guilds
            .get(&channel.guild_id)
            .and_then(|g| g.members.iter().find(|m| m.user_id == user_id))
            .map(|m| m.roles.clone())
            .unwrap_or_default();
        let mut permissions = base;
        let apply = |p: u64, allow: u64, deny: u64| (p & !deny) | allow;
        for o in &channel.overwrites {
            if o.target == OverwriteTarget::Role(channel.guild_id) {
                permissions = apply(permissions, o.allow, o.deny);
            }
        }
        let (role_allow, role_deny) = channel
            .overwrites
            .iter()
            .filter(|o| matches!(o.target, OverwriteTarget::Role(id) if id != channel.guild_id && member_roles.contains(&id)))
            .fold((0, 0), |(a, d), o| (a | o.allow, d | o.deny));
        permissions = apply(permissions, role_allow, role_deny);
        for o in &channel.overwrites {
            if o.target == OverwriteTarget::Member(user_id) {
                permissions = apply(permissions, o.allow, o.deny);
            }
        }
        if permissions & perms::VIEW_CHANNEL == 0 {
            0
        } else {
            permissions
        }
    }

    // ----- JSON --------------------------------------------------------------------------

    pub(crate) fn user_json(&self, user_id: u64) -> Value {
        let (name, bot) = self
            .users
            .get(&user_id)
            .map_or((format!("user{user_id}"), false), |u| {
                (u.name.clone(), u.bot)
            });
        json!({
            "id": user_id.to_string(),
            "username": name,
            "discriminator": "0",
            "global_name": if bot { Value::Null } else { Value::String(name.clone()) },
            "avatar": null,
            "bot": bot,
            "public_flags": 0,
        })
    }

    /// A member object; with `permissions_in` it carries the member's permissions in that
    /// channel as a string, as interaction payloads do.
    pub(crate) fn member_json(
        &self,
        guild_id: u64,
        user_id: u64,
        permissions_in: Option<u64>,
    ) -> Value {
        let roles: Vec<String> = self
            .guilds
            .get(&guild_id)
            .and_then(|g| g.members.iter().find(|m| m.user_id == user_id))
            .map(|m| m.roles.iter().map(u64::to_string).collect())
            .unwrap_or_default();
        let mut member = json!({
            "user": self.user_json(user_id),
            "nick": null,
            "avatar": null,
            "roles": roles,
            "joined_at": iso8601(joined_at()),
            "premium_since": null,
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": false,
            "communication_disabled_until": null,
        });
        if let Some(channel_id) = permissions_in {
            member["permissions"] = self
                .channel_permissions(channel_id, user_id)
                .to_string()
                .into();
        }
        member
    }

    fn role_json(role: &Role) -> Value {
        json!({
            "id": role.id.to_string(),
            "name": role.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
            "hoist": false,
            "icon": null,
            "unicode_emoji": null,
            "position": role.position,
            "permissions": role.permissions.to_string(),
            "managed": false,
            "mentionable": role.mentionable,
            "flags": 0,
        })
    }

    pub(crate) fn roles_json(&self, guild_id: u64) -> Vec<Value> {
        self.guilds
            .get(&guild_id)
            .map(|g| g.roles.iter().map(Self::role_json).collect())
            .unwrap_or_default()
    }

    pub(crate) fn channel_json(&self, channel: &Channel) -> Value {
        let mut value = json!({
            "id": channel.id.to_string(),
            "type": channel.kind.code(),
            "guild_id": channel.guild_id.to_string(),
            "name": channel.name,
            "position": channel.position,
            "permission_overwrites": channel.overwrites.iter().map(Overwrite::json).collect::<Vec<_>>(),
            "nsfw": false,
            "parent_id": channel.parent_id.map(|p| p.to_string()),
            "flags": 0,
        });
        match channel.kind {
            ChannelKind::Text => {
                value["topic"] = Value::Null;
                value["last_message_id"] = Value::Null;
                value["rate_limit_per_user"] = 0.into();
            }
            ChannelKind::Voice => {
                value["bitrate"] = 64_000.into();
                value["user_limit"] = 0.into();
                value["rtc_region"] = Value::Null;
            }
            ChannelKind::PublicThread => {
                value["owner_id"] = BOT_USER_ID.to_string().into();
                value["message_count"] = 0.into();
                value["member_count"] = 1.into();
                value["rate_limit_per_user"] = 0.into();
                value["thread_metadata"] = json!({
                    "archived": false,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": iso8601(channel.created),
                    "locked": false,
                    "create_timestamp": iso8601(channel.created),
                });
            }
        }
        value
    }

    /// The channels and threads of a guild, ordered by id.
    fn in_guild(&self, guild_id: u64) -> impl Iterator<Item = &Channel> {
        self.guilds
            .get(&guild_id)
            .into_iter()
            .flat_map(|g| g.channel_ids.iter())
            .filter_map(|id| self.channels.get(id))
    }

    /// The channels of a guild, threads excluded, ordered by id.
    pub(crate) fn guild_channels(&self, guild_id: u64) -> impl Iterator<Item = &Channel> {
        self.in_guild(guild_id).filter(|c| c.parent_id.is_none())
    }

    fn guild_threads(&self, guild_id: u64) -> impl Iterator<Item = &Channel> {
        self.in_guild(guild_id).filter(|c| c.parent_id.is_some())
    }

    /// The fields GET /guilds/{id} and GUILD_CREATE share.
    fn guild_common_json(&self, guild: &Guild) -> Value {
        json!({
            "id": guild.id.to_string(),
            "name": guild.name,
            "icon": null,
            "icon_hash": null,
            "splash": null,
            "discovery_splash": null,
            "owner_id": guild.owner_id.to_string(),
            "afk_channel_id": null,
            "afk_timeout": 300,
            "widget_enabled": false,
            "widget_channel_id": null,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": self.roles_json(guild.id),
            "emojis": [],
            "features": [],
            "mfa_level": 0,
            "application_id": null,
            "system_channel_id": guild.system_channel_id.map(|id| id.to_string()),
            "system_channel_flags": 0,
            "rules_channel_id": null,
            "max_presences": null,
            "max_members": 500_000,
            "vanity_url_code": null,
            "description": null,
            "banner": null,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": null,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "nsfw_level": 0,
            "stickers": [],
            "premium_progress_bar_enabled": false,
            "safety_alerts_channel_id": null,
            "incidents_data": null,
        })
    }

    /// What GET /guilds/{id} returns.
    pub(crate) fn partial_guild_json(&self, guild_id: u64) -> Option<Value> {
        let guild = self.guilds.get(&guild_id)?;
        let mut value = self.guild_common_json(guild);
        value["approximate_member_count"] = guild.members.len().into();
        Some(value)
    }

    /// The GUILD_CREATE dispatch payload: the guild with channels, threads and members.
    pub(crate) fn guild_create_json(&self, guild_id: u64) -> Option<Value> {
        let guild = self.guilds.get(&guild_id)?;
        let mut value = self.guild_common_json(guild);
        let channels: Vec<Value> = self
            .guild_channels(guild_id)
            .map(|c| self.channel_json(c))
            .collect();
        let threads: Vec<Value> = self
            .guild_threads(guild_id)
            .map(|c| self.channel_json(c))
            .collect();
        let members: Vec<Value> = guild
            .members
            .iter()
            .map(|m| self.member_json(guild_id, m.user_id, None))
            .collect();
        let extra = json!({
            "joined_at": iso8601(guild.joined_at),
            "large": false,
            "unavailable": false,
            "member_count": guild.members.len(),
            "voice_states": [],
            "members": members,
            "channels": channels,
            "threads": threads,
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        });
        if let (Some(target), Some(extra)) = (value.as_object_mut(), extra.as_object()) {
            target.extend(extra.clone());
        }
        Some(value)
    }

    /// The READY dispatch payload.
    pub(crate) fn ready_json(
        &self,
        session_id: &str,
        resume_url: &str,
        shard: [u64; 2],
        on_shard: &dyn Fn(u64) -> bool,
    ) -> Value {
        let guilds: Vec<Value> = self
            .guilds
            .values()
            .filter(|guild| on_shard(guild.id) && !guild.bot_removed)
            .map(|guild| json!({"id": guild.id.to_string(), "unavailable": true}))
            .collect();
        json!({
            "v": 10,
            "user": self.current_user_json(),
            "guilds": guilds,
            "session_id": session_id,
            "resume_gateway_url": resume_url,
            "shard": shard,
            "application": {"id": APP_ID.to_string(), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "user_settings": {},
            "geo_ordered_rtc_regions": [],
        })
    }

    /// What GET /users/@me returns: the bot user.
    pub(crate) fn current_user_json(&self) -> Value {
        let mut user = self.user_json(BOT_USER_ID);
        user["verified"] = true.into();
        user["mfa_enabled"] = false.into();
        user["flags"] = 0.into();
        user
    }

    /// What GET /oauth2/applications/@me returns.
    pub(crate) fn application_json(&self) -> Value {
        json!({
            "id": APP_ID.to_string(),
            "name": "bridgebot",
            "icon": null,
            "description": "fake application",
            "rpc_origins": [],
            "bot_public": true,
            "bot_require_code_grant": false,
            "bot": self.user_json(BOT_USER_ID),
            "owner": self.user_json(APP_OWNER_ID),
            "verify_key": "0".repeat(64),
            "team": null,
            "flags": 0,
            "approximate_guild_count": self.guilds.len(),
            "redirect_uris": [],
            "interactions_endpoint_url": null,
            "role_connections_verification_url": null,
            "integration_types_config": {"0": {}},
        })
    }

    /// A partial channel as interactions carry it.
    pub(crate) fn partial_channel_json(&self, channel_id: u64, user_id: u64) -> Value {
        let Some(channel) = self.channels.get(&channel_id) else {
            return json!({"id": channel_id.to_string(), "type": 0});
        };
        json!({
            "id": channel.id.to_string(),
            "type": channel.kind.code(),
            "name": channel.name,
            "guild_id": channel.guild_id.to_string(),
            "permissions": self.channel_permissions(channel_id, user_id).to_string(),
            "parent_id": channel.parent_id.map(|p| p.to_string()),
            "nsfw": false,
            "flags": 0,
        })
    }

    pub(crate) fn role_json_by_id(&self, role_id: u64) -> Option<(u64, Value)> {
        self.guilds.values().find_map(|g| {
            g.roles
                .iter()
                .find(|r| r.id == role_id)
                .map(|r| (g.id, Self::role_json(r)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_follow_discord_rules() {
        let world = World::new(0, GuildShape::SMALL);
        let bot_text = world.channel_permissions(TEXT_CHANNEL_ID, BOT_USER_ID);
        assert_eq!(bot_text, perms::EVERYONE_DEFAULT);
        assert_eq!(world.channel_permissions(HIDDEN_CHANNEL_ID, BOT_USER_ID), 0);
        assert_eq!(
            world.channel_permissions(HIDDEN_CHANNEL_ID, OWNER_ID),
            perms::ALL
        );
        let no_polls = world.channel_permissions(NO_POLLS_CHANNEL_ID, BOT_USER_ID);
        assert_eq!(no_polls & perms::SEND_POLLS, 0);
        assert_ne!(no_polls & perms::SEND_MESSAGES, 0);
        let admin = world.channel_permissions(TEXT_CHANNEL_ID, ADMIN_ID);
        assert_ne!(admin & perms::MANAGE_GUILD, 0);
        let member = world.channel_permissions(TEXT_CHANNEL_ID, MEMBER_ID);
        assert_eq!(member & perms::MANAGE_GUILD, 0);
    }

    #[test]
    fn member_overwrite_beats_role_overwrite() {
        let mut world = World::new(0, GuildShape::SMALL);
        let channel = world
            .channels
            .get_mut(&TEXT_CHANNEL_ID)
            .expect("text channel");
        channel.overwrites = vec![
            Overwrite {
                target: OverwriteTarget::Role(TEAM_ROLE_ID),
                allow: 0,
                deny: perms::SEND_MESSAGES,
            },
            Overwrite {
                target: OverwriteTarget::Member(MEMBER_ID),
                allow: perms::SEND_MESSAGES,
                deny: 0,
            },
        ];
        assert_ne!(
            world.channel_permissions(TEXT_CHANNEL_ID, MEMBER_ID) & perms::SEND_MESSAGES,
            0
        );
    }

    #[test]
    fn team_shaped_guilds_have_channels_roles_and_overwrites_the_bot_can_post_past() {
        let world = World::new(2, GuildShape::TEAM);
        let guild_id = ids::extra_guild_id(1);
        let channels: Vec<&Channel> = world.guild_channels(guild_id).collect();
        assert_eq!(channels.len(), 30);
        assert!(channels.iter().all(|c| c.overwrites.len() == 1));
        let positions: BTreeSet<u16> = channels.iter().map(|c| c.position).collect();
        assert_eq!(positions.len(), 30, "each channel has its own position");
        assert_eq!(world.guilds[&guild_id].roles.len(), 15);
        for channel in channels {
            let can = world.channel_permissions(channel.id, BOT_USER_ID);
            assert_ne!(can & perms::SEND_MESSAGES, 0, "channel {}", channel.id);
        }
        assert!(world
            .guild_channels(ids::extra_guild_id(0))
            .all(|c| c.guild_id == ids::extra_guild_id(0)));
    }

    #[test]
    fn a_removed_channel_leaves_its_guild() {
        let mut world = World::new(0, GuildShape::SMALL);
        assert!(world.remove_channel(HIDDEN_CHANNEL_ID).is_some());
        assert!(world
            .guild_channels(GUILD_ID)
            .all(|c| c.id != HIDDEN_CHANNEL_ID));
        assert_eq!(world.guild_channels(GUILD_ID).count(), 4);
    }

    #[test]
    fn extra_guilds_have_a_channel_each() {
        let world = World::new(3, GuildShape::SMALL);
        assert_eq!(world.guilds.len(), 4);
        assert!(world.channels.contains_key(&ids::extra_guild_channel_id(2)));
    }
}
