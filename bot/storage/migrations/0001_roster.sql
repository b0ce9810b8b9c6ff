-- Reason: the council of each server, its organisations, members and who represents whom.
CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
);

CREATE TABLE councils (
    guild_id              INTEGER PRIMARY KEY,
    name                  TEXT NOT NULL,
    convener              TEXT NOT NULL,
    minutes_channel_id    INTEGER NOT NULL,
    secretary_channel_id  INTEGER NOT NULL,
    secretary_role_id     INTEGER NOT NULL,
    language              TEXT NOT NULL CHECK (language IN ('nb', 'en')),
    timezone              TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    short       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('user', 'relatives', 'professional', 'service', 'other')),
    position    INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    retired_at  TEXT
);
CREATE UNIQUE INDEX organisations_active_short ON organisations (guild_id, short COLLATE NOCASE)
    WHERE retired_at IS NULL;
CREATE INDEX organisations_guild ON organisations (guild_id, retired_at);

-- Display names as last seen, so the roster and the minutes can name people.
CREATE TABLE people (
    guild_id      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    display_name  TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- Who held which seat when; the current holder has ended_at NULL.
CREATE TABLE assignments (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    org_id       INTEGER NOT NULL REFERENCES organisations (id),
    role         TEXT NOT NULL CHECK (role IN ('representative', 'deputy')),
    user_id      INTEGER NOT NULL,
    assigned_at  TEXT NOT NULL,
    ended_at     TEXT
);
CREATE UNIQUE INDEX assignments_current ON assignments (org_id, role) WHERE ended_at IS NULL;
CREATE INDEX assignments_user ON assignments (guild_id, user_id, ended_at);

CREATE TABLE registration_requests (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    role          TEXT NOT NULL CHECK (role IN ('representative', 'deputy')),
    user_id       INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at    TEXT NOT NULL,
    decided_at    TEXT,
    decided_by    INTEGER
);
CREATE INDEX registration_requests_guild ON registration_requests (guild_id, status);

-- Small process state, such as the hash of the last synced command tree.
CREATE TABLE bot_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
