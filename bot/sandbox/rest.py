"""The sandbox's REST API under ``/api/v10``: what discord.py and a council bot call, nothing more.

Every response is JSON with ``Content-Type: application/json`` exactly (discord.py parses nothing
else), carries ``X-RateLimit-*`` headers, and errors have Discord's ``{"message", "code"}`` shape.
Unknown routes answer 404 and are logged at WARNING, so a missing piece shows at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from bot.sandbox.applications import ApplicationRoutes
from bot.sandbox.callbacks import InteractionRoutes
from bot.sandbox.events import ScheduledEventRoutes
from bot.sandbox.limits import DiscordError, RateLimiter, check_message, found, route_key, snowflake
from bot.sandbox.routes import Handler
from bot.sandbox.state import (
    EPHEMERAL,
    Attachment,
    BotAccount,
    Channel,
    Guild,
    Json,
    Message,
    User,
    iso_now,
    message_intent,
)

if TYPE_CHECKING:
    from bot.sandbox.server import SandboxServer

log = logging.getLogger(__name__)


INTERACTION_DEADLINE = 3.0
NONCE_WINDOW = 300.0
API = "/api/v10"
_SENT_AT: ContextVar[float | None] = ContextVar("sandbox_sent_at", default=None)
"""When the request being handled left the bot (its arrival before the simulated way in)."""


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON response whose Content-Type is exactly ``application/json``, as discord.py requires."""
    response = web.Response(body=json.dumps(data).encode(), status=status, headers=headers or {})
    response.headers["Content-Type"] = "application/json"
    return response


class RestApi:
    """The REST routes; handlers read and change the :class:`~bot.sandbox.server.SandboxServer`'s state."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.limiter = RateLimiter(server.clock)
        self.applications = ApplicationRoutes(self)
        self.callbacks = InteractionRoutes(self)
        self.scheduled_events = ScheduledEventRoutes(self)
        self._nonces: dict[tuple[int, int, str], tuple[float, Message]] = {}

    def install(self, app: web.Application) -> None:
        """Add every route (and the catch-all 404) to ``app``."""
        routes: list[tuple[str, str, Handler]] = [
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/channels/{channel}", self._get_channel),
            ("GET", "/channels/{channel}/messages", self._list_messages),
            ("POST", "/channels/{channel}/messages", self._post_message),
            ("POST", "/channels/{channel}/typing", self._typing),
            ("GET", "/channels/{channel}/messages/{message}", self._get_message),
            ("PATCH", "/channels/{channel}/messages/{message}", self._edit_message),
            ("DELETE", "/channels/{channel}/messages/{message}", self._delete_message),
            ("GET", "/guilds/{guild}", self._get_guild),
            ("GET", "/guilds/{guild}/channels", self._guild_channels),
            ("GET", "/guilds/{guild}/members", self._guild_members),
            ("GET", "/guilds/{guild}/members/{user_id}", self._guild_member),
            ("GET", "/guilds/{guild}/roles", self._guild_roles),
        ]
        routes += self.applications.routes() + self.callbacks.routes() + self.scheduled_events.routes()
        for method, path, handler in routes:
            app.router.add_route(method, API + path, handler)
        app.router.add_get("/attachments/{attachment}/{filename}", self._attachment)

    async def unknown(self, request: web.Request) -> web.StreamResponse:
        """Any route the sandbox does not know: 404, logged so the gap is visible."""
        log.warning("sandbox: no route for %s %s", request.method, request.path)
        return json_response({"message": "404: Not Found", "code": 0}, 404)

    # -- middleware: counting, rate limits, auth, errors -------------------------------------------

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Add the simulated network delay around :meth:`_arrived` (count, limit, authenticate, serve)."""
        if not request.path.startswith(API):
            return await handler(request)
        # When the bot sent it, as far as the sandbox can tell (before the simulated way in).
        _SENT_AT.set(self.server.clock())
        stats = self.server.stats
        stats.in_flight += 1
        stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
        try:
            inbound = self.server.latency.half()
            if inbound:
                await asyncio.sleep(inbound)
            response = await self._arrived(request, handler)
            outbound = self.server.latency.half()
            if outbound:
                await asyncio.sleep(outbound)
            return response
        finally:
            stats.in_flight -= 1

    async def _arrived(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """The request reached "Discord": count it, rate-limit it, serve it."""
        resource = request.match_info.route.resource
        template = resource.canonical if resource is not None else request.path
        route = route_key(request.method, template)
        stats = self.server.stats
        stats.requests += 1
        stats.by_route[route] = stats.by_route.get(route, 0) + 1
        refused = self.limiter.hit(route)
        if refused is not None:
            stats.rate_limited += 1
            body, headers = self.limiter.refusal(refused[0], route, is_global=refused[1])
            await self.server.changed()
            return json_response(body, 429, headers)
        try:
            if resource is not None and "/interactions/" not in template and "/webhooks/" not in template:
                self.authenticate(request)
            response = await handler(request)
        except DiscordError as err:
            response = json_response(err.body(), err.status)
        response.headers.update(self.limiter.headers(route))
        await self.server.changed()
        return response

    @staticmethod
    def json(data: Any, status: int = 200) -> web.Response:
        """A JSON response (for route modules)."""
        return json_response(data, status)

    def sent_at(self) -> float:
        """When the request being handled left the bot (now, outside a request)."""
        return _SENT_AT.get() or self.server.clock()

    def authenticate(self, request: web.Request) -> BotAccount:
        """The bot whose ``Authorization: Bot <token>`` header this is (401 otherwise)."""
        header = request.headers.get("Authorization", "")
        bot = self.server.bots.get(header.removeprefix("Bot ")) if header.startswith("Bot ") else None
        if bot is None:
            raise DiscordError(401, 0, "401: Unauthorized")
        return bot

    # -- channels and messages --------------------------------------------------------------------

    async def _create_dm(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        user_id = int(body.get("recipient_id") or 0)
        if user_id not in self.server.users:
            raise DiscordError(400, 50033, "Invalid Recipients")
        return json_response(self.server.dm_channel(user_id).payload())

    def _channel(self, request: web.Request) -> Channel:
        return found(self.server.channels, request, "channel", 10003, "Unknown Channel")

    async def _get_channel(self, request: web.Request) -> web.StreamResponse:
        return json_response(self._channel(request).payload())

    async def _typing(self, request: web.Request) -> web.StreamResponse:
        self._channel(request)
        return web.Response(status=204)

    async def read_body(self, request: web.Request) -> tuple[Json, list[Attachment]]:
        """A message body: JSON, or multipart with ``payload_json`` and ``files[n]``."""
        if not request.content_type.startswith("multipart/"):
            if not request.can_read_body:
                return {}, []
            body = await request.json()
            return (body if isinstance(body, dict) else {}), []
        payload: Json = {}
        files: list[Attachment] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                payload = json.loads(await part.read(decode=True))
            else:
                data = bytes(await part.read(decode=True))
                content_type = part.headers.get("Content-Type", "")
                attachment = Attachment(part.filename or "file", data, content_type, id=self.server.ids.next())
                files.append(attachment)
        for attachment in files:
            self.server.attachments[attachment.id] = attachment
        return payload, files

    def new_message(
        self, channel: Channel, author: User, payload: Json, files: list[Attachment], *, store: bool = True
    ) -> Message:
        """A message from ``payload``; stored in the channel unless ephemeral or ``store`` is false."""
        nonce = payload.get("nonce")
        message = Message(
            self.server.ids.next(),
            channel.id,
            author,
            str(payload.get("content") or ""),
            guild_id=channel.guild_id,
            embeds=list(payload.get("embeds") or []),
            components=list(payload.get("components") or []),
            attachments=files,
            allowed_mentions=payload.get("allowed_mentions"),
            flags=int(payload.get("flags") or 0),
            nonce=str(nonce) if nonce is not None else None,
        )
        if store:
            self.store(message)
        return message

    def store(self, message: Message) -> None:
        """Put a message in its channel's history (ephemeral messages are not in any history)."""
        if not message.ephemeral:
            self.server.messages.setdefault(message.channel_id, []).append(message)

    async def announce(self, message: Message) -> None:
        """MESSAGE_CREATE for a message everyone in the channel sees."""
        if not message.ephemeral:
            await self.server.gateway.dispatch_all(
                "MESSAGE_CREATE", self.server.message_payload(message), message_intent(message)
            )

    async def _post_message(self, request: web.Request) -> web.StreamResponse:
        bot = self.authenticate(request)
        channel = self._channel(request)
        payload, files = await self.read_body(request)
        if channel.recipient is not None and channel.recipient.id in self.server.closed_dms:
            raise DiscordError(403, 50007, "Cannot send messages to this user")
        if self.server.unavailable_channels.get(channel.id, 0) > 0:
            self.server.unavailable_channels[channel.id] -= 1
            raise DiscordError(503, 0, "Service Unavailable")
        check_message(payload, files, creating=True)
        nonce = payload.get("nonce")
        key = (channel.id, bot.user.id, str(nonce))
        enforced = nonce is not None and bool(payload.get("enforce_nonce"))
        if enforced:
            seen = self._nonces.get(key)
            if seen is not None and self.server.clock() - seen[0] < NONCE_WINDOW:
                return json_response(self.server.message_payload(seen[1]))
        message = self.new_message(channel, bot.user, payload, files)
        if enforced:
            self._nonces[key] = (self.server.clock(), message)
        await self.announce(message)
        return json_response(self.server.message_payload(message))

    def _find_message(self, channel: Channel, message_id: int) -> Message:
        for message in self.server.messages.get(channel.id, []):
            if message.id == message_id and not message.deleted:
                return message
        raise DiscordError(404, 10008, "Unknown Message")

    async def _list_messages(self, request: web.Request) -> web.StreamResponse:
        channel = self._channel(request)
        limit = max(1, min(100, int(request.query.get("limit", "50"))))
        visible = self.server.messages_in(channel)
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
        return json_response([self.server.message_payload(m) for m in reversed(chosen)])

    async def _get_message(self, request: web.Request) -> web.StreamResponse:
        message = self._find_message(self._channel(request), snowflake(request, "message"))
        return json_response(self.server.message_payload(message))

    def apply_edit(self, message: Message, payload: Json, files: list[Attachment]) -> None:
        """Apply a PATCH body to ``message`` (only the fields present change)."""
        merged = {
            "content": payload.get("content", message.content),
            "embeds": payload.get("embeds", message.embeds),
            "components": payload.get("components", message.components),
            "flags": payload.get("flags", message.flags),
        }
        kept = message.attachments
        if "attachments" in payload:
            keep = {str(a.get("id")) for a in payload.get("attachments") or []}
            kept = [a for a in message.attachments if str(a.id) in keep]
        check_message(merged, kept + files, creating=True)
        message.content = str(merged["content"] or "")
        message.embeds = list(merged["embeds"] or [])
        message.components = list(merged["components"] or [])
        message.attachments = kept + files
        if "allowed_mentions" in payload:
            message.allowed_mentions = payload["allowed_mentions"]
        if payload.get("flags") is not None:
            message.flags = int(payload["flags"]) | (message.flags & EPHEMERAL)
        message.edited_timestamp = iso_now()

    async def _edit_message(self, request: web.Request) -> web.StreamResponse:
        bot = self.authenticate(request)
        message = self._find_message(self._channel(request), snowflake(request, "message"))
        if message.author.id != bot.user.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        payload, files = await self.read_body(request)
        self.apply_edit(message, payload, files)
        data = self.server.message_payload(message)
        await self.server.gateway.dispatch_all("MESSAGE_UPDATE", data, message_intent(message))
        return json_response(data)

    async def _delete_message(self, request: web.Request) -> web.StreamResponse:
        channel = self._channel(request)
        message = self._find_message(channel, snowflake(request, "message"))
        await self.delete(message)
        return web.Response(status=204)

    async def delete(self, message: Message) -> None:
        """Mark ``message`` deleted and tell the bots."""
        message.deleted = True
        data: Json = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        if not message.ephemeral:
            await self.server.gateway.dispatch_all("MESSAGE_DELETE", data, message_intent(message))

    # -- servers ----------------------------------------------------------------------------------

    def _guild(self, request: web.Request) -> Guild:
        return found(self.server.guilds, request, "guild", 10004, "Unknown Guild")

    async def _get_guild(self, request: web.Request) -> web.StreamResponse:
        data = self._guild(request).payload()
        for key in ("members", "channels", "threads", "presences", "voice_states", "joined_at", "large"):
            data.pop(key, None)
        data["approximate_member_count"] = data.pop("member_count")
        return json_response(data)

    async def _guild_channels(self, request: web.Request) -> web.StreamResponse:
        return json_response([c.payload() for c in self._guild(request).channels.values()])

    async def _guild_members(self, request: web.Request) -> web.StreamResponse:
        guild = self._guild(request)
        limit = max(1, min(1000, int(request.query.get("limit", "1"))))
        after = int(request.query.get("after", "0"))
        members = sorted((m for m in guild.members.values() if m.user.id > after), key=lambda m: m.user.id)
        return json_response([m.payload() for m in members[:limit]])

    async def _guild_member(self, request: web.Request) -> web.StreamResponse:
        member = found(self._guild(request).members, request, "user_id", 10007, "Unknown Member")
        return json_response(member.payload())

    async def _guild_roles(self, request: web.Request) -> web.StreamResponse:
        return json_response([r.payload() for r in self._guild(request).roles.values()])

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        attachment = self.server.attachments.get(snowflake(request, "attachment"))
        if attachment is None:
            return web.Response(status=404)
        return web.Response(body=attachment.data, content_type=attachment.content_type)
