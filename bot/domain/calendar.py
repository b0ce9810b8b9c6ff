"""The calendar file (RFC 5545 ``.ics``) that goes with every invitation, change notice and cancellation.

One VEVENT per meeting with a UID that never changes, so calendars update the entry they already hold
instead of adding a second one: a change carries a higher SEQUENCE, a cancellation ``METHOD:CANCEL`` and
``STATUS:CANCELLED``. Times are written in the council's zone (``DTSTART;TZID=Europe/Oslo``) with that
zone's VTIMEZONE, so Outlook, Google Calendar and Apple Calendar all place the meeting at the local time
people meant, on either side of a daylight-saving change. The ``icalendar`` library does the line
folding; text is escaped by :class:`_Text` (RFC 5545 3.3.11 exactly).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Final

from icalendar import Calendar, Event, Timezone, vText

from bot.domain.documents import DocumentInfo
from bot.domain.meetings import AgendaItem, Meeting
from bot.domain.roster import Council
from bot.i18n import t

PRODID: Final = "-//council-bot//Ekspertråd//NO"


def _plain(text: str) -> str:
    """Text for a calendar property: line feeds for line breaks, no other control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")


class _Text(vText):
    r"""A TEXT value escaped as RFC 5545 3.3.11 says, and only so.

    icalendar's own escaping first turns the two characters ``\N`` into a line break, so a title
    or place holding them (a path, a typo) would reach calendars changed.
    """

    def to_ical(self) -> bytes:
        escaped = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
        return escaped.encode(self.encoding)


def meeting_uid(meeting: Meeting) -> str:
    """The calendar UID of a meeting: the same in every file sent about it."""
    return f"council-meeting-{meeting.guild_id}-{meeting.id}@council-bot"


def calendar_filename(council: Council, meeting: Meeting) -> str:
    """The attachment's file name ("mote-3.ics")."""
    return t(council.language, "meetings.ics_filename", number=meeting.number)


def agenda_text(council: Council, agenda: Sequence[AgendaItem], documents: Sequence[DocumentInfo] = ()) -> str:
    """The agenda as plain text for the DESCRIPTION: numbered items, leads, background text, documents."""
    lines: list[str] = [t(council.language, "meetings.ics_agenda_heading")]
    files: dict[int, list[str]] = {}
    for doc in documents:
        files.setdefault(doc.agenda_item_id, []).append(doc.filename)
    for item in agenda:
        line = f"{item.position}. {item.title}"
        if item.lead:
            line += t(council.language, "meetings.agenda_led_by", lead=item.lead)
        lines.append(line)
        if item.details:
            lines.append(f"   {item.details}")
        lines.extend(f"   📎 {name}" for name in files.get(item.id, ()))
    lines.append("")
    lines.append(t(council.language, "meetings.ics_footer", convener=council.convener))
    return _plain("\n".join(lines))


def meeting_calendar(
    council: Council,
    meeting: Meeting,
    agenda: Sequence[AgendaItem],
    *,
    now: datetime,
    documents: Sequence[DocumentInfo] = (),
) -> bytes:
    """The ``.ics`` for a meeting as it stands: a publication, or a cancellation once it is cancelled.

    Args:
        council: the council (zone, language, convener).
        meeting: the meeting; its ``ics_sequence`` is the file's SEQUENCE.
        agenda: the agenda, for the DESCRIPTION.
        now: when the file is made (DTSTAMP).
        documents: documents attached to agenda items, named in the DESCRIPTION.
    """
    tz = council.tz
    start = meeting.start_at.astimezone(tz)
    end = meeting.end_at.astimezone(tz)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if meeting.is_cancelled else "PUBLISH")
    # Only the years around the meeting: a compact VTIMEZONE every client resolves.
    calendar.add_component(
        Timezone.from_tzinfo(
            tz,
            tzid=council.timezone,
            first_date=date(start.year - 1, 1, 1),
            last_date=date(end.year + 1, 12, 31),
        )
    )
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", now)
    event.add("sequence", meeting.ics_sequence)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", _Text(_plain(meeting.title)))
    place = meeting.place or t(council.language, "meetings.place_unknown")
    event.add("location", _Text(_plain(place)))
    description = agenda_text(council, agenda, documents)
    if meeting.is_cancelled:
        reason = meeting.cancel_reason
        cancelled = t(council.language, "meetings.ics_cancelled")
        description = f"{cancelled}\n{_plain(reason)}\n\n{description}" if reason else f"{cancelled}\n\n{description}"
    event.add("description", _Text(description))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
