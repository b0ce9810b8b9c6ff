"""Event-loop stalls: how long the bot's loop is kept from running while heavy work is in hand.

:class:`LoopStallMonitor` is a task that asks to wake every ``interval`` seconds and records how late
it wakes up; lateness is time the loop spent running something else without yielding (a stall).
Clicks arriving then wait for it. The scenario measures the longest stall (SPEC §7: under 50 ms)

- while ``/minutes draft`` is compiled, rendered (Markdown, Discord, Word), stored and posted for a
  council of 200 organisations, each with a status update, and
- while ``/roster import`` applies a 5,000-row CSV,

both through the sandbox with the real bot, from the command until its answer is final and the
outbox has sent what the command owed. The sandbox shares the loop, so its own work counts too.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from bot.config import Config
from bot.domain.clock import FakeClock
from bot.domain.meetings import MeetingFields
from bot.domain.roster import CSV_COLUMNS, Role
from bot.runtime.wiring import build_services
from bot.sandbox import UploadFile
from bot.sandbox.harness import Harness
from bot.storage.db import Database


class LoopStallMonitor:
    """Samples the running loop's lag every ``interval`` seconds while used as ``async with``."""

    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.samples = 0
        self.longest = 0.0
        self.total = 0.0
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LoopStallMonitor:
        self._task = asyncio.create_task(self._sample(), name="bench-loop-stall-monitor")
        await asyncio.sleep(0)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _sample(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            asked = loop.time()
            await asyncio.sleep(self.interval)
            late = loop.time() - asked - self.interval
            self.samples += 1
            self.longest = max(self.longest, late)
            self.total += max(0.0, late)

    def figures(self, seconds: float) -> dict[str, Any]:
        """The longest stall and the run's length, in milliseconds."""
        return {
            "longest_stall_ms": round(self.longest * 1000, 1),
            "elapsed_ms": round(seconds * 1000, 1),
            "samples": self.samples,
        }


def roster_csv(rows: int) -> bytes:
    """``rows`` organisations, each with a representative and a deputy."""
    lines = [",".join(CSV_COLUMNS)]
    lines += [
        f"I{i},Organisasjon {i},user,{400_000_000_000_000_000 + i},R{i},{500_000_000_000_000_000 + i},D{i}"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


async def _council(harness: Harness, orgs: int, status: str, clock: FakeClock) -> Any:
    """A council of ``orgs`` organisations with an opened meeting and a status from each, stored directly."""
    council = await harness.create_council_server()
    reps = await harness.server.add_members(council.guild, "Representant", orgs)
    db = await Database.open(harness.database)
    services = build_services(db, clock, Config())
    guild = council.guild.id
    await services.roster.setup_council(
        guild, name="Ekspertråd NKROP", convener="Morten A. Brodahl – NKROP",
        minutes_channel_id=council.minutes_channel.id, secretary_channel_id=council.secretary_channel.id,
        secretary_role_id=council.secretary_role.id, language="nb", timezone="Europe/Oslo",
    )  # fmt: skip
    for i, rep in enumerate(reps):
        await services.roster.add_org(guild, f"Organisasjon {i}", f"ORG{i}")
        await services.roster.assign(guild, f"ORG{i}", Role.REPRESENTATIVE, rep.id, rep.name)
    await services.meetings.create(guild, council.secretary.id, MeetingFields(when="2. desember 2026 kl 10-13"))
    await services.meetings.open(guild)
    for i in range(orgs):
        await services.status.submit_for(guild, f"ORG{i}", status, secretary_id=council.secretary.id)
    await db.close()
    return council


async def loop_stalls(draft_orgs: int, csv_rows: int, status: str, start: Any) -> dict[str, Any]:
    """The longest loop stall during a ``draft_orgs`` draft and during a ``csv_rows``-row import."""
    clock = FakeClock(start)
    with tempfile.TemporaryDirectory() as folder:
        async with Harness(Path(folder) / "stall.sqlite3", clock=clock) as harness:
            council = await _council(harness, draft_orgs, status, clock)
            await harness.start_bot()
            await harness.outbox_drained(timeout=120)
            before = len(harness.server.messages_in(council.secretary_channel))

            started = time.perf_counter()
            async with LoopStallMonitor() as draft:
                handle = await harness.server.invoke(
                    council.secretary, "minutes draft", {}, guild=council.guild, channel=council.general
                )
                await handle.wait_done(60)
                await harness.server.wait_for(
                    lambda: len(harness.server.messages_in(council.secretary_channel)) > before,
                    timeout=60,
                    what="the draft in the secretary channel",
                )
                await harness.outbox_drained(timeout=120)
            draft_s = time.perf_counter() - started
            posted = harness.server.messages_in(council.secretary_channel)[before:]
            if not any(a.filename.endswith(".docx") for m in posted for a in m.attachments):
                raise RuntimeError(f"the draft was not posted with its Word file: {handle.content[:200]}")

            started = time.perf_counter()
            async with LoopStallMonitor() as csv_import:
                handle = await harness.server.invoke(
                    council.secretary,
                    "roster import",
                    {"file": UploadFile("roster.csv", roster_csv(csv_rows))},
                    guild=council.guild,
                    channel=council.general,
                )
                await handle.wait_done(120)
            import_s = time.perf_counter() - started
            if f"{csv_rows} nye" not in handle.content:
                raise RuntimeError(f"the import failed: {handle.content[:200]}")
    return {
        "draft": {"organisations": draft_orgs, **draft.figures(draft_s)},
        "csv_import": {"rows": csv_rows, **csv_import.figures(import_s)},
    }
