-- Team polls: every poll the bot started, until its recap is posted.

CREATE TABLE polls (
    message_id       INTEGER PRIMARY KEY NOT NULL,   -- the poll message
    guild_id         INTEGER NOT NULL,
    channel_id       INTEGER NOT NULL,
    started_by       INTEGER,                         -- member id; NULL for a scheduled poll
    kind             TEXT    NOT NULL CHECK (kind IN ('quiz', 'pulse')),
    question         TEXT    NOT NULL,
    answers          TEXT    NOT NULL,                -- JSON: [{"text": ..., "entry_id": ...}]
    subject          TEXT,                            -- quiz: the trait or similarity asked about
    correct          INTEGER,                         -- quiz: index of the right answer
    multiselect      INTEGER NOT NULL DEFAULT 0,
    closes_at        INTEGER NOT NULL,                -- unix seconds: when the bot ends it
    state            TEXT    NOT NULL CHECK (state IN ('open', 'recapping', 'recapped', 'failed')),
    recap_message_id INTEGER,
    detail           TEXT,                            -- why it failed
    created_at       INTEGER NOT NULL
);

-- One open poll per channel at a time.
CREATE UNIQUE INDEX polls_one_open_per_channel ON polls (channel_id) WHERE state IN ('open', 'recapping');
CREATE INDEX polls_unfinished ON polls (state) WHERE state IN ('open', 'recapping');
