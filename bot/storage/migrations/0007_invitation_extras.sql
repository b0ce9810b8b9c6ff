-- Reason: invitations people can act on: background text and documents on agenda items, the calendar file's sequence, the meeting's Discord scheduled event, and the reminder on the day.

-- Background text of an agenda item; for the status round, the round's theme question.
ALTER TABLE agenda_items ADD COLUMN details TEXT;
-- The calendar file's SEQUENCE: grows with every change to the meeting (and its cancellation).
ALTER TABLE meetings ADD COLUMN ics_sequence INTEGER NOT NULL DEFAULT 0;

-- Documents attached to agenda items (slides, reports), kept in the database itself so they are in
-- every backup (council-bot db backup) and survive restarts with the meeting they belong to.
CREATE TABLE agenda_documents (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    meeting_id      INTEGER NOT NULL REFERENCES meetings (id),
    agenda_item_id  INTEGER NOT NULL REFERENCES agenda_items (id),
    filename        TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size            INTEGER NOT NULL CHECK (size > 0),
    sha256          TEXT NOT NULL,
    data            BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    sent_after_open INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX agenda_documents_meeting ON agenda_documents (guild_id, meeting_id, id);

-- The Discord scheduled event of each opened meeting, kept in step by the scheduler: the sequence and
-- status last synced, so a restart resumes where it stopped and nothing is created twice.
CREATE TABLE scheduled_events (
    guild_id         INTEGER NOT NULL,
    meeting_id       INTEGER PRIMARY KEY REFERENCES meetings (id),
    event_id         INTEGER,
    synced_sequence  INTEGER NOT NULL DEFAULT -1,
    status           TEXT NOT NULL DEFAULT 'none'
                     CHECK (status IN ('none', 'scheduled', 'active', 'completed', 'cancelled', 'denied', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    updated_at       TEXT NOT NULL
);
CREATE INDEX scheduled_events_guild ON scheduled_events (guild_id, status);

-- Reminders gain the reminder on the day ('day': hours before the start, to those expected to attend).
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt with its rows.
CREATE TABLE reminders_new (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    meeting_id      INTEGER NOT NULL REFERENCES meetings (id),
    kind            TEXT NOT NULL CHECK (kind IN ('rsvp', 'status', 'day')),
    offset_minutes  INTEGER NOT NULL CHECK (offset_minutes >= 0),
    due_at          TEXT NOT NULL,
    processed_at    TEXT,
    UNIQUE (guild_id, meeting_id, kind, offset_minutes)
);
INSERT INTO reminders_new (id, guild_id, meeting_id, kind, offset_minutes, due_at, processed_at)
    SELECT id, guild_id, meeting_id, kind, offset_minutes, due_at, processed_at FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_new RENAME TO reminders;
CREATE INDEX reminders_due ON reminders (processed_at, due_at);
