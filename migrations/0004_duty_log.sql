-- One log for every scheduled duty (the daily tip, the weekly poll, and those to come): one row
-- per duty, server and local date, claimed ('sending') before the post is sent. The two logs
-- it replaces had the same shape and the same rules.

CREATE TABLE duty_log (
    duty        TEXT    NOT NULL,                  -- 'tip', 'weekly_poll', ...
    guild_id    INTEGER NOT NULL,
    local_date  TEXT    NOT NULL,                  -- YYYY-MM-DD in the server's zone
    status      TEXT    NOT NULL CHECK (status IN ('sending', 'posted', 'skipped', 'missed', 'failed')),
    item        TEXT,                              -- the content entry sent (a tip's id)
    cycle       INTEGER,                           -- which pass through the deck
    channel_id  INTEGER,
    payload     TEXT,                              -- JSON: what is being sent, so a crash can finish it exactly
    message_id  INTEGER,
    detail      TEXT,                              -- why it was skipped, missed or failed
    due_at      INTEGER NOT NULL,                  -- unix seconds
    recorded_at INTEGER NOT NULL,                  -- unix seconds
    PRIMARY KEY (duty, guild_id, local_date)
);

CREATE INDEX duty_log_by_cycle ON duty_log (duty, guild_id, cycle);
CREATE INDEX duty_log_sending ON duty_log (duty) WHERE status = 'sending';

INSERT INTO duty_log (duty, guild_id, local_date, status, item, cycle, channel_id, payload,
                      message_id, detail, due_at, recorded_at)
SELECT 'tip', guild_id, local_date, status, tip_id, cycle, channel_id, NULL,
       message_id, detail, due_at, recorded_at
FROM tip_log;

INSERT INTO duty_log (duty, guild_id, local_date, status, item, cycle, channel_id, payload,
                      message_id, detail, due_at, recorded_at)
SELECT 'weekly_poll', guild_id, local_date, status, NULL, NULL, channel_id,
       CASE WHEN status = 'failed' AND poll LIKE '%"question":""%' THEN NULL ELSE poll END,
       message_id, detail, due_at, recorded_at
FROM poll_schedule_log;

DROP TABLE tip_log;
DROP TABLE poll_schedule_log;
