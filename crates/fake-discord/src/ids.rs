//! Fixed ids of the fake world and the snowflake generator for everything created at run time.
//!
//! The fixed ids are plain constants so a test can name "the admin" or "the hidden channel"
//! without asking the fake first. They are real-looking snowflakes (their timestamp part falls
//! in 2024) so serenity's `created_at()` gives sane dates.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The application id; Discord gives a bot user the same id as its application.
pub const APP_ID: u64 = 1_200_000_000_000_000_001;
/// The bot's own user id (equal to [`APP_ID`], as on Discord).
pub const BOT_USER_ID: u64 = APP_ID;
/// The developer who owns the application (what poise reads as the bot owner). Not a guild member.
pub const APP_OWNER_ID: u64 = 1_200_000_000_000_000_009;
/// The main guild. Its @everyone role has the same id.
pub const GUILD_ID: u64 = 1_200_000_000_000_000_100;
/// The @everyone role of the main guild (same id as the guild, as on Discord).
pub const EVERYONE_ROLE_ID: u64 = GUILD_ID;
/// The guild owner: a member with no roles (owners have every permission anyway).
pub const OWNER_ID: u64 = 1_200_000_000_000_000_201;
/// A member holding [`ADMIN_ROLE_ID`], which grants MANAGE_GUILD.
pub const ADMIN_ID: u64 = 1_200_000_000_000_000_202;
/// A plain member (only @everyone). The default author of injected interactions.
pub const MEMBER_ID: u64 = 1_200_000_000_000_000_203;
/// A role with MANAGE_GUILD, held by [`ADMIN_ID`].
pub const ADMIN_ROLE_ID: u64 = 1_200_000_000_000_000_301;
/// A mentionable role without extra permissions, held by [`MEMBER_ID`].
pub const TEAM_ROLE_ID: u64 = 1_200_000_000_000_000_302;
/// An ordinary text channel everyone (the bot included) can use.
pub const TEXT_CHANNEL_ID: u64 = 1_200_000_000_000_000_401;
/// A second ordinary text channel.
pub const SECOND_TEXT_CHANNEL_ID: u64 = 1_200_000_000_000_000_402;
/// A voice channel.
pub const VOICE_CHANNEL_ID: u64 = 1_200_000_000_000_000_403;
/// A text channel whose overwrite denies VIEW_CHANNEL to @everyone: the bot cannot see it.
pub const HIDDEN_CHANNEL_ID: u64 = 1_200_000_000_000_000_404;
/// A text channel whose overwrite denies SEND_POLLS to @everyone.
pub const NO_POLLS_CHANNEL_ID: u64 = 1_200_000_000_000_000_405;

/// First id of the extra guilds made by [`crate::FakeOptions::extra_guilds`].
const EXTRA_GUILD_BASE: u64 = 1_210_000_000_000_000_000;

/// How far apart two extra guilds' ids are: one millisecond of a snowflake's timestamp (its
/// bits from 22 up), so that consecutive guilds fall on consecutive gateway shards
/// (`(id >> 22) % total`), as a real bot's servers spread over its shards.
const EXTRA_GUILD_STRIDE: u64 = 1 << 22;

/// The id of extra guild number `index` (0-based) made by [`crate::FakeOptions::extra_guilds`].
pub const fn extra_guild_id(index: usize) -> u64 {
    EXTRA_GUILD_BASE + (index as u64) * EXTRA_GUILD_STRIDE
}

/// The id of the one text channel of extra guild number `index` (0-based).
pub const fn extra_guild_channel_id(index: usize) -> u64 {
    extra_guild_id(index) + 1
}

/// First id of the channels after the first, and of the roles, of the extra guilds.
const EXTRA_CHANNEL_BASE: u64 = 1_220_000_000_000_000_000;
const EXTRA_ROLE_BASE: u64 = 1_230_000_000_000_000_000;
/// Room for channels and roles per extra guild in those ranges.
const EXTRA_STRIDE: u64 = 1_000;

/// The id of channel `n` (1-based: channel 0 is [`extra_guild_channel_id`]) of extra guild
/// number `index`, when its [`crate::GuildShape`] has more than one channel.
pub const fn extra_guild_more_channel_id(index: usize, n: usize) -> u64 {
    EXTRA_CHANNEL_BASE + (index as u64) * EXTRA_STRIDE + (n as u64 % EXTRA_STRIDE)
}

/// The id of role `n` (1-based: role 0 is @everyone, the guild's id) of extra guild number
/// `index`, when its [`crate::GuildShape`] has more than one role.
pub const fn extra_guild_role_id(index: usize, n: usize) -> u64 {
    EXTRA_ROLE_BASE + (index as u64) * EXTRA_STRIDE + (n as u64 % EXTRA_STRIDE)
}

/// Discord's epoch (2015-01-01) in Unix milliseconds.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Hands out strictly increasing snowflakes whose timestamp part is the current time.
#[derive(Debug, Default)]
pub(crate) struct Snowflakes {
    last: AtomicU64,
}

impl Snowflakes {
    /// A new id, greater than every id handed out before.
    pub(crate) fn next(&self) -> u64 {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let candidate = now_ms.saturating_sub(DISCORD_EPOCH_MS) << 22;
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let next = candidate.max(last + 1);
            match self
                .last
                .compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return next,
                Err(seen) => last = seen,
            }
        }
    }
}

/// Permission bits used by the fake world (Discord's values). Only the ones the fake reasons
/// about or hands out are listed.
pub mod perms {
    /// Create instant invites.
    pub const CREATE_INSTANT_INVITE: u64 = 1 << 0;
    /// Every permission, bypassing overwrites.
    pub const ADMINISTRATOR: u64 = 1 << 3;
    /// Manage channels.
    pub const MANAGE_CHANNELS: u64 = 1 << 4;
    /// Manage the guild.
    pub const MANAGE_GUILD: u64 = 1 << 5;
    /// Add reactions.
    pub const ADD_REACTIONS: u64 = 1 << 6;
    /// See a channel (without it nothing else in the channel matters).
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    /// Send messages.
    pub const SEND_MESSAGES: u64 = 1 << 11;
    /// Embed links (embeds are shown).
    pub const EMBED_LINKS: u64 = 1 << 14;
    /// Attach files.
    pub const ATTACH_FILES: u64 = 1 << 15;
    /// Read message history.
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    /// Mention @everyone, @here and all roles.
    pub const MENTION_EVERYONE: u64 = 1 << 17;
    /// Use external emojis.
    pub const USE_EXTERNAL_EMOJIS: u64 = 1 << 18;
    /// Connect to voice.
    pub const CONNECT: u64 = 1 << 20;
    /// Speak in voice.
    pub const SPEAK: u64 = 1 << 21;
    /// Use application commands.
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    /// Create public threads.
    pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
    /// Send messages in threads.
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    /// Send polls.
    pub const SEND_POLLS: u64 = 1 << 49;
    /// Every bit Discord defines today (used for owners and administrators).
    pub const ALL: u64 = (1 << 51) - 1;

    /// What @everyone may do in the fake guilds: an ordinary community server.
    pub const EVERYONE_DEFAULT: u64 = CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_EXTERNAL_EMOJIS
        | CONNECT
        | SPEAK
        | USE_APPLICATION_COMMANDS
        | CREATE_PUBLIC_THREADS
        | SEND_MESSAGES_IN_THREADS
        | SEND_POLLS;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_guilds_spread_over_the_shards() {
        let total = 6;
        let mut per_shard = [0; 6];
        for index in 0..600 {
            per_shard[((extra_guild_id(index) >> 22) % total) as usize] += 1;
        }
        assert_eq!(per_shard, [100; 6]);
        assert_ne!(extra_guild_channel_id(0), extra_guild_id(1));
    }

    #[test]
    fn snowflakes_increase_strictly() {
        let ids = Snowflakes::default();
        let a = ids.next();
        let b = ids.next();
        assert!(b > a);
        assert!(a > APP_ID, "generated ids are newer than the fixed ones");
    }
}
