"""Fixtures for service tests: a real, migrated SQLite file and a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.domain.clock import FakeClock
from bot.domain.meetings import AgendaItemFields, Meeting, MeetingFields
from bot.domain.roster import Person
from bot.runtime.wiring import Services
from bot.services.deps import Deps
from bot.services.roster import RosterService
from bot.storage.db import Database
from tests.conftest import SECRETARY, World, make_world

GUILD = 111_111_111_111_111_111
OTHER_GUILD = 222_222_222_222_222_222
SEC = Person(SECRETARY, "Hilde Austeng")
WHEN = "2. desember 2026 kl 10-13"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 22, 11, 0, tzinfo=UTC))


@pytest.fixture
async def db(tmp_path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "council.sqlite3")
    yield database
    await database.close()


async def count(db: Database, table: str, where: str = "1 = 1") -> int:
    """How many rows of ``table`` match ``where`` (a condition the test writes itself)."""
    row = await db.fetchone(f"SELECT count(*) FROM {table} WHERE {where}")
    assert row is not None
    return int(row[0])


@pytest.fixture
async def world(services: Services) -> World:
    """The three-organisation council of ``make_world`` in ``GUILD``."""
    return await make_world(services, GUILD)


async def open_meeting(services: Services, when: str = WHEN, *, agenda: tuple[tuple[str, str], ...] = ()) -> Meeting:
    """Create a meeting in ``GUILD`` at ``when`` (in Zoom), add the ``(title, lead)`` agenda items, open it."""
    await services.meetings.create(GUILD, SECRETARY, MeetingFields(when=when, place="Zoom"))
    for title, lead in agenda:
        await services.agenda.add(GUILD, AgendaItemFields(title, lead=lead))
    return (await services.meetings.open(GUILD)).details.meeting


@pytest.fixture
async def meeting(services: Services, world: World) -> Meeting:
    """The meeting of 2 December 2026, opened (invitations owed)."""
    return await open_meeting(services)


@pytest.fixture
def roster(db: Database, clock: FakeClock) -> RosterService:
    return RosterService(Deps.on(db, clock))
