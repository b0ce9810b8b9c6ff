"""A council on the sandbox: the sandbox server, the real :class:`~bot.runtime.client.CouncilBot`, and people.

Shared by the end-to-end tests, ``council-bot demo`` and the benchmarks, so all three drive the bot
the same way members and the secretary do.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.config import Config, DatabaseConfig, DiscordConfig, OutboxConfig, RemindersConfig
from bot.domain.clock import Clock
from bot.runtime.client import CouncilBot
from bot.sandbox.events import MANAGE_EVENTS
from bot.sandbox.server import InteractionHandle, SandboxServer
from bot.sandbox.state import MANAGE_GUILD, Channel, Guild, Message, Role, User

TOKEN = "council-bot-sandbox-token"  # noqa: S105 - a token for the local sandbox only


def sandbox_config(server: SandboxServer, database: Path, base: Config | None = None) -> Config:
    """A configuration that points the bot at ``server`` and a database file.

    The scheduler runs rarely on its own: tests and the demo move a fake clock and call
    ``bot.scheduler.run_once()`` instead of waiting.
    """
    base = base or Config()
    return replace(
        base,
        discord=DiscordConfig(
            api_base_url=server.api_base_url, gateway_url=server.gateway_url, guild_ready_timeout=0.05
        ),
        database=DatabaseConfig(path=database),
        reminders=replace(base.reminders or RemindersConfig(), scheduler_interval_seconds=3600.0),
        outbox=replace(base.outbox or OutboxConfig(), idle_poll_seconds=0.5),
    )


@dataclass
class Council:
    """A server set up for a council: its people, roles and channels."""

    guild: Guild
    owner: User
    secretary: User
    secretary_role: Role
    minutes_channel: Channel
    secretary_channel: Channel
    general: Channel
    people: dict[str, User] = field(default_factory=dict)
    bot_role: Role | None = None
    """The bot's role: Manage Events, as the README's invite link grants (tests may take it away)."""


class Harness:
    """Runs the sandbox and the real bot, and acts as the council's people.

    Args:
        database: the SQLite file the bot uses (kept across restarts).
        clock: the bot's clock (a :class:`~bot.domain.clock.FakeClock` in tests and the demo).
        config: optional base configuration (limits, reminder offsets…).
    """

    def __init__(self, database: Path, clock: Clock | None = None, config: Config | None = None) -> None:
        # Option limits off: the hardening tests feed over-long text on purpose (tests/hardening, WEIRD).
        self.server = SandboxServer()
        self.database = database
        self.clock = clock
        self.base_config = config
        self.bot: CouncilBot | None = None
        self._task: asyncio.Task[None] | None = None
        self.config: Config | None = None

    async def __aenter__(self) -> Harness:
        await self.server.start()
        self.server.register_bot(TOKEN)
        self.config = sandbox_config(self.server, self.database, self.base_config)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop_bot()
        await self.server.stop()

    # -- the bot ---------------------------------------------------------------------------------

    async def start_bot(self, timeout: float = 20.0) -> CouncilBot:
        """Start the bot (as ``council-bot run`` does) and wait until it is ready and serving."""
        assert self.config is not None  # noqa: S101 - used inside ``async with``
        bot = CouncilBot(self.config, clock=self.clock)
        self.bot = bot
        self._task = asyncio.create_task(bot.start(TOKEN))
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait({ready, self._task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if self._task in done:
            ready.cancel()
            self._task.result()  # raises what stopped the bot
        if ready not in done:
            ready.cancel()
            raise TimeoutError("the bot did not become ready")
        return bot

    async def stop_bot(self) -> None:
        """Stop the bot cleanly (as on SIGTERM)."""
        if self.bot is not None:
            await self.bot.close()
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._task, 10)
        self.bot, self._task = None, None

    async def restart_bot(self) -> CouncilBot:
        """Stop and start the bot on the same database."""
        await self.stop_bot()
        return await self.start_bot()

    # -- the server and its people ---------------------------------------------------------------

    async def create_council_server(self, name: str = "Ekspertrådet", secretary_name: str = "Sekretær") -> Council:
        """A server with a secretary (holding the secretary role), the two council channels and #generelt."""
        secretary = self.server.create_user(secretary_name)
        owner = self.server.create_user(f"Eier av {name}")
        guild = await self.server.create_guild(name, owner)
        role = await self.server.create_role(guild, "Sekretær")
        await self.server.add_member(guild, secretary, roles=[role])
        general = await self.server.create_text_channel(guild, "generelt")
        minutes = await self.server.create_text_channel(guild, "referater")
        secretary_channel = await self.server.create_text_channel(guild, "sekretariat")
        bot_role = await self.server.create_role(guild, "council-bot", MANAGE_EVENTS)
        for account in self.server.bots.values():
            await self.server.set_roles(guild, account.user, [bot_role])
        return Council(guild, owner, secretary, role, minutes, secretary_channel, general, bot_role=bot_role)

    async def set_up_council(self, *, language: str = "nb") -> Council:
        """A new server whose owner has run ``/council setup`` (see :meth:`create_council_server`, :meth:`setup`)."""
        council = await self.create_council_server()
        await self.setup(council, language=language)
        return council

    async def person(self, council: Council, name: str) -> User:
        """A member of the council's server (no special roles)."""
        user = self.server.create_user(name)
        await self.server.add_member(council.guild, user)
        council.people[name] = user
        return user

    async def seat(
        self, council: Council, orgs: Mapping[str, str], seats: Mapping[str, tuple[str, str, str]]
    ) -> dict[str, User]:
        """New members, the organisations (short → name) added, and each member seated by the secretary.

        ``seats`` maps a key to ``(name, org short, role)``; returns the members by key.
        """
        people = {key: await self.person(council, name) for key, (name, _, _) in seats.items()}
        for short, name in orgs.items():
            await self.run(council.secretary, council, "org add", name=name, short=short)
        for key, (_, org, role) in seats.items():
            await self.run(council.secretary, council, "member assign", org=org, role=role, user=people[key])
        return people

    async def admin(self, council: Council, name: str) -> User:
        """A member with Manage Server (also allowed to run secretary commands)."""
        role = await self.server.create_role(council.guild, f"Admin {name}", MANAGE_GUILD)
        user = self.server.create_user(name)
        await self.server.add_member(council.guild, user, roles=[role])
        return user

    async def run(self, who: User, council: Council, path: str, /, **options: Any) -> InteractionHandle:
        """``who`` runs a slash command in the council's server; returns once the answer is final."""
        handle = await self.server.invoke(who, path, options, guild=council.guild, channel=council.general)
        return await handle.wait_done(10.0)

    async def setup(self, council: Council, *, language: str = "nb", name: str = "Ekspertråd NKROP") -> None:
        """The server's owner (Manage Server) runs ``/council setup``, naming the secretary role."""
        handle = await self.run(
            council.owner,
            council,
            "council setup",
            name=name,
            convener="Morten A. Brodahl – NKROP",
            minutes_channel=council.minutes_channel,
            secretary_channel=council.secretary_channel,
            secretary_role=council.secretary_role,
            language=language,
            timezone="Europe/Oslo",
        )
        if "✅" not in handle.content:
            raise RuntimeError(f"/council setup failed: {handle.content}")

    async def wait_dms(self, user: User, count: int, timeout: float = 10.0) -> list[Message]:
        """Wait until the bot has sent ``user`` at least ``count`` DMs; return them all."""
        await self.server.wait_for(
            lambda: len(self.server.dms_to(user)) >= count, timeout=timeout, what=f"{count} DM(s) to {user.name}"
        )
        return self.server.dms_to(user)

    def dms_with_buttons(self, user: User, prefix: str) -> list[Message]:
        """The DMs to ``user`` carrying a component whose custom id starts with ``prefix``."""
        return [m for m in self.server.dms_to(user) if any(c.startswith(prefix) for c in m.custom_ids())]

    async def latest_dm_with(self, user: User, prefix: str, count: int = 1) -> Message:
        """Wait for at least ``count`` DMs to ``user`` with a ``prefix`` component; return the latest."""
        await self.server.wait_for(
            lambda: len(self.dms_with_buttons(user, prefix)) >= count,
            what=f"{count} DM(s) to {user.name} with {prefix}",
        )
        return self.dms_with_buttons(user, prefix)[-1]

    async def press(self, user: User, message: Message, suffix: str) -> InteractionHandle:
        """``user`` clicks the component of ``message`` whose custom id ends with ``suffix``; returns when answered."""
        handle = await self.server.click(user, message, next(c for c in message.custom_ids() if c.endswith(suffix)))
        return await handle.wait_done()

    async def wait_channel(self, channel: Channel, count: int, timeout: float = 10.0) -> list[Message]:
        """Wait until ``channel`` holds at least ``count`` messages from the bot."""

        def from_bot() -> list[Message]:
            return [m for m in self.server.messages_in(channel) if m.author.bot]

        await self.server.wait_for(
            lambda: len(from_bot()) >= count, timeout=timeout, what=f"{count} in #{channel.name}"
        )
        return from_bot()

    async def outbox_drained(self, timeout: float = 15.0) -> None:
        """Wait until the bot owes nothing more (every outbox row sent or given up)."""
        bot = self.bot
        assert bot is not None  # noqa: S101

        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            owed = await bot.services.outbox.owed()
            if owed == 0:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{owed} outbox rows still owed after {timeout}s")
            bot.outbox_worker.wake()
            # The rows live in the bot's database, which the sandbox cannot watch: look again after the
            # next request the bot makes, or after a short while if it makes none.
            await self.server.wait_changed(0.05)
