-- Reason: status updates for the round "Hva skjer i organisasjonene?": every version kept, DM drafts awaiting keep/replace/append, and the last DM seen per member.

-- Append-only: every saved version of an organisation's status for a meeting; the current one is
-- the highest version. author_role 'secretary' is an entry on the organisation's behalf, with source.
CREATE TABLE status_versions (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id),
    org_id       INTEGER NOT NULL REFERENCES organisations (id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    text         TEXT NOT NULL,
    author_id    INTEGER NOT NULL,
    author_role  TEXT NOT NULL CHECK (author_role IN ('representative', 'deputy', 'secretary')),
    source       TEXT,
    via          TEXT NOT NULL CHECK (via IN ('form', 'dm', 'command')),
    created_at   TEXT NOT NULL,
    UNIQUE (guild_id, meeting_id, org_id, version)
);
CREATE INDEX status_versions_author ON status_versions (guild_id, author_id);

-- Plain DM replies wait here until the member keeps, replaces or appends; messages sent in a row
-- are joined into the one pending draft of that member, organisation and meeting.
CREATE TABLE status_drafts (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    meeting_id       INTEGER NOT NULL REFERENCES meetings (id),
    org_id           INTEGER NOT NULL REFERENCES organisations (id),
    user_id          INTEGER NOT NULL,
    author_role      TEXT NOT NULL CHECK (author_role IN ('representative', 'deputy')),
    text             TEXT NOT NULL,
    messages         INTEGER NOT NULL DEFAULT 1,
    last_message_id  INTEGER NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'kept', 'replaced', 'appended')),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    resolved_at      TEXT,
    version_id       INTEGER REFERENCES status_versions (id)
);
CREATE UNIQUE INDEX status_drafts_pending ON status_drafts (guild_id, meeting_id, org_id, user_id)
    WHERE state = 'pending';
CREATE INDEX status_drafts_user ON status_drafts (guild_id, user_id);

-- The newest DM message taken from each member (DMs belong to no server), so replies sent while the
-- bot was offline are read once when it comes back. Advanced in the transaction that stores the draft.
CREATE TABLE dm_cursors (
    user_id          INTEGER PRIMARY KEY,
    last_message_id  INTEGER NOT NULL,
    updated_at       TEXT NOT NULL
);
