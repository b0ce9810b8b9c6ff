"""The sandbox against an unmodified discord.py client (a minimal bot defined here, not council-bot)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest
import yarl
from discord import app_commands
from discord.ext import commands

from bot.sandbox import SandboxServer

TOKEN = "sandbox-test-token"


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


class Form(discord.ui.Modal, title="Skriv status"):
    text = discord.ui.TextInput(label="Status", style=discord.TextStyle.paragraph, max_length=4000)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"fikk: {self.text.value}", ephemeral=True)


class MiniBot(commands.Bot):
    def __init__(self) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.dm_messages = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.1)
        self.dms: list[str] = []

    async def setup_hook(self) -> None:
        self.add_dynamic_items(Counter)

        @self.tree.command(name="hei", description="Si hei")
        @app_commands.describe(navn="Hvem")
        async def hei(interaction: discord.Interaction, navn: str, antall: int = 1) -> None:
            await interaction.response.send_message(f"hei {navn} x{antall}", ephemeral=True)

        @self.tree.command(name="sakte", description="Tenker først")
        async def sakte(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.followup.send("ferdig")
            await interaction.followup.send("og en til")

        @self.tree.command(name="knapp", description="Viser en knapp")
        async def knapp(interaction: discord.Interaction) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(Counter(0))
            await interaction.response.send_message("teller", view=view)

        @self.tree.command(name="skjema", description="Åpner et skjema")
        async def skjema(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(Form())

        await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None and not message.author.bot:
            self.dms.append(message.content)


@pytest.fixture
async def world() -> AsyncIterator[tuple[SandboxServer, MiniBot, Any]]:
    server = SandboxServer()
    await server.start()
    server.register_bot(TOKEN)
    owner = server.create_user("Sekretær")
    guild = await server.create_guild("Rådet", owner)
    channel = await server.create_text_channel(guild, "generelt")
    discord.http.Route.BASE = server.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)
    bot = MiniBot()
    task = asyncio.create_task(bot.start(TOKEN))
    await asyncio.wait_for(bot.wait_until_ready(), 10)
    yield server, bot, (owner, guild, channel)
    await bot.close()
    await asyncio.wait_for(task, 10)
    await server.stop()


async def test_ready_with_guild_cache(world):
    server, bot, (owner, guild, channel) = world
    assert bot.user is not None
    [g] = bot.guilds
    assert g.id == guild.id
    assert g.get_channel(channel.id) is not None
    assert g.owner_id == owner.id
    assert {c["name"] for c in (c.data for c in server.commands.values())} == {"hei", "sakte", "knapp", "skjema"}


async def test_slash_command_with_ephemeral_reply(world):
    server, _, (owner, guild, _) = world
    handle = await server.invoke(owner, "hei", {"navn": "Åse", "antall": 2}, guild=guild)
    await handle.wait_done()
    assert handle.content == "hei Åse x2"
    assert handle.ephemeral


async def test_defer_then_followups(world):
    server, _, (owner, guild, _) = world
    handle = await server.invoke(owner, "sakte", guild=guild)
    await handle.wait_done()
    await handle.wait_followups(1)
    assert [m.content for m in handle.messages] == ["ferdig", "og en til"]


async def test_persistent_button_and_modal(world):
    server, _, (owner, guild, channel) = world
    handle = await server.invoke(owner, "knapp", guild=guild, channel=channel)
    await handle.wait_done()
    [message] = server.messages_in(channel)
    click = await server.click(owner, message, "council:count:0")
    await click.wait_response()
    assert message.custom_ids() == ["council:count:1"]
    form = await server.invoke(owner, "skjema", guild=guild)
    await form.wait_response()
    assert form.modal is not None
    submitted = await server.submit_modal(
        owner, form, {form.modal["components"][0]["components"][0]["custom_id"]: "nytt"}
    )
    await submitted.wait_done()
    assert submitted.content == "fikk: nytt"


async def test_dms_both_ways_and_closed_dms(world):
    server, bot, (owner, _, _) = world
    await server.send_dm(owner, "hei bot")
    await server.wait_for(lambda: bot.dms == ["hei bot"])
    user = await bot.fetch_user(owner.id)
    await user.send("hei tilbake")
    assert [m.content for m in server.dms_to(owner)] == ["hei tilbake"]
    server.close_dms(owner)
    with pytest.raises(discord.Forbidden) as err:
        await user.send("stengt")
    assert err.value.code == 50007


async def test_limits_nonce_and_unknown_route(world):
    server, bot, (_, _, channel) = world
    text_channel = bot.get_channel(channel.id)
    assert isinstance(text_channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as err:
        await text_channel.send("x" * 2001)
    assert err.value.status == 400
    first = await text_channel.send("en gang", nonce="abc123")
    again = await text_channel.send("en gang", nonce="abc123")
    assert first.id == again.id
    assert len(server.messages_in(channel)) == 1
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/nowhere/{x}", x=1))


async def test_rate_limit_is_retried(world):
    server, bot, (_, _, channel) = world
    text_channel = bot.get_channel(channel.id)
    assert isinstance(text_channel, discord.TextChannel)
    server.set_rate_limits(per_route={"POST /api/v10/channels/{channel}/messages": (2, 0.5)})
    for i in range(5):
        await text_channel.send(f"melding {i}")
    assert server.stats.rate_limited >= 1
    assert [m.content for m in server.messages_in(channel)] == [f"melding {i}" for i in range(5)]


async def test_gateway_drop_resumes(world):
    server, bot, (owner, _, _) = world
    session = next(iter(server.sessions.values()))
    await server.drop_gateway()
    await server.wait_for(lambda: session.ws is not None, timeout=15, what="the bot to reconnect")
    await server.send_dm(owner, "etter brudd")
    await server.wait_for(lambda: "etter brudd" in bot.dms, timeout=5)
    assert len(server.sessions) == 1  # resumed, not a new session
