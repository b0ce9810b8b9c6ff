"""The Discord side of the meeting's scheduled event: REST calls through discord.py's HTTP client.

Implements :class:`~bot.services.events.EventPort`. Raw routes rather than ``Guild.create_scheduled_event``
because the bot asks for no scheduled-event intent and keeps no event cache: the database holds the ids.
Discord's answers become the service's errors: 403 with code 50013 (Missing Permissions) is
:class:`~bot.services.events.EventsForbiddenError`, 404 is :class:`~bot.services.events.EventGoneError`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import aiohttp
import discord

from bot.domain.events import EventSpec, EventStatus
from bot.services.events import EventGoneError, EventsForbiddenError, EventSyncError

EXTERNAL: Final = 3
GUILD_ONLY: Final = 2
MISSING_PERMISSIONS: Final = 50013
_STATUS_CODES: Final = {
    EventStatus.SCHEDULED: 1,
    EventStatus.ACTIVE: 2,
    EventStatus.COMPLETED: 3,
    EventStatus.CANCELLED: 4,
}


def event_payload(spec: EventSpec) -> dict[str, Any]:
    """The JSON of an external event (Discord requires a location and an end time for these)."""
    return {
        "name": spec.name,
        "description": spec.description,
        "privacy_level": GUILD_ONLY,
        "entity_type": EXTERNAL,
        "entity_metadata": {"location": spec.location},
        "scheduled_start_time": spec.start.isoformat(),
        "scheduled_end_time": spec.end.isoformat(),
    }


class DiscordEventPort:
    """Scheduled events over Discord's REST API.

    Args:
        client: the connected bot (its ``http`` client and user id).
    """

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def find(self, guild_id: int, spec: EventSpec) -> int | None:
        """An event this bot made with the same name and start (created just before a crash)."""
        me = self.client.user.id if self.client.user else None
        events = await self._call(self.client.http.get_scheduled_events(guild_id, False))
        for event in events or []:
            same = event.get("name") == spec.name and _same_time(event.get("scheduled_start_time"), spec)
            if same and str(event.get("creator_id")) == str(me) and event.get("status") == 1:
                return int(event["id"])
        return None

    async def create(self, guild_id: int, spec: EventSpec) -> int:
        """Create the event; return its id."""
        data = await self._call(self.client.http.create_guild_scheduled_event(guild_id, **event_payload(spec)))
        return int(data["id"])

    async def edit(self, guild_id: int, event_id: int, spec: EventSpec) -> None:
        """Move or rename the event."""
        await self._call(self.client.http.edit_scheduled_event(guild_id, event_id, **event_payload(spec)))

    async def set_status(self, guild_id: int, event_id: int, status: EventStatus) -> None:
        """Start, complete or cancel the event."""
        await self._call(self.client.http.edit_scheduled_event(guild_id, event_id, status=_STATUS_CODES[status]))

    async def _call(self, request: Any) -> Any:
        try:
            return await request
        except discord.Forbidden as exc:
            if exc.code == MISSING_PERMISSIONS:
                raise EventsForbiddenError("missing permissions") from exc
            raise EventSyncError(f"Forbidden {exc.code}") from exc
        except discord.NotFound as exc:
            raise EventGoneError(f"NotFound {exc.code}") from exc
        except discord.HTTPException as exc:
            raise EventSyncError(f"HTTP {exc.status} code {exc.code}") from exc
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise EventSyncError(type(exc).__name__) from exc


def _same_time(value: object, spec: EventSpec) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value) == spec.start
    except ValueError:
        return False
