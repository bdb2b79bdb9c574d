-- The team pulse: each server's weekly pulse and digest settings, the pulses themselves, and
-- what an open pulse keeps so a member can change their answers. The key, the hashes and the
-- individual responses are deleted in the transaction that closes a pulse and stores its
-- counts; after that nothing here links a member to an answer.

CREATE TABLE pulse_schedules (
    guild_id      INTEGER PRIMARY KEY NOT NULL,
    channel_id    INTEGER NOT NULL,
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),   -- 1 = Monday
    post_time     TEXT    NOT NULL,                                   -- HH:MM, local
    timezone      TEXT    NOT NULL,
    questions     INTEGER NOT NULL CHECK (questions BETWEEN 2 AND 3),
    open_days     INTEGER NOT NULL CHECK (open_days BETWEEN 1 AND 6),
    paused        INTEGER NOT NULL DEFAULT 0,
    active_since  INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE digest_schedules (
    guild_id      INTEGER PRIMARY KEY NOT NULL,
    channel_id    INTEGER NOT NULL,
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    post_time     TEXT    NOT NULL,
    timezone      TEXT    NOT NULL,
    paused        INTEGER NOT NULL DEFAULT 0,
    active_since  INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- One pulse a server a week: `week` is the Monday of the local week it opened in.
CREATE TABLE pulses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    week        TEXT    NOT NULL,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER,
    statements  TEXT    NOT NULL,                  -- JSON list of statement ids, in order
    opened_at   INTEGER NOT NULL,
    closes_at   INTEGER NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('open', 'closed')),
    responses   INTEGER NOT NULL DEFAULT 0,        -- how many members answered (set at close)
    UNIQUE (guild_id, week)
);

-- Only while a pulse is open: its random key (member ids are hashed with it).
CREATE TABLE pulse_keys (
    pulse_id  INTEGER PRIMARY KEY NOT NULL REFERENCES pulses (id) ON DELETE CASCADE,
    key       BLOB    NOT NULL
);

-- Only while a pulse is open: one row per answer, under the keyed hash of the member id.
CREATE TABLE pulse_responses (
    pulse_id     INTEGER NOT NULL REFERENCES pulses (id) ON DELETE CASCADE,
    member_hash  BLOB    NOT NULL,
    statement_id TEXT    NOT NULL,
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (pulse_id, member_hash, statement_id)
);

-- After close: how many chose each score for each statement. No member, no hash.
CREATE TABLE pulse_counts (
    pulse_id     INTEGER NOT NULL REFERENCES pulses (id) ON DELETE CASCADE,
    statement_id TEXT    NOT NULL,
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    count        INTEGER NOT NULL,
    PRIMARY KEY (pulse_id, statement_id, score)
);
