"""The process killed in the middle of writing: the database passes `db check` and keeps all it acknowledged."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.storage.db import Database

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import asyncio, sys
from datetime import UTC, datetime
from bot.domain.clock import SystemClock
from bot.runtime.wiring import build_services
from bot.domain.roster import Role

async def main(path):
    from bot.storage.db import Database
    db = await Database.open(path)
    services = build_services(db, SystemClock())
    await services.roster.setup_council(1, name="R", convener="C", minutes_channel_id=2, secretary_channel_id=3,
                                        secretary_role_id=4, language="nb", timezone="Europe/Oslo")
    i = 0
    while True:
        i += 1
        org = await services.roster.add_org(1, "Organisasjon nummer %d" % i, "O%d" % i)
        await services.roster.assign(1, org.short, Role.REPRESENTATIVE, 10**17 + i, "Person %d" % i)
        print(org.short, flush=True)  # acknowledged: the transaction has committed

asyncio.run(main(sys.argv[1]))
"""


@pytest.mark.slow
async def test_sigkill_during_writes_loses_nothing_acknowledged(tmp_path):
    path = tmp_path / "council.sqlite3"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        WRITER,
        str(path),
        stdout=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    acknowledged: list[str] = []
    while len(acknowledged) < 150:
        line = await asyncio.wait_for(proc.stdout.readline(), 20)
        assert line, "the writer stopped early"
        acknowledged.append(line.decode().strip())
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    db = await Database.open(path)
    try:
        assert await db.integrity_check() == []
        rows = await db.fetchall("SELECT short FROM organisations WHERE guild_id = 1")
        stored = {r[0] for r in rows}
        assert set(acknowledged) <= stored
        seats = await db.fetchall("SELECT count(*) FROM assignments WHERE guild_id = 1 AND ended_at IS NULL")
        # Every organisation stored got its seat in the same or the next transaction; none is half-written.
        assert int(seats[0][0]) in (len(stored), len(stored) - 1)
    finally:
        await db.close()
