"""The sandbox's scheduled-event routes answer as Discord does: validation, permissions, status moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.sandbox import SandboxServer
from bot.sandbox.events import CREATE_EVENTS, MANAGE_EVENTS

TOKEN = "events-test-token"
START, END = "2026-12-02T09:00:00+00:00", "2026-12-02T12:00:00+00:00"


@pytest.fixture
async def world() -> AsyncIterator[tuple[SandboxServer, aiohttp.ClientSession, str]]:
    server = SandboxServer()
    await server.start()
    bot = server.register_bot(TOKEN)
    owner = server.create_user("Eier")
    guild = await server.create_guild("Rådet", owner)
    role = await server.create_role(guild, "bot", MANAGE_EVENTS)
    await server.set_roles(guild, bot.user, [role])
    session = aiohttp.ClientSession(headers={"Authorization": f"Bot {TOKEN}"})
    try:
        yield server, session, f"{server.api_base_url}/guilds/{guild.id}/scheduled-events"
    finally:
        await session.close()
        await server.stop()


def external(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Desembermøtet",
        "privacy_level": 2,
        "entity_type": 3,
        "entity_metadata": {"location": "Zoom"},
        "scheduled_start_time": START,
        "scheduled_end_time": END,
    }
    body.update(changes)
    return body


async def call(session: aiohttp.ClientSession, method: str, url: str, body: Any = None) -> tuple[int, Any]:
    async with session.request(method, url, json=body) as response:
        return response.status, await response.json() if response.status != 204 else None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"scheduled_end_time": None}, "scheduled_end_time"),
        ({"entity_metadata": {}}, "entity_metadata"),
        ({"entity_metadata": {"location": "x" * 101}}, "entity_metadata"),
        ({"name": ""}, "name"),
        ({"privacy_level": 1}, "privacy_level"),
        ({"scheduled_end_time": "2026-12-02T08:00:00+00:00"}, "scheduled_end_time"),
        ({"channel_id": "123"}, "channel_id"),
        ({"description": "x" * 1001}, "description"),
    ],
)
async def test_external_event_is_validated(world, changes, field):
    server, session, url = world
    status, body = await call(session, "POST", url, external(**changes))
    assert (status, body["code"]) == (400, 50035)
    assert field in body["errors"]
    assert server.rest.scheduled_events.events == {}


async def test_status_moves_forward_only(world):
    _, session, url = world
    status, event = await call(session, "POST", url, external())
    assert (status, event["status"], event["entity_metadata"]) == (200, 1, {"location": "Zoom"})
    one = f"{url}/{event['id']}"
    status, _ = await call(session, "PATCH", one, {"status": 3})  # scheduled -> completed: refused
    assert status == 400
    assert (await call(session, "PATCH", one, {"status": 2}))[0] == 200
    assert (await call(session, "PATCH", one, {"status": 4}))[0] == 400  # active -> cancelled: refused
    assert (await call(session, "PATCH", one, {"status": 3}))[0] == 200
    assert (await call(session, "PATCH", one, {"name": "Nytt navn"}))[0] == 400  # finished: frozen
    assert [e["id"] for e in (await call(session, "GET", url))[1]] == [event["id"]]


async def test_without_permission_403_50013(world):
    server, session, url = world
    guild = next(iter(server.guilds.values()))
    bot_user = next(iter(server.bots.values())).user
    await server.set_roles(guild, bot_user, [])
    status, body = await call(session, "POST", url, external())
    assert (status, body["code"]) == (403, 50013)
    # Create Events is enough for the bot's own events.
    role = await server.create_role(guild, "create", CREATE_EVENTS)
    await server.set_roles(guild, bot_user, [role])
    status, _ = await call(session, "POST", url, external())
    assert status == 200
