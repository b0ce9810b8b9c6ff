-- Reason: notes per agenda item, every drafted and published version of the minutes, and addenda.
CREATE TABLE minutes_notes (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    meeting_id      INTEGER NOT NULL REFERENCES meetings (id),
    agenda_item_id  INTEGER NOT NULL REFERENCES agenda_items (id),
    text            TEXT NOT NULL,
    author_id       INTEGER NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX minutes_notes_meeting ON minutes_notes (guild_id, meeting_id, agenda_item_id, id);

-- Each /minutes draft is a new version; publishing stores the final text; an addendum re-publishes.
CREATE TABLE minutes_versions (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id),
    kind        TEXT NOT NULL CHECK (kind IN ('draft', 'published')),
    version     INTEGER NOT NULL,
    language    TEXT NOT NULL,
    markdown    TEXT NOT NULL,
    docx        BLOB NOT NULL,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (guild_id, meeting_id, kind, version)
);

CREATE TABLE minutes_addenda (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id),
    text        TEXT NOT NULL,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX minutes_addenda_meeting ON minutes_addenda (guild_id, meeting_id, id);
