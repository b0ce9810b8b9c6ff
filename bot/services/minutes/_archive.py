"""Compiling, rendering and storing versions of the minutes."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime
from pathlib import Path

from bot.domain.dates import format_when
from bot.domain.meetings import Meeting, MeetingState
from bot.domain.memory import MinutesMemory
from bot.domain.minutes import Addendum, Guest, MinutesInput, StoredMinutes, compile_minutes
from bot.domain.outbox import AttachmentRef
from bot.domain.roster import Council
from bot.errors import Conflict
from bot.i18n import t
from bot.render import render_discord, render_docx, render_markdown
from bot.services.deps import Deps
from bot.services.lookup import people_names, resolve_meeting
from bot.services.minutes._results import ATTACHMENT_KIND, Format, MemorySource, NoStatuses, Rendered, StatusSource
from bot.storage.guest_repo import GuestRepo
from bot.storage.minutes_repo import MinutesRepo

log = logging.getLogger(__name__)

DRAFT_ATTEMPTS = 3


class DraftRacedError(Exception):
    """Another draft of the same meeting was stored while this one was rendered: render again."""


@dataclass(eq=False)
class MinutesArchive:
    """Reads what the minutes are compiled from, renders them off the event loop, stores versions.

    Shared by publishing (:class:`~bot.services.minutes.MinutesService`) and the approval of minutes,
    which re-stores them once approved. ``statuses`` and ``memory`` supply the status round and the
    council's memory (decisions, action items, approval).
    """

    deps: Deps
    repo: MinutesRepo
    _: KW_ONLY
    guests: GuestRepo
    statuses: StatusSource = field(default_factory=NoStatuses)
    memory: MemorySource | None = None
    docx_template: Path | None = None

    async def render(
        self, council: Council, meeting: Meeting, *, secretary_id: int | None, draft: bool, version: int | None
    ) -> Rendered:
        """Read the inputs, then compile and render in a worker thread (call with no transaction open)."""
        data = await self.input(council, meeting, secretary_id=secretary_id, draft=draft, version=version)
        return await asyncio.to_thread(compile_and_render, data, self.docx_template)

    async def render_input(self, data: MinutesInput) -> Rendered:
        """Compile and render inputs already read (e.g. with an addendum added) in a worker thread."""
        return await asyncio.to_thread(compile_and_render, data, self.docx_template)

    async def export(self, data: MinutesInput, fmt: Format) -> bytes:
        """Compile and render one format in a worker thread (an unsaved draft as a file)."""
        return await asyncio.to_thread(export_bytes, data, fmt, self.docx_template)

    async def input(
        self, council: Council, meeting: Meeting, *, secretary_id: int | None, draft: bool, version: int | None
    ) -> MinutesInput:
        """Everything the minutes are compiled from (reads only)."""
        guild_id = council.guild_id
        agenda = tuple(await self.deps.meetings.agenda(guild_id, meeting.id))
        notes: dict[int, list[str]] = {}
        for note in await self.repo.notes(guild_id, meeting.id):
            notes.setdefault(note.agenda_item_id, []).append(note.text)
        previous = await self.repo.previous_meeting_start(guild_id, meeting.id, meeting.start_at)
        new_seats = (
            tuple(await self.deps.roster.seats_assigned_between(guild_id, previous, meeting.start_at))
            if previous
            else ()
        )
        names = await people_names(self.deps, council)
        next_meeting = (
            format_when(meeting.next_when, council.tz, council.language) if meeting.next_when else meeting.next_text
        )
        proposed = await self.repo.next_meeting(guild_id, meeting.id)
        guests = tuple(Guest(g.name, g.affiliation) for g in await self.guests.guests(guild_id, meeting.id))
        return MinutesInput(
            council=council,
            meeting=meeting,
            agenda=agenda,
            orgs=tuple(await self.deps.roster.list_orgs(guild_id, include_retired=True)),
            invitations=tuple(await self.deps.invitations.for_meeting(guild_id, meeting.id)),
            names=names,
            statuses=tuple(await self.statuses.statuses_for_minutes(guild_id, meeting.id)),
            notes={k: tuple(v) for k, v in notes.items()},
            new_seats=new_seats,
            addenda=tuple(Addendum(a.created_at, a.text) for a in await self.repo.addenda(guild_id, meeting.id)),
            secretary_name=names.get(secretary_id) if secretary_id is not None else None,
            signed_on=self.deps.clock.now(),
            next_meeting=next_meeting,
            is_draft=draft,
            draft_version=version,
            memory=await self.memory.minutes_memory(council, meeting, draft=draft) if self.memory else MinutesMemory(),
            guests=guests,
            substitutes=await self.guests.substitutes(guild_id, meeting.id),
            next_place=proposed.place if proposed else None,
            next_note=proposed.note if proposed else None,
        )

    # -- notes -----------------------------------------------------------------------------------

    async def render_next_draft(self, council: Council, meeting: Meeting, by: int) -> tuple[int, Rendered]:
        """Read and render the next draft version in a worker thread; call with no transaction open."""
        latest = await self.repo.latest(council.guild_id, meeting.id, "draft")
        version = (latest.version if latest else 0) + 1
        return version, await self.render(council, meeting, secretary_id=by, draft=True, version=version)

    async def store_rendered_draft(
        self, council: Council, meeting: Meeting, version: int, rendered: Rendered, by: int
    ) -> StoredMinutes:
        """Store a draft from :meth:`render_next_draft` inside the caller's write transaction.

        Raises ``Conflict`` when another draft of the meeting was stored since it was rendered.
        """
        latest = await self.repo.latest(council.guild_id, meeting.id, "draft")
        if (latest.version if latest else 0) + 1 != version:
            raise Conflict("minutes.draft_busy")
        return await self.store(council, meeting, rendered, "draft", by, self.deps.clock.now())

    async def store_published(self, council: Council, meeting: Meeting, by: int) -> StoredMinutes:
        """Re-store the published minutes as they now stand (e.g. once approved), inside the caller's transaction.

        Rendered in a worker thread, but inside the caller's transaction (see :meth:`store_draft`).
        """
        rendered = await self.render(council, meeting, secretary_id=by, draft=False, version=None)
        return await self.store(council, meeting, rendered, "published", by, self.deps.clock.now())

    # -- files -----------------------------------------------------------------------------------

    async def meeting_for_minutes(self, guild_id: int, number: int | None) -> tuple[Meeting, datetime | None]:
        """The meeting a minutes command means, and when its minutes were published (if they were)."""
        meeting = await resolve_meeting(self.deps.meetings, guild_id, number, self.deps.clock.now(), recent=True)
        if meeting.state is MeetingState.CANCELLED:
            raise Conflict("minutes.cancelled", number=meeting.number)
        return meeting, await self.repo.published_at(guild_id, meeting.id)

    async def store(
        self, council: Council, meeting: Meeting, rendered: Rendered, kind: str, by: int, now: datetime
    ) -> StoredMinutes:
        return await self.repo.insert_version(
            council.guild_id,
            meeting.id,
            kind,
            rendered.document.language,
            rendered.markdown,
            rendered.docx,
            by,
            now,
        )


def compile_and_render(data: MinutesInput, template: Path | None = None) -> Rendered:
    """CPU-only: compile and render every format (runs in a worker thread)."""
    document = compile_minutes(data)
    return Rendered(
        document, render_markdown(document), render_docx(document, template), tuple(render_discord(document))
    )


def refs(stored: StoredMinutes) -> tuple[AttachmentRef, ...]:
    """The Markdown and Word files of a stored version, as outbox attachments."""
    return (AttachmentRef(ATTACHMENT_KIND, f"{stored.id}:md"), AttachmentRef(ATTACHMENT_KIND, f"{stored.id}:docx"))


def content(stored: StoredMinutes, fmt: Format) -> bytes:
    return stored.docx if fmt == "docx" else stored.markdown.encode("utf-8")


def filename(council: Council, meeting: Meeting, stored: StoredMinutes | None, fmt: str) -> str:
    day = meeting.start_at.astimezone(council.tz).date().isoformat()
    stem = t(council.language, "minutes.file_stem")
    is_draft = stored is not None and stored.kind == "draft"
    suffix = f"-{t(council.language, 'minutes.file_draft')}{stored.version}" if stored and is_draft else ""
    return f"{stem}-{day}{suffix}.{fmt}"


def export_bytes(data: MinutesInput, fmt: Format, template: Path | None = None) -> bytes:
    """CPU-only: compile and render one format (runs in a worker thread)."""
    document = compile_minutes(data)
    return render_docx(document, template) if fmt == "docx" else render_markdown(document).encode("utf-8")
