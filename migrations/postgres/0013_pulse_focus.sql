-- The focus a team's lead chose from a pulse's result: one per pulse (choosing again replaces
-- it), the statement and the action in words, and the post that announced it (edited when the
-- choice changes). Who chose it is not kept.

CREATE TABLE pulse_focus (
    pulse_id     BIGINT PRIMARY KEY NOT NULL REFERENCES pulses (id),
    guild_id     BIGINT NOT NULL,
    statement_id TEXT   NOT NULL,
    action       TEXT   NOT NULL,
    message_id   BIGINT,                           -- the focus post, once posted
    chosen_at    BIGINT NOT NULL                   -- unix seconds
);

CREATE INDEX pulse_focus_by_guild ON pulse_focus (guild_id, chosen_at);
