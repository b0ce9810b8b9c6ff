"""Replies of ``/minutes`` and of its notes form."""

from __future__ import annotations

from bot.domain.meetings import AgendaItem, Meeting
from bot.domain.text import no_mentions
from bot.i18n import Language, t
from bot.services.minutes import MinutesResult, NotesEdited


def draft_done(result: MinutesResult) -> str:
    """``/minutes draft``: which version was posted."""
    return t(result.council.language, "minutes.draft_done", version=result.stored.version, number=result.meeting.number)


def note_added(meeting: Meeting, item: AgendaItem, language: Language) -> str:
    """``/minutes note``."""
    return t(
        language, "minutes.note_added", position=item.position, title=no_mentions(item.title), number=meeting.number
    )


def notes_edited(result: NotesEdited) -> str:
    """The answer to the ``/minutes edit`` form: saved, cleared or unchanged."""
    key = "minutes.edit_saved" if result.changed else "minutes.edit_unchanged"
    if result.changed and result.length == 0:
        key = "minutes.edit_cleared"
    return t(
        result.council.language,
        key,
        position=result.item.position,
        title=no_mentions(result.item.title),
        number=result.meeting.number,
        length=result.length,
    )


def published(result: MinutesResult, *, amended: bool = False) -> str:
    """``/minutes publish`` and ``/minutes amend``: how many copies go out."""
    key = "minutes.amended" if amended else "minutes.published"
    return t(result.council.language, key, number=result.meeting.number, copies=result.copies)


def exported(meeting: Meeting, language: Language) -> str:
    """``/minutes export``: the file is attached."""
    return t(language, "minutes.exported", number=meeting.number)
