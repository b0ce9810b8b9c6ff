"""Members' DM channels as :mod:`bot.services.status` reads them: the Discord side of the DM intake.

:class:`~bot.services.status.DmIntake` decides what is read and in which order; this module only
opens channels (the remembered one without a request, else one paced request), reads their history and
sends the answers (a preview with its buttons under the last part, or why a DM was not taken).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import discord

from bot.domain.text import messages_for_discord
from bot.services.status import DmRefusal, DraftPreview, IncomingDm
from bot.ui.respond import NO_MENTIONS
from bot.ui.text import status as status_text

if TYPE_CHECKING:
    from bot.runtime.client import CouncilBot

log = logging.getLogger(__name__)

ViewFor = Callable[[DraftPreview], discord.ui.View]
"""Builds the keep/replace/append buttons of a preview (the status cog owns the buttons)."""


def incoming(message: discord.Message) -> IncomingDm:
    """A DM as the intake takes it."""
    return IncomingDm(message.author.id, message.id, message.content, message.created_at)


class DiscordDmChannel:
    """One member's DM channel (a :class:`~bot.services.status.DmChannel`)."""

    def __init__(self, channel: discord.abc.Messageable, user_id: int, view_for: ViewFor) -> None:
        self.channel = channel
        self.user_id = user_id
        self.view_for = view_for

    async def history(self, *, after: int, before: int | None, limit: int) -> Sequence[IncomingDm] | None:
        """The member's own messages in the window, oldest first; ``None`` when Discord refused."""
        found: list[IncomingDm] = []
        try:
            async for message in self.channel.history(
                after=discord.Object(id=after),
                before=discord.Object(id=before) if before is not None else None,
                oldest_first=True,
                limit=limit,
            ):
                if message.author.id == self.user_id and not message.author.bot:
                    found.append(incoming(message))
        except discord.HTTPException as exc:
            log.warning("could not read the DM history of user %s: HTTP %s", self.user_id, exc.status)
            return None
        return found

    async def answer(self, dm: IncomingDm, reply: DraftPreview | DmRefusal) -> None:
        """Send the preview (buttons under the last part) or the refusal, in parts Discord accepts."""
        if isinstance(reply, DraftPreview):
            text, view = status_text.draft_preview(reply), self.view_for(reply)
        else:
            text, view = status_text.dm_refusal(reply), None
        parts = messages_for_discord(text)
        try:
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                if last and view is not None:
                    await self.channel.send(part, view=view, allowed_mentions=NO_MENTIONS)
                else:
                    await self.channel.send(part, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.warning("could not answer DM %s of user %s: HTTP %s", dm.message_id, dm.user_id, exc.status)


class DiscordDms:
    """Opens members' DM channels and paces reading them back (a :class:`~bot.services.status.DmPort`)."""

    def __init__(self, bot: CouncilBot, view_for: ViewFor) -> None:
        self.bot = bot
        self.view_for = view_for

    async def open(self, user_id: int) -> DiscordDmChannel | None:
        """The remembered DM channel without a request, else opened (one paced request)."""
        known = await self.bot.services.outbox.known_dm_channel(user_id)
        if known is not None:
            channel: discord.abc.Messageable = self.bot.get_partial_messageable(known, type=discord.ChannelType.private)
        else:
            await self.bot.pacer.acquire()
            try:
                channel = await self.bot.create_dm(discord.Object(id=user_id))
            except discord.HTTPException as exc:
                log.warning("could not open the DM channel of user %s: HTTP %s", user_id, exc.status)
                return None
        return DiscordDmChannel(channel, user_id, self.view_for)

    async def pace(self) -> None:
        """Wait for a slot in the bot's request budget."""
        await self.bot.pacer.acquire()
