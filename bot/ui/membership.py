"""Asking Discord whether someone is still a member of a server (for :mod:`bot.services.membership`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

if TYPE_CHECKING:
    from bot.runtime.client import CouncilBot

log = logging.getLogger(__name__)

UNKNOWN_MEMBER = 10007


class DiscordMembers:
    """A :class:`~bot.services.membership.MemberLookup` over REST: ``GET /guilds/{id}/members/{user}``.

    No privileged intent is needed for one member by id. The member cache is not trusted: without
    the members intent the bot never hears that someone left.
    """

    def __init__(self, bot: CouncilBot) -> None:
        self.bot = bot

    async def is_member(self, guild_id: int, user_id: int) -> bool | None:
        """Whether the user is in the server; ``None`` when Discord could not say (treated as a member)."""
        # A person is waiting for this answer: ahead of queued outbox sends, within the global limit.
        await self.bot.pacer.acquire(priority=True)
        try:
            await self.bot.http.get_member(guild_id, user_id)
        except discord.NotFound as exc:
            if exc.code == UNKNOWN_MEMBER:
                return False
            log.warning("membership of a user in guild %s unknown: %s", guild_id, exc.code)
            return None
        except discord.HTTPException as exc:
            log.warning("could not check membership in guild %s: HTTP %s", guild_id, exc.status)
            return None
        return True
