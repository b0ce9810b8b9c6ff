"""DM intake (the status cog, the DM intake service, the Discord adapter) over small fakes of Discord: previews,
refusals, read-back after downtime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import discord
import pytest

from bot.domain.clock import FakeClock
from bot.domain.meetings import Meeting
from bot.domain.status import snowflake_at
from bot.runtime.pacing import TokenBucket
from bot.runtime.wiring import Services
from bot.services.status import IncomingDm
from cogs.status import Status
from tests.conftest import ALICE, World, make_world
from tests.services.conftest import GUILD

STRANGER = 300_000_000_000_000_777
BOT_USER = 999


@dataclass
class FakeUser:
    id: int
    bot: bool = False


@dataclass
class Sent:
    content: str
    view: discord.ui.View | None


@dataclass
class FakeChannel:
    """A DM channel: a message history and what the bot sends."""

    history_messages: list[FakeMessage] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    history_calls: int = 0

    async def history(
        self,
        *,
        after: discord.abc.Snowflake | None = None,
        before: Any = None,
        oldest_first: bool = False,
        limit: int | None = 100,
    ) -> AsyncIterator[FakeMessage]:
        self.history_calls += 1
        found = [
            m
            for m in sorted(self.history_messages, key=lambda m: m.id)
            if (after is None or m.id > after.id) and (before is None or m.id < before.id)
        ]
        for message in found[:limit]:
            yield message

    async def send(self, content: str, *, view: discord.ui.View | None = None, **_kwargs: Any) -> None:
        self.sent.append(Sent(content, view))


@dataclass
class FakeMessage:
    id: int
    author: FakeUser
    content: str
    created_at: datetime
    channel: FakeChannel
    guild: None = None


class FakeBot:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.channels: dict[int, FakeChannel] = {}
        self.pacer = TokenBucket(0)  # no pacing: the fake answers at once

    def channel(self, user_id: int) -> FakeChannel:
        return self.channels.setdefault(user_id, FakeChannel())

    async def create_dm(self, user: discord.abc.Snowflake) -> FakeChannel:
        return self.channel(user.id)


@pytest.fixture
def bot(services: Services) -> FakeBot:
    return FakeBot(services)


@pytest.fixture
def cog(bot: FakeBot) -> Status:
    return Status(bot)  # type: ignore[arg-type]


def message(bot: FakeBot, clock: FakeClock, user: int, text: str, *, offset: int) -> FakeMessage:
    channel = bot.channel(user)
    sent_at = clock.now() + timedelta(minutes=offset)
    msg = FakeMessage(snowflake_at(sent_at) + 1, FakeUser(user), text, sent_at, channel)
    channel.history_messages.append(msg)
    return msg


def buttons(view: discord.ui.View | None) -> list[tuple[str, str]]:
    """(custom id, label) of each button, as sent to Discord."""
    assert view is not None
    return [(c["custom_id"], c["label"]) for row in view.to_components() for c in row["components"]]


async def test_a_members_dm_is_previewed_quoted_with_buttons(cog: Status, bot: FakeBot, meeting: Meeting, clock):
    msg = message(bot, clock, ALICE, "Nytt fra LPP: @everyone kom på seminar!", offset=1)
    await cog.handle_dm(msg)  # type: ignore[arg-type]
    sent = bot.channel(ALICE).sent
    assert len(sent) == 1
    assert "> Nytt fra LPP: @\u200beveryone kom på seminar!" in sent[0].content
    assert "Lagre som status" not in sent[0].content  # labels belong on the buttons
    draft_id = (await bot.services.status.pending_drafts(GUILD, meeting.id))[0].id
    assert buttons(sent[0].view) == [
        (f"council:status:draft:{draft_id}:replace", "Lagre som status"),
        (f"council:status:draft:{draft_id}:keep", "Ikke lagre"),
    ]


async def test_a_stranger_gets_a_polite_answer_and_nothing_is_stored(cog: Status, bot: FakeBot, world, clock, db):
    await cog.handle_dm(message(bot, clock, STRANGER, "Hei", offset=1))  # type: ignore[arg-type]
    sent = bot.channel(STRANGER).sent
    assert len(sent) == 1 and sent[0].view is None
    assert "Jeg finner deg ikke" in sent[0].content
    for table in ("status_drafts", "status_versions", "dm_cursors"):
        row = await db.fetchone(f"SELECT count(*) FROM {table}")
        assert row is not None and row[0] == 0, table


async def test_dms_sent_while_offline_are_read_back_once_in_order(cog: Status, bot: FakeBot, meeting: Meeting, clock):
    channel = bot.channel(ALICE)
    prompt = FakeMessage(snowflake_at(clock.now()) + 5, FakeUser(BOT_USER, bot=True), "📝 prompt", clock.now(), channel)
    channel.history_messages.append(prompt)
    message(bot, clock, ALICE, "Første del", offset=10)
    message(bot, clock, ALICE, "Andre del", offset=11)
    await bot.services.dm_intake.reconnected(cog.dms)
    drafts = await bot.services.status.pending_drafts(GUILD, meeting.id)
    assert [(d.text, d.messages) for d in drafts] == [("Første del\nAndre del", 2)]
    assert len(channel.sent) == 2  # one preview per message taken
    await bot.services.dm_intake.reconnected(cog.dms)  # as after a reconnect
    assert len(channel.sent) == 2
    assert (await bot.services.status.pending_drafts(GUILD, meeting.id))[0].messages == 2


async def test_a_live_dm_first_takes_older_ones_missed_while_away(cog: Status, bot: FakeBot, meeting: Meeting, clock):
    message(bot, clock, ALICE, "Skrevet mens boten var nede", offset=10)
    live = message(bot, clock, ALICE, "Skrevet nå", offset=20)
    await cog.handle_dm(live)  # type: ignore[arg-type]
    drafts = await bot.services.status.pending_drafts(GUILD, meeting.id)
    assert drafts[0].text == "Skrevet mens boten var nede\nSkrevet nå"
    # Later live messages do not read the history again; the same message delivered twice is taken once.
    calls = bot.channel(ALICE).history_calls
    await cog.handle_dm(live)  # type: ignore[arg-type]
    assert bot.channel(ALICE).history_calls == calls
    assert (await bot.services.status.pending_drafts(GUILD, meeting.id))[0].messages == 2


async def test_preview_against_a_stored_status_offers_replace_append_keep(
    cog: Status, bot: FakeBot, world: World, meeting: Meeting, clock
):
    await bot.services.status.write(GUILD, meeting.id, world.lpp, ALICE, "Lagret tekst\n\n# ikke en overskrift")
    await cog.handle_dm(message(bot, clock, ALICE, "Nytt tillegg", offset=1))  # type: ignore[arg-type]
    sent = bot.channel(ALICE).sent[-1]
    assert "> Lagret tekst\n> \u200b\n> \\# ikke en overskrift" in sent.content
    assert [label for _id, label in buttons(sent.view)] == [
        "Erstatt med dette",
        "Legg til som nytt avsnitt",
        "Behold lagret status",
    ]


async def test_a_long_preview_is_split_with_the_buttons_under_the_last_part(
    cog: Status, bot: FakeBot, meeting: Meeting, clock
):
    long = ("Dette er en lang status om mye arbeid. " * 75).strip()
    assert 2800 < len(long) <= 3000
    await cog.handle_dm(message(bot, clock, ALICE, long, offset=1))  # type: ignore[arg-type]
    sent = bot.channel(ALICE).sent
    assert len(sent) > 1
    assert all(len(part.content) <= 2000 for part in sent)
    assert all(part.view is None for part in sent[:-1]) and sent[-1].view is not None
    quoted = [line for part in sent for line in part.content.split("\n") if "lang status" in line]
    assert quoted and all(line.startswith("> ") for line in quoted)
    assert " ".join(line[2:] for line in quoted) == long


async def test_a_stranger_to_a_bot_with_several_councils_gets_bokmal_and_english(
    cog: Status, bot: FakeBot, world: World, clock
):
    await make_world(bot.services, 222_222_222_222_222_222, "en")
    await cog.handle_dm(message(bot, clock, STRANGER, "Hello", offset=1))  # type: ignore[arg-type]
    content = bot.channel(STRANGER).sent[0].content
    assert content.startswith("Hei! Jeg er rådets bot")
    assert "\n-# Hi! I am the council's bot" in content


@dataclass
class PlainChannel:
    """A DM channel as the intake sees it (no Discord objects): a history that may be unreadable."""

    dms: list[IncomingDm] = field(default_factory=list)
    readable: bool = True
    reads: int = 0
    answered: list[int] = field(default_factory=list)

    async def history(self, *, after: int, before: int | None, limit: int) -> list[IncomingDm] | None:
        self.reads += 1
        if not self.readable:
            return None
        return [d for d in self.dms if d.message_id > after and (before is None or d.message_id < before)][:limit]

    async def answer(self, dm: IncomingDm, reply: object) -> None:
        self.answered.append(dm.message_id)


def plain_dm(channel: PlainChannel, clock: FakeClock, user: int, text: str, *, offset: int) -> IncomingDm:
    sent_at = clock.now() + timedelta(minutes=offset)
    dm = IncomingDm(user, snowflake_at(sent_at) + 1, text, sent_at)
    channel.dms.append(dm)
    return dm


async def test_an_unreadable_history_is_tried_again_with_the_next_live_dm(services: Services, meeting: Meeting, clock):
    channel = PlainChannel(readable=False)
    first = plain_dm(channel, clock, ALICE, "Første live", offset=20)
    await services.dm_intake.take_live(channel, first)
    assert channel.answered == [first.message_id]  # the live DM is taken even so
    channel.readable = True
    missed = plain_dm(channel, clock, ALICE, "Ikke levert live (gateway nede)", offset=25)
    second = plain_dm(channel, clock, ALICE, "Andre live", offset=30)
    await services.dm_intake.take_live(channel, second)
    assert channel.reads == 2  # not marked as caught up after the failed read
    assert channel.answered == [first.message_id, missed.message_id, second.message_id]
    drafts = await services.status.pending_drafts(GUILD, meeting.id)
    assert drafts[0].messages == 3
    await services.dm_intake.take_live(channel, plain_dm(channel, clock, ALICE, "Tredje", offset=40))
    assert channel.reads == 2  # caught up now: live DMs no longer read the history
