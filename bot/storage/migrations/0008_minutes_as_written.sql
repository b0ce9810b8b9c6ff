-- Reason: minutes as the secretary writes them: notes edited in a form (every version kept), guests, named substitutes, answers recorded by the secretary, and the next meeting with place and remark.

-- /minutes edit replaces an item's notes with the text of the form; replaced notes are kept (who wrote
-- them and when stays on the row; when and by whom they were replaced is added here).
ALTER TABLE minutes_notes ADD COLUMN replaced_at TEXT;
ALTER TABLE minutes_notes ADD COLUMN replaced_by INTEGER;
CREATE INDEX minutes_notes_current ON minutes_notes (guild_id, meeting_id, agenda_item_id, replaced_at);

-- Participants who are not representatives or deputies (host staff, presenters, guests).
CREATE TABLE meeting_guests (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id),
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    affiliation  TEXT,
    added_by     INTEGER NOT NULL,
    added_at     TEXT NOT NULL,
    UNIQUE (guild_id, meeting_id, name_key)
);

-- Someone other than the representative or deputy attended for an organisation (/meeting attendance).
CREATE TABLE attendance_substitutes (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id),
    org_id       INTEGER NOT NULL REFERENCES organisations (id),
    name         TEXT NOT NULL,
    recorded_by  INTEGER NOT NULL,
    recorded_at  TEXT NOT NULL,
    UNIQUE (guild_id, meeting_id, org_id)
);

-- An answer the secretary recorded on a member's behalf (/meeting rsvp): who recorded it.
ALTER TABLE rsvp_answers ADD COLUMN recorded_by INTEGER;

-- The proposed next meeting (/meeting next): its place, the remark, and the meeting it created.
CREATE TABLE next_meetings (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    meeting_id       INTEGER NOT NULL REFERENCES meetings (id),
    next_meeting_id  INTEGER REFERENCES meetings (id),
    place            TEXT,
    note             TEXT,
    set_by           INTEGER NOT NULL,
    set_at           TEXT NOT NULL,
    UNIQUE (guild_id, meeting_id)
);
