"""The outbox worker with a small fake Discord client, over the real outbox on SQLite."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.domain.notices import rsvp_buttons
from bot.domain.outbox import AttachmentRef, OutboxItem, OutgoingMessage, Purpose
from bot.runtime.outbox_worker import OutboxWorker
from bot.runtime.wiring import Services
from bot.storage.db import Database
from tests.conftest import ALICE, BOB, SECRETARY_CHANNEL, World
from tests.services.conftest import GUILD


def http_error(cls: type[discord.HTTPException], status: int, code: int) -> discord.HTTPException:
    return cls(SimpleNamespace(status=status, reason="x"), {"code": code, "message": "refused"})


DM_CHANNEL_OFFSET = 1_000_000
"""A user's fake DM channel id is their id plus this."""


class FakeChannel(discord.abc.Messageable):
    """Records what is sent (subclasses Messageable so the worker accepts it as a channel)."""

    def __init__(self, owner: FakeClient, target: int, channel_id: int | None = None) -> None:
        self.owner = owner
        self.target = target
        self.id = channel_id if channel_id is not None else target

    async def send(self, **kwargs: Any) -> Any:  # type: ignore[override]
        failure = self.owner.failures.get(self.target)
        if failure:
            raise failure.pop(0)
        self.owner.sent.append((self.target, kwargs))
        self.owner.delivered.set()
        return SimpleNamespace(id=10_000 + len(self.owner.sent))


class FakeClient:
    """Just what the worker uses of ``discord.Client``."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, dict[str, Any]]] = []
        self.failures: dict[int, list[Exception]] = {}
        self.delivered = asyncio.Event()
        self.opened: list[int] = []

    async def wait_until_ready(self) -> None:
        return None

    async def create_dm(self, user: discord.abc.Snowflake) -> FakeChannel:
        self.opened.append(user.id)
        return FakeChannel(self, user.id, user.id + DM_CHANNEL_OFFSET)

    def get_partial_messageable(self, channel_id: int, *, type: Any = None) -> FakeChannel:
        return FakeChannel(self, channel_id - DM_CHANNEL_OFFSET, channel_id)

    def get_channel(self, channel_id: int) -> Any:
        return None

    async def fetch_channel(self, channel_id: int) -> Any:
        return FakeChannel(self, channel_id)


@pytest.fixture
def client() -> FakeClient:
    return FakeClient()


@pytest.fixture
def worker(services: Services, client: FakeClient) -> OutboxWorker:
    return OutboxWorker(client, services.outbox, services.outbox.config)  # type: ignore[arg-type]


async def states(db: Database) -> dict[str, str]:
    return {r[0]: r[1] for r in await db.fetchall("SELECT dedupe_key, state FROM outbox")}


async def test_sends_with_nonce_buttons_and_no_mentions(
    services: Services, world: World, worker: OutboxWorker, client: FakeClient, db: Database
):
    message = OutgoingMessage("Hei @everyone", buttons=rsvp_buttons(7, world.lpp, "nb"))
    await services.outbox.enqueue(GUILD, OutboxItem.dm("a", ALICE, message, Purpose.INVITATION))
    assert await worker.run_once() == 1
    ((target, kwargs),) = client.sent
    assert target == ALICE
    row = await services.outbox.repo.by_key(GUILD, "a")
    assert row is not None
    assert kwargs["nonce"] == f"council-{row.id}"
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    view = kwargs["view"]
    assert view.is_finished()  # only carries the components; the registered RsvpButton handles clicks
    assert [c.custom_id for c in view.children] == [f"council:rsvp:7:{world.lpp}:{a}" for a in ("yes", "no", "maybe")]
    assert (row.state.value, row.message_id) == ("sent", 10_001)


async def test_long_messages_are_split_with_one_nonce_per_part(
    services: Services, world: World, worker: OutboxWorker, client: FakeClient
):
    text = "\n\n".join(f"Avsnitt {n}: " + "ord " * 150 for n in range(6))
    await services.outbox.enqueue(GUILD, OutboxItem.dm("long", ALICE, OutgoingMessage(text), Purpose.OTHER))
    await worker.run_once()
    assert len(client.sent) > 1
    assert all(len(kwargs["content"]) <= 2000 for _t, kwargs in client.sent)
    nonces = [kwargs["nonce"] for _t, kwargs in client.sent]
    assert len(set(nonces)) == len(nonces)


async def test_closed_dms_alert_the_secretary_channel_mentioning_the_member(
    services: Services, world: World, worker: OutboxWorker, client: FakeClient, db: Database
):
    client.failures[ALICE] = [http_error(discord.Forbidden, 403, 50007)]
    await services.outbox.enqueue(GUILD, OutboxItem.dm("a", ALICE, OutgoingMessage("Hei"), Purpose.INVITATION))
    await worker.run_once()
    await worker.run_once()  # sends the alert
    assert (await states(db))["a"] == "undeliverable"
    ((target, kwargs),) = client.sent
    assert target == SECRETARY_CHANNEL
    assert f"<@{ALICE}>" in kwargs["content"]
    assert [u.id for u in kwargs["allowed_mentions"].users] == [ALICE]


async def test_server_errors_are_retried_later(
    services: Services, world: World, worker: OutboxWorker, client: FakeClient, db: Database, clock
):
    client.failures[BOB] = [http_error(discord.DiscordServerError, 503, 0)]
    await services.outbox.enqueue(GUILD, OutboxItem.dm("b", BOB, OutgoingMessage("Hei"), Purpose.CALL_UP))
    await worker.run_once()
    assert (await states(db))["b"] == "pending"
    assert await worker.run_once() == 0  # backing off
    clock.advance(timedelta(seconds=30))
    await worker.run_once()
    assert (await states(db))["b"] == "sent"
    assert [t for t, _k in client.sent] == [BOB]


async def test_unknown_attachment_kind_fails_and_alerts(
    services: Services, world: World, worker: OutboxWorker, client: FakeClient, db: Database
):
    message = OutgoingMessage("Referat", attachments=(AttachmentRef("minutes", "1:docx"),))
    await services.outbox.enqueue(GUILD, OutboxItem.dm("m", ALICE, message, Purpose.MINUTES_COPY))
    await worker.run_once()
    assert (await states(db))["m"] == "failed"
    await worker.run_once()
    assert [t for t, _k in client.sent] == [SECRETARY_CHANNEL]


async def test_registered_attachment_is_built_when_sending(
    services: Services, world: World, worker: OutboxWorker, client: FakeClient
):
    async def minutes(guild_id: int, ref: str) -> discord.File:
        return discord.File(io.BytesIO(f"{guild_id}:{ref}".encode()), filename="referat.md")

    worker.register_attachment("minutes", minutes)
    message = OutgoingMessage("Referat", attachments=(AttachmentRef("minutes", "1:md"),))
    await services.outbox.enqueue(GUILD, OutboxItem.dm("m", ALICE, message, Purpose.MINUTES_COPY))
    await worker.run_once()
    ((_t, kwargs),) = client.sent
    assert [f.filename for f in kwargs["files"]] == ["referat.md"]


async def test_start_and_stop(services: Services, world: World, worker: OutboxWorker, client: FakeClient):
    services.outbox.set_notify(worker.wake)
    worker.start()
    await services.outbox.enqueue(GUILD, OutboxItem.dm("a", ALICE, OutgoingMessage("Hei"), Purpose.OTHER))
    await asyncio.wait_for(client.delivered.wait(), timeout=5)
    await worker.stop()
    assert [t for t, _k in client.sent] == [ALICE]
