"""What the minutes use cases return, and the seams other features plug into."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from bot.domain.meetings import AgendaItem, Meeting
from bot.domain.memory import MinutesMemory
from bot.domain.minutes import MinutesDocument, StatusEntry, StoredMinutes
from bot.domain.notes import FormPart
from bot.domain.roster import Council

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


@dataclass(frozen=True, slots=True)
class MinutesResult:
    """What a draft, publication or addendum produced."""

    council: Council
    meeting: Meeting
    stored: StoredMinutes
    copies: int = 0
