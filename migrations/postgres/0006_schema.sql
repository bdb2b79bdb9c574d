-- The whole schema on PostgreSQL, as SQLite has it after its migrations 0001 to 0006: one file,
-- numbered like the last of those, so a later change carries the same number on both engines.
-- The same tables and columns (a test compares them); integers are BIGINT (Discord ids, Unix
-- seconds, and flags as 0 or 1, as on SQLite), bytes are BYTEA. Text that queries sort by
-- (local dates, weeks, statement ids) uses the "C" collation, so it sorts as SQLite sorts it
-- whatever the database's locale.

CREATE TABLE tip_settings (
    guild_id     BIGINT PRIMARY KEY NOT NULL,
    channel_id   BIGINT NOT NULL,
    post_time    TEXT   NOT NULL,                  -- HH:MM, local
    timezone     TEXT   NOT NULL,                  -- IANA name
    days         TEXT   NOT NULL CHECK (days IN ('every_day', 'weekdays')),
    paused       BIGINT NOT NULL DEFAULT 0,
    skip_date    TEXT,                             -- a local date (YYYY-MM-DD) to skip once
    role_id      BIGINT,                           -- mentioned on each tip
    thread       BIGINT NOT NULL DEFAULT 0,        -- open a discussion thread on each tip
    active_since BIGINT NOT NULL,                  -- unix seconds: no tip is owed before this
    updated_at   BIGINT NOT NULL                   -- unix seconds
);

CREATE TABLE poll_schedules (
    guild_id         BIGINT PRIMARY KEY NOT NULL,
    channel_id       BIGINT NOT NULL,
    kind             TEXT   NOT NULL CHECK (kind IN ('quiz', 'pulse', 'scenario')),
    weekday          BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),   -- 1 = Monday
    post_time        TEXT   NOT NULL,                                   -- HH:MM, local
    timezone         TEXT   NOT NULL,
    duration_minutes BIGINT NOT NULL,
    active_since     BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

-- One row per duty, server and local date, claimed ('sending') before the post is sent: the
-- primary key is what makes a duty happen at most once, also across processes.
CREATE TABLE duty_log (
    duty        TEXT   NOT NULL,                   -- 'tip', 'weekly_poll', ...
    guild_id    BIGINT NOT NULL,
    local_date  TEXT   COLLATE "C" NOT NULL,       -- YYYY-MM-DD in the server's zone
    status      TEXT   NOT NULL CHECK (status IN ('sending', 'posted', 'skipped', 'missed', 'failed')),
    item        TEXT,                              -- the content entry sent (a tip's id)
    cycle       BIGINT,                            -- which pass through the deck
    channel_id  BIGINT,
    payload     TEXT,                              -- JSON: what is being sent, so a crash can finish it exactly
    message_id  BIGINT,
    detail      TEXT,                              -- why it was skipped, missed or failed
    due_at      BIGINT NOT NULL,                   -- unix seconds
    recorded_at BIGINT NOT NULL,                   -- unix seconds
    PRIMARY KEY (duty, guild_id, local_date)
);

CREATE INDEX duty_log_by_cycle ON duty_log (duty, guild_id, cycle);
CREATE INDEX duty_log_sending ON duty_log (duty) WHERE status = 'sending';

CREATE TABLE polls (
    message_id       BIGINT PRIMARY KEY NOT NULL,  -- the poll message
    guild_id         BIGINT NOT NULL,
    channel_id       BIGINT NOT NULL,
    started_by       BIGINT,                       -- member id; NULL for a scheduled poll
    kind             TEXT   NOT NULL CHECK (kind IN ('quiz', 'pulse', 'scenario')),
    question         TEXT   NOT NULL,
    answers          TEXT   NOT NULL,              -- JSON: [{"text": ..., "entry_id": ...}]
    subject          TEXT,                         -- quiz: the trait or similarity; scenario: the scenario
    correct          BIGINT,                       -- quiz and scenario: index of the supported answer
    multiselect      BIGINT NOT NULL DEFAULT 0,
    closes_at        BIGINT NOT NULL,              -- unix seconds: when the bot ends it
    state            TEXT   NOT NULL CHECK (state IN ('open', 'recapping', 'recapped', 'failed')),
    recap_message_id BIGINT,
    detail           TEXT,                         -- why it failed
    created_at       BIGINT NOT NULL
);

-- One open poll per channel at a time.
CREATE UNIQUE INDEX polls_one_open_per_channel ON polls (channel_id) WHERE state IN ('open', 'recapping');
CREATE INDEX polls_unfinished ON polls (state) WHERE state IN ('open', 'recapping');

CREATE TABLE pulse_schedules (
    guild_id      BIGINT PRIMARY KEY NOT NULL,
    channel_id    BIGINT NOT NULL,
    weekday       BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),   -- 1 = Monday
    post_time     TEXT   NOT NULL,                                   -- HH:MM, local
    timezone      TEXT   NOT NULL,
    questions     BIGINT NOT NULL CHECK (questions BETWEEN 2 AND 3),
    open_days     BIGINT NOT NULL CHECK (open_days BETWEEN 1 AND 6),
    paused        BIGINT NOT NULL DEFAULT 0,
    active_since  BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE digest_schedules (
    guild_id      BIGINT PRIMARY KEY NOT NULL,
    channel_id    BIGINT NOT NULL,
    weekday       BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    post_time     TEXT   NOT NULL,
    timezone      TEXT   NOT NULL,
    paused        BIGINT NOT NULL DEFAULT 0,
    active_since  BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- One pulse a server a week: `week` is the Monday of the local week it opened in.
CREATE TABLE pulses (
    id          BIGSERIAL PRIMARY KEY,
    guild_id    BIGINT NOT NULL,
    week        TEXT   COLLATE "C" NOT NULL,
    channel_id  BIGINT NOT NULL,
    message_id  BIGINT,
    statements  TEXT   NOT NULL,                   -- JSON list of statement ids, in order
    opened_at   BIGINT NOT NULL,
    closes_at   BIGINT NOT NULL,
    status      TEXT   NOT NULL CHECK (status IN ('open', 'closed')),
    responses   BIGINT NOT NULL DEFAULT 0,         -- how many members answered (set at close)
    UNIQUE (guild_id, week)
);

-- Only while a pulse is open: its random key (member ids are hashed with it).
CREATE TABLE pulse_keys (
    pulse_id  BIGINT PRIMARY KEY NOT NULL REFERENCES pulses (id) ON DELETE CASCADE,
    key       BYTEA  NOT NULL
);

-- Only while a pulse is open: one row per answer, under the keyed hash of the member id.
CREATE TABLE pulse_responses (
    pulse_id     BIGINT NOT NULL REFERENCES pulses (id) ON DELETE CASCADE,
    member_hash  BYTEA  NOT NULL,
    statement_id TEXT   COLLATE "C" NOT NULL,
    score        BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (pulse_id, member_hash, statement_id)
);

-- After close: how many chose each score for each statement. No member, no hash.
CREATE TABLE pulse_counts (
    pulse_id     BIGINT NOT NULL REFERENCES pulses (id) ON DELETE CASCADE,
    statement_id TEXT   COLLATE "C" NOT NULL,
    score        BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    count        BIGINT NOT NULL,
    PRIMARY KEY (pulse_id, statement_id, score)
);
