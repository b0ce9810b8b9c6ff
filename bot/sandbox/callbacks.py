"""The sandbox's interaction responses: the callback of each interaction and its webhook (original, follow-ups).

The 3-second deadline, acknowledging once, deferred "thinking" placeholders filled by the first follow-up
or edit, component updates, autocomplete choices and forms, as Discord does.
"""

from __future__ import annotations

from aiohttp import web

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
from bot.sandbox.limits import DiscordError, check_message, check_modal, snowflake
from bot.sandbox.routes import Handler, RouteGroup
from bot.sandbox.state import EPHEMERAL, Json, Message, message_intent


class InteractionRoutes(RouteGroup):
    """The routes under ``/interactions`` and ``/webhooks``."""

    def routes(self) -> list[tuple[str, str, Handler]]:
        """``(method, path, handler)`` for :meth:`RestApi.install`."""
        return [
            ("POST", "/interactions/{interaction}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app}/{token}", self._followup),
            ("GET", "/webhooks/{app}/{token}/messages/{message}", self._webhook_get),
            ("PATCH", "/webhooks/{app}/{token}/messages/{message}", self._webhook_edit),
            ("DELETE", "/webhooks/{app}/{token}/messages/{message}", self._webhook_delete),
        ]

    # -- interaction responses ----------------------------------------------------------------------

    async def _callback(self, request: web.Request) -> web.StreamResponse:
        handle = self.server.interactions.get(snowflake(request, "interaction"))
        if handle is None or handle.token != request.match_info["token"]:
            raise DiscordError(404, 10062, "Unknown interaction")
        handle.responded_at = handle.responded_at or self.rest.sent_at()
        if self.server.clock() - handle.created > self.server.interaction_deadline:
            raise DiscordError(404, 10062, "Unknown interaction")
        if handle.responded:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        body, files = await self.rest.read_body(request)
        kind = int(body.get("type", 0))
        data: Json = body.get("data") or {}
        channel = self.server.channels[int(handle.payload["channel_id"])]
        bot = self.server.bot_for(handle)
        message: Message | None = None
        if kind == CHANNEL_MESSAGE:
            check_message(data, files, creating=True)
            message = self.rest.new_message(channel, bot.user, data, files)
            message.interaction_id = handle.id
            handle.original = message
        elif kind == DEFERRED_CHANNEL_MESSAGE:
            flags = int(data.get("flags") or 0) & EPHEMERAL
            message = self.rest.new_message(channel, bot.user, {"flags": flags | (1 << 7)}, [], store=False)
            message.interaction_id = handle.id
            handle.original = message
            handle.placeholder_pending = True
        elif kind in (DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE):
            if handle.payload.get("message") is None:
                raise DiscordError(400, 40004, "Interaction has no message to update")  # only for components
            target = self._component_message(handle)
            if kind == UPDATE_MESSAGE:
                self.rest.apply_edit(target, data, files)
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
            await self.rest.announce(message)
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
        return self.rest.json({"interaction": interaction, "resource": resource})

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
        return self.rest.json(self.server.message_payload(message))

    async def _webhook_edit(self, request: web.Request) -> web.StreamResponse:
        handle = self._handle(request)
        message = self._webhook_message(handle, request.match_info["message"])
        payload, files = await self.rest.read_body(request)
        self.rest.apply_edit(message, payload, files)
        if message is handle.original and handle.placeholder_pending:
            await self._fill_placeholder(handle, message)
        elif not message.ephemeral:
            update = self.server.message_payload(message)
            await self.server.gateway.dispatch_all("MESSAGE_UPDATE", update, message_intent(message))
        return self.rest.json(self.server.message_payload(message))

    async def _fill_placeholder(self, handle: InteractionHandle, message: Message) -> None:
        message.flags &= ~(1 << 7)  # no longer "loading"
        handle.placeholder_pending = False
        self.rest.store(message)
        await self.rest.announce(message)

    async def _webhook_delete(self, request: web.Request) -> web.StreamResponse:
        handle = self._handle(request)
        await self.rest.delete(self._webhook_message(handle, request.match_info["message"]))
        return web.Response(status=204)

    async def _followup(self, request: web.Request) -> web.StreamResponse:
        handle = self._handle(request)
        if not handle.responded:
            raise DiscordError(404, 10015, "Unknown Webhook")
        payload, files = await self.rest.read_body(request)
        check_message(payload, files, creating=True)
        if handle.placeholder_pending and handle.original is not None:
            # As on Discord, the first follow-up after a deferred "thinking" response fills the placeholder.
            placeholder = handle.original
            placeholder.flags &= EPHEMERAL
            self.rest.apply_edit(placeholder, {**payload, "flags": None}, files)
            placeholder.allowed_mentions = payload.get("allowed_mentions")
            await self._fill_placeholder(handle, placeholder)
            return self.rest.json(self.server.message_payload(placeholder))
        channel = self.server.channels[int(handle.payload["channel_id"])]
        message = self.rest.new_message(channel, self.server.bot_for(handle).user, payload, files)
        message.interaction_id = handle.id
        handle.followups.append(message)
        await self.rest.announce(message)
        return self.rest.json(self.server.message_payload(message))
