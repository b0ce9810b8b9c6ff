"""The sandbox's REST API under ``/api/v10``: what discord.py and a council bot call, nothing more.

Every response is JSON with ``Content-Type: application/json`` exactly (discord.py parses nothing
else), carries ``X-RateLimit-*`` headers, and errors have Discord's ``{"message", "code"}`` shape.
Unknown routes answer 404 and are logged at WARNING, so a missing piece shows at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from bot.sandbox.events import ScheduledEventRoutes
from bot.sandbox.interactions import (
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MODAL,
    UPDATE_MESSAGE,
    InteractionHandle,
    Modal,
)
from bot.sandbox.limits import DiscordError, RateLimiter, check_message, check_modal, route_key
from bot.sandbox.state import (
    EPHEMERAL,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    Attachment,
    BotAccount,
    Channel,
    Command,
    Guild,
    Json,
    Message,
    User,
    iso_now,
)

if TYPE_CHECKING:
    from bot.sandbox.server import SandboxServer

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

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


def message_intent(message: Message) -> int:
    """The intent a MESSAGE_CREATE/UPDATE/DELETE for ``message`` needs."""
    return INTENT_GUILD_MESSAGES if message.guild_id is not None else INTENT_DIRECT_MESSAGES


class RestApi:
    """The REST routes; handlers read and change the :class:`~bot.sandbox.server.SandboxServer`'s state."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.limiter = RateLimiter(server.clock)
        self.scheduled_events = ScheduledEventRoutes(self)
        self._nonces: dict[tuple[int, int, str], tuple[float, Message]] = {}

    def install(self, app: web.Application) -> None:
        """Add every route (and the catch-all 404) to ``app``."""
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/users/@me", self._me),
            ("GET", "/users/{user_id}", self._get_user),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/oauth2/applications/@me", self._application),
            ("GET", "/applications/@me", self._application),
            ("GET", "/applications/{app}/commands", self._get_commands),
            ("PUT", "/applications/{app}/commands", self._put_commands),
            ("POST", "/applications/{app}/commands", self._post_command),
            ("GET", "/applications/{app}/commands/{command}", self._get_command),
            ("PATCH", "/applications/{app}/commands/{command}", self._patch_command),
            ("DELETE", "/applications/{app}/commands/{command}", self._delete_command),
            ("GET", "/applications/{app}/guilds/{guild}/commands", self._get_commands),
            ("PUT", "/applications/{app}/guilds/{guild}/commands", self._put_commands),
            ("POST", "/applications/{app}/guilds/{guild}/commands", self._post_command),
            ("GET", "/applications/{app}/guilds/{guild}/commands/{command}", self._get_command),
            ("PATCH", "/applications/{app}/guilds/{guild}/commands/{command}", self._patch_command),
            ("DELETE", "/applications/{app}/guilds/{guild}/commands/{command}", self._delete_command),
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
            ("POST", "/interactions/{interaction}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app}/{token}", self._followup),
            ("GET", "/webhooks/{app}/{token}/messages/{message}", self._webhook_get),
            ("PATCH", "/webhooks/{app}/{token}/messages/{message}", self._webhook_edit),
            ("DELETE", "/webhooks/{app}/{token}/messages/{message}", self._webhook_delete),
        ]
        routes += self.scheduled_events.routes()
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

    def authenticate(self, request: web.Request) -> BotAccount:
        """The bot whose ``Authorization: Bot <token>`` header this is (401 otherwise)."""
        header = request.headers.get("Authorization", "")
        bot = self.server.bots.get(header.removeprefix("Bot ")) if header.startswith("Bot ") else None
        if bot is None:
            raise DiscordError(401, 0, "401: Unauthorized")
        return bot

    # -- users and applications ---------------------------------------------------------------------

    async def _me(self, request: web.Request) -> web.StreamResponse:
        return json_response(self.authenticate(request).user.payload())

    async def _get_user(self, request: web.Request) -> web.StreamResponse:
        user = self.server.users.get(_snowflake(request, "user_id"))
        if user is None:
            raise DiscordError(404, 10013, "Unknown User")
        return json_response(user.payload())

    async def _application(self, request: web.Request) -> web.StreamResponse:
        bot = self.authenticate(request)
        owner = next((u for u in self.server.users.values() if not u.bot), bot.user)
        return json_response(
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
                "team": None,
                "bot": bot.user.payload(),
            }
        )

    def _app(self, request: web.Request) -> BotAccount:
        bot = self.authenticate(request)
        if request.match_info.get("app") != str(bot.application_id):
            raise DiscordError(403, 50001, "Missing Access")
        return bot

    def _command_guild(self, request: web.Request) -> int | None:
        guild = request.match_info.get("guild")
        if guild is None:
            return None
        if int(guild) not in self.server.guilds:
            raise DiscordError(403, 50001, "Missing Access")
        return int(guild)

    def _commands_of(self, bot: BotAccount, guild_id: int | None) -> list[Command]:
        return [
            c
            for c in self.server.commands.values()
            if c.application_id == bot.application_id and c.guild_id == guild_id
        ]

    async def _get_commands(self, request: web.Request) -> web.StreamResponse:
        bot, guild_id = self._app(request), self._command_guild(request)
        return json_response([c.payload() for c in self._commands_of(bot, guild_id)])

    def _add_command(self, bot: BotAccount, data: Json, guild_id: int | None) -> Command:
        name = str(data.get("name") or "")
        if not 1 <= len(name) <= 32:
            raise DiscordError(400, 50035, "Invalid Form Body")
        existing = next(
            (
                c
                for c in self._commands_of(bot, guild_id)
                if c.name == name and c.data.get("type", 1) == data.get("type", 1)
            ),
            None,
        )
        if existing is not None:
            existing.data = data
            return existing
        command = Command(self.server.ids.next(), bot.application_id, data, guild_id)
        self.server.commands[command.id] = command
        return command

    async def _put_commands(self, request: web.Request) -> web.StreamResponse:
        bot, guild_id = self._app(request), self._command_guild(request)
        body = await request.json()
        if len(body) > 100:
            raise DiscordError(400, 30032, "Maximum number of application commands reached (100)")
        for command in self._commands_of(bot, guild_id):
            del self.server.commands[command.id]
        return json_response([self._add_command(bot, data, guild_id).payload() for data in body])

    async def _post_command(self, request: web.Request) -> web.StreamResponse:
        bot, guild_id = self._app(request), self._command_guild(request)
        return json_response(self._add_command(bot, await request.json(), guild_id).payload(), 201)

    def _command(self, request: web.Request) -> Command:
        bot, guild_id = self._app(request), self._command_guild(request)
        command = self.server.commands.get(_snowflake(request, "command"))
        if command is None or command.application_id != bot.application_id or command.guild_id != guild_id:
            raise DiscordError(404, 10063, "Unknown application command")
        return command

    async def _get_command(self, request: web.Request) -> web.StreamResponse:
        return json_response(self._command(request).payload())

    async def _patch_command(self, request: web.Request) -> web.StreamResponse:
        command = self._command(request)
        command.data = {**command.data, **(await request.json())}
        return json_response(command.payload())

    async def _delete_command(self, request: web.Request) -> web.StreamResponse:
        del self.server.commands[self._command(request).id]
        return web.Response(status=204)

    # -- channels and messages --------------------------------------------------------------------

    async def _create_dm(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        user_id = int(body.get("recipient_id") or 0)
        if user_id not in self.server.users:
            raise DiscordError(400, 50033, "Invalid Recipients")
        return json_response(self.server.dm_channel(user_id).payload())

    def _channel(self, request: web.Request) -> Channel:
        channel = self.server.channels.get(_snowflake(request, "channel"))
        if channel is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        return channel

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
        message = self._find_message(self._channel(request), _snowflake(request, "message"))
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
        message = self._find_message(self._channel(request), _snowflake(request, "message"))
        if message.author.id != bot.user.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        payload, files = await self.read_body(request)
        self.apply_edit(message, payload, files)
        data = self.server.message_payload(message)
        await self.server.gateway.dispatch_all("MESSAGE_UPDATE", data, message_intent(message))
        return json_response(data)

    async def _delete_message(self, request: web.Request) -> web.StreamResponse:
        channel = self._channel(request)
        message = self._find_message(channel, _snowflake(request, "message"))
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
        guild = self.server.guilds.get(_snowflake(request, "guild"))
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        return guild

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
        member = self._guild(request).members.get(_snowflake(request, "user_id"))
        if member is None:
            raise DiscordError(404, 10007, "Unknown Member")
        return json_response(member.payload())

    async def _guild_roles(self, request: web.Request) -> web.StreamResponse:
        return json_response([r.payload() for r in self._guild(request).roles.values()])

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        attachment = self.server.attachments.get(_snowflake(request, "attachment"))
        if attachment is None:
            return web.Response(status=404)
        return web.Response(body=attachment.data, content_type=attachment.content_type)

    # -- interaction responses ----------------------------------------------------------------------

    async def _callback(self, request: web.Request) -> web.StreamResponse:
        handle = self.server.interactions.get(_snowflake(request, "interaction"))
        if handle is None or handle.token != request.match_info["token"]:
            raise DiscordError(404, 10062, "Unknown interaction")
        handle.responded_at = handle.responded_at or (_SENT_AT.get() or self.server.clock())
        if self.server.clock() - handle.created > self.server.interaction_deadline:
            raise DiscordError(404, 10062, "Unknown interaction")
        if handle.responded:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        body, files = await self.read_body(request)
        kind = int(body.get("type", 0))
        data: Json = body.get("data") or {}
        channel = self.server.channels[int(handle.payload["channel_id"])]
        bot = self.server.bot_for(handle)
        message: Message | None = None
        if kind == CHANNEL_MESSAGE:
            check_message(data, files, creating=True)
            message = self.new_message(channel, bot.user, data, files)
            message.interaction_id = handle.id
            handle.original = message
        elif kind == DEFERRED_CHANNEL_MESSAGE:
            flags = int(data.get("flags") or 0) & EPHEMERAL
            message = self.new_message(channel, bot.user, {"flags": flags | (1 << 7)}, [], store=False)
            message.interaction_id = handle.id
            handle.original = message
            handle.placeholder_pending = True
        elif kind in (DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE):
            if handle.payload.get("message") is None:
                raise DiscordError(400, 40004, "Interaction has no message to update")  # only for components
            target = self._component_message(handle)
            if kind == UPDATE_MESSAGE:
                self.apply_edit(target, data, files)
                message = target
            handle.updated_message = target
        elif kind == AUTOCOMPLETE_RESULT:
            choices = list(data.get("choices") or [])
            if len(choices) > 25:
                raise DiscordError(400, 50035, "Invalid Form Body")
            handle.choices = choices
        elif kind == MODAL:
            check_modal(data)
            handle.modal = Modal.from_payload(data)
        else:
            raise DiscordError(400, 50035, f"Invalid interaction response type {kind}")
        handle.response_type = kind
        if kind == CHANNEL_MESSAGE and message is not None:
            await self.announce(message)
        elif kind == UPDATE_MESSAGE and message is not None and not message.ephemeral:
            update = self.server.message_payload(message)
            await self.server.gateway.dispatch_all("MESSAGE_UPDATE", update, message_intent(message))
        if request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        resource: Json = {"type": kind}
        if message is not None:
            resource["message"] = self.server.message_payload(message)
        interaction: Json = {
            "id": str(handle.id),
            "type": handle.kind,
            "activity_instance_id": None,
            "response_message_id": str(message.id) if message is not None else None,
            "response_message_loading": kind == DEFERRED_CHANNEL_MESSAGE,
            "response_message_ephemeral": bool(message is not None and message.ephemeral),
        }
        return json_response({"interaction": interaction, "resource": resource})

    def _component_message(self, handle: InteractionHandle) -> Message:
        raw = handle.payload.get("message")
        if raw is None:
            raise DiscordError(404, 10008, "Unknown Message")
        message_id = int(raw["id"])
        for message in self.server.messages.get(int(raw["channel_id"]), []):
            if message.id == message_id:
                return message
        for other in self.server.interactions.values():  # ephemeral messages live only on their interaction
            for message in other.messages:
                if message.id == message_id:
                    return message
        raise DiscordError(404, 10008, "Unknown Message")

    def _handle(self, request: web.Request) -> InteractionHandle:
        handle = self.server.interaction_by_token(request.match_info["token"])
        if handle is None or request.match_info["app"] != handle.payload["application_id"]:
            raise DiscordError(404, 10015, "Unknown Webhook")
        return handle

    def _webhook_message(self, handle: InteractionHandle, message_id: str) -> Message:
        if message_id == "@original":
            if handle.original is not None:
                return handle.original
            if handle.response_type in (DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE):
                handle.updated_message = self._component_message(handle)
                return handle.updated_message
            raise DiscordError(404, 10008, "Unknown Message")
        for message in handle.followups:
            if str(message.id) == message_id:
                return message
        raise DiscordError(404, 10008, "Unknown Message")

    async def _webhook_get(self, request: web.Request) -> web.StreamResponse:
        handle = self._handle(request)
        message = self._webhook_message(handle, request.match_info["message"])
        if message.deleted:
            raise DiscordError(404, 10008, "Unknown Message")
        return json_response(self.server.message_payload(message))

    async def _webhook_edit(self, request: web.Request) -> web.StreamResponse:
        handle = self._handle(request)
        message = self._webhook_message(handle, request.match_info["message"])
        payload, files = await self.read_body(request)
        self.apply_edit(message, payload, files)
        if message is handle.original and handle.placeholder_pending:
            await self._fill_placeholder(handle, message)
        elif not message.ephemeral:
            update = self.server.message_payload(message)
            await self.server.gateway.dispatch_all("MESSAGE_UPDATE", update, message_intent(message))
        return json_response(self.server.message_payload(message))

    async def _fill_placeholder(self, handle: InteractionHandle, message: Message) -> None:
        message.flags &= ~(1 << 7)  # no longer "loading"
        handle.placeholder_pending = False
        self.store(message)
        await self.announce(message)

    async def _webhook_delete(self, request: web.Request) -> web.StreamResponse:
        handle = self._handle(request)
        await self.delete(self._webhook_message(handle, request.match_info["message"]))
        return web.Response(status=204)

    async def _followup(self, request: web.Request) -> web.StreamResponse:
        handle = self._handle(request)
        if not handle.responded:
            raise DiscordError(404, 10015, "Unknown Webhook")
        payload, files = await self.read_body(request)
        check_message(payload, files, creating=True)
        if handle.placeholder_pending and handle.original is not None:
            # As on Discord, the first follow-up after a deferred "thinking" response fills the placeholder.
            placeholder = handle.original
            placeholder.flags &= EPHEMERAL
            self.apply_edit(placeholder, {**payload, "flags": None}, files)
            placeholder.allowed_mentions = payload.get("allowed_mentions")
            await self._fill_placeholder(handle, placeholder)
            return json_response(self.server.message_payload(placeholder))
        channel = self.server.channels[int(handle.payload["channel_id"])]
        message = self.new_message(channel, self.server.bot_for(handle).user, payload, files)
        message.interaction_id = handle.id
        handle.followups.append(message)
        await self.announce(message)
        return json_response(self.server.message_payload(message))


def _snowflake(request: web.Request, name: str) -> int:
    value = request.match_info[name]
    if not value.isdigit():
        raise DiscordError(400, 50035, "Invalid Form Body", {name: {"_errors": [{"code": "NUMBER_TYPE_COERCE"}]}})
    return int(value)
