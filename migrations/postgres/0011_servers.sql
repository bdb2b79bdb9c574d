-- What a server sets for itself as a whole: its time zone (the default of every setup), where
-- the daily tip draws from, and when the bot greeted it and was removed from it.

CREATE TABLE servers (
    guild_id     BIGINT PRIMARY KEY NOT NULL,
    timezone     TEXT,                                   -- IANA name; NULL: none chosen
    content_mix  TEXT   NOT NULL DEFAULT 'both'
                 CHECK (content_mix IN ('both', 'team_only', 'bundled_only')),
    welcomed_at  BIGINT,                                 -- unix seconds
    removed_at   BIGINT,                                 -- unix seconds; NULL while the bot is in it
    updated_at   BIGINT NOT NULL                         -- unix seconds
);
