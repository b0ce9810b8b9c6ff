-- Reason: remember each member's DM channel (the bot sends to it directly instead of opening it before every message), and an index so the outbox worker can claim only the oldest owed message per recipient.

-- A member's DM channel with the bot never changes; learning it costs one request, once per server.
CREATE TABLE dm_channels (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    learned_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- Messages still owed to one recipient, oldest first: a later one is not sent before an earlier one.
CREATE INDEX outbox_recipient ON outbox (target_kind, target_id, id) WHERE state IN ('pending', 'sending');
