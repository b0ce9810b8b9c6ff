-- Reason: the council's memory: decisions, numbered action items with owners and due dates, approval of published minutes at a later meeting, and circulation of the draft for comments.

-- A decision ("Vedtak") recorded under an agenda item; edited or removed until the minutes are published.
CREATE TABLE decisions (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    meeting_id      INTEGER NOT NULL REFERENCES meetings (id),
    agenda_item_id  INTEGER NOT NULL REFERENCES agenda_items (id),
    text            TEXT NOT NULL,
    author_id       INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX decisions_meeting ON decisions (guild_id, meeting_id, id);

-- An action item, numbered per council. The owner is an organisation (its representative answers
-- for it), a person, or neither (the secretariat). due_reminded_at marks the one reminder before the
-- due date, set in the transaction that enqueues it.
CREATE TABLE action_items (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    number           INTEGER NOT NULL,
    meeting_id       INTEGER NOT NULL REFERENCES meetings (id),
    agenda_item_id   INTEGER REFERENCES agenda_items (id),
    text             TEXT NOT NULL,
    owner_org_id     INTEGER REFERENCES organisations (id),
    owner_user_id    INTEGER,
    due_at           TEXT,
    state            TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
    done_at          TEXT,
    done_by          INTEGER,
    done_note        TEXT,
    due_reminded_at  TEXT,
    created_by       INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    UNIQUE (guild_id, number)
);
CREATE INDEX action_items_meeting ON action_items (guild_id, meeting_id, number);
CREATE INDEX action_items_due ON action_items (state, due_reminded_at, due_at);

-- Approval of published minutes at a later meeting; that meeting's agenda item approves them.
ALTER TABLE meetings ADD COLUMN approved_at TEXT;
ALTER TABLE meetings ADD COLUMN approved_in_meeting_id INTEGER;
ALTER TABLE meetings ADD COLUMN approved_by INTEGER;
ALTER TABLE agenda_items ADD COLUMN approves_meeting_id INTEGER;

-- Circulation of the draft to representatives and deputies, and the comments that came back.
CREATE TABLE circulations (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id),
    version_id   INTEGER NOT NULL REFERENCES minutes_versions (id),
    deadline     TEXT NOT NULL,
    created_by   INTEGER NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX circulations_meeting ON circulations (guild_id, meeting_id, id);

CREATE TABLE circulation_comments (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    circulation_id  INTEGER NOT NULL REFERENCES circulations (id),
    meeting_id      INTEGER NOT NULL REFERENCES meetings (id),
    org_id          INTEGER REFERENCES organisations (id),
    user_id         INTEGER NOT NULL,
    text            TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX circulation_comments_meeting ON circulation_comments (guild_id, meeting_id, id);
CREATE INDEX circulation_comments_user ON circulation_comments (guild_id, user_id);
