-- Weekly scheduled polls: each server's schedule, and the log that makes each week's poll
-- happen once (the same rules as the daily tip's log).

CREATE TABLE poll_schedules (
    guild_id         INTEGER PRIMARY KEY NOT NULL,
    channel_id       INTEGER NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('quiz', 'pulse')),
    weekday          INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),   -- 1 = Monday
    post_time        TEXT    NOT NULL,                                   -- HH:MM, local
    timezone         TEXT    NOT NULL,
    duration_minutes INTEGER NOT NULL,
    active_since     INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE TABLE poll_schedule_log (
    guild_id    INTEGER NOT NULL,
    local_date  TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('sending', 'posted', 'missed', 'failed')),
    channel_id  INTEGER,
    poll        TEXT,            -- JSON: the poll being posted, so a crash can finish it exactly
    message_id  INTEGER,
    detail      TEXT,
    due_at      INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, local_date)
);
