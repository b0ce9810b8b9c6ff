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
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from aiohttp import web

from bot.sandbox.events import ScheduledEvent
from bot.sandbox.gateway import Gateway, GatewaySession
from bot.sandbox.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionHandle,
)
from bot.sandbox.limits import DiscordError, Latency, Stats
from bot.sandbox.rest import INTERACTION_DEADLINE, RestApi
from bot.sandbox.state import (
    ALL_PERMISSIONS,
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

SUBCOMMAND, SUBCOMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11
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

    # -- slash commands ---------------------------------------------------------------------------

    def find_command(self, path: str, guild: Guild | None = None) -> tuple[Command, list[Json], list[str]]:
        """The command for ``"meeting create"``: the command, its leaf options' schema, and the path's parts.

        Guild commands of ``guild`` shadow global ones; without a guild (a DM), only global commands
        allowed in DMs are found.
        """
        parts = path.split()
        if not parts:
            raise KeyError("an empty command path")
        matching = [c for c in self.commands.values() if c.name == parts[0] and c.data.get("type", 1) == 1]
        if guild is None:
            candidates = [c for c in matching if c.allowed_in_dms]
        else:
            candidates = sorted(
                (c for c in matching if c.guild_id in (None, guild.id)), key=lambda c: c.guild_id is None
            )
        if not candidates:
            where = f"in {guild.name}" if guild else "in DMs"
            raise KeyError(f"the bot registered no command /{parts[0]} usable {where}")
        command = candidates[0]
        _, options = _walk(command, parts, path)
        return command, options, parts

    async def invoke(
        self,
        user: User,
        path: str,
        options: dict[str, Any] | None = None,
        *,
        guild: Guild | None = None,
        channel: Channel | None = None,
        locale: str = "nb",
    ) -> InteractionHandle:
        """``user`` runs the slash command ``path`` (``"meeting create"``) with ``options`` by name.

        Option values are Python values: ``str``/``int``/``float``/``bool``, a :class:`User`,
        :class:`Channel` or :class:`Role` (or their ids), an :class:`Attachment` for a file. Without
        ``guild`` the command is run in the member's DM with the bot. ``channel`` defaults to the
        server's first text channel. Raises ``KeyError``/``ValueError``/``PermissionError`` for what
        Discord's client would not let the member do (unknown option, missing required option, a
        value outside the choices or bounds, missing ``default_member_permissions``).
        """
        command, schema, parts = self.find_command(path, guild)
        chain, _ = _walk(command, parts, path)
        self._check_permission(command, user, guild, path)
        resolved: Json = {}
        built = self._build_options(schema, options or {}, resolved, guild, require=True)
        data: Json = {
            "id": str(command.id),
            "name": command.name,
            "type": 1,
            "options": _wrap(chain, built),
        }
        if resolved:
            data["resolved"] = resolved
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        return await self._interaction(APPLICATION_COMMAND, user, data, guild=guild, channel=channel, locale=locale)

    async def autocomplete(
        self,
        user: User,
        path: str,
        focused: str,
        options: dict[str, Any] | None = None,
        *,
        guild: Guild | None = None,
        channel: Channel | None = None,
        locale: str = "nb",
        timeout: float = 5.0,
    ) -> list[Json]:
        """``user`` types in option ``focused`` of ``path``; returns the choices the bot suggested."""
        command, schema, parts = self.find_command(path, guild)
        chain, _ = _walk(command, parts, path)
        known = {o["name"]: o for o in schema}
        if focused not in known or not known[focused].get("autocomplete"):
            raise KeyError(f"/{path}: option {focused!r} has no autocomplete")
        typed = dict(options or {})
        typed.setdefault(focused, "")
        built = self._build_options(schema, typed, {}, guild, require=False, validate=False)
        for option in built:
            if option["name"] == focused:
                option["focused"] = True
                option["value"] = str(typed[focused])  # what the member typed so far, always text
        data: Json = {"id": str(command.id), "name": command.name, "type": 1, "options": _wrap(chain, built)}
        handle = await self._interaction(AUTOCOMPLETE, user, data, guild=guild, channel=channel, locale=locale)
        await self.wait_for(lambda: handle.choices is not None, timeout=timeout, what=f"choices for /{path}")
        return handle.choices or []

    def _check_permission(self, command: Command, user: User, guild: Guild | None, path: str) -> None:
        required = command.data.get("default_member_permissions")
        if guild is None or required is None:
            return
        if guild.permissions_of(user.id) & int(required) != int(required):
            raise PermissionError(f"{user.name} lacks the permissions /{path} requires ({required})")

    def _build_options(
        self,
        schema: list[Json],
        given: dict[str, Any],
        resolved: Json,
        guild: Guild | None,
        *,
        require: bool,
        validate: bool = True,
    ) -> list[Json]:
        known = {o["name"]: o for o in schema}
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in given]
        if require and missing:
            raise ValueError(f"missing required option(s) {missing}")
        built: list[Json] = []
        for name, value in given.items():
            option = known.get(name)
            if option is None:
                raise KeyError(f"no option {name!r}; the command has {sorted(known)}")
            kind = int(option["type"])
            wire = self._option_value(kind, value, resolved, guild)
            if validate and self.check_option_limits:
                _check_option(option, wire)
            built.append({"name": name, "type": kind, "value": wire})
        return built

    def _option_value(self, kind: int, value: Any, resolved: Json, guild: Guild | None) -> Any:
        if kind == MENTIONABLE:
            kind = ROLE if isinstance(value, Role) or (guild and _id(value) in guild.roles) else USER
        if kind == USER:
            user = self.users[_id(value)]
            resolved.setdefault("users", {})[str(user.id)] = user.payload()
            if guild is not None and user.id in guild.members:
                member = guild.members[user.id].payload(with_user=False, permissions=guild.permissions_of(user.id))
                resolved.setdefault("members", {})[str(user.id)] = member
            return str(user.id)
        if kind == CHANNEL:
            channel = self.channels[_id(value)]
            resolved.setdefault("channels", {})[str(channel.id)] = {
                **channel.payload(),
                "permissions": str(ALL_PERMISSIONS),
            }
            return str(channel.id)
        if kind == ROLE:
            if guild is None:
                raise ValueError("role options need a server")
            role = guild.roles[_id(value)]
            resolved.setdefault("roles", {})[str(role.id)] = role.payload()
            return str(role.id)
        if kind == ATTACHMENT:
            upload = value if isinstance(value, Attachment) else Attachment("file.bin", bytes(value))
            stored = self._store_upload(upload)
            resolved.setdefault("attachments", {})[str(stored.id)] = stored.payload(self.base_url)
            return str(stored.id)
        if kind == INTEGER:
            return int(value)
        if kind == NUMBER:
            return float(value)
        if kind == BOOLEAN:
            return bool(value)
        return str(value)

    # -- components and forms ---------------------------------------------------------------------

    async def click(
        self,
        user: User,
        message: Message,
        custom_id: str,
        *,
        values: Sequence[str] | None = None,
        locale: str = "nb",
    ) -> InteractionHandle:
        """``user`` clicks the button ``custom_id`` on ``message`` (or picks ``values`` in that select menu)."""
        component = _find_component(message.components, custom_id)
        if component is None:
            raise KeyError(f"message {message.id} has no component {custom_id!r}: {message.custom_ids()}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled")
        kind = int(component.get("type", 2))
        data: Json = {"custom_id": custom_id, "component_type": kind}
        if kind != 2:
            data["values"] = list(values or [])
        channel = self.channels[message.channel_id]
        guild = self.guilds.get(channel.guild_id) if channel.guild_id is not None else None
        payload = self.message_payload(message)
        return await self._interaction(
            MESSAGE_COMPONENT, user, data, guild=guild, channel=channel, locale=locale, message=payload
        )

    async def submit_modal(
        self, user: User, opened_by: InteractionHandle, values: dict[str, str], *, locale: str = "nb"
    ) -> InteractionHandle:
        """``user`` fills in and submits the form the bot opened in answer to ``opened_by``.

        ``values`` maps each text input's custom id to its text; fields left out submit their
        pre-filled value. Raises ``ValueError`` for what the form would not accept (too long, too
        short, a required field empty) and ``KeyError`` for a field the form does not have.
        """
        modal = opened_by.modal
        if modal is None:
            raise ValueError("the bot did not open a form for that interaction")
        for key in values:
            modal.field(key)
        filled: dict[str, str] = {}
        for item in modal.fields:
            value = values.get(item.custom_id, item.value)
            if len(value) > item.max_length:
                raise ValueError(f"{item.custom_id}: at most {item.max_length} characters")
            if value and len(value) < item.min_length:
                raise ValueError(f"{item.custom_id}: at least {item.min_length} characters")
            if item.required and not value:
                raise ValueError(f"{item.custom_id} is required")
            filled[item.custom_id] = value
        data: Json = {"custom_id": modal.custom_id, "components": _fill(modal.raw.get("components") or [], filled)}
        source = opened_by.payload
        guild = self.guilds.get(int(source["guild_id"])) if source.get("guild_id") else None
        channel = self.channels.get(int(source["channel_id"]))
        return await self._interaction(
            MODAL_SUBMIT, user, data, guild=guild, channel=channel, locale=locale, message=source.get("message")
        )

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

    def _command_bot(self) -> BotAccount:
        if not self.bots:
            raise RuntimeError("register a bot first")
        return next(iter(self.bots.values()))

    async def _interaction(
        self,
        kind: int,
        user: User,
        data: Json,
        *,
        guild: Guild | None,
        channel: Channel | None,
        locale: str,
        message: Json | None = None,
    ) -> InteractionHandle:
        bot = self._command_bot()
        if channel is None:
            if guild is None:
                channel = self.dm_channel(user)
            elif guild.channels:
                channel = next(iter(guild.channels.values()))
            else:
                raise ValueError(f"{guild.name} has no channel to run the command in")
        interaction_id = self.ids.next()
        token = secrets.token_urlsafe(24)
        payload: Json = {
            "id": str(interaction_id),
            "application_id": str(bot.application_id),
            "type": kind,
            "data": data,
            "channel_id": str(channel.id),
            "channel": channel.payload(),
            "token": token,
            "version": 1,
            "locale": locale,
            "app_permissions": str(ALL_PERMISSIONS),
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "authorizing_integration_owners": {"0": str(guild.id)} if guild else {"1": str(user.id)},
            "context": 0 if guild else 1,
        }
        if guild is not None:
            member = guild.members.get(user.id)
            if member is None:
                raise KeyError(f"{user.name} is not a member of {guild.name}")
            payload["guild_id"] = str(guild.id)
            payload["guild_locale"] = guild.locale
            payload["guild"] = {"id": str(guild.id), "locale": guild.locale, "features": []}
            payload["member"] = member.payload(permissions=guild.permissions_of(user.id))
        else:
            payload["user"] = user.payload()
        if message is not None:
            payload["message"] = message
        handle = InteractionHandle(self, interaction_id, token, kind, user, payload, created=self.clock())
        self.interactions[interaction_id] = handle
        await self.gateway.dispatch(bot, "INTERACTION_CREATE", payload)
        await self.changed()
        return handle


def _id(value: Any) -> int:
    return int(value.id) if hasattr(value, "id") else int(value)


def _walk(command: Command, parts: list[str], path: str) -> tuple[list[tuple[str, int]], list[Json]]:
    """The (name, type) chain of subcommand groups and subcommands in ``parts``, and the leaf options."""
    chain: list[tuple[str, int]] = []
    options: list[Json] = command.data.get("options") or []
    for part in parts[1:]:
        sub = next((o for o in options if o["name"] == part and o["type"] in (SUBCOMMAND, SUBCOMMAND_GROUP)), None)
        if sub is None:
            raise KeyError(f"/{path}: no subcommand {part!r}")
        chain.append((part, int(sub["type"])))
        options = sub.get("options") or []
    subs = [o["name"] for o in options if o["type"] in (SUBCOMMAND, SUBCOMMAND_GROUP)]
    if subs:
        raise KeyError(f"/{path} needs a subcommand: {subs}")
    return chain, options


def _wrap(chain: list[tuple[str, int]], leaf: list[Json]) -> list[Json]:
    for name, kind in reversed(chain):
        leaf = [{"name": name, "type": kind, "options": leaf}]
    return leaf


def _check_option(option: Json, value: Any) -> None:
    name = option["name"]
    choices = option.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise ValueError(f"{name}: {value!r} is not one of the choices {[c['value'] for c in choices]}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if option.get("min_value") is not None and value < option["min_value"]:
            raise ValueError(f"{name}: {value} is below {option['min_value']}")
        if option.get("max_value") is not None and value > option["max_value"]:
            raise ValueError(f"{name}: {value} is above {option['max_value']}")
    if option["type"] == STRING:
        if option.get("max_length") is not None and len(value) > option["max_length"]:
            raise ValueError(f"{name}: longer than {option['max_length']} characters")
        if option.get("min_length") is not None and len(value) < option["min_length"]:
            raise ValueError(f"{name}: shorter than {option['min_length']} characters")
        if len(value) > 6000:
            raise ValueError(f"{name}: Discord's client sends at most 6000 characters")


def _find_component(items: list[Json], custom_id: str) -> Json | None:
    for item in items:
        if item.get("custom_id") == custom_id:
            return item
        nested = list(item.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(item.get(key), dict):
                nested.append(item[key])
        found = _find_component(nested, custom_id)
        if found is not None:
            return found
    return None


def _fill(items: list[Json], values: dict[str, str]) -> list[Json]:
    """The submitted components of a form: its layout with each text input's value."""
    out: list[Json] = []
    for item in items:
        if item.get("type") == 4:
            out.append({"type": 4, "custom_id": item["custom_id"], "value": values.get(item["custom_id"], "")})
        elif isinstance(item.get("component"), dict):
            out.append({"type": item.get("type", 18), "component": _fill([item["component"]], values)[0]})
        elif "components" in item:
            out.append({"type": item.get("type", 1), "components": _fill(item["components"], values)})
    return out
