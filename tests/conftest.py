"""Shared fixtures: the meeting services wired as in production, over the service tests' real database.

``db`` and ``clock`` come from ``tests/services/conftest.py``; the fixtures here are used from there.
Also for the whole run: the message catalogue is strict (a missing key or placeholder raises), and
golden files are compared, never written, unless pytest runs with ``--update-goldens``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import i18n
from bot.config import Config
from bot.domain.clock import FakeClock
from bot.domain.roster import Role
from bot.runtime.wiring import Services, build_services
from bot.services.roster import RosterService
from bot.storage.db import Database

# Strict catalogue for the whole run: a missing message key or placeholder raises instead of showing
# fallback text. The environment variable carries it into every bot process a test starts.
os.environ[i18n.STRICT_ENV] = "1"
i18n.set_strict(True)

SECRETARY = 900_000_000_000_000_001
ALICE = 300_000_000_000_000_001  # LPP representative
BOB = 300_000_000_000_000_002  # LPP deputy
CARL = 300_000_000_000_000_003  # RIO representative, RIO has no deputy
DAVE = 300_000_000_000_000_004  # MH representative
ERIN = 300_000_000_000_000_005  # MH deputy
SECRETARY_CHANNEL = 1002


@dataclass
class World:
    """A council with three organisations: LPP (rep + deputy), RIO (rep only), MH (rep + deputy)."""

    guild_id: int
    lpp: int
    rio: int
    mh: int


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite the golden files in tests/golden/ from the current output (review the diff)",
    )


GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


def check_golden(name: str, text: str, *, update: bool, directory: Path = GOLDEN_DIR) -> None:
    """Compare ``text`` with the golden file ``name``; a missing file fails unless ``update`` rewrites it."""
    path = directory / name
    if update:
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"golden file {path.name} is missing: run `pytest --update-goldens` and review the new file")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; run `pytest --update-goldens` and review"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """``golden(name, text)``: compare with ``tests/golden/<name>`` (rewritten only with ``--update-goldens``)."""
    update = bool(request.config.getoption("--update-goldens"))
    return lambda name, text: check_golden(name, text, update=update)


@pytest.fixture
def services(db: Database, clock: FakeClock) -> Services:
    return build_services(db, clock, Config())


async def setup_council(roster: RosterService, guild_id: int, language: str = "nb") -> None:
    """Ekspertråd NKROP in ``guild_id``, in Oslo's time zone, with no organisations yet."""
    await roster.setup_council(
        guild_id,
        name="Ekspertråd NKROP",
        convener="Morten A. Brodahl – NKROP",
        minutes_channel_id=1001,
        secretary_channel_id=SECRETARY_CHANNEL,
        secretary_role_id=1003,
        language=language,
        timezone="Europe/Oslo",
    )


async def make_world(services: Services, guild_id: int, language: str = "nb") -> World:
    roster = services.roster
    await setup_council(roster, guild_id, language)
    lpp = await roster.add_org(guild_id, "Landsforeningen for pasienter og pårørende", "LPP", "relatives")
    rio = await roster.add_org(guild_id, "Rusmisbrukernes interesseorganisasjon", "RIO", "user")
    mh = await roster.add_org(guild_id, "Mental Helse", "MH", "user")
    await roster.assign(guild_id, "LPP", Role.REPRESENTATIVE, ALICE, "Alice")
    await roster.assign(guild_id, "LPP", Role.DEPUTY, BOB, "Bob")
    await roster.assign(guild_id, "RIO", Role.REPRESENTATIVE, CARL, "Carl")
    await roster.assign(guild_id, "MH", Role.REPRESENTATIVE, DAVE, "Dave")
    await roster.assign(guild_id, "MH", Role.DEPUTY, ERIN, "Erin")
    return World(guild_id, lpp.id, rio.id, mh.id)
