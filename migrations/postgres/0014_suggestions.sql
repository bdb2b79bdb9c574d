-- Suggestions from members: where a server reviews them, and each suggestion until it is
-- decided (the decision is a claim: one update from 'waiting' that only one reviewer wins).

CREATE TABLE review_settings (
    guild_id          BIGINT PRIMARY KEY NOT NULL,
    channel_id        BIGINT NOT NULL,                 -- where review posts go
    reviewer_role_id  BIGINT,                          -- besides Manage Server; NULL: none
    updated_at        BIGINT NOT NULL                  -- unix seconds
);

CREATE TABLE suggestions (
    id                 BIGSERIAL PRIMARY KEY,
    guild_id           BIGINT NOT NULL,
    kind               TEXT    NOT NULL CHECK (kind IN ('tip', 'scenario', 'statement')),
    fields             TEXT    NOT NULL,                -- JSON: the entry's texts
    member_id          BIGINT NOT NULL,
    member_name        TEXT    NOT NULL,                -- display name when sent, for the credit
    sent_at            BIGINT NOT NULL,                -- unix seconds
    review_message_id  BIGINT,                         -- the review post, once posted
    status             TEXT    NOT NULL CHECK (status IN ('waiting', 'approved', 'declined')),
    decided_by         BIGINT,
    decided_at          BIGINT                         -- unix seconds
);

CREATE INDEX suggestions_by_member ON suggestions (guild_id, member_id, sent_at);
