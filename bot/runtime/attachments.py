"""The files the outbox worker attaches, built when a message is sent (never stored in the outbox).

An outbox row names an attachment by kind and reference; here each kind becomes a ``discord.File``
from the use case that owns it: the minutes documents, a meeting's calendar file, an agenda document.
"""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

import discord

from bot.domain.notices import CALENDAR_ATTACHMENT, DOCUMENT_ATTACHMENT
from bot.services.minutes import ATTACHMENT_KIND as MINUTES_ATTACHMENT

if TYPE_CHECKING:
    from bot.runtime.outbox_worker import OutboxWorker
    from bot.runtime.wiring import Services

log = logging.getLogger(__name__)


def register_attachments(worker: OutboxWorker, services: Services) -> None:
    """Teach ``worker`` to build every kind of attachment from ``services``."""

    async def minutes(guild_id: int, ref: str) -> discord.File:
        """Build a minutes document attachment for the outbox worker."""
        name, data = await services.minutes.attachment(guild_id, ref)
        return discord.File(io.BytesIO(data), filename=name)

    async def calendar(guild_id: int, ref: str) -> discord.File:
        """Build a meeting's ``.ics`` for the outbox worker (the meeting as it stands when sent)."""
        name, data = await services.meetings.calendar_file(guild_id, int(ref))
        return discord.File(io.BytesIO(data), filename=name)

    async def document(guild_id: int, ref: str) -> discord.File | None:
        """Read an agenda document from the database for the outbox worker (``None`` once removed)."""
        found = await services.agenda.document(guild_id, int(ref))
        if found is None:
            log.info("document %s of guild %s was removed before it was sent", ref, guild_id)
            return None
        name, data = found
        return discord.File(io.BytesIO(data), filename=name)

    worker.register_attachment(MINUTES_ATTACHMENT, minutes)
    worker.register_attachment(CALENDAR_ATTACHMENT, calendar)
    worker.register_attachment(DOCUMENT_ATTACHMENT, document)
