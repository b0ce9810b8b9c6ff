"""Members' privacy: see everything stored about you, and erase it."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from bot.i18n import t
from bot.services.deps import Deps
from bot.storage.db import utc_iso
from bot.storage.privacy_repo import PrivacyRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MyData:
    """What ``/privacy mydata`` returns: a JSON document and how many records it holds."""

    document: bytes
    records: int


class PrivacyService:
    """``/privacy mydata`` and ``/privacy forget``, scoped to one server."""

    def __init__(self, deps: Deps, repo: PrivacyRepo) -> None:
        self.deps = deps
        self.repo = repo

    async def my_data(self, guild_id: int, user_id: int) -> MyData:
        """Everything this server's council has stored about the user, as JSON."""
        tables = await self.repo.export(guild_id, user_id)
        document: dict[str, Any] = {
            "user_id": str(user_id),
            "server_id": str(guild_id),
            "exported_at": utc_iso(self.deps.clock.now()),
            "data": tables,
        }
        data = json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")
        return MyData(data, sum(len(rows) for rows in tables.values()))

    async def forget(self, guild_id: int, user_id: int) -> int:
        """Erase the user's personal data in this server, in one transaction; return rows changed.

        Their seats end, messages still owed to them are dropped, their name and drafts are deleted,
        and their id in the council's history becomes an anonymous placeholder. Stored minutes
        documents stay exactly as published.
        """
        label = t(await self.repo.language(guild_id), "privacy.anonymous")
        async with self.deps.db.transaction():
            changed = await self.repo.forget(guild_id, user_id, self.deps.clock.now(), label)
        log.info("erased the personal data of a user in guild %s (%d rows)", guild_id, changed)
        return changed
