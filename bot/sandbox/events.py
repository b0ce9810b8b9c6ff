"""Guild scheduled events in the sandbox, with Discord's validation.

Routes: list, create, get, modify and delete ``/guilds/{guild}/scheduled-events``. Enforced as Discord
does: the bot needs Manage Events or Create Events (403, code 50013 "Missing Permissions"; Create
Events only for events it created itself); a name of 1–100 characters; ``privacy_level`` 2; an
external event (``entity_type`` 3) has no channel, a location of 1–100 characters and an end time
after its start; a description of at most 1,000 characters; a status only moves forward
(scheduled → active or cancelled, active → completed) and a completed or cancelled event cannot be
changed. Not enforced: "the start must be in the future" (the sandbox has no notion of the bot's
clock, and tests run the bot on a fake one), recurrence rules, images, stage and voice events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.sandbox.limits import DiscordError, form_error
from bot.sandbox.routes import Handler, RouteGroup
from bot.sandbox.state import Guild, Json

if TYPE_CHECKING:
    from bot.sandbox.rest import RestApi

MANAGE_EVENTS = 1 << 33
CREATE_EVENTS = 1 << 44
SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
STAGE, VOICE, EXTERNAL = 1, 2, 3
GUILD_ONLY = 2
_MOVES = {SCHEDULED: {SCHEDULED, ACTIVE, CANCELED}, ACTIVE: {ACTIVE, COMPLETED}}


@dataclass
class ScheduledEvent:
    """A scheduled event in a server."""

    id: int
    guild_id: int
    creator_id: int
    name: str
    scheduled_start_time: str
    scheduled_end_time: str | None
    entity_type: int
    privacy_level: int = GUILD_ONLY
    status: int = SCHEDULED
    description: str | None = None
    channel_id: int | None = None
    location: str | None = None
    history: list[int] = field(default_factory=list)
    """Every status it has had, in order (for tests)."""

    def payload(self) -> Json:
        """The guild scheduled event object."""
        return {
            "id": str(self.id),
            "guild_id": str(self.guild_id),
            "channel_id": str(self.channel_id) if self.channel_id else None,
            "creator_id": str(self.creator_id),
            "name": self.name,
            "description": self.description,
            "scheduled_start_time": self.scheduled_start_time,
            "scheduled_end_time": self.scheduled_end_time,
            "privacy_level": self.privacy_level,
            "status": self.status,
            "entity_type": self.entity_type,
            "entity_id": None,
            "entity_metadata": {"location": self.location} if self.location is not None else None,
            "user_count": 0,
            "image": None,
            "recurrence_rule": None,
        }


def _time(path: str, value: Any) -> datetime:
    if not isinstance(value, str):
        raise form_error(path, "BASE_TYPE_REQUIRED", "This field is required")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise form_error(path, "DATE_TIME_TYPE_PARSE", "Could not parse date time.") from None
    if parsed.tzinfo is None:
        raise form_error(path, "DATE_TIME_TYPE_PARSE", "Could not parse date time.")
    return parsed


def _text(path: str, value: Any, low: int, high: int) -> str:
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise form_error(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")
    return value


class ScheduledEventRoutes(RouteGroup):
    """The scheduled-event routes of the sandbox's REST API."""

    def __init__(self, rest: RestApi) -> None:
        super().__init__(rest)
        self.events: dict[int, ScheduledEvent] = {}

    def routes(self) -> list[tuple[str, str, Handler]]:
        """``(method, path, handler)`` for :meth:`RestApi.install`."""
        base = "/guilds/{guild}/scheduled-events"
        return [
            ("GET", base, self._list),
            ("POST", base, self._create),
            ("GET", base + "/{event}", self._get),
            ("PATCH", base + "/{event}", self._modify),
            ("DELETE", base + "/{event}", self._delete),
        ]

    def in_guild(self, guild: Guild | int) -> list[ScheduledEvent]:
        """A server's events, oldest first (test-side)."""
        guild_id = guild if isinstance(guild, int) else guild.id
        return [e for e in self.events.values() if e.guild_id == guild_id]

    # -- checks ------------------------------------------------------------------------------------

    def _allowed(self, request: web.Request, guild: Guild, event: ScheduledEvent | None) -> int:
        """The bot's user id, if it may create (``event`` None) or change ``event``; else 403 50013."""
        bot = self.rest.authenticate(request)
        permissions = guild.permissions_of(bot.user.id)
        own = event is None or event.creator_id == bot.user.id
        if permissions & MANAGE_EVENTS or (permissions & CREATE_EVENTS and own):
            return bot.user.id
        raise DiscordError(403, 50013, "Missing Permissions")

    def _event(self, request: web.Request, guild: Guild) -> ScheduledEvent:
        event = self.events.get(int(request.match_info["event"]))
        if event is None or event.guild_id != guild.id:
            raise DiscordError(404, 10070, "Unknown Guild Scheduled Event")
        return event

    def _changeable(self, request: web.Request) -> ScheduledEvent:
        """The event in the route, if the bot may change it: 404 for an unknown server or event, then 403."""
        guild = self.rest._guild(request)
        event = self._event(request, guild)
        self._allowed(request, guild, event)
        return event

    @staticmethod
    def _validate(event: ScheduledEvent) -> None:
        _text("name", event.name, 1, 100)
        if event.privacy_level != GUILD_ONLY:
            raise form_error("privacy_level", "ENUM_TYPE_COERCE", "Value must be one of {2}.")
        if event.entity_type not in (STAGE, VOICE, EXTERNAL):
            raise form_error("entity_type", "ENUM_TYPE_COERCE", "Value must be one of {1, 2, 3}.")
        if event.description is not None and len(event.description) > 1000:
            raise form_error("description", "BASE_TYPE_MAX_LENGTH", "Must be 1000 or fewer in length.")
        start = _time("scheduled_start_time", event.scheduled_start_time)
        if event.entity_type == EXTERNAL:
            if event.channel_id is not None:
                raise form_error("channel_id", "CHANNEL_ID_NOT_ALLOWED", "channel_id must be null for EXTERNAL events")
            _text("entity_metadata.location", event.location, 1, 100)
            if event.scheduled_end_time is None:
                raise form_error("scheduled_end_time", "BASE_TYPE_REQUIRED", "This field is required")
        elif event.channel_id is None:
            raise form_error("channel_id", "BASE_TYPE_REQUIRED", "This field is required")
        if event.scheduled_end_time is not None and _time("scheduled_end_time", event.scheduled_end_time) <= start:
            raise form_error("scheduled_end_time", "END_BEFORE_START", "The end time must be after the start time.")

    # -- handlers --------------------------------------------------------------------------------

    async def _list(self, request: web.Request) -> web.StreamResponse:
        guild = self.rest._guild(request)
        return self.rest.json([e.payload() for e in self.in_guild(guild)])

    async def _get(self, request: web.Request) -> web.StreamResponse:
        guild = self.rest._guild(request)
        return self.rest.json(self._event(request, guild).payload())

    async def _create(self, request: web.Request) -> web.StreamResponse:
        guild = self.rest._guild(request)
        creator = self._allowed(request, guild, None)
        body = await request.json()
        metadata = body.get("entity_metadata") or {}
        event = ScheduledEvent(
            id=self.rest.server.ids.next(),
            guild_id=guild.id,
            creator_id=creator,
            name=body.get("name"),
            scheduled_start_time=body.get("scheduled_start_time"),
            scheduled_end_time=body.get("scheduled_end_time"),
            entity_type=body.get("entity_type"),
            privacy_level=body.get("privacy_level"),
            description=body.get("description"),
            channel_id=int(body["channel_id"]) if body.get("channel_id") else None,
            location=metadata.get("location"),
        )
        self._validate(event)
        event.history.append(SCHEDULED)
        self.events[event.id] = event
        return self.rest.json(event.payload())

    async def _modify(self, request: web.Request) -> web.StreamResponse:
        event = self._changeable(request)
        body = await request.json()
        if event.status in (COMPLETED, CANCELED):
            raise DiscordError(400, 180000, "Cannot modify a finished event")
        changed = ScheduledEvent(**{**event.__dict__, "history": list(event.history)})
        for key in ("name", "scheduled_start_time", "scheduled_end_time", "description", "entity_type"):
            if key in body:
                setattr(changed, key, body[key])
        if "privacy_level" in body:
            changed.privacy_level = body["privacy_level"]
        if "entity_metadata" in body:
            changed.location = (body["entity_metadata"] or {}).get("location")
        if "channel_id" in body:
            changed.channel_id = int(body["channel_id"]) if body["channel_id"] else None
        if "status" in body:
            status = body["status"]
            if status not in _MOVES.get(event.status, set()):
                raise form_error("status", "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION", "Invalid status move.")
            changed.status = status
        self._validate(changed)
        if changed.status != event.status:
            changed.history.append(changed.status)
        self.events[event.id] = changed
        return self.rest.json(changed.payload())

    async def _delete(self, request: web.Request) -> web.StreamResponse:
        event = self._changeable(request)
        del self.events[event.id]
        return web.Response(status=204)
