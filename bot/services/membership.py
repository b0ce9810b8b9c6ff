"""Whether a seat holder is still in the server when they act for their organisation.

Buttons and forms in DMs, and plain DM replies, work from anywhere: someone who left the server (or
was removed) could otherwise keep answering and writing for an organisation. The check is made when
they act, through a :class:`MemberLookup` the bot provides (one REST call; no privileged intent),
and the secretary channel is told once that a seat holder left, so the seat can be reassigned.
"""

from __future__ import annotations

import logging
from typing import Protocol

from bot.domain.outbox import OutgoingMessage
from bot.domain.text import no_mentions
from bot.errors import NotAllowed
from bot.i18n import t
from bot.services.deps import Deps
from bot.services.outbox import OutboxService

log = logging.getLogger(__name__)


class MemberLookup(Protocol):
    """Asks Discord whether a user is a member of a server."""

    async def is_member(self, guild_id: int, user_id: int) -> bool | None:
        """``True``/``False``, or ``None`` when it could not be told (then the user is given the benefit)."""
        ...


class AssumeMember:
    """The lookup before the bot provides one (offline commands, service tests): everyone is a member."""

    async def is_member(self, guild_id: int, user_id: int) -> bool | None:
        """Always ``True``."""
        return True


class MembershipService:
    """Refuses seat holders who are no longer in the server, and tells the secretary once."""

    def __init__(self, deps: Deps, outbox: OutboxService, lookup: MemberLookup | None = None) -> None:
        self.deps = deps
        self.outbox = outbox
        self.lookup: MemberLookup = lookup or AssumeMember()

    async def has_left(self, guild_id: int, user_id: int) -> bool:
        """Whether the user is known to have left the server; if so the secretary is told (once)."""
        if await self.lookup.is_member(guild_id, user_id) is not False:
            return False
        await self._tell_secretary(guild_id, user_id)
        return True

    async def require_member(self, guild_id: int, user_id: int) -> None:
        """Raise ``NotAllowed("membership.left")`` when the user is no longer in the server."""
        if await self.has_left(guild_id, user_id):
            council = await self.deps.roster.get_council(guild_id)
            raise NotAllowed("membership.left", council=council.name if council else "")

    async def _tell_secretary(self, guild_id: int, user_id: int) -> None:
        council = await self.deps.roster.get_council(guild_id)
        seats = await self.deps.roster.seats_of_user(guild_id, user_id)
        if council is None or not seats:
            return
        names = []
        for seat in seats:
            org = await self.deps.roster.get_org(guild_id, seat.org_id)
            role = t(council.language, f"roster.role_{seat.role.value}")
            names.append(f"{no_mentions(org.short) if org else '?'} ({role})")
        person = await self.deps.roster.get_person(guild_id, user_id)
        text = t(
            council.language,
            "membership.alert_left",
            user=f"<@{user_id}>",
            name=no_mentions(person.display_name) if person else str(user_id),
            seats=", ".join(names),
        )
        async with self.deps.db.transaction():
            await self.outbox.alert(guild_id, f"left:{user_id}", OutgoingMessage(text))
        log.info("a seat holder who left guild %s tried to act for an organisation", guild_id)
