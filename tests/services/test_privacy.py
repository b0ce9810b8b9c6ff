"""/privacy mydata and /privacy forget against a real SQLite file, and the schema's coverage."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.domain.meetings import MeetingFields
from bot.domain.roster import ERASED_ID, Person, Role
from bot.runtime.wiring import Services
from bot.storage.db import Database
from bot.storage.privacy_repo import PERSON_COLUMNS
from tests.conftest import ALICE, BOB, CARL, SECRETARY, World, make_world
from tests.services.conftest import GUILD, OTHER_GUILD

# Columns that hold ids but never a person's: servers, channels, roles, messages, rows.
NOT_PEOPLE = {
    "id", "guild_id", "meeting_id", "org_id", "agenda_item_id", "version_id", "message_id", "last_message_id",
    "minutes_channel_id", "secretary_channel_id", "secretary_role_id",
}  # fmt: skip
PERSON_HINTS = ("user_id", "_by", "representative_id", "deputy_id", "author_id", "target_id")


async def test_every_person_column_in_the_schema_is_covered(db: Database):
    covered = {(c.table, c.column) for c in PERSON_COLUMNS}
    missing = []
    for (table,) in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in await db.fetchall(f"PRAGMA table_info({table})"):
            column = row[1]
            if column in NOT_PEOPLE:
                continue
            if column.endswith(PERSON_HINTS) and (table, column) not in covered:
                missing.append(f"{table}.{column}")
    assert missing == []


@pytest.fixture
async def world(services: Services) -> World:
    world = await make_world(services, GUILD)
    await make_world(services, OTHER_GUILD)
    await services.meetings.create(GUILD, SECRETARY, MeetingFields(when="2. desember 2026 kl 10-13"))
    await services.meetings.create(OTHER_GUILD, SECRETARY, MeetingFields(when="2. desember 2026 kl 10-13"))
    await services.meetings.open(GUILD)
    await services.meetings.open(OTHER_GUILD)
    return world


async def test_my_data_holds_only_mine_in_this_server(services: Services, world: World):
    await services.rsvp.answer(GUILD, ALICE, "no", note="Syk")
    await services.rsvp.answer(OTHER_GUILD, ALICE, "yes")
    await services.outbox.remember_dm_channel(GUILD, ALICE, 777)
    mine = await services.privacy.my_data(GUILD, ALICE)
    document = json.loads(mine.document)
    assert document["user_id"] == str(ALICE)
    data = document["data"]
    assert data["people.user_id"][0]["display_name"] == "Alice"
    assert data["assignments.user_id"][0]["role"] == "representative"
    assert [a["note"] for a in data["rsvp_answers.user_id"]] == ["Syk"]
    assert len(data["rsvp_answers.user_id"]) == 1  # not the answer in the other server
    assert "outbox.target_id" in data  # the invitation owed to her
    assert all("payload" not in row for row in data["outbox.target_id"])
    assert str(BOB) not in json.dumps(data["people.user_id"])
    assert [row["channel_id"] for row in data["dm_channels.user_id"]] == [777]  # the DM channel the bot remembers


async def test_forget_anonymises_history_and_keeps_minutes(services: Services, world: World, db: Database, clock):
    await services.rsvp.answer(GUILD, ALICE, "yes", note="Gleder meg")
    await services.status.write(GUILD, 1, world.lpp, ALICE, "LPP har hatt dagsseminar.")
    clock.set(clock.now() + timedelta(days=31))
    published = await services.minutes.publish(GUILD, Person(SECRETARY, "Hilde"))
    before = published.stored.docx
    await services.outbox.remember_dm_channel(GUILD, ALICE, 777)
    await services.outbox.remember_dm_channel(OTHER_GUILD, ALICE, 777)
    changed = await services.privacy.forget(GUILD, ALICE)
    assert changed > 0
    for spec in PERSON_COLUMNS:
        where = f"{spec.column} = ?" + (" AND guild_id = ?" if spec.guild_scoped else "")
        params = (ALICE, GUILD) if spec.guild_scoped else (ALICE,)
        rows = await db.fetchall(f"SELECT count(*) FROM {spec.table} WHERE {where}", params)
        assert rows[0][0] == 0, f"{spec.table}.{spec.column}"
    keys = await db.fetchall(
        "SELECT count(*) FROM outbox WHERE guild_id = ? AND dedupe_key LIKE ?", (GUILD, f"%{ALICE}%")
    )
    assert keys[0][0] == 0
    # Her seat is empty now; the other server never heard of the erasure.
    roster = {e.org.short: e for e in await services.roster.roster(GUILD)}
    assert roster["LPP"].representative is None
    other = {e.org.short: e for e in await services.roster.roster(OTHER_GUILD)}
    assert other["LPP"].representative is not None
    assert other["LPP"].representative.person.user_id == ALICE
    assert await services.outbox.repo.dm_channel(GUILD, ALICE) is None  # forgotten here (also in the loop above)
    assert await services.outbox.repo.dm_channel(OTHER_GUILD, ALICE) == 777
    # Published minutes stay exactly as published.
    row = await db.fetchone("SELECT docx FROM minutes_versions WHERE id = ?", (published.stored.id,))
    assert row is not None and bytes(row[0]) == before
    # History keeps the organisation's answer and status, with an anonymous author.
    answers = await db.fetchall("SELECT user_id, note FROM rsvp_answers WHERE guild_id = ? AND org_id = ?",
                                (GUILD, world.lpp))  # fmt: skip
    assert [(r[0], r[1]) for r in answers] == [(ERASED_ID, None)]
    statuses = await db.fetchall("SELECT author_id, text FROM status_versions WHERE guild_id = ?", (GUILD,))
    assert [(r[0], r[1]) for r in statuses] == [(ERASED_ID, "LPP har hatt dagsseminar.")]
    # Nothing more is sent to her; and the minutes compiled now name nobody.
    pending = await db.fetchall(
        "SELECT count(*) FROM outbox WHERE guild_id = ? AND target_id = ? AND state IN ('pending', 'sending')",
        (GUILD, ALICE),
    )
    assert pending[0][0] == 0
    assert await db.integrity_check() == []
    assert await services.privacy.forget(GUILD, ALICE) == 0  # twice is harmless
    doc = await services.minutes.compile(GUILD, 1, secretary_id=None, draft=True)
    assert "Alice" not in {p.person_name for p in doc.participants}


async def test_forget_someone_unknown_changes_nothing(services: Services, world: World):
    assert await services.privacy.forget(GUILD, 123_456_789_012_345_678) == 0
    data = await services.privacy.my_data(GUILD, 123_456_789_012_345_678)
    assert data.records == 0


async def test_forgetting_the_deputy_keeps_the_representative(services: Services, world: World):
    await services.privacy.forget(GUILD, BOB)
    roster = {e.org.short: e for e in await services.roster.roster(GUILD)}
    assert roster["LPP"].deputy is None
    assert roster["LPP"].representative is not None
    assert roster["RIO"].representative is not None
    assert roster["RIO"].representative.person.user_id == CARL
    assert roster["LPP"].gaps == (Role.DEPUTY,)
