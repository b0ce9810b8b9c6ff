-- Reason: meetings and their agendas.
CREATE TABLE meetings (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL REFERENCES councils (guild_id),
    number           INTEGER NOT NULL,
    title            TEXT NOT NULL,
    place            TEXT NOT NULL DEFAULT '',
    start_at         TEXT NOT NULL,
    end_at           TEXT NOT NULL,
    rsvp_deadline    TEXT NOT NULL,
    status_deadline  TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'open', 'cancelled')),
    opened_at        TEXT,
    cancelled_at     TEXT,
    cancel_reason    TEXT,
    next_meeting     TEXT,
    published_at     TEXT,
    created_by       INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    UNIQUE (guild_id, number)
);
CREATE INDEX meetings_guild_start ON meetings (guild_id, start_at);

CREATE TABLE agenda_items (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    meeting_id       INTEGER NOT NULL REFERENCES meetings (id),
    position         INTEGER NOT NULL,
    kind             TEXT NOT NULL DEFAULT 'item' CHECK (kind IN ('status_round', 'item', 'any_other_business')),
    title            TEXT NOT NULL,
    lead             TEXT,
    deputy_interest  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX agenda_items_meeting ON agenda_items (guild_id, meeting_id, position);
