"""Fixtures for service tests: a real, migrated SQLite file and a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.domain.clock import FakeClock
from bot.services.deps import Deps
from bot.services.roster import RosterService
from bot.storage.db import Database

GUILD = 111_111_111_111_111_111
OTHER_GUILD = 222_222_222_222_222_222


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 22, 11, 0, tzinfo=UTC))


@pytest.fixture
async def db(tmp_path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "council.sqlite3")
    yield database
    await database.close()


@pytest.fixture
def roster(db: Database, clock: FakeClock) -> RosterService:
    return RosterService(Deps.on(db, clock))


async def setup_council(roster: RosterService, guild_id: int = GUILD, language: str = "nb") -> None:
    await roster.setup_council(
        guild_id,
        name="Ekspertråd NKROP",
        convener="Morten A. Brodahl – NKROP",
        minutes_channel_id=1001,
        secretary_channel_id=1002,
        secretary_role_id=1003,
        language=language,
        timezone="Europe/Oslo",
    )
