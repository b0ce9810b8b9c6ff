"""SIGKILL in the middle of a call to 150 organisations: after a restart, everyone has exactly one invitation.

The bot runs as a real ``council-bot run`` subprocess against the sandbox in this process. The
sandbox's global rate limit (50 requests/s, as Discord's) makes the call take a few seconds, so the
kill lands in the middle of sending. Invitations are recorded in the outbox before they are sent and
sent with a nonce derived from the outbox row, so the restarted bot sends what is still owed and
nothing twice — not even the one that Discord accepted just before the kill.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.client import build_services
from bot.config import Config
from bot.domain.clock import SystemClock
from bot.domain.roster import Role
from bot.sandbox import SandboxServer, User
from bot.sandbox.harness import TOKEN
from bot.sandbox.state import MANAGE_GUILD
from bot.storage.db import Database

ROOT = Path(__file__).resolve().parents[2]
ORGS = 150


def invitations(server: SandboxServer, user: User) -> int:
    return sum(1 for m in server.dms_to(user) if any(c.startswith("council:rsvp:") for c in m.custom_ids()))


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer()
    await server.start()
    server.register_bot(TOKEN)
    yield server
    await server.stop()


async def start_bot(config: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        "--config",
        str(config),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": TOKEN},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def test_sigkill_mid_call_then_exactly_one_invitation_each(sandbox: SandboxServer, tmp_path):
    owner = sandbox.create_user("Eier")
    guild = await sandbox.create_guild("Rådet", owner)
    admin_role = await sandbox.create_role(guild, "Sekretær", MANAGE_GUILD)
    secretary = sandbox.create_user("Sekretær")
    await sandbox.add_member(guild, secretary, roles=[admin_role])
    general = await sandbox.create_text_channel(guild, "generelt")
    reps = [sandbox.create_user(f"Representant {i}") for i in range(ORGS)]
    for rep in reps:
        await sandbox.add_member(guild, rep)

    db_path = tmp_path / "council.sqlite3"
    db = await Database.open(db_path)
    services = build_services(db, SystemClock(), Config())
    await services.roster.setup_council(
        guild.id, name="Rådet", convener="Leder", minutes_channel_id=general.id, secretary_channel_id=general.id,
        secretary_role_id=admin_role.id, language="nb", timezone="Europe/Oslo",
    )  # fmt: skip
    for i, rep in enumerate(reps):
        await services.roster.add_org(guild.id, f"Organisasjon {i}", f"ORG{i}")
        await services.roster.assign(guild.id, f"ORG{i}", Role.REPRESENTATIVE, rep.id, rep.name)
    await services.meetings.create(guild.id, secretary.id, when="2. desember 2027 kl 10-13")
    await db.close()

    config = tmp_path / "config.toml"
    config.write_text(
        f"""[discord]
api_base_url = "{sandbox.api_base_url}"
gateway_url = "{sandbox.gateway_url}"
guild_ready_timeout = 0.05
[database]
path = "{db_path}"
[outbox]
idle_poll_seconds = 0.2
batch_size = 10
[logging]
level = "WARNING"
""",
        encoding="utf-8",
    )
    sandbox.set_rate_limits(global_per_second=50)
    bot = await start_bot(config)
    try:
        await sandbox.wait_for(lambda: bool(sandbox.commands), timeout=30, what="the bot to register its commands")
        await sandbox.wait_for(lambda: bool(sandbox.sessions), timeout=30, what="the bot to connect")
        handle = await sandbox.invoke(secretary, "meeting open", {}, guild=guild, channel=general)
        await handle.wait_done(timeout=10)
        assert "150" in handle.content
        await sandbox.wait_for(
            lambda: sum(invitations(sandbox, r) for r in reps) >= 20, timeout=30, what="the call to be under way"
        )
    finally:
        bot.send_signal(signal.SIGKILL)
        await bot.wait()
    sent_before = sum(invitations(sandbox, r) for r in reps)
    assert 0 < sent_before < ORGS, "the kill should land in the middle of the call"

    bot = await start_bot(config)
    try:
        await sandbox.wait_for(
            lambda: all(invitations(sandbox, r) >= 1 for r in reps), timeout=45, what="every invitation"
        )
    finally:
        bot.send_signal(signal.SIGTERM)
        await bot.wait()
    assert [invitations(sandbox, r) for r in reps] == [1] * ORGS

    db = await Database.open(db_path)
    try:
        assert await db.integrity_check() == []
    finally:
        await db.close()
