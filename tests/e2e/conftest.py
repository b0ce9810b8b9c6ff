"""End-to-end fixtures: the sandbox server and the real CouncilBot on a temporary SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.domain.clock import FakeClock
from bot.sandbox import SandboxServer
from bot.sandbox.harness import TOKEN, Council, Harness

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday morning in Oslo


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def harness(tmp_path, clock) -> AsyncIterator[Harness]:
    async with Harness(tmp_path / "council.sqlite3", clock=clock) as h:
        await h.start_bot()
        yield h


@pytest.fixture
async def council(harness: Harness) -> Council:
    return await harness.set_up_council()


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    """The sandbox alone, for a bot run as a real process (``tests/e2e/bot_process.py``)."""
    server = SandboxServer()
    await server.start()
    server.register_bot(TOKEN)
    yield server
    await server.stop()
