"""A local Discord-compatible server: enough REST and gateway for the unmodified discord.py client.

The bot is pointed at it through ``[discord] api_base_url`` and ``gateway_url``. Tests, the demo and
the benchmarks then drive the real bot the way people use Discord: members invoke slash commands,
click buttons, submit forms and send DMs through the *test-side API* (``invoke``, ``click``,
``submit_modal``, ``send_dm``), and read back everything the bot sent (``dms_to``, ``messages_in``).

What it enforces, because Discord does: 2,000 characters per message, no empty messages, the
3-second deadline for the first interaction response, no acknowledging twice, DM closed to the bot
(error 50007), rate limits with Discord's headers (a global limit and per-route buckets), and
message nonces (a repeated ``enforce_nonce`` nonce returns the first message instead of a copy).
Unknown routes answer 404 and are logged, so a missing piece shows at once.

Limits: one process, in memory, text channels and DMs only, no threads, voice, reactions or
permissions overwrites; every registered bot is a member of every server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

from bot.sandbox.state import (
    EPHEMERAL,
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
    iso_now,
)

log = logging.getLogger(__name__)

INTERACTION_DEADLINE = 3.0
NONCE_WINDOW = 300.0
MESSAGE_LIMIT = 2000

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class DiscordError(Exception):
    """An error answered the way Discord answers it."""

    def __init__(self, status: int, code: int, message: str, errors: Json | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON response whose Content-Type is exactly ``application/json``, as discord.py requires."""
    response = web.Response(body=json.dumps(data).encode(), status=status, headers=headers or {})
    response.headers["Content-Type"] = "application/json"
    return response


def _too_long(field_name: str) -> DiscordError:
    errors = {
        field_name: {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]}
    }
    return DiscordError(400, 50035, "Invalid Form Body", errors)


@dataclass
class UploadFile:
    """A file a member attaches to a slash command option."""

    filename: str
    data: bytes
    content_type: str = "text/csv"


@dataclass
class RateLimits:
    """Discord-like rate limits: a global requests-per-second cap and per-route buckets."""

    global_per_second: float | None = None
    per_route: dict[str, tuple[int, float]] = field(default_factory=dict)


@dataclass
class Stats:
    """Counters for benchmarks and tests."""

    requests: int = 0
    rate_limited: int = 0
    by_route: dict[str, int] = field(default_factory=dict)


@dataclass
class GatewaySession:
    """One bot's gateway session; survives a dropped connection so it can be resumed."""

    session_id: str
    bot: BotAccount
    intents: int
    seq: int = 0
    events: deque[tuple[int, Json]] = field(default_factory=lambda: deque(maxlen=5000))
    ws: web.WebSocketResponse | None = None


class InteractionHandle:
    """One interaction a member started, and everything the bot answered to it."""

    def __init__(
        self, server: SandboxServer, interaction_id: int, token: str, kind: int, user: User, payload: Json
    ) -> None:
        self.server = server
        self.id = interaction_id
        self.token = token
        self.kind = kind
        self.user = user
        self.payload = payload
        self.created = time.monotonic()
        self.response_type: int | None = None
        self.original: Message | None = None
        self.followups: list[Message] = []
        self.modal: Json | None = None
        self.choices: list[Json] | None = None
        self.updated_message: Message | None = None
        self.placeholder_pending = False

    @property
    def responded(self) -> bool:
        """Whether the bot acknowledged the interaction."""
        return self.response_type is not None

    async def wait_response(self, timeout: float = 5.0) -> InteractionHandle:
        """Wait until the bot acknowledges the interaction."""
        await self.server.wait_for(lambda: self.responded, timeout=timeout, what=f"a response to {self.describe()}")
        return self

    async def wait_done(self, timeout: float = 5.0) -> InteractionHandle:
        """Wait until the visible answer is final (a deferred response has been followed up)."""
        await self.wait_response(timeout)
        await self.server.wait_for(
            lambda: not self.placeholder_pending, timeout=timeout, what=f"the follow-up to {self.describe()}"
        )
        return self

    async def wait_followups(self, count: int, timeout: float = 5.0) -> list[Message]:
        """Wait for at least ``count`` follow-up messages."""
        await self.server.wait_for(lambda: len(self.followups) >= count, timeout=timeout, what="follow-ups")
        return self.followups

    @property
    def messages(self) -> list[Message]:
        """The visible answer: the original response (or edited placeholder) then the follow-ups."""
        first = [self.original] if self.original is not None and not self.original.deleted else []
        return first + [m for m in self.followups if not m.deleted]

    @property
    def content(self) -> str:
        """All the text the bot answered with, joined."""
        return "\n".join(m.content for m in self.messages)

    @property
    def ephemeral(self) -> bool:
        """Whether the answer is visible only to the member."""
        return bool(self.messages) and all(m.ephemeral for m in self.messages)

    @property
    def attachments(self) -> list[Attachment]:
        """Files in the answer."""
        return [a for m in self.messages for a in m.attachments]

    def describe(self) -> str:
        """A short label for error messages."""
        data = self.payload.get("data", {})
        return str(data.get("name") or data.get("custom_id") or self.id)


class SandboxServer:
    """The server. Start it, register a bot, build a server with members, and run the bot against it."""

    def __init__(self, *, heartbeat_interval_ms: int = 41250) -> None:
        self.ids = Snowflakes()
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.users: dict[int, User] = {}
        self.bots: dict[str, BotAccount] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, list[Message]] = {}
        self.attachments: dict[int, Attachment] = {}
        self.commands: dict[int, Command] = {}
        self.interactions: dict[int, InteractionHandle] = {}
        self.sessions: dict[str, GatewaySession] = {}
        self.closed_dms: set[int] = set()
        self.rate_limits = RateLimits()
        self.stats = Stats()
        self._nonces: dict[tuple[int, int, str], tuple[float, Message]] = {}
        self._window: deque[float] = deque()
        self._route_windows: dict[str, deque[float]] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._host = "127.0.0.1"

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host:port`` (port 0 picks a free one)."""
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        api = "/api/v10"
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/users/@me", self._me),
            ("GET", "/users/{user_id}", self._get_user),
            ("GET", "/oauth2/applications/@me", self._application),
            ("GET", "/applications/@me", self._application),
            ("GET", "/applications/{app}/commands", self._get_commands),
            ("PUT", "/applications/{app}/commands", self._put_commands),
            ("GET", "/applications/{app}/guilds/{guild}/commands", self._get_commands),
            ("PUT", "/applications/{app}/guilds/{guild}/commands", self._put_commands),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/channels/{channel}", self._get_channel),
            ("GET", "/channels/{channel}/messages", self._list_messages),
            ("POST", "/channels/{channel}/messages", self._post_message),
            ("GET", "/channels/{channel}/messages/{message}", self._get_message),
            ("PATCH", "/channels/{channel}/messages/{message}", self._edit_message),
            ("DELETE", "/channels/{channel}/messages/{message}", self._delete_message),
            ("GET", "/guilds/{guild}", self._get_guild),
            ("GET", "/guilds/{guild}/channels", self._guild_channels),
            ("GET", "/guilds/{guild}/members", self._guild_members),
            ("GET", "/guilds/{guild}/members/{user_id}", self._guild_member),
            ("GET", "/guilds/{guild}/roles", self._guild_roles),
            ("POST", "/interactions/{interaction}/{token}/callback", self._callback),
            ("GET", "/webhooks/{app}/{token}/messages/{message}", self._webhook_get),
            ("PATCH", "/webhooks/{app}/{token}/messages/{message}", self._webhook_edit),
            ("DELETE", "/webhooks/{app}/{token}/messages/{message}", self._webhook_delete),
            ("POST", "/webhooks/{app}/{token}", self._followup),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, api + path, handler)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{attachment}/{filename}", self._attachment)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self._host, self._port = host, sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Close every gateway connection and stop listening."""
        for session in self.sessions.values():
            if session.ws is not None and not session.ws.closed:
                await session.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """``http://host:port``."""
        return f"http://{self._host}:{self._port}"

    @property
    def api_base_url(self) -> str:
        """What to put in ``[discord] api_base_url``."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """What to put in ``[discord] gateway_url``."""
        return f"ws://{self._host}:{self._port}/gateway"

    # -- waiting ---------------------------------------------------------------------------------

    async def changed(self) -> None:
        """Wake everyone waiting for a condition."""
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], bool], *, timeout: float = 5.0, what: str = "a condition") -> None:
        """Wait until ``predicate()`` is true; ``TimeoutError`` naming ``what`` after ``timeout`` seconds.

        It re-checks on every change in the sandbox, and at least every 20 ms for conditions on the
        bot's side (its database, its caches) that the sandbox cannot see change.
        """
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), min(remaining, 0.02))

    # -- the world (test-side API) -----------------------------------------------------------------

    def register_bot(self, token: str, name: str = "council-bot") -> BotAccount:
        """Create a bot user and application authenticated by ``token``."""
        user = User(self.ids.next(), name, bot=True)
        self.users[user.id] = user
        account = BotAccount(user, self.ids.next(), token)
        self.bots[token] = account
        return account

    def create_user(self, name: str) -> User:
        """Create a person."""
        user = User(self.ids.next(), name)
        self.users[user.id] = user
        return user

    async def create_guild(self, name: str, owner: User, *, locale: str = "no") -> Guild:
        """Create a server owned by ``owner`` (with an @everyone role); connected bots get GUILD_CREATE."""
        guild = Guild(self.ids.next(), name, owner.id, locale=locale)
        guild.roles[guild.id] = Role(guild.id, guild.id, "@everyone", permissions=(1 << 10) | (1 << 11) | (1 << 31))
        guild.members[owner.id] = Member(owner, guild.id)
        for bot in self.bots.values():
            guild.members[bot.user.id] = Member(bot.user, guild.id)
        self.guilds[guild.id] = guild
        await self._dispatch_guild(guild.id, "GUILD_CREATE", guild.payload())
        return guild

    async def create_role(self, guild: Guild, name: str, permissions: int = 0) -> Role:
        """Add a role to a server."""
        role = Role(self.ids.next(), guild.id, name, permissions, position=len(guild.roles))
        guild.roles[role.id] = role
        await self._dispatch_guild(guild.id, "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.payload()})
        return role

    async def create_text_channel(self, guild: Guild, name: str) -> Channel:
        """Add a text channel to a server."""
        channel = Channel(self.ids.next(), name, guild_id=guild.id, position=len(guild.channels))
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        self.messages[channel.id] = []
        await self._dispatch_guild(guild.id, "CHANNEL_CREATE", channel.payload())
        return channel

    async def add_member(
        self, guild: Guild, user: User, *, roles: Iterable[Role] = (), nick: str | None = None
    ) -> Member:
        """Make ``user`` a member of ``guild``."""
        member = Member(user, guild.id, [r.id for r in roles], nick)
        guild.members[user.id] = member
        await self._dispatch_guild(guild.id, "GUILD_MEMBER_ADD", {**member.payload(), "guild_id": str(guild.id)})
        return member

    async def set_roles(self, guild: Guild, user: User, roles: Iterable[Role]) -> None:
        """Replace a member's roles."""
        member = guild.members[user.id]
        member.roles = [r.id for r in roles]
        await self._dispatch_guild(guild.id, "GUILD_MEMBER_UPDATE", {**member.payload(), "guild_id": str(guild.id)})

    def close_dms(self, user: User | int) -> None:
        """From now on the bot cannot DM this user (Discord error 50007)."""
        self.closed_dms.add(user if isinstance(user, int) else user.id)

    def open_dms(self, user: User | int) -> None:
        """Undo :meth:`close_dms`."""
        self.closed_dms.discard(user if isinstance(user, int) else user.id)

    def set_rate_limits(
        self, global_per_second: float | None = None, per_route: dict[str, tuple[int, float]] | None = None
    ) -> None:
        """Enforce a global requests-per-second cap and per-route ``{"POST /channels/{channel}/messages": (n, s)}``."""
        self.rate_limits = RateLimits(global_per_second, per_route or {})
        self._window.clear()
        self._route_windows.clear()

    async def drop_gateway(self) -> None:
        """Close every bot's websocket abruptly (code 4000), so discord.py reconnects and resumes."""
        for session in self.sessions.values():
            if session.ws is not None and not session.ws.closed:
                await session.ws.close(code=4000, message=b"sandbox dropped the connection")
                session.ws = None

    def dm_channel(self, user: User | int) -> Channel:
        """The DM channel between the bot and ``user`` (created on first use)."""
        user_id = user if isinstance(user, int) else user.id
        for channel in self.channels.values():
            if channel.guild_id is None and channel.recipient is not None and channel.recipient.id == user_id:
                return channel
        channel = Channel(self.ids.next(), "dm", recipient=self.users[user_id])
        self.channels[channel.id] = channel
        self.messages[channel.id] = []
        return channel

    def messages_in(self, channel: Channel | int) -> list[Message]:
        """The messages in a channel, oldest first (deleted ones left out)."""
        channel_id = channel if isinstance(channel, int) else channel.id
        return [m for m in self.messages.get(channel_id, []) if not m.deleted]

    def dms_to(self, user: User | int) -> list[Message]:
        """What the bot has sent to ``user`` by DM, oldest first."""
        channel = self.dm_channel(user)
        return [m for m in self.messages_in(channel) if m.author.bot]

    async def send_dm(self, user: User, content: str) -> Message:
        """``user`` writes to the bot in their DM channel."""
        channel = self.dm_channel(user)
        message = Message(self.ids.next(), channel.id, user, content)
        self.messages[channel.id].append(message)
        await self._dispatch_all("MESSAGE_CREATE", message.payload(self.base_url))
        await self.changed()
        return message

    async def send_channel_message(self, user: User, channel: Channel, content: str) -> Message:
        """``user`` writes in a server channel."""
        message = Message(self.ids.next(), channel.id, user, content, guild_id=channel.guild_id)
        self.messages[channel.id].append(message)
        payload = message.payload(self.base_url)
        payload["member"] = self.guilds[channel.guild_id].members[user.id].payload(with_user=False)  # type: ignore[index]
        await self._dispatch_guild(channel.guild_id, "MESSAGE_CREATE", payload)  # type: ignore[arg-type]
        return message

    def find_command(self, path: str, guild: Guild | None = None) -> tuple[Command, list[Json], list[str]]:
        """The registered command for ``"meeting create"``: the command, its leaf options, and the path."""
        parts = path.split()
        candidates = [c for c in self.commands.values() if c.name == parts[0]]
        candidates.sort(key=lambda c: c.guild_id is None)  # guild commands shadow global ones
        candidates = [c for c in candidates if c.guild_id in (None, guild.id if guild else None)]
        if not candidates:
            raise KeyError(f"the bot registered no command /{parts[0]}")
        command = candidates[0]
        options: list[Json] = command.data.get("options", [])
        for part in parts[1:]:
            sub = next((o for o in options if o["name"] == part and o["type"] in (1, 2)), None)
            if sub is None:
                raise KeyError(f"/{path}: no subcommand {part!r}")
            options = sub.get("options", [])
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
        """``user`` runs the slash command ``path`` (e.g. ``"meeting create"``) with ``options`` by name."""
        command, schema, parts = self.find_command(path, guild)
        resolved: Json = {}
        leaf = self._build_options(schema, options or {}, resolved, guild)
        for part in reversed(parts[1:]):
            sub_type = 1 if leaf is not None and part == parts[-1] else 2
            leaf = [{"name": part, "type": sub_type, "options": leaf}]
        data: Json = {"id": str(command.id), "name": command.name, "type": 1, "options": leaf or []}
        if resolved:
            data["resolved"] = resolved
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        return await self._interaction(2, user, data, guild=guild, channel=channel, locale=locale)

    async def autocomplete(
        self,
        user: User,
        path: str,
        focused: str,
        options: dict[str, Any] | None = None,
        *,
        guild: Guild | None = None,
        locale: str = "nb",
    ) -> list[Json]:
        """``user`` types in option ``focused`` of ``path``; returns the choices the bot suggested."""
        command, schema, parts = self.find_command(path, guild)
        built = self._build_options(schema, options or {}, {}, guild) or []
        for option in built:
            if option["name"] == focused:
                option["focused"] = True
        if not any(o.get("focused") for o in built):
            built.append({"name": focused, "type": 3, "value": "", "focused": True})
        leaf: list[Json] = built
        for part in reversed(parts[1:]):
            leaf = [{"name": part, "type": 1, "options": leaf}]
        data: Json = {"id": str(command.id), "name": command.name, "type": 1, "options": leaf}
        handle = await self._interaction(4, user, data, guild=guild, channel=None, locale=locale)
        await self.wait_for(lambda: handle.choices is not None, what="autocomplete choices")
        return handle.choices or []

    async def click(self, user: User, message: Message, custom_id: str, *, locale: str = "nb") -> InteractionHandle:
        """``user`` clicks the button ``custom_id`` on ``message``."""
        if custom_id not in message.custom_ids():
            raise KeyError(f"message {message.id} has no component {custom_id!r}: {message.custom_ids()}")
        channel = self.channels[message.channel_id]
        guild = self.guilds.get(channel.guild_id) if channel.guild_id else None
        data: Json = {"custom_id": custom_id, "component_type": 2}
        return await self._interaction(
            3, user, data, guild=guild, channel=channel, locale=locale, message=message.payload(self.base_url)
        )

    async def submit_modal(
        self, user: User, opened_by: InteractionHandle, values: dict[str, str], *, locale: str = "nb"
    ) -> InteractionHandle:
        """``user`` fills in and submits the form the bot opened in answer to ``opened_by``."""
        modal = opened_by.modal
        if modal is None:
            raise ValueError("the bot did not open a form for that interaction")

        def fill(items: list[Json]) -> list[Json]:
            out: list[Json] = []
            for item in items:
                if item.get("type") == 4:
                    custom_id = item["custom_id"]
                    out.append({"type": 4, "custom_id": custom_id, "value": values.get(custom_id, "")})
                elif item.get("type") == 18 and isinstance(item.get("component"), dict):
                    out.append({"type": 18, "component": fill([item["component"]])[0]})
                elif "components" in item:
                    out.append({"type": item.get("type", 1), "components": fill(item["components"])})
            return out

        for key, value in values.items():
            if len(value) > 4000:
                raise ValueError(f"{key}: Discord forms hold at most 4000 characters")
        data: Json = {"custom_id": modal["custom_id"], "components": fill(modal.get("components", []))}
        source = opened_by.payload
        guild = self.guilds.get(int(source["guild_id"])) if source.get("guild_id") else None
        channel = self.channels.get(int(source["channel_id"])) if source.get("channel_id") else None
        message = source.get("message")
        return await self._interaction(5, user, data, guild=guild, channel=channel, locale=locale, message=message)

    # -- internals: interactions ------------------------------------------------------------------

    def _build_options(
        self, schema: list[Json], given: dict[str, Any], resolved: Json, guild: Guild | None
    ) -> list[Json] | None:
        if any(o["type"] in (1, 2) for o in schema):
            return None
        known = {o["name"]: o for o in schema}
        built: list[Json] = []
        for name, value in given.items():
            option = known.get(name)
            if option is None:
                raise KeyError(f"no option {name!r}; the command has {sorted(known)}")
            kind = option["type"]
            if kind == 6:
                user = value if isinstance(value, User) else self.users[int(value)]
                resolved.setdefault("users", {})[str(user.id)] = user.payload()
                if guild is not None and user.id in guild.members:
                    member = guild.members[user.id]
                    payload = member.payload(with_user=False, permissions=guild.permissions_of(user.id))
                    resolved.setdefault("members", {})[str(user.id)] = payload
                value = str(user.id)
            elif kind == 7:
                channel = value if isinstance(value, Channel) else self.channels[int(value)]
                resolved.setdefault("channels", {})[str(channel.id)] = {
                    **channel.payload(),
                    "permissions": str((1 << 50) - 1),
                }
                value = str(channel.id)
            elif kind == 8:
                role = value if isinstance(value, Role) else guild.roles[int(value)]  # type: ignore[union-attr]
                resolved.setdefault("roles", {})[str(role.id)] = role.payload()
                value = str(role.id)
            elif kind == 11:
                upload = value if isinstance(value, UploadFile) else UploadFile("file.txt", bytes(value))
                attachment = Attachment(self.ids.next(), upload.filename, upload.data, upload.content_type)
                self.attachments[attachment.id] = attachment
                resolved.setdefault("attachments", {})[str(attachment.id)] = attachment.payload(self.base_url)
                value = str(attachment.id)
            built.append({"name": name, "type": kind, "value": value})
        return built

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
        bot = self._the_bot()
        if channel is None:
            channel = next(iter(guild.channels.values())) if guild and guild.channels else self.dm_channel(user)
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
            "app_permissions": str((1 << 50) - 1),
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "authorizing_integration_owners": {"0": str(guild.id if guild else 0)},
            "context": 0 if guild else 1,
        }
        if guild is not None:
            member = guild.members.get(user.id)
            if member is None:
                raise KeyError(f"{user.name} is not a member of {guild.name}")
            payload["guild_id"] = str(guild.id)
            payload["guild_locale"] = guild.locale
            payload["member"] = member.payload(permissions=guild.permissions_of(user.id))
        else:
            payload["user"] = user.payload()
        if message is not None:
            payload["message"] = message
        handle = InteractionHandle(self, interaction_id, token, kind, user, payload)
        self.interactions[interaction_id] = handle
        await self._dispatch_bot(bot, "INTERACTION_CREATE", payload)
        return handle

    def _the_bot(self) -> BotAccount:
        if not self.bots:
            raise RuntimeError("register a bot first")
        return next(iter(self.bots.values()))

    def _handle(self, request: web.Request) -> InteractionHandle:
        token = request.match_info["token"]
        for handle in self.interactions.values():
            if handle.token == token:
                return handle
        raise DiscordError(404, 10015, "Unknown Webhook")

    # -- internals: gateway ----------------------------------------------------------------------

    async def _dispatch_bot(self, bot: BotAccount, event: str, data: Json) -> None:
        for session in list(self.sessions.values()):
            if session.bot is bot:
                session.seq += 1
                frame = {"op": 0, "s": session.seq, "t": event, "d": data}
                session.events.append((session.seq, frame))
                if session.ws is not None and not session.ws.closed:
                    with contextlib.suppress(ConnectionError, RuntimeError):
                        await session.ws.send_str(json.dumps(frame))
        await self.changed()

    async def _dispatch_all(self, event: str, data: Json) -> None:
        for bot in self.bots.values():
            await self._dispatch_bot(bot, event, data)

    async def _dispatch_guild(self, guild_id: int, event: str, data: Json) -> None:
        await self._dispatch_all(event, data)

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=None, max_msg_size=16 * 1024 * 1024)
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}))
        session: GatewaySession | None = None
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                break
            message = json.loads(frame.data)
            op, data = message.get("op"), message.get("d")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                session = await self._identify(ws, data)
                if session is None:
                    break
            elif op == 6:
                session = await self._resume(ws, data)
                if session is None:
                    break
        if session is not None and session.ws is ws:
            session.ws = None
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: Json) -> GatewaySession | None:
        bot = self.bots.get(str(data.get("token", "")).removeprefix("Bot "))
        if bot is None:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        session = GatewaySession(secrets.token_hex(16), bot, int(data.get("intents", 0)), ws=ws)
        self.sessions[session.session_id] = session
        ready = {
            "v": 10,
            "user": bot.user.payload(),
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
            "session_id": session.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(bot.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
        }
        await self._send_event(session, "READY", ready)
        for guild in self.guilds.values():
            await self._send_event(session, "GUILD_CREATE", guild.payload())
        await self.changed()
        return session

    async def _send_event(self, session: GatewaySession, event: str, data: Json) -> None:
        session.seq += 1
        frame = {"op": 0, "s": session.seq, "t": event, "d": data}
        session.events.append((session.seq, frame))
        if session.ws is not None:
            await session.ws.send_str(json.dumps(frame))

    async def _resume(self, ws: web.WebSocketResponse, data: Json) -> GatewaySession | None:
        session = self.sessions.get(str(data.get("session_id")))
        bot = self.bots.get(str(data.get("token", "")).removeprefix("Bot "))
        if session is None or bot is not session.bot:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            await ws.close(code=4000)
            return None
        session.ws = ws
        last = int(data.get("seq") or 0)
        for seq, frame in list(session.events):
            if seq > last:
                await ws.send_str(json.dumps(frame))
        await self._send_event(session, "RESUMED", {})
        await self.changed()
        return session

    # -- internals: REST -------------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/api/"):
            return await handler(request)
        resource = request.match_info.route.resource
        route = f"{request.method} {resource.canonical if resource else request.path}"
        self.stats.requests += 1
        self.stats.by_route[route] = self.stats.by_route.get(route, 0) + 1
        limited = self._rate_limited(route)
        if limited is not None:
            self.stats.rate_limited += 1
            return limited
        try:
            if not request.path.endswith("/callback") and "/webhooks/" not in request.path:
                self._authenticate(request)
            response = await handler(request)
        except DiscordError as err:
            body: Json = {"message": err.message, "code": err.code}
            if err.errors:
                body["errors"] = err.errors
            response = _json(body, err.status)
        response.headers.update(
            {
                "X-RateLimit-Limit": "1000",
                "X-RateLimit-Remaining": "999",
                "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
                "X-RateLimit-Reset-After": "1.000",
                "X-RateLimit-Bucket": route,
            }
        )
        await self.changed()
        return response

    def _rate_limited(self, route: str) -> web.Response | None:
        now = time.monotonic()
        limits = self.rate_limits
        if limits.global_per_second:
            while self._window and now - self._window[0] >= 1.0:
                self._window.popleft()
            if len(self._window) >= limits.global_per_second:
                retry = max(0.001, 1.0 - (now - self._window[0]))
                return self._too_many(retry, route, is_global=True)
            self._window.append(now)
        bucket = limits.per_route.get(route)
        if bucket is not None:
            count, per = bucket
            window = self._route_windows.setdefault(route, deque())
            while window and now - window[0] >= per:
                window.popleft()
            if len(window) >= count:
                return self._too_many(max(0.001, per - (now - window[0])), route, is_global=False)
            window.append(now)
        return None

    @staticmethod
    def _too_many(retry_after: float, route: str, *, is_global: bool) -> web.Response:
        headers = {
            "Retry-After": f"{retry_after:.3f}",
            "X-RateLimit-Limit": "1",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": route,
            "X-RateLimit-Scope": "global" if is_global else "user",
            "Via": "1.1 google",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": is_global}
        return _json(body, 429, headers)

    def _authenticate(self, request: web.Request) -> BotAccount:
        token = request.headers.get("Authorization", "").removeprefix("Bot ")
        bot = self.bots.get(token)
        if bot is None:
            raise DiscordError(401, 0, "401: Unauthorized")
        return bot

    async def _unknown(self, request: web.Request) -> web.StreamResponse:
        log.warning("sandbox: no route for %s %s", request.method, request.path)
        return _json({"message": "404: Not Found", "code": 0}, 404)

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        attachment = self.attachments.get(int(request.match_info["attachment"]))
        if attachment is None:
            return web.Response(status=404)
        return web.Response(body=attachment.data, content_type=attachment.content_type)

    async def _me(self, request: web.Request) -> web.StreamResponse:
        return _json(self._authenticate(request).user.payload())

    async def _get_user(self, request: web.Request) -> web.StreamResponse:
        user = self.users.get(int(request.match_info["user_id"]))
        if user is None:
            raise DiscordError(404, 10013, "Unknown User")
        return _json(user.payload())

    async def _application(self, request: web.Request) -> web.StreamResponse:
        bot = self._authenticate(request)
        owner = next((u for u in self.users.values() if not u.bot), bot.user)
        return _json(
            {
                "id": str(bot.application_id),
                "name": bot.user.name,
                "icon": None,
                "description": "",
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": owner.payload(),
                "verify_key": "0" * 64,
                "flags": 0,
                "bot": bot.user.payload(),
            }
        )

    async def _get_commands(self, request: web.Request) -> web.StreamResponse:
        guild = request.match_info.get("guild")
        guild_id = int(guild) if guild else None
        return _json([c.payload() for c in self.commands.values() if c.guild_id == guild_id])

    async def _put_commands(self, request: web.Request) -> web.StreamResponse:
        bot = self._authenticate(request)
        guild = request.match_info.get("guild")
        guild_id = int(guild) if guild else None
        for command_id in [i for i, c in self.commands.items() if c.guild_id == guild_id]:
            del self.commands[command_id]
        registered = []
        for data in await request.json():
            command = Command(self.ids.next(), bot.application_id, data, guild_id)
            self.commands[command.id] = command
            registered.append(command.payload())
        return _json(registered)

    async def _create_dm(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        user_id = int(body["recipient_id"])
        if user_id not in self.users:
            raise DiscordError(400, 50033, "Invalid Recipients")
        return _json(self.dm_channel(user_id).payload())

    def _channel(self, request: web.Request) -> Channel:
        channel = self.channels.get(int(request.match_info["channel"]))
        if channel is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        return channel

    async def _get_channel(self, request: web.Request) -> web.StreamResponse:
        return _json(self._channel(request).payload())

    async def _read_body(self, request: web.Request) -> tuple[Json, list[Attachment]]:
        """A message body: JSON, or multipart with ``payload_json`` and ``files[n]``."""
        if not request.content_type.startswith("multipart/"):
            return (await request.json() if request.can_read_body else {}), []
        payload: Json = {}
        files: list[Attachment] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                payload = json.loads(await part.read(decode=True))
            else:
                data = await part.read(decode=True)
                filename = getattr(part, "filename", None) or "file"
                content_type = part.headers.get("Content-Type", "application/octet-stream")
                files.append(Attachment(self.ids.next(), filename, bytes(data), content_type))
        for attachment in files:
            self.attachments[attachment.id] = attachment
        return payload, files

    @staticmethod
    def _check_content(payload: Json, files: list[Attachment], *, creating: bool) -> None:
        content = payload.get("content")
        if content is not None and len(str(content)) > MESSAGE_LIMIT:
            raise _too_long("content")
        if creating and not (content or payload.get("embeds") or files or payload.get("components")):
            raise DiscordError(400, 50006, "Cannot send an empty message")

    def _new_message(
        self, channel: Channel, author: User, payload: Json, files: list[Attachment], *, store: bool = True
    ) -> Message:
        message = Message(
            self.ids.next(),
            channel.id,
            author,
            str(payload.get("content") or ""),
            guild_id=channel.guild_id,
            embeds=list(payload.get("embeds") or []),
            components=list(payload.get("components") or []),
            attachments=files,
            allowed_mentions=payload.get("allowed_mentions"),
            flags=int(payload.get("flags") or 0),
            nonce=str(payload["nonce"]) if payload.get("nonce") is not None else None,
        )
        if store and not message.ephemeral:
            self.messages.setdefault(channel.id, []).append(message)
        return message

    async def _post_message(self, request: web.Request) -> web.StreamResponse:
        bot = self._authenticate(request)
        channel = self._channel(request)
        payload, files = await self._read_body(request)
        if channel.guild_id is None and channel.recipient is not None and channel.recipient.id in self.closed_dms:
            raise DiscordError(403, 50007, "Cannot send messages to this user")
        self._check_content(payload, files, creating=True)
        nonce = payload.get("nonce")
        if nonce is not None and payload.get("enforce_nonce"):
            key = (channel.id, bot.user.id, str(nonce))
            seen = self._nonces.get(key)
            if seen is not None and time.monotonic() - seen[0] < NONCE_WINDOW:
                return _json(seen[1].payload(self.base_url))
        message = self._new_message(channel, bot.user, payload, files)
        if nonce is not None and payload.get("enforce_nonce"):
            self._nonces[(channel.id, bot.user.id, str(nonce))] = (time.monotonic(), message)
        data = message.payload(self.base_url)
        await self._dispatch_all("MESSAGE_CREATE", data)
        return _json(data)

    def _find_message(self, channel: Channel, message_id: int) -> Message:
        for message in self.messages.get(channel.id, []):
            if message.id == message_id and not message.deleted:
                return message
        raise DiscordError(404, 10008, "Unknown Message")

    async def _list_messages(self, request: web.Request) -> web.StreamResponse:
        channel = self._channel(request)
        limit = max(1, min(100, int(request.query.get("limit", "50"))))
        visible = [m for m in self.messages.get(channel.id, []) if not m.deleted]
        if "after" in request.query:
            after = int(request.query["after"])
            chosen = [m for m in visible if m.id > after][:limit]
        elif "before" in request.query:
            before = int(request.query["before"])
            chosen = [m for m in visible if m.id < before][-limit:]
        elif "around" in request.query:
            around = int(request.query["around"])
            index = next((i for i, m in enumerate(visible) if m.id >= around), len(visible))
            start = max(0, index - limit // 2)
            chosen = visible[start : start + limit]
        else:
            chosen = visible[-limit:]
        return _json([m.payload(self.base_url) for m in reversed(chosen)])

    async def _get_message(self, request: web.Request) -> web.StreamResponse:
        message = self._find_message(self._channel(request), int(request.match_info["message"]))
        return _json(message.payload(self.base_url))

    def _apply_edit(self, message: Message, payload: Json, files: list[Attachment]) -> None:
        self._check_content(payload, files, creating=False)
        if "content" in payload:
            message.content = str(payload["content"] or "")
        if "embeds" in payload:
            message.embeds = list(payload["embeds"] or [])
        if "components" in payload:
            message.components = list(payload["components"] or [])
        if "attachments" in payload or files:
            keep = {str(a.get("id")) for a in payload.get("attachments") or []}
            message.attachments = [a for a in message.attachments if str(a.id) in keep] + files
        if payload.get("flags") is not None:
            message.flags = int(payload["flags"]) | (message.flags & EPHEMERAL)
        message.edited_timestamp = iso_now()

    async def _edit_message(self, request: web.Request) -> web.StreamResponse:
        channel = self._channel(request)
        message = self._find_message(channel, int(request.match_info["message"]))
        payload, files = await self._read_body(request)
        self._apply_edit(message, payload, files)
        data = message.payload(self.base_url)
        await self._dispatch_all("MESSAGE_UPDATE", data)
        return _json(data)

    async def _delete_message(self, request: web.Request) -> web.StreamResponse:
        channel = self._channel(request)
        message = self._find_message(channel, int(request.match_info["message"]))
        message.deleted = True
        return web.Response(status=204)

    def _guild(self, request: web.Request) -> Guild:
        guild = self.guilds.get(int(request.match_info["guild"]))
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        return guild

    async def _get_guild(self, request: web.Request) -> web.StreamResponse:
        return _json(self._guild(request).payload())

    async def _guild_channels(self, request: web.Request) -> web.StreamResponse:
        return _json([c.payload() for c in self._guild(request).channels.values()])

    async def _guild_members(self, request: web.Request) -> web.StreamResponse:
        return _json([m.payload() for m in self._guild(request).members.values()])

    async def _guild_member(self, request: web.Request) -> web.StreamResponse:
        member = self._guild(request).members.get(int(request.match_info["user_id"]))
        if member is None:
            raise DiscordError(404, 10007, "Unknown Member")
        return _json(member.payload())

    async def _guild_roles(self, request: web.Request) -> web.StreamResponse:
        return _json([r.payload() for r in self._guild(request).roles.values()])

    # -- internals: interaction responses -----------------------------------------------------------

    async def _callback(self, request: web.Request) -> web.StreamResponse:
        handle = self.interactions.get(int(request.match_info["interaction"]))
        if handle is None or handle.token != request.match_info["token"]:
            raise DiscordError(404, 10062, "Unknown interaction")
        if time.monotonic() - handle.created > INTERACTION_DEADLINE:
            raise DiscordError(404, 10062, "Unknown interaction")
        if handle.responded:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        body, files = await self._read_body(request)
        kind = int(body.get("type", 0))
        data: Json = body.get("data") or {}
        channel = self.channels[int(handle.payload["channel_id"])]
        bot = self._the_bot()
        resource: Json = {"type": kind}
        message: Message | None = None
        if kind == 4:
            self._check_content(data, files, creating=True)
            message = self._new_message(channel, bot.user, data, files)
            message.interaction_id = handle.id
            handle.original = message
        elif kind == 5:
            message = self._new_message(channel, bot.user, {"flags": int(data.get("flags") or 0)}, [], store=False)
            handle.original = message
            handle.placeholder_pending = True
        elif kind == 7:
            target = self._component_message(handle)
            self._apply_edit(target, data, files)
            handle.updated_message = target
            message = target
        elif kind == 8:
            handle.choices = list(data.get("choices") or [])
        elif kind == 9:
            self._check_modal(data)
            handle.modal = data
        elif kind != 6:
            raise DiscordError(400, 50035, f"Invalid interaction response type {kind}")
        handle.response_type = kind
        if message is not None:
            resource["message"] = message.payload(self.base_url)
        interaction_info: Json = {
            "id": str(handle.id),
            "type": handle.kind,
            "activity_instance_id": None,
            "response_message_id": str(message.id) if message else None,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(message and message.ephemeral),
        }
        await self.changed()
        return _json({"interaction": interaction_info, "resource": resource})

    @staticmethod
    def _check_modal(data: Json) -> None:
        if len(str(data.get("title", ""))) > 45:
            raise DiscordError(400, 50035, "Invalid Form Body: title is longer than 45 characters")

        def walk(items: list[Json]) -> None:
            for item in items:
                if item.get("type") == 4:
                    if len(str(item.get("label") or "")) > 45:
                        raise DiscordError(400, 50035, "Invalid Form Body: label is longer than 45 characters")
                    if int(item.get("max_length") or 4000) > 4000 or len(str(item.get("value") or "")) > 4000:
                        raise DiscordError(400, 50035, "Invalid Form Body: text input over 4000 characters")
                walk(item.get("components", []))
                if isinstance(item.get("component"), dict):
                    walk([item["component"]])
                if len(str(item.get("label") or "")) > 45:
                    raise DiscordError(400, 50035, "Invalid Form Body: label is longer than 45 characters")

        walk(data.get("components", []))

    def _component_message(self, handle: InteractionHandle) -> Message:
        raw = handle.payload.get("message")
        if raw is None:
            raise DiscordError(400, 50035, "This interaction has no message to update")
        channel = self.channels[int(raw["channel_id"])]
        for message in self.messages.get(channel.id, []):
            if message.id == int(raw["id"]):
                return message
        for other in self.interactions.values():
            for message in other.messages:
                if message.id == int(raw["id"]):
                    return message
        raise DiscordError(404, 10008, "Unknown Message")

    def _webhook_message(self, handle: InteractionHandle, message_id: str) -> Message:
        if message_id == "@original":
            if handle.original is None:
                if handle.updated_message is not None:
                    return handle.updated_message
                raise DiscordError(404, 10008, "Unknown Message")
            return handle.original
        for message in handle.followups:
            if str(message.id) == message_id:
                return message
        raise DiscordError(404, 10008, "Unknown Message")

    async def _webhook_get(self, request: web.Request) -> web.StreamResponse:
        handle = self._handle(request)
        return _json(self._webhook_message(handle, request.match_info["message"]).payload(self.base_url))

    async def _webhook_edit(self, request: web.Request) -> web.StreamResponse:
        handle = self._handle(request)
        message = self._webhook_message(handle, request.match_info["message"])
        payload, files = await self._read_body(request)
        self._apply_edit(message, payload, files)
        if message is handle.original and handle.placeholder_pending:
            handle.placeholder_pending = False
            self._store_visible(message)
        return _json(message.payload(self.base_url))

    async def _webhook_delete(self, request: web.Request) -> web.StreamResponse:
        handle = self._handle(request)
        self._webhook_message(handle, request.match_info["message"]).deleted = True
        return web.Response(status=204)

    def _store_visible(self, message: Message) -> None:
        if not message.ephemeral:
            self.messages.setdefault(message.channel_id, []).append(message)

    async def _followup(self, request: web.Request) -> web.StreamResponse:
        handle = self._handle(request)
        if not handle.responded:
            raise DiscordError(404, 10015, "Unknown Webhook")
        payload, files = await self._read_body(request)
        if handle.placeholder_pending and handle.original is not None:
            # As on Discord, the first follow-up after a deferred "thinking" response fills the placeholder.
            self._check_content(payload, files, creating=True)
            self._apply_edit(handle.original, payload, files)
            handle.placeholder_pending = False
            self._store_visible(handle.original)
            return _json(handle.original.payload(self.base_url))
        self._check_content(payload, files, creating=True)
        channel = self.channels[int(handle.payload["channel_id"])]
        message = self._new_message(channel, self._the_bot().user, payload, files)
        handle.followups.append(message)
        return _json(message.payload(self.base_url))
