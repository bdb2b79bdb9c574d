-- A server's own content: the tips, scenarios and pulse statements its admins added (or
-- approved from a member's suggestion). `fields` holds the entry's texts as JSON in the shape
-- of its kind (`content::team`); who added it and who suggested it are kept for the credit.

CREATE TABLE team_entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id      INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('tip', 'scenario', 'statement')),
    fields        TEXT    NOT NULL,                 -- JSON: the entry's texts
    added_by      INTEGER NOT NULL,                 -- the member who added or approved it
    suggested_by  TEXT,                             -- display name of the member who suggested it
    added_at      INTEGER NOT NULL                  -- unix seconds
);

CREATE INDEX team_entries_by_server ON team_entries (guild_id, kind, id);
