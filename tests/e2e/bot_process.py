"""A real ``council-bot run`` subprocess against the sandbox in the test's process.

Shared by the crash (SIGKILL) and graceful-stop (SIGTERM) tests: a council with N organisations,
one representative each, and a meeting ready to open, seeded straight into the SQLite file; a
configuration pointing the bot at the sandbox; the bot process with its stderr kept in a file.
"""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.config import Config
from bot.domain.clock import SystemClock
from bot.domain.meetings import MeetingFields
from bot.domain.roster import Role
from bot.runtime.wiring import build_services
from bot.sandbox import SandboxServer, User
from bot.sandbox.harness import TOKEN
from bot.sandbox.state import MANAGE_GUILD, Channel, Guild
from bot.storage.db import Database

ROOT = Path(__file__).resolve().parents[2]


def invitations(server: SandboxServer, user: User) -> int:
    """How many RSVP invitations ``user`` received."""
    return sum(1 for m in server.dms_to(user) if any(c.startswith("council:rsvp:") for c in m.custom_ids()))


@dataclass
class SeededCouncil:
    guild: Guild
    general: Channel
    secretary: User
    reps: list[User]
    db_path: Path
    config: Path


async def seed_council(sandbox: SandboxServer, tmp_path: Path, orgs: int) -> SeededCouncil:
    """A council of ``orgs`` organisations with a meeting on 2 December 2027, and the bot's config file."""
    owner = sandbox.create_user("Eier")
    guild = await sandbox.create_guild("Rådet", owner)
    admin_role = await sandbox.create_role(guild, "Sekretær", MANAGE_GUILD)
    secretary = sandbox.create_user("Sekretær")
    await sandbox.add_member(guild, secretary, roles=[admin_role])
    general = await sandbox.create_text_channel(guild, "generelt")
    reps = await sandbox.add_members(guild, "Representant", orgs)

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
    await services.meetings.create(guild.id, secretary.id, MeetingFields(when="2. desember 2027 kl 10-13"))
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
batch_size = 20
concurrency = 16
[logging]
level = "INFO"
""",
        encoding="utf-8",
    )
    return SeededCouncil(guild, general, secretary, reps, db_path, config)


async def start_bot(config: Path, log: Path | None = None, *, token: str = TOKEN) -> asyncio.subprocess.Process:
    """``council-bot run --config CONFIG`` as a subprocess; its stderr (the log) goes to ``log``."""
    stderr = log.open("ab") if log is not None else asyncio.subprocess.DEVNULL
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            "--config",
            str(config),
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": token},
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )
    finally:
        if log is not None and not isinstance(stderr, int):
            stderr.close()


async def wait_connected(sandbox: SandboxServer) -> None:
    """Until the bot registered its commands and holds a gateway session."""
    await sandbox.wait_for(lambda: bool(sandbox.commands), timeout=30, what="the bot to register its commands")
    await sandbox.wait_for(lambda: bool(sandbox.sessions), timeout=30, what="the bot to connect")
