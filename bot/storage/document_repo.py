"""Documents attached to agenda items, stored as BLOBs in SQLite. Every query is scoped by ``guild_id``.

Kept in the database rather than in a folder beside it: a document then belongs to the same
transaction as the agenda change that adds it, is in every ``council-bot db backup`` (the SQLite
backup API copies it), and cannot go missing while its row remains. The sizes are bounded (a few MB
per meeting, see ``[meetings]`` in the configuration), which SQLite handles well.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.documents import DocumentInfo
from bot.storage._rows import RowMapper
from bot.storage.db import Repository, utc_iso

_INFO = "id, guild_id, meeting_id, agenda_item_id, filename, content_type, size, created_at"
_info = RowMapper(DocumentInfo)


class DocumentRepo(Repository):
    """Repository for agenda documents."""

    async def insert(
        self,
        guild_id: int,
        meeting_id: int,
        item_id: int,
        *,
        filename: str,
        content_type: str,
        data: bytes,
        sha256: str,
        now: datetime,
    ) -> DocumentInfo:
        """Store a document; return its description."""
        doc_id = await self.db.execute(
            """INSERT INTO agenda_documents (guild_id, meeting_id, agenda_item_id, filename, content_type, size,
                                             sha256, data, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (guild_id, meeting_id, item_id, filename, content_type, len(data), sha256, data, utc_iso(now)),
        )
        return DocumentInfo(doc_id, guild_id, meeting_id, item_id, filename, content_type, len(data), now)

    async def for_meeting(self, guild_id: int, meeting_id: int) -> list[DocumentInfo]:
        """A meeting's documents, in the order they were attached."""
        return await self.db.fetchall_as(
            _info,
            f"SELECT {_INFO} FROM agenda_documents WHERE guild_id = ? AND meeting_id = ? ORDER BY id",
            (guild_id, meeting_id),
        )

    async def find_same(self, guild_id: int, meeting_id: int, item_id: int, sha256: str) -> DocumentInfo | None:
        """The same file already attached to the same item, if any."""
        return await self.db.fetchone_as(
            _info,
            f"""SELECT {_INFO} FROM agenda_documents
                WHERE guild_id = ? AND meeting_id = ? AND agenda_item_id = ? AND sha256 = ?""",
            (guild_id, meeting_id, item_id, sha256),
        )

    async def content(self, guild_id: int, doc_id: int) -> tuple[DocumentInfo, bytes] | None:
        """A document with its bytes."""
        row = await self.db.fetchone(
            f"SELECT {_INFO}, data FROM agenda_documents WHERE guild_id = ? AND id = ?", (guild_id, doc_id)
        )
        return (_info(row), bytes(row["data"])) if row else None

    async def delete_for_item(self, guild_id: int, item_id: int) -> int:
        """Remove an agenda item's documents (the item is being removed)."""
        return await self.db.execute_rowcount(
            "DELETE FROM agenda_documents WHERE guild_id = ? AND agenda_item_id = ?", (guild_id, item_id)
        )
