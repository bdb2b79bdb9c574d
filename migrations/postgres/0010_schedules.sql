-- One table for every server's schedules: the daily tip, the weekly poll, the team pulse and
-- the weekly digest share channel, time, zone, days, paused and active_since; what is a duty's
-- own (the tip's skipped day, role and thread; the poll's kind and duration; the pulse's
-- statements and days open) is kept as JSON in `options`. The four tables of before are copied
-- in, setting by setting, and dropped.

CREATE TABLE schedules (
    guild_id     BIGINT NOT NULL,
    duty         TEXT   COLLATE "C" NOT NULL CHECK (duty IN ('tip', 'weekly_poll', 'pulse', 'digest')),
    channel_id   BIGINT NOT NULL,
    post_time    TEXT   NOT NULL,                       -- HH:MM, local
    timezone     TEXT   NOT NULL,                       -- IANA name
    days         TEXT   NOT NULL CHECK (days IN ('every_day', 'weekdays', 'weekly')),
    weekday      BIGINT CHECK (weekday BETWEEN 1 AND 7),  -- 1 = Monday; with 'weekly'
    paused       BIGINT NOT NULL DEFAULT 0,
    active_since BIGINT NOT NULL,                       -- unix seconds: nothing owed before
    options      TEXT   NOT NULL,                       -- JSON: the duty's own options
    updated_at   BIGINT NOT NULL,                       -- unix seconds
    PRIMARY KEY (duty, guild_id)
);

INSERT INTO schedules
SELECT guild_id, 'tip', channel_id, post_time, timezone, days, NULL, paused, active_since,
       json_build_object('skip_date', skip_date, 'role_id', role_id, 'thread', thread <> 0)::text,
       updated_at
  FROM tip_settings;

INSERT INTO schedules
SELECT guild_id, 'weekly_poll', channel_id, post_time, timezone, 'weekly', weekday, 0,
       active_since, json_build_object('kind', kind, 'duration', duration_minutes)::text, updated_at
  FROM poll_schedules;

INSERT INTO schedules
SELECT guild_id, 'pulse', channel_id, post_time, timezone, 'weekly', weekday, paused,
       active_since, json_build_object('questions', questions, 'open_days', open_days)::text,
       updated_at
  FROM pulse_schedules;

INSERT INTO schedules
SELECT guild_id, 'digest', channel_id, post_time, timezone, 'weekly', weekday, paused,
       active_since, '{}', updated_at
  FROM digest_schedules;

DROP TABLE tip_settings;
DROP TABLE poll_schedules;
DROP TABLE pulse_schedules;
DROP TABLE digest_schedules;
