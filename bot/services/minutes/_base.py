"""What the parts of the minutes service share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.config import LimitsConfig
from bot.domain.meetings import Meeting
from bot.services.minutes._archive import MinutesArchive
from bot.services.minutes._results import PublishHook
from bot.services.outbox import OutboxService


class MinutesBase:
    """The minutes service's dependencies: the archive (reading, rendering, storing) and the outbox.

    ``publish_hooks`` run inside every publication's transaction (owners' action items, the approval
    item of the next meeting).
    """

    def __init__(
        self,
        archive: MinutesArchive,
        outbox: OutboxService,
        limits: LimitsConfig | None = None,
        *,
        publish_hooks: Sequence[PublishHook] = (),
    ) -> None:
        self.archive = archive
        self.deps = archive.deps
        self.repo = archive.repo
        self.outbox = outbox
        self.limits = limits or LimitsConfig()
        self.publish_hooks = tuple(publish_hooks)

    async def _meeting_for_minutes(self, guild_id: int, number: int | None) -> tuple[Meeting, datetime | None]:
        return await self.archive.meeting_for_minutes(guild_id, number)
