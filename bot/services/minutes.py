"""Minutes use cases: notes, drafts, publishing with copies to every representative and deputy, addenda.

Compiling and rendering take CPU (the Word document most: about 190 ms at 200 organisations), so
every flow goes *read, release, render, write*: the inputs are read, the document is compiled and
rendered in a worker thread (:func:`asyncio.to_thread`) with no transaction open, and only then one
short write transaction re-checks what must still hold (the draft version, not yet published) and
stores the result. The event loop keeps answering clicks meanwhile, and no write waits on a render.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

from bot.config import LimitsConfig
from bot.domain.clock import Clock
from bot.domain.dates import format_date, format_when
from bot.domain.meetings import AgendaItem, Meeting, MeetingState
from bot.domain.memory import MinutesMemory
from bot.domain.minutes import Addendum, Guest, MinutesDocument, MinutesInput, StatusEntry, compile_minutes
from bot.domain.notes import FIELD_MAX, FORM_FIELDS, FormPart, form_parts, join_parts, validate_notes
from bot.domain.outbox import AttachmentRef, OutboxItem, OutgoingMessage, Purpose, TargetKind
from bot.domain.roster import Council, Person
from bot.domain.text import md_escape, no_mentions
from bot.errors import Conflict, InvalidInput, NotFound
from bot.i18n import t
from bot.render import render_discord, render_docx, render_markdown
from bot.services.lookup import require_council, resolve_meeting
from bot.services.outbox import OutboxService
from bot.storage.db import Database
from bot.storage.guest_repo import GuestRepo
from bot.storage.invitation_repo import InvitationRepo
from bot.storage.meeting_repo import MeetingRepo
from bot.storage.minutes_repo import MinutesRepo, StoredMinutes
from bot.storage.privacy_repo import ANONYMOUS
from bot.storage.roster_repo import RosterRepo

log = logging.getLogger(__name__)

Format = Literal["md", "docx"]
ATTACHMENT_KIND = "minutes"


class StatusSource(Protocol):
    """Gives the current status update of each organisation for a meeting (the status feature)."""

    async def statuses_for_minutes(self, guild_id: int, meeting_id: int) -> list[StatusEntry]:
        """The latest status of every organisation that sent one."""
        ...


class MemorySource(Protocol):
    """Gives what the council's memory adds to the minutes (decisions, action items, approval)."""

    async def minutes_memory(self, council: Council, meeting: Meeting, *, draft: bool) -> MinutesMemory:
        """Decisions, action items, follow-ups, approval and circulation of a meeting."""
        ...


class PublishHook(Protocol):
    """Called inside the publishing transaction, after the published version is stored."""

    async def minutes_published(self, council: Council, meeting: Meeting) -> None:
        """Enqueue what publication owes (owners' action items, the approval item of the next meeting)."""
        ...


class NoStatuses:
    """Used until a status source is plugged in: nobody has sent anything."""

    async def statuses_for_minutes(self, guild_id: int, meeting_id: int) -> list[StatusEntry]:
        """Always empty."""
        return []


@dataclass(frozen=True, slots=True)
class Compiled:
    """A compiled (not stored) set of minutes."""

    council: Council
    meeting: Meeting
    document: MinutesDocument


@dataclass(frozen=True, slots=True)
class NotesForm:
    """What the ``/minutes edit`` form shows: an item's current notes, in parts of one field each.

    ``upto_id`` is the newest note the form shows; saving replaces only notes up to it, so a note
    added while the form was open is not lost.
    """

    council: Council
    meeting: Meeting
    item: AgendaItem
    parts: tuple[FormPart, ...]
    upto_id: int


@dataclass(frozen=True, slots=True)
class NotesEdited:
    """What saving the edit form did."""

    council: Council
    meeting: Meeting
    item: AgendaItem
    replaced: int
    length: int
    changed: bool


@dataclass(frozen=True, slots=True)
class Rendered:
    """A compiled document and its renderings, made in a worker thread."""

    document: MinutesDocument
    markdown: str
    docx: bytes
    discord: tuple[str, ...]


def _compile_and_render(data: MinutesInput, template: Path | None = None) -> Rendered:
    """CPU-only: compile and render every format (runs in a worker thread)."""
    document = compile_minutes(data)
    return Rendered(
        document, render_markdown(document), render_docx(document, template), tuple(render_discord(document))
    )


class _DraftRacedError(Exception):
    """Another draft of the same meeting was stored while this one was rendered: render again."""


DRAFT_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class MinutesResult:
    """What a draft, publication or addendum produced."""

    council: Council
    meeting: Meeting
    stored: StoredMinutes
    copies: int = 0


class MinutesService:
    """Rules for the minutes. Plain ids in, plain values out."""

    def __init__(
        self,
        db: Database,
        repo: MinutesRepo,
        meetings: MeetingRepo,
        invitations: InvitationRepo,
        roster: RosterRepo,
        outbox: OutboxService,
        clock: Clock,
        limits: LimitsConfig | None = None,
        statuses: StatusSource | None = None,
        *,
        guests: GuestRepo | None = None,
        docx_template: Path | None = None,
    ) -> None:
        self.db = db
        self.repo = repo
        self.meetings = meetings
        self.invitations = invitations
        self.roster = roster
        self.outbox = outbox
        self.clock = clock
        self.limits = limits or LimitsConfig()
        self.statuses: StatusSource = statuses or NoStatuses()
        self.memory: MemorySource | None = None
        self.publish_hooks: list[PublishHook] = []
        self.guests = guests or GuestRepo(db)
        self.docx_template = docx_template

    def set_status_source(self, source: StatusSource) -> None:
        """Plug in the status feature."""
        self.statuses = source

    def set_memory_source(self, source: MemorySource) -> None:
        """Plug in the council's memory (decisions, action items, approval, circulation)."""
        self.memory = source

    def add_publish_hook(self, hook: PublishHook) -> None:
        """Run ``hook`` inside every publication's transaction."""
        self.publish_hooks.append(hook)

    # -- compiling -------------------------------------------------------------------------------

    async def compile(
        self, guild_id: int, number: int | None, *, secretary_id: int | None, draft: bool, version: int | None = None
    ) -> Compiled:
        """Read everything the minutes need and compile the document (nothing is stored)."""
        council = await require_council(self.roster, guild_id)
        meeting = await resolve_meeting(self.meetings, guild_id, number, self.clock.now(), recent=True)
        data = await self._input(council, meeting, secretary_id=secretary_id, draft=draft, version=version)
        return Compiled(council, meeting, await asyncio.to_thread(compile_minutes, data))

    async def _render(
        self, council: Council, meeting: Meeting, *, secretary_id: int | None, draft: bool, version: int | None
    ) -> Rendered:
        """Read the inputs, then compile and render in a worker thread (call with no transaction open)."""
        data = await self._input(council, meeting, secretary_id=secretary_id, draft=draft, version=version)
        return await asyncio.to_thread(_compile_and_render, data, self.docx_template)

    async def _input(
        self, council: Council, meeting: Meeting, *, secretary_id: int | None, draft: bool, version: int | None
    ) -> MinutesInput:
        """Everything the minutes are compiled from (reads only)."""
        guild_id = council.guild_id
        agenda = tuple(await self.meetings.agenda(guild_id, meeting.id))
        notes: dict[int, list[str]] = {}
        for note in await self.repo.notes(guild_id, meeting.id):
            notes.setdefault(note.agenda_item_id, []).append(note.text)
        previous = await self.repo.previous_meeting_start(guild_id, meeting.id, meeting.start_at)
        new_seats = (
            tuple(await self.roster.seats_assigned_between(guild_id, previous, meeting.start_at)) if previous else ()
        )
        names = await self.invitations.names(guild_id)
        names[ANONYMOUS] = t(council.language, "privacy.anonymous")  # people who erased their data
        next_meeting = (
            format_when(meeting.next_when, council.tz, council.language) if meeting.next_when else meeting.next_text
        )
        proposed = await self.repo.next_meeting(guild_id, meeting.id)
        guests = tuple(Guest(g.name, g.affiliation) for g in await self.guests.guests(guild_id, meeting.id))
        return MinutesInput(
            council=council,
            meeting=meeting,
            agenda=agenda,
            orgs=tuple(await self.roster.list_orgs(guild_id, include_retired=True)),
            invitations=tuple(await self.invitations.for_meeting(guild_id, meeting.id)),
            names=names,
            statuses=tuple(await self.statuses.statuses_for_minutes(guild_id, meeting.id)),
            notes={k: tuple(v) for k, v in notes.items()},
            new_seats=new_seats,
            addenda=tuple(Addendum(a.created_at, a.text) for a in await self.repo.addenda(guild_id, meeting.id)),
            secretary_name=names.get(secretary_id) if secretary_id is not None else None,
            signed_on=self.clock.now(),
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

    async def add_note(
        self, guild_id: int, position: int, text: str, author_id: int, number: int | None = None
    ) -> tuple[Meeting, AgendaItem]:
        """Add a note to an agenda item ("Innspill fra møtet"), until the minutes are published."""
        cleaned = validate_notes(text, self.limits.note_max_chars)
        async with self.db.transaction():
            meeting, published = await self._meeting_for_minutes(guild_id, number)
            if published is not None:
                raise Conflict("minutes.already_published_use_amend", number=meeting.number)
            item = next((i for i in await self.meetings.agenda(guild_id, meeting.id) if i.position == position), None)
            if item is None:
                raise NotFound("minutes.item_not_found", position=position, number=meeting.number)
            await self.repo.add_note(guild_id, meeting.id, item.id, cleaned, author_id, self.clock.now())
        return meeting, item

    async def edit_form(self, guild_id: int, position: int, number: int | None = None) -> NotesForm:
        """The item's current notes for the ``/minutes edit`` form (refused once the minutes are published)."""
        council = await require_council(self.roster, guild_id)
        meeting, published = await self._meeting_for_minutes(guild_id, number)
        if published is not None:
            raise Conflict("minutes.already_published_use_amend", number=meeting.number)
        item = await self._item(guild_id, meeting, position)
        notes = [n for n in await self.repo.notes(guild_id, meeting.id) if n.agenda_item_id == item.id]
        parts = form_parts([n.text for n in notes], min(FIELD_MAX, self.limits.note_max_chars))
        return NotesForm(council, meeting, item, parts, max((n.id for n in notes), default=0))

    async def save_edit(
        self, guild_id: int, meeting_id: int, item_id: int, upto_id: int, parts: list[str], by: int
    ) -> NotesEdited:
        """Replace the item's notes (those the form showed) with the form's text; empty deletes them.

        Nothing is erased: replaced notes stay stored with who replaced them and when, and the new
        text is stored as a note by ``by``. Unchanged text stores nothing.
        """
        if len(parts) > FORM_FIELDS or any(len(p) > FIELD_MAX for p in parts):
            raise InvalidInput("minutes.text_too_long", limit=FIELD_MAX, length=max(len(p) for p in parts))
        text = join_parts(parts)
        cleaned = validate_notes(text, FORM_FIELDS * FIELD_MAX) if text.strip() else ""
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        async with self.db.transaction():
            meeting = await self.meetings.get(guild_id, meeting_id)
            if meeting is None:
                raise NotFound("minutes.item_gone")
            meeting, published = await self._meeting_for_minutes(guild_id, meeting.number)
            if published is not None:
                raise Conflict("minutes.already_published_use_amend", number=meeting.number)
            item = next((i for i in await self.meetings.agenda(guild_id, meeting.id) if i.id == item_id), None)
            if item is None:
                raise NotFound("minutes.item_gone")
            shown = [
                n
                for n in await self.repo.notes(guild_id, meeting.id)
                if n.agenda_item_id == item.id and n.id <= upto_id
            ]
            before = "\n\n".join(n.text.strip() for n in shown)
            if cleaned == before:
                return NotesEdited(council, meeting, item, 0, len(cleaned), changed=False)
            replaced = await self.repo.replace_notes(guild_id, meeting.id, item.id, upto_id, by, now)
            if cleaned:
                await self.repo.add_note(guild_id, meeting.id, item.id, cleaned, by, now)
        log.info("notes of item %s edited in meeting %s (guild %s)", item.position, meeting.number, guild_id)
        return NotesEdited(council, meeting, item, replaced, len(cleaned), changed=True)

    async def _item(self, guild_id: int, meeting: Meeting, position: int) -> AgendaItem:
        item = next((i for i in await self.meetings.agenda(guild_id, meeting.id) if i.position == position), None)
        if item is None:
            raise NotFound("minutes.item_not_found", position=position, number=meeting.number)
        return item

    # -- drafts and publication ------------------------------------------------------------------

    async def draft(self, guild_id: int, by: Person, number: int | None = None) -> MinutesResult:
        """Compile a new draft version, store it, and post it to the secretary channel (via the outbox)."""
        council = await require_council(self.roster, guild_id)
        async with self.db.transaction():
            await self.roster.remember_person(guild_id, by, self.clock.now())
        for attempt in range(1, DRAFT_ATTEMPTS + 1):
            try:
                return await self._draft_once(council, by, number)
            except _DraftRacedError:
                if attempt == DRAFT_ATTEMPTS:
                    raise Conflict("minutes.draft_busy") from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _draft_once(self, council: Council, by: Person, number: int | None) -> MinutesResult:
        guild_id = council.guild_id
        meeting, _ = await self._meeting_for_minutes(guild_id, number)
        latest = await self.repo.latest(guild_id, meeting.id, "draft")
        version = (latest.version if latest else 0) + 1
        rendered = await self._render(council, meeting, secretary_id=by.user_id, draft=True, version=version)
        header = t(council.language, "minutes.draft_posted_header", version=version, number=meeting.number)
        body = header + "\n\n" + "\n\n".join(rendered.discord)
        async with self.db.transaction():
            latest = await self.repo.latest(guild_id, meeting.id, "draft")
            if (latest.version if latest else 0) + 1 != version:
                raise _DraftRacedError
            stored = await self._store(council, meeting, rendered, "draft", by.user_id, self.clock.now())
            message = OutgoingMessage(body, attachments=_refs(stored))
            await self.outbox.enqueue(
                guild_id,
                OutboxItem(
                    f"minutes:{meeting.id}:draft:{stored.version}",
                    TargetKind.CHANNEL,
                    council.secretary_channel_id,
                    message,
                    Purpose.OTHER,
                    meeting.id,
                ),
            )
        return MinutesResult(council, meeting, stored)

    async def publish(self, guild_id: int, by: Person, number: int | None = None) -> MinutesResult:
        """Publish: post the final minutes to the minutes channel and DM a copy to every seat holder.

        Publishing twice is refused, so copies never go out twice; everything owed is enqueued in the
        same transaction as the publication.
        """
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        meeting, published = await self._meeting_for_minutes(guild_id, number)
        if meeting.start_at > now:
            raise Conflict("minutes.not_started", number=meeting.number)
        if published is not None:
            raise Conflict("minutes.already_published", number=meeting.number)
        async with self.db.transaction():
            await self.roster.remember_person(guild_id, by, now)
        rendered = await self._render(council, meeting, secretary_id=by.user_id, draft=False, version=None)
        async with self.db.transaction():
            if not await self.repo.set_published(guild_id, meeting.id, now):
                raise Conflict("minutes.already_published", number=meeting.number)
            stored = await self._store(council, meeting, rendered, "published", by.user_id, now)
            channel_post = OutgoingMessage("\n\n".join(rendered.discord), attachments=_refs(stored))
            await self.outbox.enqueue(
                guild_id,
                OutboxItem(
                    f"minutes:{meeting.id}:published:channel",
                    TargetKind.CHANNEL,
                    council.minutes_channel_id,
                    channel_post,
                    Purpose.OTHER,
                    meeting.id,
                ),
            )
            copy = OutgoingMessage(
                t(
                    council.language,
                    "minutes.copy_dm",
                    council=no_mentions(council.name),
                    when=format_when(meeting.when, council.tz, council.language),
                ),
                attachments=_refs(stored),
            )
            copies = await self._copy_to_seat_holders(guild_id, meeting, copy, f"minutes:{meeting.id}:published")
            for hook in self.publish_hooks:
                await hook.minutes_published(council, meeting)
        return MinutesResult(council, meeting, stored, copies)

    async def amend(self, guild_id: int, text: str, by: Person, number: int | None = None) -> MinutesResult:
        """Add a dated addendum after publication; post it and copy it like the minutes."""
        cleaned = validate_notes(text, self.limits.note_max_chars)
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        meeting, published = await self._meeting_for_minutes(guild_id, number)
        if published is None:
            raise Conflict("minutes.not_published", number=meeting.number)
        async with self.db.transaction():
            await self.roster.remember_person(guild_id, by, now)
        # The new version is rendered with the addendum before anything is stored; then one transaction
        # keeps the addendum, the version and the messages owed together.
        data = await self._input(council, meeting, secretary_id=by.user_id, draft=False, version=None)
        data = replace(data, addenda=(*data.addenda, Addendum(now, cleaned)))
        rendered = await asyncio.to_thread(_compile_and_render, data, self.docx_template)
        async with self.db.transaction():
            addendum_id = await self.repo.add_addendum(guild_id, meeting.id, cleaned, by.user_id, now)
            stored = await self._store(council, meeting, rendered, "published", by.user_id, now)
            date = format_date(now, council.tz, council.language)
            post = OutgoingMessage(
                t(
                    council.language,
                    "minutes.addendum_post",
                    number=meeting.number,
                    date=date,
                    text=md_escape(no_mentions(cleaned)),
                ),
                attachments=_refs(stored),
            )
            await self.outbox.enqueue(
                guild_id,
                OutboxItem(
                    f"minutes:{meeting.id}:addendum:{addendum_id}:channel",
                    TargetKind.CHANNEL,
                    council.minutes_channel_id,
                    post,
                    Purpose.OTHER,
                    meeting.id,
                ),
            )
            copies = await self._copy_to_seat_holders(
                guild_id, meeting, post, f"minutes:{meeting.id}:addendum:{addendum_id}"
            )
        return MinutesResult(council, meeting, stored, copies)

    async def render_next_draft(self, council: Council, meeting: Meeting, by: int) -> tuple[int, Rendered]:
        """Read and render the next draft version in a worker thread; call with no transaction open."""
        latest = await self.repo.latest(council.guild_id, meeting.id, "draft")
        version = (latest.version if latest else 0) + 1
        return version, await self._render(council, meeting, secretary_id=by, draft=True, version=version)

    async def store_rendered_draft(
        self, council: Council, meeting: Meeting, version: int, rendered: Rendered, by: int
    ) -> StoredMinutes:
        """Store a draft from :meth:`render_next_draft` inside the caller's write transaction.

        Raises ``Conflict`` when another draft of the meeting was stored since it was rendered.
        """
        latest = await self.repo.latest(council.guild_id, meeting.id, "draft")
        if (latest.version if latest else 0) + 1 != version:
            raise Conflict("minutes.draft_busy")
        return await self._store(council, meeting, rendered, "draft", by, self.clock.now())

    async def store_published(self, council: Council, meeting: Meeting, by: int) -> StoredMinutes:
        """Re-store the published minutes as they now stand (e.g. once approved), inside the caller's transaction.

        Rendered in a worker thread, but inside the caller's transaction (see :meth:`store_draft`).
        """
        rendered = await self._render(council, meeting, secretary_id=by, draft=False, version=None)
        return await self._store(council, meeting, rendered, "published", by, self.clock.now())

    # -- files -----------------------------------------------------------------------------------

    async def export(self, guild_id: int, fmt: Format, number: int | None = None) -> tuple[str, bytes]:
        """The published minutes (latest version with addenda), else a fresh unsaved draft, as a file."""
        council = await require_council(self.roster, guild_id)
        meeting = await resolve_meeting(self.meetings, guild_id, number, self.clock.now(), recent=True)
        stored = await self.repo.latest(guild_id, meeting.id, "published")
        if stored is not None:
            return _filename(council, meeting, stored, fmt), _content(stored, fmt)
        data = await self._input(council, meeting, secretary_id=None, draft=True, version=None)
        name = _filename(council, meeting, None, fmt)
        return name, await asyncio.to_thread(_export, data, fmt, self.docx_template)

    async def attachment(self, guild_id: int, ref: str) -> tuple[str, bytes]:
        """Resolve an outbox attachment reference ``"<version id>:<md|docx>"`` into a file."""
        version_id, _, fmt = ref.partition(":")
        if fmt not in ("md", "docx") or not (version_id.isascii() and version_id.isdigit()):
            raise NotFound("minutes.file_missing")
        stored = await self.repo.get_version(guild_id, int(version_id))
        council = await self.roster.get_council(guild_id)
        meeting = await self.meetings.get(guild_id, stored.meeting_id) if stored else None
        if stored is None or council is None or meeting is None:
            raise NotFound("minutes.file_missing")
        return _filename(council, meeting, stored, fmt), _content(stored, "docx" if fmt == "docx" else "md")

    # -- internals -------------------------------------------------------------------------------

    async def _meeting_for_minutes(self, guild_id: int, number: int | None) -> tuple[Meeting, datetime | None]:
        """The meeting a minutes command means, and when its minutes were published (if they were)."""
        meeting = await resolve_meeting(self.meetings, guild_id, number, self.clock.now(), recent=True)
        if meeting.state is MeetingState.CANCELLED:
            raise Conflict("minutes.cancelled", number=meeting.number)
        return meeting, await self.repo.published_at(guild_id, meeting.id)

    async def _store(
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

    async def _copy_to_seat_holders(self, guild_id: int, meeting: Meeting, message: OutgoingMessage, key: str) -> int:
        """DM every current representative and deputy once (a person with two seats gets one copy)."""
        people = sorted({seat.person.user_id for seat in await self.roster.current_seats(guild_id)})
        sent = 0
        for user_id in people:
            item = OutboxItem.dm(f"{key}:{user_id}", user_id, message, Purpose.MINUTES_COPY, meeting_id=meeting.id)
            if await self.outbox.enqueue(guild_id, item) is not None:
                sent += 1
        return sent


def refs(stored: StoredMinutes) -> tuple[AttachmentRef, ...]:
    """The Markdown and Word files of a stored version, as outbox attachments."""
    return _refs(stored)


def _refs(stored: StoredMinutes) -> tuple[AttachmentRef, ...]:
    return (AttachmentRef(ATTACHMENT_KIND, f"{stored.id}:md"), AttachmentRef(ATTACHMENT_KIND, f"{stored.id}:docx"))


def _content(stored: StoredMinutes, fmt: Format) -> bytes:
    return stored.docx if fmt == "docx" else stored.markdown.encode("utf-8")


def _filename(council: Council, meeting: Meeting, stored: StoredMinutes | None, fmt: str) -> str:
    day = meeting.start_at.astimezone(council.tz).date().isoformat()
    stem = t(council.language, "minutes.file_stem")
    is_draft = stored is not None and stored.kind == "draft"
    suffix = f"-{t(council.language, 'minutes.file_draft')}{stored.version}" if stored and is_draft else ""
    return f"{stem}-{day}{suffix}.{fmt}"


def _export(data: MinutesInput, fmt: Format, template: Path | None = None) -> bytes:
    """CPU-only: compile and render one format (runs in a worker thread)."""
    document = compile_minutes(data)
    return render_docx(document, template) if fmt == "docx" else render_markdown(document).encode("utf-8")
