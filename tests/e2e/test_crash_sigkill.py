"""SIGKILL in the middle of a call to 150 organisations: after a restart, everyone has exactly one invitation.

The worker sends to 16 members at once over a simulated 30 ms round trip, so the kill lands with many
messages in flight: some accepted by Discord but not yet marked, some not yet arrived.

The bot runs as a real ``council-bot run`` subprocess against the sandbox in this process. The
sandbox's global rate limit (50 requests/s, as Discord's) makes the call take a few seconds, so the
kill lands in the middle of sending. Invitations are recorded in the outbox before they are sent and
sent with a nonce derived from the outbox row, so the restarted bot sends what is still owed and
nothing twice — not even the one that Discord accepted just before the kill.
"""

from __future__ import annotations

import signal

import pytest

from bot.sandbox import SandboxServer
from bot.storage.db import Database
from tests.e2e.bot_process import invitations, seed_council, start_bot, wait_connected

ORGS = 150


@pytest.mark.slow
async def test_sigkill_mid_call_then_exactly_one_invitation_each(sandbox: SandboxServer, tmp_path):
    council = await seed_council(sandbox, tmp_path, ORGS)
    reps, secretary, guild, general = council.reps, council.secretary, council.guild, council.general
    config, db_path = council.config, council.db_path
    sandbox.set_rate_limits(global_per_second=50)
    sandbox.set_latency(round_trip_ms=30, jitter_ms=20)  # many sends in flight when the kill lands
    bot = await start_bot(config)
    try:
        await wait_connected(sandbox)
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
