"""The ``.ics`` file checked against RFC 5545's rules, not only against the library that wrote it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from bot.domain.calendar import calendar_filename, meeting_calendar, meeting_uid
from bot.domain.documents import DocumentInfo
from bot.domain.meetings import AgendaItem, AgendaKind, MeetingState
from tests.december import council, december_meeting

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
COUNCIL = council()
MEETING = december_meeting("Desembermøtet, del 2; digitalt", "Zoom: https://zoom.us/j/123?pwd=a;b,c")
THEME = "Hvordan har pandemien påvirket arbeidet?"
AGENDA = (
    AgendaItem(1, 1, 5, 1, AgendaKind.STATUS_ROUND, "Hva skjer i organisasjonene?", details=THEME),
    AgendaItem(2, 1, 5, 2, AgendaKind.ITEM, "Retningslinjer for ROP; innspill", "Lars Lien", True, "Innspill, gjerne"),
    AgendaItem(3, 1, 5, 3, AgendaKind.ANY_OTHER_BUSINESS, "Eventuelt"),
)
DOCS = (DocumentInfo(9, 1, 5, 2, "Lysark ROP.pdf", "application/pdf", 120_000, NOW),)


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines), "bare line breaks"
    return lines


def unfold(data: bytes) -> list[str]:
    """RFC 5545 3.1: a line starting with a space or tab continues the previous one."""
    logical: list[bytes] = []
    for line in physical_lines(data):
        if line[:1] in (b" ", b"\t"):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


def components(lines: list[str]) -> dict[str, list[dict[str, list[tuple[str, str]]]]]:
    """Properties of each component, by component name: ``{"VEVENT": [{"UID": [(params, value)]}]}``."""
    found: dict[str, list[dict[str, list[tuple[str, str]]]]] = {}
    stack: list[tuple[str, dict[str, list[tuple[str, str]]]]] = []
    for line in lines:
        name_params, _, value = line.partition(":")
        name, _, params = name_params.partition(";")
        if name == "BEGIN":
            stack.append((value, {}))
        elif name == "END":
            begun, props = stack.pop()
            assert begun == value, f"END:{value} closes {begun}"
            found.setdefault(value, []).append(props)
        else:
            stack[-1][1].setdefault(name, []).append((params, value))
    assert not stack
    return found


def text_value(value: str) -> str:
    r"""A TEXT value as RFC 5545 3.3.11 defines it: each escape read left to right, once.

    (icalendar's own parser reads the escaped title ``\\\,`` back as ``,``, so the round trip is
    checked by the RFC's rule instead.)
    """
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def unescaped(value: str, chars: str) -> bool:
    """Whether ``value`` holds any of ``chars`` not preceded by a backslash (RFC 5545 3.3.11)."""
    return re.search(r"(?<!\\)(?:\\\\)*[" + re.escape(chars) + "]", value.replace("\\\\", "")) is not None


def check_rfc5545(data: bytes) -> dict[str, list[dict[str, list[tuple[str, str]]]]]:
    for line in physical_lines(data):
        assert len(line) <= 75, f"line longer than 75 octets: {line!r}"
    found = components(unfold(data))
    (calendar,) = found["VCALENDAR"]
    assert calendar["VERSION"] == [("", "2.0")]
    assert len(calendar["PRODID"]) == 1
    (event,) = found["VEVENT"]
    for required in ("UID", "DTSTAMP", "DTSTART"):
        assert len(event.get(required, [])) == 1, required
    assert event["DTSTAMP"][0][1].endswith("Z"), "DTSTAMP must be UTC"
    zones = {props["TZID"][0][1] for props in found.get("VTIMEZONE", [])}
    for name in ("DTSTART", "DTEND"):
        params, _ = event[name][0]
        tzid = dict(p.split("=", 1) for p in params.split(";") if p).get("TZID")
        assert tzid in zones, f"{name} TZID {tzid} has no VTIMEZONE"
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
        for _, value in event.get(name, []):
            assert not unescaped(value, ",;"), f"unescaped , or ; in {name}: {value}"
    return found


def test_publication_has_everything_clients_need():
    data = meeting_calendar(COUNCIL, MEETING, AGENDA, now=NOW, documents=DOCS)
    found = check_rfc5545(data)
    (event,) = found["VEVENT"]
    assert found["VCALENDAR"][0]["METHOD"] == [("", "PUBLISH")]
    assert event["UID"] == [("", meeting_uid(MEETING))]
    assert event["SEQUENCE"] == [("", "0")]
    assert event["DTSTART"] == [("TZID=Europe/Oslo", "20261202T100000")]  # 09:00 UTC is 10:00 in Oslo
    assert event["DTEND"] == [("TZID=Europe/Oslo", "20261202T130000")]
    assert event["STATUS"] == [("", "CONFIRMED")]
    assert event["SUMMARY"] == [("", r"Desembermøtet\, del 2\; digitalt")]
    parsed = Calendar.from_ical(data)
    vevent = parsed.walk("VEVENT")[0]
    assert str(vevent["LOCATION"]) == MEETING.place
    description = str(vevent["DESCRIPTION"])
    assert "1. Hva skjer i organisasjonene?\n   Hvordan har pandemien påvirket arbeidet?" in description
    assert "2. Retningslinjer for ROP; innspill – ledes av Lars Lien" in description
    assert "Lysark ROP.pdf" in description
    assert calendar_filename(COUNCIL, MEETING) == "mote-3.ics"


def test_a_change_keeps_the_uid_and_raises_the_sequence():
    first = Calendar.from_ical(meeting_calendar(COUNCIL, MEETING, AGENDA, now=NOW)).walk("VEVENT")[0]
    moved = replace(
        MEETING,
        start_at=MEETING.start_at + timedelta(days=1),
        end_at=MEETING.end_at + timedelta(days=1),
        ics_sequence=1,
    )
    second = Calendar.from_ical(meeting_calendar(COUNCIL, moved, AGENDA, now=NOW)).walk("VEVENT")[0]
    assert str(first["UID"]) == str(second["UID"])
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert second.decoded("DTSTART") == moved.start_at


def test_cancellation_cancels():
    cancelled = replace(MEETING, state=MeetingState.CANCELLED, cancel_reason="Sykdom", ics_sequence=2)
    found = check_rfc5545(meeting_calendar(COUNCIL, cancelled, AGENDA, now=NOW))
    assert found["VCALENDAR"][0]["METHOD"] == [("", "CANCEL")]
    (event,) = found["VEVENT"]
    assert event["STATUS"] == [("", "CANCELLED")]
    assert event["SEQUENCE"] == [("", "2")]
    assert event["UID"] == [("", meeting_uid(MEETING))]


def test_summer_meeting_is_at_local_time_with_daylight_saving_zone():
    june = replace(MEETING, start_at=datetime(2027, 6, 2, 8, tzinfo=UTC), end_at=datetime(2027, 6, 2, 13, tzinfo=UTC))
    found = check_rfc5545(meeting_calendar(COUNCIL, june, AGENDA, now=NOW))
    assert found["VEVENT"][0]["DTSTART"] == [("TZID=Europe/Oslo", "20270602T100000")]
    assert "DAYLIGHT" in found  # the zone's summer time is described, so clients resolve +02:00


def printable(text: str) -> str:
    """What a calendar shows of member text: line feeds for line breaks, no other control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(min_size=1, max_size=150),
    place=st.text(min_size=1, max_size=200),
    details=st.text(max_size=400),
)
@example(title="\\,", place="C:\\Nye møter", details="linje\\Nslutt")  # icalendar alone reads these back changed
def test_any_text_stays_within_the_rules(title: str, place: str, details: str):
    meeting = replace(MEETING, title=title, place=place)
    agenda = (replace(AGENDA[1], details=details or None),)
    data = meeting_calendar(COUNCIL, meeting, agenda, now=NOW)
    (event,) = check_rfc5545(data)["VEVENT"]
    assert text_value(event["SUMMARY"][0][1]) == printable(title)
    assert text_value(event["LOCATION"][0][1]) == printable(place)
    if details:
        assert f"   {printable(details)}" in text_value(event["DESCRIPTION"][0][1])
