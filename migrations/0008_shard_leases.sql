-- Several processes on one database: which process holds which shards, and until when. A claim
-- (a day's post being sent, a poll's recap being posted) names the process that made it, so a
-- process recovers only claims whose holder's lease has run out.

CREATE TABLE shard_leases (
    holder     TEXT    PRIMARY KEY NOT NULL,        -- host, process id and a random part
    shards     TEXT    NOT NULL,                    -- 'all' or a range such as '0-2/6'
    until      INTEGER NOT NULL,                    -- unix seconds: held until then unless renewed
    renewed_at INTEGER NOT NULL,                    -- unix seconds
    stopping   INTEGER NOT NULL DEFAULT 0           -- 1 once the holder is shutting down: a taker waits, not refuses
);

ALTER TABLE duty_log ADD COLUMN holder TEXT;        -- the process that claimed the row
ALTER TABLE polls ADD COLUMN holder TEXT;           -- the process that claimed the recap
