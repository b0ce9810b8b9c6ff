-- Reason: invitations and RSVP answers per organisation and meeting, their history, the outbox of owed messages, reminders and closed DMs.

-- Editing a meeting's time or place bumps its revision, so each change notice has its own dedupe key.
ALTER TABLE meetings ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
-- The proposed next meeting (/meeting next), parsed; meetings.next_meeting keeps the text as typed.
ALTER TABLE meetings ADD COLUMN next_start_at TEXT;
ALTER TABLE meetings ADD COLUMN next_end_at TEXT;

-- One row per organisation and meeting: who was asked (a snapshot of the roster when the call went
-- out), what they answered, whether the deputy was called up, and the attendance the secretary recorded.
CREATE TABLE invitations (
    id                      INTEGER PRIMARY KEY,
    guild_id                INTEGER NOT NULL,
    meeting_id              INTEGER NOT NULL REFERENCES meetings (id),
    org_id                  INTEGER NOT NULL REFERENCES organisations (id),
    representative_id       INTEGER,
    deputy_id               INTEGER,
    invited_at              TEXT,
    deputy_invited          INTEGER NOT NULL DEFAULT 0,
    rep_answer              TEXT CHECK (rep_answer IN ('yes', 'no', 'maybe')),
    rep_answered_at         TEXT,
    rep_note                TEXT,
    deputy_called_at        TEXT,
    deputy_callups          INTEGER NOT NULL DEFAULT 0,
    deputy_answer           TEXT CHECK (deputy_answer IN ('yes', 'no', 'maybe')),
    deputy_answered_at      TEXT,
    deputy_note             TEXT,
    deputy_released_at      TEXT,
    no_deputy_flagged_at    TEXT,
    attended                INTEGER CHECK (attended IN (0, 1)),
    attended_role           TEXT CHECK (attended_role IN ('representative', 'deputy', 'both')),
    attended_user_id        INTEGER,
    attendance_recorded_at  TEXT,
    attendance_recorded_by  INTEGER,
    created_at              TEXT NOT NULL,
    UNIQUE (guild_id, meeting_id, org_id)
);
CREATE INDEX invitations_representative ON invitations (guild_id, representative_id);
CREATE INDEX invitations_deputy ON invitations (guild_id, deputy_id);

-- Append-only: every RSVP answer as given, for the dashboard and for "who said what when".
CREATE TABLE rsvp_answers (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id),
    org_id       INTEGER NOT NULL REFERENCES organisations (id),
    user_id      INTEGER NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('representative', 'deputy')),
    answer       TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'maybe')),
    note         TEXT,
    via          TEXT NOT NULL CHECK (via IN ('button', 'command')),
    answered_at  TEXT NOT NULL
);
CREATE INDEX rsvp_answers_meeting ON rsvp_answers (guild_id, meeting_id, org_id, answered_at);

-- Every message the bot owes, recorded in the same transaction as the decision that causes it.
-- dedupe_key makes a repeated decision a no-op; payload is an OutgoingMessage as JSON.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    dedupe_key       TEXT NOT NULL,
    target_kind      TEXT NOT NULL CHECK (target_kind IN ('user', 'channel')),
    target_id        INTEGER NOT NULL,
    purpose          TEXT NOT NULL,
    meeting_id       INTEGER,
    org_id           INTEGER,
    payload          TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'undeliverable', 'dropped')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    last_error       TEXT,
    message_id       INTEGER,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    UNIQUE (guild_id, dedupe_key)
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_meeting ON outbox (guild_id, meeting_id, state);

-- Reminders before each deadline, stored when a meeting is opened or its deadlines change.
-- kind 'rsvp' with offset 0 is the RSVP deadline itself: processing it calls up deputies.
CREATE TABLE reminders (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    meeting_id      INTEGER NOT NULL REFERENCES meetings (id),
    kind            TEXT NOT NULL CHECK (kind IN ('rsvp', 'status')),
    offset_minutes  INTEGER NOT NULL CHECK (offset_minutes >= 0),
    due_at          TEXT NOT NULL,
    processed_at    TEXT,
    UNIQUE (guild_id, meeting_id, kind, offset_minutes)
);
CREATE INDEX reminders_due ON reminders (processed_at, due_at);

-- Members whose DMs are closed to the bot (Discord error 50007), flagged to the secretary once.
CREATE TABLE closed_dms (
    guild_id         INTEGER NOT NULL,
    user_id          INTEGER NOT NULL,
    first_failed_at  TEXT NOT NULL,
    last_failed_at   TEXT NOT NULL,
    failures         INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (guild_id, user_id)
);
