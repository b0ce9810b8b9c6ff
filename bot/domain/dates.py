"""Dates as people type them, and dates shown the way Norwegians write them.

The only module that imports dateparser. Parsing splits off a time or time range first ("kl 10-15",
"klokka 10.00–13.00", "10:00-15:00", "10am-3pm"), because dateparser does not understand ranges or
Norwegian "kl."; the rest ("2. juni 2027", "onsdag 2.juni", "neste onsdag", "i morgen", "June 2
2027") goes to dateparser with day-first order, future preference and ``now`` as the base. Wall
times are localised with :mod:`zoneinfo` and stored in UTC, so a meeting on the other side of a
daylight-saving change keeps the local time people meant. Every failure is an ``InvalidInput``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

import dateparser
from babel.dates import format_datetime as babel_format

from bot.errors import InvalidInput
from bot.i18n import LANGUAGES, locale_of

MAX_INPUT: Final = 120
MAX_YEARS_AHEAD: Final = 2
"""A meeting or deadline further ahead than this is a typo (a wrong year), refused with the date shown."""
# Two numbers and a dash with no date around them ("10-15") is a time range missing its day; dateparser
# would read it as a date ("10. ... 2115").
_BARE_RANGE = re.compile(r"^\s*\d{1,2}\s*(?:-|–|—)\s*\d{1,2}\s*$")
DEFAULT_START: Final = time(10, 0)

_PREFIX = r"(?:\b(?:kl\.?|klokka|klokken|at|from|fra)\s*)"
_HM = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"
_DASH = r"\s*(?:-|–|—|til|to|until)\s*"
_RANGE_WITH_PREFIX = re.compile(_PREFIX + _HM + _DASH + _HM + r"(?![\d.:])", re.I)
_RANGE_COLON = re.compile(
    r"(?<![\d.:])(\d{1,2})[:.](\d{2})()\s*(?:-|–|—|til|to)\s*(\d{1,2})[:.](\d{2})()(?![\d.:])", re.I
)
_RANGE_AMPM = re.compile(r"(?<![\d.:])" + _HM.replace("?\\s*(am", "?\\s*(am") + _DASH + _HM, re.I)
_SINGLE_WITH_PREFIX = re.compile(_PREFIX + _HM + r"(?![\d.:])", re.I)
_SINGLE_COLON = re.compile(r"(?<![\d.:])(\d{1,2}):(\d{2})()(?![\d:])")
_SINGLE_AMPM = re.compile(r"(?<![\d.:])(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b", re.I)

_WEEKDAYS: Final = {
    "mandag": 0, "tirsdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4, "lørdag": 5, "søndag": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_WEEKDAY_WORD = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.I)
_NEXT_WEEKDAY = re.compile(r"\b(?:neste|kommende|førstkommende)\s+(?=(" + "|".join(_WEEKDAYS) + r")\b)", re.I)
_GLUED_DATE = re.compile(r"(\d{1,2})\.(?=[A-Za-zæøåÆØÅ])")  # "2.juni" -> "2. juni"


@dataclass(frozen=True, slots=True)
class When:
    """A meeting's start and end, aware, in UTC."""

    start: datetime
    end: datetime


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def example_for(language: str) -> str:
    """A phrasing the parser understands, for error messages."""
    return locale_of(language).date_example


def _hour(hour: str, minute: str | None, meridiem: str | None) -> time:
    h, m = int(hour), int(minute or 0)
    marker = (meridiem or "").lower().replace(".", "")
    if marker == "pm" and h < 12:
        h += 12
    elif marker == "am" and h == 12:
        h = 0
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise ValueError("no such time")
    return time(h, m)


def _split_time(text: str) -> tuple[str, time | None, time | None]:
    """Remove a time or time range from ``text``; return the rest and the times found."""
    for pattern in (_RANGE_WITH_PREFIX, _RANGE_COLON, _RANGE_AMPM):
        match = pattern.search(text)
        if match and (pattern is not _RANGE_AMPM or match.group(3) or match.group(6)):
            g = match.groups()
            end_meridiem = g[5]
            start_meridiem = g[2] or (end_meridiem if end_meridiem and int(g[0]) <= int(g[3]) else None)
            start, end = _hour(g[0], g[1], start_meridiem), _hour(g[3], g[4], end_meridiem)
            return text[: match.start()] + " " + text[match.end() :], start, end
    for pattern in (_SINGLE_WITH_PREFIX, _SINGLE_COLON, _SINGLE_AMPM):
        match = pattern.search(text)
        if match:
            g = match.groups()
            return text[: match.start()] + " " + text[match.end() :], _hour(g[0], g[1], g[2]), None
    return text, None, None


def _localise(day: datetime, at: time, zone: ZoneInfo) -> datetime:
    """Wall time ``at`` on ``day`` in ``zone``, as aware UTC (a time in a DST gap moves forward)."""
    naive = datetime.combine(day.date(), at)
    aware = naive.replace(tzinfo=zone)
    # Round-trip through UTC: a wall time that does not exist (spring forward) becomes a real one.
    return aware.astimezone(UTC).astimezone(zone).astimezone(UTC)


def _parse_day(rest: str, original: str, *, now: datetime, zone: ZoneInfo, languages: Sequence[str]) -> datetime:
    cleaned = _GLUED_DATE.sub(r"\1. ", rest)
    cleaned = _NEXT_WEEKDAY.sub("", cleaned)
    cleaned = " ".join(cleaned.replace(",", " ").split())
    if not cleaned:
        return now.astimezone(zone).replace(tzinfo=None)
    settings = {
        "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["relative-time", "absolute-time", "custom-formats"],
    }
    try:
        readers = [locale_of(language).dateparser for language in languages]
        parsed = dateparser.parse(cleaned, languages=readers, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; all mean "not understood"
        parsed = None
    if parsed is None:
        raise _not_understood(original, languages)
    named = _WEEKDAY_WORD.search(rest)
    if named and re.search(r"\d", rest) and _WEEKDAYS[named.group(1).lower()] != parsed.weekday():
        raise InvalidInput(
            "dates.weekday_mismatch",
            weekday=named.group(1),
            date=format_date(parsed.replace(tzinfo=zone), zone, languages[0]),
        )
    return parsed


def _prepare(text: str, languages: Sequence[str]) -> str:
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    if not cleaned or len(cleaned) > MAX_INPUT:
        raise _not_understood(cleaned, languages)
    if _BARE_RANGE.match(cleaned):
        raise InvalidInput("dates.need_day", text=cleaned[:60], example=example_for(languages[0]))
    return cleaned


def _not_understood(text: str, languages: Sequence[str]) -> InvalidInput:
    return InvalidInput("dates.unparseable", text=text[:60], example=example_for(languages[0]))


def _read(
    text: str, *, now: datetime, zone: ZoneInfo, languages: Sequence[str]
) -> tuple[str, datetime, time | None, time | None]:
    """Clean what was typed and read it: the cleaned text, the day, and the start and end times in it."""
    cleaned = _prepare(text, languages)
    try:
        rest, start, end = _split_time(cleaned)
    except ValueError:
        raise InvalidInput("dates.bad_time", text=cleaned[:60], example=example_for(languages[0])) from None
    return cleaned, _parse_day(rest, cleaned, now=now, zone=zone, languages=languages), start, end


def _check_future(moment: datetime, now: datetime, zone: ZoneInfo, language: str) -> None:
    """Refuse a moment that has passed, or that lies more than :data:`MAX_YEARS_AHEAD` years ahead."""
    if moment <= now:
        raise InvalidInput("dates.in_past", when=format_datetime(moment, zone, language))
    if moment - now > timedelta(days=366 * MAX_YEARS_AHEAD):  # "31. desember 9999"
        raise InvalidInput("dates.too_far", when=format_datetime(moment, zone, language), years=MAX_YEARS_AHEAD)


def parse_when(
    text: str,
    *,
    now: datetime,
    tz: str | ZoneInfo,
    languages: Sequence[str] = LANGUAGES,
    default_duration: timedelta = timedelta(hours=3),
) -> When:
    """Parse a meeting time such as "2. juni 2027 kl 10-15" into aware UTC start and end.

    A date without a time starts at 10:00; a start without an end lasts ``default_duration``.

    Raises:
        InvalidInput: ``dates.unparseable``, ``dates.need_day`` (a bare "10-15"), ``dates.in_past``,
            ``dates.too_far`` (more than two years ahead), ``dates.end_before_start`` or
            ``dates.weekday_mismatch`` — never anything else.
    """
    zone = _zone(tz)
    cleaned, day, start_time, end_time = _read(text, now=now, zone=zone, languages=languages)
    try:
        start = _localise(day, start_time or DEFAULT_START, zone)
        end = _localise(day, end_time, zone) if end_time is not None else start + default_duration
    except (OverflowError, ValueError):
        raise _not_understood(cleaned, languages) from None
    if end <= start:
        raise InvalidInput("dates.end_before_start", text=cleaned[:60])
    _check_future(start, now, zone, languages[0])
    return When(start, end)


def parse_deadline(
    text: str,
    *,
    now: datetime,
    tz: str | ZoneInfo,
    languages: Sequence[str] = LANGUAGES,
    default_time: time = time(23, 59),
) -> datetime:
    """Parse a single point in time such as "25. november" or "1. desember kl 12" (aware UTC).

    A date without a time means ``default_time`` that day.

    Raises:
        InvalidInput: as :func:`parse_when`.
    """
    zone = _zone(tz)
    cleaned, day, at, _ = _read(text, now=now, zone=zone, languages=languages)
    relative = at is None and day.time() != time(0, 0)
    try:
        moment = day.replace(tzinfo=zone).astimezone(UTC) if relative else _localise(day, at or default_time, zone)
    except (OverflowError, ValueError):
        raise _not_understood(cleaned, languages) from None
    _check_future(moment, now, zone, languages[0])
    return moment


# -- formatting (Babel, explicit patterns so output is stable across Babel versions) --------------


@lru_cache(maxsize=1024)
def _fmt(dt: datetime, pattern: str, tz: str | ZoneInfo, language: str) -> str:
    # Cached: a call to hundreds of members formats the same few moments once per message.
    return str(babel_format(dt.astimezone(_zone(tz)), pattern, locale=locale_of(language).babel))


def format_date(dt: datetime, tz: str | ZoneInfo, language: str) -> str:
    """Format a date: 2. desember 2020 / 2 December 2020."""
    return _fmt(dt, locale_of(language).plain_date, tz, language)


def format_datetime(dt: datetime, tz: str | ZoneInfo, language: str) -> str:
    """Format a moment: onsdag 2. desember 2020 kl. 10.00 / Wednesday 2 December 2020, 10:00."""
    row = locale_of(language)
    day = _fmt(dt, row.long_date, tz, language)
    return row.day_and_clock.format(day=day, clock=_fmt(dt, row.clock, tz, language))


def format_when(when: When, tz: str | ZoneInfo, language: str) -> str:
    """Format a meeting's time: onsdag 2. desember 2020 kl. 10.00–13.00 (en: Wednesday 2 December 2020, 10:00–13:00)."""
    zone = _zone(tz)
    if when.start.astimezone(zone).date() != when.end.astimezone(zone).date():
        return f"{format_datetime(when.start, zone, language)} – {format_datetime(when.end, zone, language)}"
    end = _fmt(when.end, locale_of(language).clock, zone, language)
    return f"{format_datetime(when.start, zone, language)}–{end}"


def format_short(dt: datetime, tz: str | ZoneInfo, language: str) -> str:
    """Compact, for dashboards: "2.12. kl. 10.00" / "2 Dec 10:00"."""
    return _fmt(dt, locale_of(language).short, tz, language)
