"""A local Discord-compatible server: enough REST and gateway for the unmodified discord.py client.

The bot is pointed at it through ``[discord] api_base_url`` and ``gateway_url`` (``discord.http.Route.BASE``
and ``DiscordWebSocket.DEFAULT_GATEWAY``). Tests, the demo and the benchmarks then drive the real bot
the way people use Discord: members invoke slash commands, click buttons, submit forms and send DMs
through the *test-side API* (:meth:`SandboxServer.invoke`, :meth:`~SandboxServer.click`,
:meth:`~SandboxServer.submit_modal`, :meth:`~SandboxServer.send_dm`), and read back everything the
bot sent (:meth:`~SandboxServer.dms_to`, :meth:`~SandboxServer.messages_in`). Waiting is done with
:meth:`~SandboxServer.wait_for`, woken by every change in the sandbox: nothing here sleeps.

What it enforces, because Discord does: 2,000 characters per message, no empty messages, embed and
component limits, form (modal) limits, the 3-second deadline for the first interaction response, no
acknowledging twice, DMs closed to the bot (50007), rate limits with Discord's headers (a global
limit and per-route buckets; interaction responses are exempt from the global limit, as on Discord),
scheduled events (permissions and an external event's location and end; see :mod:`bot.sandbox.events`),
message nonces (a repeated ``enforce_nonce`` nonce returns the first message), gateway intents,
guild-only commands and ``default_member_permissions``. On request it also behaves like a server far
away: :meth:`SandboxServer.set_latency` adds a round trip with jitter to every REST request.

Limits: one process, in memory; text channels and DMs only (no threads, voice, reactions, webhooks
other than interaction tokens, permission overwrites or audit log); every registered bot is a member
of every server, and members' interactions go to the first registered bot; members' permissions are
their roles' (no channel overrides); rate-limit buckets are per route template, not per major
parameter; no gateway compression, sharding or presences.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable, Sequence

from aiohttp import web

from bot.sandbox.events import ScheduledEvent
from bot.sandbox.gateway import Gateway, GatewaySession
from bot.sandbox.interactions import (
    InteractionHandle,
)
from bot.sandbox.limits import DiscordError, Latency, Stats
from bot.sandbox.members import MemberActions
from bot.sandbox.rest import INTERACTION_DEADLINE, RestApi
from bot.sandbox.state import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILDS,
    Attachment,
    BotAccount,
    Channel,
    Command,
    Guild,
    Json,
    Member,
    Message,
    Role,
    Snowflakes,
    User,
)

__all__ = ["DiscordError", "InteractionHandle", "SandboxServer", "UploadFile"]

UploadFile = Attachment
"""The older name of :class:`~bot.sandbox.state.Attachment` as a test-side upload."""

EVERYONE_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 31)  # view channels, send messages, use application commands


class SandboxServer:
    """The server. Start it, register a bot, build a server with members, and run the bot against it.

    Args:
        heartbeat_interval_ms: the interval HELLO announces.
        interaction_deadline: seconds the bot has for its first response to an interaction.
        check_option_limits: refuse option values Discord's client would not send (outside ``choices``,
            ``min_value``/``max_value``, ``min_length``/``max_length``). Off lets a test feed the bot
            text it could only get from a misbehaving client.
        clock: monotonic seconds; tests may pass a fake one to move past deadlines without waiting.
        latency: a simulated round trip added to every REST request (default none; see
            :meth:`set_latency`).
    """

    def __init__(
        self,
        *,
        heartbeat_interval_ms: int = 41250,
        interaction_deadline: float = INTERACTION_DEADLINE,
        check_option_limits: bool = True,
        clock: Callable[[], float] = time.monotonic,
        latency: Latency | None = None,
    ) -> None:
        self.ids = Snowflakes()
        self.latency = latency or Latency()
        self.clock = clock
        self.interaction_deadline = interaction_deadline
        self.check_option_limits = check_option_limits
        self.users: dict[int, User] = {}
        self.bots: dict[str, BotAccount] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, list[Message]] = {}
        self.attachments: dict[int, Attachment] = {}
        self.commands: dict[int, Command] = {}
        self.interactions: dict[int, InteractionHandle] = {}
        self.closed_dms: set[int] = set()
        self.unavailable_channels: dict[int, int] = {}
        self.stats = Stats()
        self.gateway = Gateway(self, heartbeat_interval_ms)
        self.rest = RestApi(self)
        # What members do (slash commands, autocomplete, clicks, forms) is the test-side API of the server.
        acts = MemberActions(self)
        self.find_command = acts.find_command
        self.invoke = acts.invoke
        self.autocomplete = acts.autocomplete
        self.click = acts.click
        self.submit_modal = acts.submit_modal
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port = 0

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host:port`` (port 0 picks a free one)."""
        app = web.Application(middlewares=[self.rest.middleware], client_max_size=64 * 1024 * 1024)
        self.rest.install(app)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_route("*", "/{tail:.*}", self.rest.unknown)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        sockets = getattr(site._server, "sockets", None) or []
        self._host, self._port = host, int(sockets[0].getsockname()[1]) if sockets else port

    async def stop(self) -> None:
        """Close every gateway connection and stop listening."""
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """``http://host:port``."""
        return f"http://{self._host}:{self._port}"

    @property
    def api_base_url(self) -> str:
        """What to put in ``[discord] api_base_url`` (``discord.http.Route.BASE``)."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """What to put in ``[discord] gateway_url`` (``DiscordWebSocket.DEFAULT_GATEWAY``)."""
        return f"ws://{self._host}:{self._port}/gateway"

    @property
    def sessions(self) -> dict[str, GatewaySession]:
        """The bots' gateway sessions by session id (a session outlives a dropped connection)."""
        return self.gateway.sessions

    # -- waiting ---------------------------------------------------------------------------------

    async def changed(self) -> None:
        """Wake everyone waiting in :meth:`wait_for` (called on every change in the sandbox)."""
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], bool], *, timeout: float = 5.0, what: str = "a condition") -> None:
        """Wait until ``predicate()`` is true; ``TimeoutError`` naming ``what`` after ``timeout`` seconds.

        The predicate is re-checked on every change in the sandbox (a request, a gateway event, a
        connection), so it should be about the sandbox's state. To wait for something inside the bot,
        use the bot's own signals (``bot.wait_for(...)``, an ``asyncio.Event``).
        """
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(predicate)
        except TimeoutError:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}") from None

    async def wait_changed(self, timeout: float) -> bool:
        """Wait for the next change in the sandbox; False if none came within ``timeout`` seconds."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait()
                return True
        return False

    # -- the world (test-side API) -----------------------------------------------------------------

    def register_bot(self, token: str, name: str = "council-bot") -> BotAccount:
        """Create a bot user and its application, authenticated by ``Authorization: Bot <token>``."""
        user = User(self.ids.next(), name, bot=True)
        self.users[user.id] = user
        account = BotAccount(user, self.ids.next(), token)
        self.bots[token] = account
        for guild in self.guilds.values():
            guild.members[user.id] = Member(user, guild.id)
        return account

    def create_user(self, name: str, *, global_name: str | None = None) -> User:
        """Create a person (not yet in any server)."""
        user = User(self.ids.next(), name, global_name=global_name)
        self.users[user.id] = user
        return user

    async def create_guild(self, name: str, owner: User, *, locale: str = "no") -> Guild:
        """Create a server owned by ``owner`` with an @everyone role; every bot joins (GUILD_CREATE)."""
        guild = Guild(self.ids.next(), name, owner.id, locale=locale)
        guild.roles[guild.id] = Role(guild.id, guild.id, "@everyone", permissions=EVERYONE_PERMISSIONS)
        guild.members[owner.id] = Member(owner, guild.id)
        for bot in self.bots.values():
            guild.members[bot.user.id] = Member(bot.user, guild.id)
        self.guilds[guild.id] = guild
        await self.gateway.dispatch_all("GUILD_CREATE", guild.payload(), INTENT_GUILDS)
        await self.changed()
        return guild

    async def create_role(self, guild: Guild, name: str, permissions: int = 0) -> Role:
        """Add a role to a server (GUILD_ROLE_CREATE)."""
        role = Role(self.ids.next(), guild.id, name, permissions, position=len(guild.roles))
        guild.roles[role.id] = role
        event = {"guild_id": str(guild.id), "role": role.payload()}
        await self.gateway.dispatch_all("GUILD_ROLE_CREATE", event, INTENT_GUILDS)
        await self.changed()
        return role

    async def create_text_channel(self, guild: Guild, name: str) -> Channel:
        """Add a text channel to a server (CHANNEL_CREATE)."""
        channel = Channel(self.ids.next(), name, guild_id=guild.id, position=len(guild.channels))
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        self.messages[channel.id] = []
        await self.gateway.dispatch_all("CHANNEL_CREATE", channel.payload(), INTENT_GUILDS)
        await self.changed()
        return channel

    async def add_member(
        self, guild: Guild, user: User, *, roles: Iterable[Role] = (), nick: str | None = None
    ) -> Member:
        """Make ``user`` a member of ``guild`` (GUILD_MEMBER_ADD, for bots with the members intent)."""
        member = Member(user, guild.id, [r.id for r in roles], nick)
        guild.members[user.id] = member
        event = {**member.payload(), "guild_id": str(guild.id)}
        await self.gateway.dispatch_all("GUILD_MEMBER_ADD", event, INTENT_GUILD_MEMBERS)
        await self.changed()
        return member

    async def add_members(self, guild: Guild, label: str, count: int) -> list[User]:
        """``count`` new members of ``guild`` named ``"<label> 0"``, ``"<label> 1"``, … (for large councils)."""
        users = [self.create_user(f"{label} {i}") for i in range(count)]
        for user in users:
            await self.add_member(guild, user)
        return users

    async def update_member(
        self, guild: Guild, user: User, *, roles: Iterable[Role] | None = None, nick: str | None = ""
    ) -> Member:
        """Change a member's roles and/or nickname (``nick=None`` clears it; ``""`` leaves it)."""
        member = guild.members[user.id]
        if roles is not None:
            member.roles = [r.id for r in roles]
        if nick != "":
            member.nick = nick
        event = {**member.payload(), "guild_id": str(guild.id)}
        await self.gateway.dispatch_all("GUILD_MEMBER_UPDATE", event, INTENT_GUILD_MEMBERS)
        await self.changed()
        return member

    async def set_roles(self, guild: Guild, user: User, roles: Iterable[Role]) -> None:
        """Replace a member's roles (GUILD_MEMBER_UPDATE)."""
        await self.update_member(guild, user, roles=roles)

    async def remove_member(self, guild: Guild, user: User) -> None:
        """``user`` leaves ``guild`` (GUILD_MEMBER_REMOVE)."""
        guild.members.pop(user.id, None)
        event = {"guild_id": str(guild.id), "user": user.payload()}
        await self.gateway.dispatch_all("GUILD_MEMBER_REMOVE", event, INTENT_GUILD_MEMBERS)
        await self.changed()

    def dm_channel(self, user: User | int) -> Channel:
        """The DM channel between the bot and ``user`` (created on first use, fetchable by the bot)."""
        user_id = user if isinstance(user, int) else user.id
        for channel in self.channels.values():
            if channel.recipient is not None and channel.recipient.id == user_id:
                return channel
        channel = Channel(self.ids.next(), "dm", recipient=self.users[user_id])
        self.channels[channel.id] = channel
        self.messages[channel.id] = []
        return channel

    def messages_in(self, channel: Channel | int) -> list[Message]:
        """The messages in a channel, oldest first (deleted and ephemeral ones left out)."""
        channel_id = channel if isinstance(channel, int) else channel.id
        return [m for m in self.messages.get(channel_id, []) if not m.deleted]

    def dms_to(self, user: User | int) -> list[Message]:
        """What the bot has sent to ``user`` by DM (outside interactions too), oldest first."""
        return [m for m in self.messages_in(self.dm_channel(user)) if m.author.bot]

    def dms_from(self, user: User | int) -> list[Message]:
        """What ``user`` has written to the bot by DM, oldest first."""
        return [m for m in self.messages_in(self.dm_channel(user)) if not m.author.bot]

    async def send_dm(self, user: User, content: str = "", *, files: Sequence[Attachment] = ()) -> Message:
        """``user`` writes to the bot in their DM channel (MESSAGE_CREATE, direct-messages intent)."""
        return await self._user_message(user, self.dm_channel(user), content, files)

    async def send_channel_message(
        self, user: User, channel: Channel, content: str = "", *, files: Sequence[Attachment] = ()
    ) -> Message:
        """``user`` writes in a server channel (MESSAGE_CREATE, guild-messages intent)."""
        return await self._user_message(user, channel, content, files)

    async def _user_message(self, user: User, channel: Channel, content: str, files: Sequence[Attachment]) -> Message:
        stored = [self._store_upload(f) for f in files]
        message = Message(self.ids.next(), channel.id, user, content, guild_id=channel.guild_id, attachments=stored)
        self.messages.setdefault(channel.id, []).append(message)
        intent = INTENT_DIRECT_MESSAGES if channel.guild_id is None else INTENT_GUILD_MESSAGES
        await self.gateway.dispatch_all("MESSAGE_CREATE", self.message_payload(message), intent)
        await self.changed()
        return message

    def _store_upload(self, upload: Attachment) -> Attachment:
        stored = Attachment(upload.filename, upload.data, upload.content_type, id=self.ids.next())
        self.attachments[stored.id] = stored
        return stored

    # -- faults --------------------------------------------------------------------------------------

    def scheduled_events(self, guild: Guild | int) -> list[ScheduledEvent]:
        """A server's scheduled events, as the bot left them (test-side)."""
        return self.rest.scheduled_events.in_guild(guild)

    def close_dms(self, user: User | int) -> None:
        """From now on the bot cannot DM this user (403, Discord error 50007)."""
        self.closed_dms.add(user if isinstance(user, int) else user.id)

    def open_dms(self, user: User | int) -> None:
        """Undo :meth:`close_dms`."""
        self.closed_dms.discard(user if isinstance(user, int) else user.id)

    def fail_posts(self, channel: Channel, count: int = 1) -> None:
        """The next ``count`` messages posted to ``channel`` get 503 Service Unavailable (nothing is posted)."""
        self.unavailable_channels[channel.id] = count

    def set_rate_limits(
        self, global_per_second: float | None = None, per_route: dict[str, tuple[int, float]] | None = None
    ) -> None:
        """Enforce a global requests-per-second cap and per-route buckets; ``None``/``{}`` lifts them.

        ``per_route`` maps ``"POST /channels/{channel}/messages"`` to ``(requests, per_seconds)``.
        Successful responses announce the bucket in ``X-RateLimit-*`` headers (so discord.py waits
        before it runs out); the global limit is not announced, so it shows as 429s discord.py retries.
        """
        self.rest.limiter.configure(global_per_second, per_route)

    def set_latency(self, round_trip_ms: float = 0.0, jitter_ms: float = 0.0) -> None:
        """Add a round trip of ``round_trip_ms`` (± ``jitter_ms``/2 per half) to every REST request; 0 removes it.

        Half passes before the request counts against the rate limits, half before the response
        leaves, so windows are counted when requests arrive, as Discord does.
        """
        self.latency = Latency(round_trip_ms / 1000, jitter_ms / 1000)

    async def drop_gateway(self) -> None:
        """Close every bot's websocket abruptly (code 4000), so discord.py reconnects and resumes."""
        await self.gateway.drop()
        await self.changed()

    # -- internals ------------------------------------------------------------------------------------

    def message_payload(self, message: Message) -> Json:
        """The message object as the API returns it (with ``member`` for server messages by people)."""
        data = message.payload(self.base_url)
        guild = self.guilds.get(message.guild_id) if message.guild_id is not None else None
        member = guild.members.get(message.author.id) if guild is not None else None
        if member is not None:
            data["member"] = member.payload(with_user=False)
        if message.interaction_id is not None:
            handle = self.interactions.get(message.interaction_id)
            if handle is not None:
                data["webhook_id"] = handle.payload["application_id"]
                data["application_id"] = handle.payload["application_id"]
        return data

    def bot_for(self, handle: InteractionHandle) -> BotAccount:
        """The bot an interaction was sent to."""
        app = int(handle.payload["application_id"])
        return next(b for b in self.bots.values() if b.application_id == app)

    def interaction_by_token(self, token: str) -> InteractionHandle | None:
        """The interaction whose token this is."""
        return next((h for h in self.interactions.values() if h.token == token), None)
