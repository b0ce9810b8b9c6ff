"""Agenda use cases. The status round stays first and any other business ("Eventuelt") stays last.

Items carry background text (``details``; for the status round, its theme question) and documents.
A document attached after ``/meeting open`` is sent to everyone already invited, once each, in a message
of its own, enqueued in the transaction that stores it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from bot.domain.documents import DocumentInfo, DocumentLimits, check_content, check_upload, clean_filename
from bot.domain.meetings import (
    AGENDA_MAX,
    AgendaItem,
    AgendaItemFields,
    AgendaKind,
    Meeting,
    check_editable,
    move_positions,
)
from bot.domain.notices import MeetingContext, document_notice
from bot.domain.outbox import Purpose
from bot.errors import Conflict, InvalidInput, NotFound
from bot.services.deps import Deps
from bot.services.lookup import (
    agenda_context,
    council_meeting,
    find_meeting,
    meeting_context,
    require_council,
    resolve_meeting,
)
from bot.services.outbox import OutboxService
from bot.storage.document_repo import DocumentRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AgendaChange:
    """An agenda after a change, and the item concerned."""

    details: MeetingContext
    item: AgendaItem

    @property
    def invite_deputies_hint(self) -> bool:
        """The meeting was already opened and the item now interests deputies: ``/meeting open`` invites them."""
        return self.details.meeting.is_open and self.item.deputy_interest


@dataclass(frozen=True, slots=True)
class AttachResult:
    """A document attached to an item, and how many people already invited get it now."""

    details: MeetingContext
    item: AgendaItem
    document: DocumentInfo
    sent_to: int


class AgendaService:
    """Adds, edits, moves and removes agenda items, and attaches documents to them."""

    def __init__(
        self, deps: Deps, *, outbox: OutboxService | None = None, limits: DocumentLimits | None = None
    ) -> None:
        self.deps = deps
        self.documents = DocumentRepo(deps.db)
        self.outbox = outbox
        self.limits = limits or DocumentLimits.from_mb(8, 10)

    async def show(self, guild_id: int, number: int | None = None) -> MeetingContext:
        """A meeting with its agenda and documents."""
        return await find_meeting(self.deps, guild_id, number)

    async def items(self, guild_id: int, number: int | None = None) -> list[AgendaItem]:
        """The agenda of a meeting (for autocomplete); empty when there is no such meeting."""
        try:
            meeting = await resolve_meeting(self.deps.meetings, guild_id, number, self.deps.clock.now())
        except NotFound:
            return []
        return await self.deps.meetings.agenda(guild_id, meeting.id)

    async def add(self, guild_id: int, fields: AgendaItemFields, *, number: int | None = None) -> AgendaChange:
        """Add an item just before any other business, with its background text if given."""
        new = fields.new_item(guild_id)
        async with self.deps.db.transaction():
            meeting, items = await self._editable(guild_id, number)
            if len(items) >= AGENDA_MAX:
                raise InvalidInput("meetings.agenda_full", limit=AGENDA_MAX)
            last = items[-1] if items and items[-1].kind is AgendaKind.ANY_OTHER_BUSINESS else None
            position = last.position if last else len(items) + 1
            if last is not None:
                await self.deps.meetings.set_positions(guild_id, [(last.id, last.position + 1)])
            item_id = await self.deps.meetings.insert_item(replace(new, meeting_id=meeting.id, position=position))
            return await self._change(guild_id, meeting, item_id)

    async def edit(
        self, guild_id: int, position: int, fields: AgendaItemFields, *, number: int | None = None
    ) -> AgendaChange:
        """Change an item's title, lead, deputy interest or background text (``-`` clears lead and text).

        The status round's background text is the round's theme question.
        """
        if fields.is_empty:
            raise InvalidInput("meetings.nothing_to_change")
        async with self.deps.db.transaction():
            meeting, items = await self._editable(guild_id, number)
            item = _at(items, position)
            await self.deps.meetings.update_item(fields.apply(item))
            return await self._change(guild_id, meeting, item.id)

    async def move(self, guild_id: int, position: int, to: int, *, number: int | None = None) -> AgendaChange:
        """Move an item to another position between the status round and any other business."""
        async with self.deps.db.transaction():
            meeting, items = await self._editable(guild_id, number)
            item = _at(items, position)
            await self.deps.meetings.set_positions(guild_id, move_positions(items, item, to))
            return await self._change(guild_id, meeting, item.id)

    async def remove(self, guild_id: int, position: int, *, number: int | None = None) -> AgendaChange:
        """Remove an ordinary item; the items after it move up."""
        async with self.deps.db.transaction():
            meeting, items = await self._editable(guild_id, number)
            item = _at(items, position)
            if item.is_fixed:
                raise Conflict("meetings.item_fixed")
            # Notes (the minutes) hang on the item: removing it would lose them, so it is refused.
            used = await self.deps.meetings.item_references(guild_id, item.id, ignore=("agenda_documents",))
            if used:
                raise Conflict("meetings.item_has_notes", position=position, title=item.title, count=used)
            await self.documents.delete_for_item(guild_id, item.id)
            await self.deps.meetings.delete_item(guild_id, item.id)
            rest = [i for i in items if i.id != item.id]
            await self.deps.meetings.set_positions(guild_id, [(i.id, n) for n, i in enumerate(rest, start=1)])
            council = await require_council(self.deps.roster, guild_id)
            details = await agenda_context(self.deps, council, meeting)
        return AgendaChange(details, item)

    async def attach(
        self,
        guild_id: int,
        position: int,
        *,
        filename: str,
        size: int,
        load: Callable[[], Awaitable[bytes]],
        number: int | None = None,
    ) -> AttachResult:
        """Attach a document to an item (``/agenda attach``).

        The type and size are checked before the file is fetched (``load``), and its first bytes
        after; the limits are in the refusal. Once the meeting is open, everyone already invited gets
        the document in one message each (dedupe key per document and person).
        """
        name = clean_filename(filename)
        meeting, items = await self._editable(guild_id, number)
        item = _at(items, position)
        existing = await self.documents.for_meeting(guild_id, meeting.id)
        content_type = check_upload(
            name, size, limits=self.limits, stored=sum(d.size for d in existing), count=len(existing)
        )
        try:
            data = await load()
        except (OSError, TimeoutError) as exc:
            log.warning("could not fetch an attachment for guild %s: %s", guild_id, type(exc).__name__)
            raise InvalidInput("meetings.document_download_failed") from None
        check_content(name, data)
        digest = hashlib.sha256(data).hexdigest()
        now = self.deps.clock.now()
        async with self.deps.db.transaction():
            # Checked again inside the transaction: the agenda or other uploads may have changed meanwhile.
            meeting, items = await self._editable(guild_id, number)
            item = _at(items, position)
            if await self.documents.find_same(guild_id, meeting.id, item.id, digest) is not None:
                raise Conflict("meetings.document_duplicate", position=item.position)
            existing = await self.documents.for_meeting(guild_id, meeting.id)
            check_upload(name, len(data), limits=self.limits, stored=sum(d.size for d in existing), count=len(existing))
            doc = await self.documents.insert(
                guild_id,
                meeting.id,
                item.id,
                filename=name,
                content_type=content_type,
                data=data,
                sha256=digest,
                now=now,
            )
            sent = await self._send_to_invited(meeting, doc) if meeting.is_open and not meeting.has_started(now) else 0
            details = await self.show(guild_id, meeting.number)
        log.info("document %s attached to meeting %s in guild %s", doc.id, meeting.number, guild_id)
        return AttachResult(details, item, doc, sent)

    async def document(self, guild_id: int, doc_id: int) -> tuple[str, bytes] | None:
        """A document's name and bytes (the outbox worker attaches it); ``None`` once it was removed."""
        found = await self.documents.content(guild_id, doc_id)
        if found is None:
            return None
        info, data = found
        return info.filename, data

    # -- internals -------------------------------------------------------------------------------

    async def _send_to_invited(self, meeting: Meeting, doc: DocumentInfo) -> int:
        """One message with the new document to each person already invited (inside the transaction)."""
        if self.outbox is None:
            return 0
        ctx = await meeting_context(self.deps, meeting)
        return await self.outbox.dm_invitees(
            meeting,
            Purpose.DOCUMENT,
            lambda org: document_notice(ctx, org, doc),
            lambda _org, user_id: f"document:{doc.id}:{user_id}",
        )

    async def _editable(self, guild_id: int, number: int | None) -> tuple[Meeting, list[AgendaItem]]:
        _council, meeting = await council_meeting(self.deps, guild_id, number)
        check_editable(meeting)
        return meeting, await self.deps.meetings.agenda(guild_id, meeting.id)

    async def _change(self, guild_id: int, meeting: Meeting, item_id: int) -> AgendaChange:
        details = await meeting_context(self.deps, meeting)
        return AgendaChange(details, next(i for i in details.agenda if i.id == item_id))


def _at(items: list[AgendaItem], position: int) -> AgendaItem:
    for item in items:
        if item.position == position:
            return item
    raise NotFound("meetings.item_not_found", position=position)
