-- Scenario polls ("what does this moment call for most?") are a third kind, for polls run now
-- and for weekly schedules. SQLite cannot change a CHECK constraint in place, so both tables are
-- rebuilt with the wider one and their rows copied over.

CREATE TABLE polls_new (
    message_id       INTEGER PRIMARY KEY NOT NULL,   -- the poll message
    guild_id         INTEGER NOT NULL,
    channel_id       INTEGER NOT NULL,
    started_by       INTEGER,                         -- member id; NULL for a scheduled poll
    kind             TEXT    NOT NULL CHECK (kind IN ('quiz', 'pulse', 'scenario')),
    question         TEXT    NOT NULL,
    answers          TEXT    NOT NULL,                -- JSON: [{"text": ..., "entry_id": ...}]
    subject          TEXT,                            -- quiz: the trait or similarity; scenario: the scenario
    correct          INTEGER,                         -- quiz and scenario: index of the supported answer
    multiselect      INTEGER NOT NULL DEFAULT 0,
    closes_at        INTEGER NOT NULL,                -- unix seconds: when the bot ends it
    state            TEXT    NOT NULL CHECK (state IN ('open', 'recapping', 'recapped', 'failed')),
    recap_message_id INTEGER,
    detail           TEXT,                            -- why it failed
    created_at       INTEGER NOT NULL
);
INSERT INTO polls_new SELECT message_id, guild_id, channel_id, started_by, kind, question, answers,
    subject, correct, multiselect, closes_at, state, recap_message_id, detail, created_at FROM polls;
DROP TABLE polls;
ALTER TABLE polls_new RENAME TO polls;
CREATE UNIQUE INDEX polls_one_open_per_channel ON polls (channel_id) WHERE state IN ('open', 'recapping');
CREATE INDEX polls_unfinished ON polls (state) WHERE state IN ('open', 'recapping');

CREATE TABLE poll_schedules_new (
    guild_id         INTEGER PRIMARY KEY NOT NULL,
    channel_id       INTEGER NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('quiz', 'pulse', 'scenario')),
    weekday          INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),   -- 1 = Monday
    post_time        TEXT    NOT NULL,                                   -- HH:MM, local
    timezone         TEXT    NOT NULL,
    duration_minutes INTEGER NOT NULL,
    active_since     INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
INSERT INTO poll_schedules_new SELECT guild_id, channel_id, kind, weekday, post_time, timezone,
    duration_minutes, active_since, updated_at FROM poll_schedules;
DROP TABLE poll_schedules;
ALTER TABLE poll_schedules_new RENAME TO poll_schedules;
