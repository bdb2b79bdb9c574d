-- The daily tip: each server's settings, and the log that makes every tip happen once.

CREATE TABLE tip_settings (
    guild_id     INTEGER PRIMARY KEY NOT NULL,
    channel_id   INTEGER NOT NULL,
    post_time    TEXT    NOT NULL,                 -- HH:MM, local
    timezone     TEXT    NOT NULL,                 -- IANA name
    days         TEXT    NOT NULL CHECK (days IN ('every_day', 'weekdays')),
    paused       INTEGER NOT NULL DEFAULT 0,
    skip_date    TEXT,                             -- a local date (YYYY-MM-DD) to skip once
    role_id      INTEGER,                          -- mentioned on each tip
    thread       INTEGER NOT NULL DEFAULT 0,       -- open a discussion thread on each tip
    active_since INTEGER NOT NULL,                 -- unix seconds: no tip is owed before this
    updated_at   INTEGER NOT NULL                  -- unix seconds
);

-- One row per server and local date. The primary key is what makes a tip happen at most
-- once a day: a post is claimed here ('sending') before it is sent.
CREATE TABLE tip_log (
    guild_id    INTEGER NOT NULL,
    local_date  TEXT    NOT NULL,                  -- YYYY-MM-DD in the server's zone
    status      TEXT    NOT NULL CHECK (status IN ('sending', 'posted', 'skipped', 'missed', 'failed')),
    tip_id      TEXT,
    cycle       INTEGER,                           -- which pass through the deck
    channel_id  INTEGER,
    message_id  INTEGER,
    detail      TEXT,                              -- why it was skipped, missed or failed
    due_at      INTEGER NOT NULL,                  -- unix seconds
    recorded_at INTEGER NOT NULL,                  -- unix seconds
    PRIMARY KEY (guild_id, local_date)
);

CREATE INDEX tip_log_by_cycle ON tip_log (guild_id, cycle);
CREATE INDEX tip_log_sending ON tip_log (status) WHERE status = 'sending';
