"""Delivery at Discord's pace: several recipients at once, one recipient strictly in order, closed DMs,
429 storms and remembered DM channels — the real bot through the sandbox with a simulated network.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Config, OutboxConfig
from bot.domain.clock import FakeClock
from bot.domain.outbox import OutboxItem, OutgoingMessage, Purpose
from bot.domain.text import split_message
from bot.sandbox import User
from bot.sandbox.harness import Council, Harness

DM_CHANNEL_ROUTE = "POST /users/@me/channels"
LONG = "\n\n".join(f"Avsnitt {i}. " + "ord " * 90 for i in range(14))
"""A message Discord cannot take in one piece: it goes as several parts, in order."""


@pytest.fixture
async def slow(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The bot against a sandbox 20 ms ± 15 ms away, sending to up to 8 people at once."""
    config = Config(outbox=OutboxConfig(concurrency=8, batch_size=20))
    async with Harness(tmp_path / "council.sqlite3", clock=clock, config=config) as h:
        h.server.set_latency(round_trip_ms=20, jitter_ms=30)
        await h.start_bot()
        yield h


@pytest.fixture
async def slow_council(slow: Harness) -> Council:
    return await slow.set_up_council()


async def owe(harness: Harness, council: Council, key: str, user: User, text: str) -> None:
    assert harness.bot is not None
    item = OutboxItem.dm(key, user.id, OutgoingMessage(text), Purpose.OTHER)
    await harness.bot.services.outbox.enqueue(council.guild.id, item)


async def states(harness: Harness) -> dict[str, str]:
    assert harness.bot is not None
    rows = await harness.bot.db.fetchall("SELECT dedupe_key, state FROM outbox WHERE purpose = 'other'")
    return {str(r[0]): str(r[1]) for r in rows}


async def test_each_member_gets_their_messages_in_order_while_members_are_served_in_parallel(
    slow: Harness, slow_council: Council
):
    people = [await slow.person(slow_council, f"Medlem {i}") for i in range(8)]
    texts = ["Melding 0", "Melding 1", LONG, "Melding 3", "Melding 4"]
    for n, text in enumerate(texts):
        for person in people:
            await owe(slow, slow_council, f"order:{person.id}:{n}", person, text)
    await slow.outbox_drained(timeout=60)
    expected = [part for text in texts for part in split_message(text)]
    assert len(expected) > len(texts)  # the long one really went in parts
    for person in people:
        assert [m.content for m in slow.server.dms_to(person)] == expected, person.name
    assert slow.server.stats.max_in_flight > 1  # and different members were served at the same time


async def test_a_member_with_closed_dms_does_not_hold_up_the_others(slow: Harness, slow_council: Council):
    closed = await slow.person(slow_council, "Lukket")
    others = [await slow.person(slow_council, f"Åpen {i}") for i in range(6)]
    slow.server.close_dms(closed)
    for n in range(3):
        await owe(slow, slow_council, f"closed:{n}", closed, f"Til lukket {n}")
    for person in others:
        await owe(slow, slow_council, f"open:{person.id}", person, "Hei")
    await slow.outbox_drained(timeout=30)
    assert all([m.content for m in slow.server.dms_to(p)] == ["Hei"] for p in others)
    assert slow.server.dms_to(closed) == []
    owed = await states(slow)
    assert [owed[f"closed:{n}"] for n in range(3)] == ["undeliverable"] * 3
    alerts = await slow.wait_channel(slow_council.secretary_channel, 1)
    assert len(alerts) == 1 and f"<@{closed.id}>" in alerts[0].content  # the secretary is told once


async def test_a_storm_of_429s_is_absorbed_without_losing_or_repeating_anything(slow: Harness, slow_council: Council):
    people = [await slow.person(slow_council, f"Medlem {i}") for i in range(24)]
    # Discord far stricter than the bot's own pace of 50/s: most of the bot's requests are refused at first.
    slow.server.set_rate_limits(global_per_second=12, per_route={"POST /channels/{channel}/messages": (4, 1.0)})
    for person in people:
        await owe(slow, slow_council, f"storm:{person.id}:0", person, "Første")
        await owe(slow, slow_council, f"storm:{person.id}:1", person, "Andre")
    await slow.outbox_drained(timeout=60)
    assert slow.server.stats.rate_limited >= 10
    for person in people:
        assert [m.content for m in slow.server.dms_to(person)] == ["Første", "Andre"], person.name
    assert set((await states(slow)).values()) == {"sent"}


async def test_the_dm_channel_is_remembered_across_restarts_and_reopened_once_when_gone(
    slow: Harness, slow_council: Council
):
    member = await slow.person(slow_council, "Medlem")
    stats = slow.server.stats
    opened = stats.by_route.get(DM_CHANNEL_ROUTE, 0)
    await owe(slow, slow_council, "dm:1", member, "En")
    await slow.outbox_drained()
    assert stats.by_route.get(DM_CHANNEL_ROUTE, 0) == opened + 1
    await slow.restart_bot()  # discord.py's own cache of DM channels is gone now
    await owe(slow, slow_council, "dm:2", member, "To")
    await slow.outbox_drained()
    assert stats.by_route.get(DM_CHANNEL_ROUTE, 0) == opened + 1  # sent straight to the remembered channel
    # Discord no longer knows the channel: one extra request opens it again, and it is remembered.
    gone = slow.server.dm_channel(member)
    del slow.server.channels[gone.id]
    await owe(slow, slow_council, "dm:3", member, "Tre")
    await owe(slow, slow_council, "dm:4", member, "Fire")
    await slow.outbox_drained()
    assert stats.by_route.get(DM_CHANNEL_ROUTE, 0) == opened + 2
    assert [m.content for m in slow.server.dms_to(member)] == ["Tre", "Fire"]  # in the new channel
    assert set((await states(slow)).values()) == {"sent"}
