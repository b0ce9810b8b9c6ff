"""The sandbox against an unmodified discord.py client (a minimal bot defined here, not council-bot)."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.ext import commands

from bot.sandbox import Attachment, Channel, Guild, Role, SandboxServer, User

TOKEN = "sandbox-test-token"


class Clock:
    """Monotonic time that a test can move forward (to pass the 3-second deadline without waiting)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset


class Counter(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"council:count:(?P<n>\d+)"):
    def __init__(self, n: int) -> None:
        super().__init__(discord.ui.Button(label=str(n), custom_id=f"council:count:{n}"))
        self.n = n

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str], /):  # type: ignore[override]
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        self.n += 1
        self.item.label = str(self.n)
        self.custom_id = f"council:count:{self.n}"
        await interaction.response.edit_message(view=self.view)


class Later(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"council:pick:(?P<n>\d+)"):
    def __init__(self, n: int) -> None:
        options = [discord.SelectOption(label=x, value=x) for x in ("ja", "nei")]
        super().__init__(discord.ui.Select(custom_id=f"council:pick:{n}", options=options))

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str], /):  # type: ignore[override]
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()  # type 6: edit the message later
        await interaction.edit_original_response(content=f"valgt: {', '.join(self.item.values)}", view=None)


class Form(discord.ui.Modal, title="Skriv status"):
    text = discord.ui.TextInput(label="Status", style=discord.TextStyle.paragraph, max_length=4000)
    short = discord.ui.TextInput(label="Kort", required=False, max_length=10, default="forhånd")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"fikk: {self.text.value} / {self.short.value}", ephemeral=True)


class BadForm(discord.ui.Modal, title="For lang etikett"):
    text = discord.ui.TextInput(label="x" * 46)  # discord.py does not check; Discord refuses over 45


class MiniBot(commands.Bot):
    def __init__(self) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.dm_messages = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.1)
        self.inbox: asyncio.Queue[discord.Message] = asyncio.Queue()
        self.errors: asyncio.Queue[int] = asyncio.Queue()
        self.entered = asyncio.Event()
        self.gate = asyncio.Event()

    async def setup_hook(self) -> None:
        self.add_dynamic_items(Counter, Later)
        tree = self.tree

        @tree.command(name="hei", description="Si hei")
        @app_commands.guild_only()
        async def hei(interaction: discord.Interaction, navn: str, antall: app_commands.Range[int, 1, 5] = 1) -> None:
            await interaction.response.send_message(f"hei {navn} x{antall}", ephemeral=True)

        @tree.command(name="sakte", description="Tenker først")
        async def sakte(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.followup.send("ferdig")
            await interaction.followup.send("og en til")

        @tree.command(name="knapp", description="Viser en knapp")
        async def knapp(interaction: discord.Interaction) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(Counter(0))
            await interaction.response.send_message("teller", view=view)

        @tree.command(name="velg", description="Viser en meny")
        async def velg(interaction: discord.Interaction) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(Later(1))
            await interaction.response.send_message("velg en", view=view)

        @tree.command(name="skjema", description="Åpner et skjema")
        async def skjema(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(Form())

        @tree.command(name="darlig", description="Et skjema Discord nekter")
        async def darlig(interaction: discord.Interaction) -> None:
            try:
                await interaction.response.send_modal(BadForm())
            except discord.HTTPException as err:
                await self.errors.put(err.code)

        @tree.command(name="treg", description="Svarer for sent")
        async def treg(interaction: discord.Interaction) -> None:
            self.entered.set()
            await self.gate.wait()
            try:
                await interaction.response.send_message("for sent")
            except discord.NotFound as err:
                await self.errors.put(err.code)

        meeting = app_commands.Group(name="meeting", description="Møter", guild_only=True)
        agenda = app_commands.Group(name="agenda", description="Saksliste", parent=meeting)

        @agenda.command(name="add", description="Legg til")
        async def agenda_add(
            interaction: discord.Interaction,
            who: discord.Member,
            where: discord.TextChannel,
            role: discord.Role,
            file: discord.Attachment,
        ) -> None:
            data = await file.read()
            text = f"{who.display_name} {where.name} {role.name} {file.filename} {data.decode()}"
            await interaction.response.send_message(text)

        @meeting.command(name="open", description="Åpne")
        async def meeting_open(interaction: discord.Interaction, meeting: str) -> None:
            await interaction.response.send_message(f"åpnet {meeting}")

        @meeting_open.autocomplete("meeting")
        async def meeting_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            names = ["desember", "januar", "desember-ekstra"]
            return [app_commands.Choice(name=n, value=n) for n in names if n.startswith(current)]

        tree.add_command(meeting)
        await tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        if not message.author.bot:
            await self.inbox.put(message)


@dataclass
class World:
    server: SandboxServer
    bot: MiniBot
    clock: Clock
    owner: User
    guild: Guild
    channel: Channel
    role: Role


@pytest.fixture
async def world() -> AsyncIterator[World]:
    clock = Clock()
    server = SandboxServer(clock=clock)
    await server.start()
    server.register_bot(TOKEN)
    owner = server.create_user("Sekretær")
    guild = await server.create_guild("Rådet", owner)
    role = await server.create_role(guild, "Sekretariat")
    channel = await server.create_text_channel(guild, "generelt")
    discord.http.Route.BASE = server.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)
    bot = MiniBot()
    task = asyncio.create_task(bot.start(TOKEN))
    await asyncio.wait_for(bot.wait_until_ready(), 10)
    yield World(server, bot, clock, owner, guild, channel, role)
    await bot.close()
    await asyncio.wait_for(task, 10)
    await server.stop()


async def raw(world: World, method: str, path: str, body: Any = None) -> tuple[int, Any, dict[str, str]]:
    """A request straight to the sandbox, to look at what discord.py hides (headers, codes)."""
    headers = {"Authorization": f"Bot {TOKEN}"}
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, world.server.api_base_url + path, json=body, headers=headers) as response,
    ):
        data = await response.json(content_type=None) if response.status != 204 else None
        return response.status, data, dict(response.headers)


def text_channel(world: World) -> discord.TextChannel:
    channel = world.bot.get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_ready_with_guild_cache(world: World):
    bot, server = world.bot, world.server
    assert bot.user is not None and bot.user.bot
    assert bot.application_id == next(iter(server.bots.values())).application_id
    [g] = bot.guilds
    assert (g.id, g.name, g.owner_id) == (world.guild.id, "Rådet", world.owner.id)
    assert g.get_channel(world.channel.id) is not None
    assert {r.name for r in g.roles} == {"@everyone", "Sekretariat"}
    assert g.member_count == 2
    assert {c.name for c in server.commands.values()} == {
        "hei",
        "sakte",
        "knapp",
        "velg",
        "skjema",
        "darlig",
        "treg",
        "meeting",
    }


async def test_events_after_ready_reach_the_cache(world: World):
    bot = world.bot
    channel_created = asyncio.ensure_future(bot.wait_for("guild_channel_create", timeout=5))
    role_created = asyncio.ensure_future(bot.wait_for("guild_role_create", timeout=5))
    new = await world.server.create_text_channel(world.guild, "referater")
    await world.server.create_role(world.guild, "Ny rolle")
    assert (await channel_created).id == new.id
    assert (await role_created).name == "Ny rolle"
    g = bot.get_guild(world.guild.id)
    assert g is not None and "Ny rolle" in {r.name for r in g.roles}


async def test_slash_command_with_ephemeral_reply(world: World):
    server = world.server
    handle = await server.invoke(world.owner, "hei", {"navn": "Åse", "antall": 2}, guild=world.guild, locale="en-US")
    await handle.wait_response()
    assert handle.type == 4
    assert handle.content == "hei Åse x2"
    assert handle.ephemeral
    assert server.messages_in(world.channel) == []  # ephemeral answers are in no channel history
    with pytest.raises(ValueError, match="above 5"):
        await server.invoke(world.owner, "hei", {"navn": "x", "antall": 9}, guild=world.guild)
    with pytest.raises(ValueError, match="missing required"):
        await server.invoke(world.owner, "hei", {}, guild=world.guild)
    with pytest.raises(KeyError, match="usable in DMs"):
        await server.invoke(world.owner, "hei", {"navn": "x"})


async def test_acknowledging_twice_is_refused(world: World):
    handle = await world.server.invoke(world.owner, "hei", {"navn": "x"}, guild=world.guild)
    await handle.wait_response()
    status, body, _ = await raw(world, "POST", f"/interactions/{handle.id}/{handle.token}/callback", {"type": 4})
    assert (status, body["code"]) == (400, 40060)


async def test_answer_after_three_seconds_is_unknown_interaction(world: World):
    bot = world.bot
    await world.server.invoke(world.owner, "treg", guild=world.guild)
    await asyncio.wait_for(bot.entered.wait(), 5)
    world.clock.offset += 3.1
    bot.gate.set()
    assert await asyncio.wait_for(bot.errors.get(), 5) == 10062


async def test_subcommand_group_with_resolved_options(world: World):
    server = world.server
    member = server.create_user("Åse")
    await server.add_member(world.guild, member, nick="Åse N.")
    options = {"who": member, "where": world.channel, "role": world.role, "file": Attachment("sak.txt", b"innhold")}
    handle = await server.invoke(world.owner, "meeting agenda add", options, guild=world.guild)
    await handle.wait_response()
    assert handle.content == "Åse N. generelt Sekretariat sak.txt innhold"
    assert not handle.ephemeral
    [posted] = server.messages_in(world.channel)
    assert posted is handle.message


async def test_autocomplete(world: World):
    choices = await world.server.autocomplete(
        world.owner, "meeting open", "meeting", {"meeting": "des"}, guild=world.guild
    )
    assert [c["value"] for c in choices] == ["desember", "desember-ekstra"]


async def test_autocomplete_of_a_server_command_names_the_server(world: World):
    """Discord puts a server command's ``guild_id`` in the data; discord.py finds the command by it."""
    server_only = discord.Object(world.guild.id)

    @app_commands.command(name="sak", description="Finn en sak")
    async def sak(interaction: discord.Interaction, tittel: str) -> None:
        await interaction.response.send_message(tittel)

    @sak.autocomplete("tittel")
    async def titles(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=n, value=n) for n in ("budsjett", "bemanning") if n.startswith(current)]

    world.bot.tree.add_command(sak, guild=server_only)
    await world.bot.tree.sync(guild=server_only)
    choices = await world.server.autocomplete(world.owner, "sak", "tittel", {"tittel": "bu"}, guild=world.guild)
    assert [c["value"] for c in choices] == ["budsjett"]
    handle = await world.server.invoke(world.owner, "sak", {"tittel": "budsjett"}, guild=world.guild)
    await handle.wait_response()
    assert handle.content == "budsjett"


async def test_defer_then_followup_fills_the_placeholder(world: World):
    handle = await world.server.invoke(world.owner, "sakte", guild=world.guild)
    await handle.wait_done()
    await handle.wait_followups(1)
    assert handle.type == 5
    assert handle.message is not None and handle.message.content == "ferdig"
    assert [m.content for m in handle.followups] == ["og en til"]
    assert handle.content == "ferdig\nog en til"
    assert handle.message.ephemeral  # the defer decided


async def test_persistent_button_in_a_channel(world: World):
    server = world.server
    handle = await server.invoke(world.owner, "knapp", guild=world.guild, channel=world.channel)
    await handle.wait_response()
    [message] = server.messages_in(world.channel)
    assert message.custom_ids() == ["council:count:0"]
    click = await server.click(world.owner, message, "council:count:0")
    await click.wait_response()
    assert click.type == 7
    assert message.custom_ids() == ["council:count:1"]
    assert click.message is message
    with pytest.raises(KeyError):
        await server.click(world.owner, message, "council:count:0")


async def test_select_then_deferred_update_edits_the_message(world: World):
    server = world.server
    handle = await server.invoke(world.owner, "velg", guild=world.guild, channel=world.channel)
    await handle.wait_response()
    [message] = server.messages_in(world.channel)
    picked = await server.click(world.owner, message, "council:pick:1", values=["nei"])
    await picked.wait_response()
    assert picked.type == 6
    await server.wait_for(lambda: message.content == "valgt: nei", what="the edit")
    assert message.components == [] and picked.message is message


async def test_command_and_button_in_a_dm(world: World):
    server = world.server
    handle = await server.invoke(world.owner, "knapp")  # no guild: in the DM with the bot
    await handle.wait_response()
    [message] = server.dms_to(world.owner)
    click = await server.click(world.owner, message, "council:count:0")
    await click.wait_response()
    assert message.custom_ids() == ["council:count:1"]


async def test_modal_submit(world: World):
    server = world.server
    form = await server.invoke(world.owner, "skjema", guild=world.guild)
    await form.wait_response()
    assert form.type == 9 and form.modal is not None
    assert form.modal.title == "Skriv status"
    assert [(f.label, f.max_length, f.required) for f in form.modal.fields] == [
        ("Status", 4000, True),
        ("Kort", 10, False),
    ]
    text_id, short_id = (f.custom_id for f in form.modal.fields)
    assert form.modal.field(short_id).value == "forhånd"
    with pytest.raises(ValueError, match="at most 10"):
        await server.submit_modal(world.owner, form, {text_id: "x", short_id: "x" * 11})
    with pytest.raises(ValueError, match="required"):
        await server.submit_modal(world.owner, form, {short_id: "y"})
    submitted = await server.submit_modal(world.owner, form, {text_id: "nytt"})
    await submitted.wait_response()
    assert submitted.content == "fikk: nytt / forhånd"


async def test_modal_over_discords_limits_is_refused(world: World):
    await world.server.invoke(world.owner, "darlig", guild=world.guild)
    assert await asyncio.wait_for(world.bot.errors.get(), 5) == 50035


async def test_dms_both_ways_with_files(world: World):
    server, bot = world.server, world.bot
    await server.send_dm(world.owner, "hei bot", files=[Attachment("vedlegg.txt", b"data")])
    received = await asyncio.wait_for(bot.inbox.get(), 5)
    assert received.content == "hei bot" and received.guild is None
    assert await received.attachments[0].read() == b"data"
    user = await bot.fetch_user(world.owner.id)
    await user.send("hei tilbake", file=discord.File(io.BytesIO(b"abc"), "svar.txt"))
    await user.send("uten nevning", allowed_mentions=discord.AllowedMentions.none())
    first, second = server.dms_to(world.owner)
    assert first.content == "hei tilbake"
    assert [(a.filename, a.data) for a in first.attachments] == [("svar.txt", b"abc")]
    assert second.allowed_mentions == {"parse": []}
    assert [m.content for m in server.dms_from(world.owner)] == ["hei bot"]


async def test_closed_dms_are_forbidden(world: World):
    server = world.server
    user = await world.bot.fetch_user(world.owner.id)
    server.close_dms(world.owner)
    with pytest.raises(discord.Forbidden) as err:
        await user.send("stengt")
    assert err.value.code == 50007
    server.open_dms(world.owner)
    await user.send("åpen")
    assert [m.content for m in server.dms_to(world.owner)] == ["åpen"]


async def test_message_limits(world: World):
    with pytest.raises(discord.HTTPException) as err:
        await text_channel(world).send("x" * 2001)
    assert (err.value.status, err.value.code) == (400, 50035)
    status, body, _ = await raw(world, "POST", f"/channels/{world.channel.id}/messages", {"content": ""})
    assert (status, body["code"]) == (400, 50006)
    with pytest.raises(discord.HTTPException) as err:
        await text_channel(world).send(embed=discord.Embed(description="x" * 4097))
    assert err.value.code == 50035


async def test_nonce_dedupe(world: World):
    channel = text_channel(world)
    first = await channel.send("en gang", nonce="abc123")  # discord.py sets enforce_nonce with a nonce
    again = await channel.send("en gang", nonce="abc123")
    other = await channel.send("en gang", nonce="def456")
    assert first.id == again.id != other.id
    assert len(world.server.messages_in(world.channel)) == 2


async def test_history_edit_and_delete(world: World):
    channel = text_channel(world)
    sent = [await channel.send(f"m{i}") for i in range(5)]
    assert [m.content async for m in channel.history(limit=3)] == ["m4", "m3", "m2"]
    assert [m.content async for m in channel.history(limit=10, before=sent[2])] == ["m1", "m0"]
    assert [m.content async for m in channel.history(limit=10, after=sent[2], oldest_first=True)] == ["m3", "m4"]
    fetched = await channel.fetch_message(sent[1].id)
    await fetched.edit(content="endret")
    await sent[0].delete()
    assert [m.content for m in world.server.messages_in(world.channel)] == ["endret", "m2", "m3", "m4"]


async def test_global_rate_limit_is_retried(world: World):
    server = world.server
    server.set_rate_limits(global_per_second=4)
    channel = text_channel(world)
    for i in range(6):
        await channel.send(f"melding {i}")
    assert server.stats.rate_limited >= 1
    assert [m.content for m in server.messages_in(world.channel)] == [f"melding {i}" for i in range(6)]


async def test_rate_limit_responses_look_like_discords(world: World):
    server = world.server
    server.set_rate_limits(per_route={"GET /users/@me": (1, 60.0)})
    status, _, headers = await raw(world, "GET", "/users/@me")
    assert status == 200 and headers["X-RateLimit-Remaining"] == "0" and headers["X-RateLimit-Limit"] == "1"
    status, body, headers = await raw(world, "GET", "/users/@me")
    assert status == 429
    assert body["message"] == "You are being rate limited." and body["global"] is False and body["retry_after"] > 0
    assert headers["Via"] == "1.1 google" and "Retry-After" in headers and headers["X-RateLimit-Scope"] == "user"
    assert server.stats.by_route["GET /users/@me"] >= 3  # discord.py's login call too


async def test_per_route_limits_are_respected(world: World):
    server = world.server
    server.set_rate_limits(per_route={"POST /channels/{channel}/messages": (2, 0.3)})
    channel = text_channel(world)
    for i in range(5):
        await channel.send(f"melding {i}")
    assert [m.content for m in server.messages_in(world.channel)] == [f"melding {i}" for i in range(5)]
    assert server.stats.by_route["POST /channels/{channel}/messages"] >= 5


async def test_gateway_drop_resumes_and_replays_missed_events(world: World):
    server, bot = world.server, world.bot
    [session] = server.sessions.values()
    await server.drop_gateway()
    await server.send_dm(world.owner, "mens du var borte")  # kept for the resume
    await server.wait_for(lambda: session.ws is not None, timeout=15, what="the bot to resume")
    assert (await asyncio.wait_for(bot.inbox.get(), 5)).content == "mens du var borte"
    await server.send_dm(world.owner, "etter brudd")
    assert (await asyncio.wait_for(bot.inbox.get(), 5)).content == "etter brudd"
    assert list(server.sessions) == [session.session_id]  # resumed, not a new session
    assert any(frame["t"] == "RESUMED" for _, frame in session.events)


async def test_unknown_route_is_404_and_logged(world: World, caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.WARNING, logger="bot.sandbox.rest"), pytest.raises(discord.NotFound) as err:
        await world.bot.http.request(discord.http.Route("GET", "/nowhere/{x}", x=1))
    assert err.value.code == 0
    assert "GET /api/v10/nowhere/1" in caplog.text


async def test_json_content_type_is_exact(world: World):
    _, _, headers = await raw(world, "GET", "/users/@me")
    assert headers["Content-Type"] == "application/json"
    status, body, _ = await raw(world, "GET", "/guilds/1")
    assert (status, body) == (404, {"message": "Unknown Guild", "code": 10004})
