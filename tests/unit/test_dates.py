"""Dates as people type them, in both languages, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.dates import When, format_date, format_datetime, format_short, format_when, parse_deadline, parse_when
from bot.errors import InvalidInput

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)  # Sunday 22 November 2026, 12:00 in Oslo


def local(y, m, d, h, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=OSLO).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2. juni 2027 kl 10-15", local(2027, 6, 2, 10), local(2027, 6, 2, 15)),
        ("onsdag 2.juni 2027 klokka 10-15", local(2027, 6, 2, 10), local(2027, 6, 2, 15)),
        ("onsdag 2.juni klokka 10-15", local(2027, 6, 2, 10), local(2027, 6, 2, 15)),
        ("5.desember 2027", local(2027, 12, 5, 10), local(2027, 12, 5, 13)),
        ("2.desember 2027 10:00-13:00", local(2027, 12, 2, 10), local(2027, 12, 2, 13)),
        ("02.12.2027 kl. 10.00–13.00", local(2027, 12, 2, 10), local(2027, 12, 2, 13)),
        ("neste onsdag 10:00", local(2026, 11, 25, 10), local(2026, 11, 25, 13)),
        ("i morgen kl 9", local(2026, 11, 23, 9), local(2026, 11, 23, 12)),
        ("June 2 2027 10:00-15:00", local(2027, 6, 2, 10), local(2027, 6, 2, 15)),
        ("2 June 2027 10am-3pm", local(2027, 6, 2, 10), local(2027, 6, 2, 15)),
        ("next wednesday 10:00", local(2026, 11, 25, 10), local(2026, 11, 25, 13)),
        ("2027-06-02 10:00", local(2027, 6, 2, 10), local(2027, 6, 2, 13)),
        ("Wednesday 2 June 2027 at 10:30 - 12:00", local(2027, 6, 2, 10, 30), local(2027, 6, 2, 12)),
    ],
)
def test_real_phrasings(text, start, end):
    assert parse_when(text, now=NOW, tz=OSLO) == When(start, end)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("blah blah", "dates.unparseable"),
        ("", "dates.unparseable"),
        ("x" * 500, "dates.unparseable"),
        ("1. januar 2020 kl 10", "dates.in_past"),
        ("2. juni 2027 kl 15-10", "dates.end_before_start"),
        ("tirsdag 2. juni 2027", "dates.weekday_mismatch"),
        ("2. juni 2027 kl 25-26", "dates.bad_time"),
        ("10-15", "dates.need_day"),
        ("10 – 15", "dates.need_day"),
        ("31. desember 9999", "dates.too_far"),
        ("2. juni 2029 kl 10-15", "dates.too_far"),
    ],
)
def test_refusals(text, key):
    with pytest.raises(InvalidInput) as err:
        parse_when(text, now=NOW, tz=OSLO)
    assert err.value.message_key == key


def test_dst_keeps_local_time():
    october = datetime(2026, 10, 20, 10, tzinfo=UTC)  # summer time still on in Oslo
    april = parse_when("2. april 2027 kl 10-15", now=october, tz=OSLO)
    december = parse_when("2. desember 2026 kl 10-13", now=october, tz=OSLO)
    assert april.start == datetime(2027, 4, 2, 8, tzinfo=UTC)  # CEST, UTC+2
    assert december.start == datetime(2026, 12, 2, 9, tzinfo=UTC)  # CET, UTC+1
    assert april.start.astimezone(OSLO).hour == december.start.astimezone(OSLO).hour == 10
    # A reminder "two days before" computed in UTC lands at the same local hour after the change.
    march = parse_when("29. mars 2027 kl 10-12", now=october, tz=OSLO)  # the day after the change
    assert (march.start - timedelta(days=2)).astimezone(OSLO).hour == 9  # wall clock shifts, UTC stays


def test_deadlines():
    assert parse_deadline("25. november", now=NOW, tz=OSLO) == local(2026, 11, 25, 23, 59)
    assert parse_deadline("1. desember kl 12", now=NOW, tz=OSLO) == local(2026, 12, 1, 12)
    assert parse_deadline("in 3 days", now=NOW, tz=OSLO) == NOW + timedelta(days=3)
    with pytest.raises(InvalidInput):
        parse_deadline("1. januar 2020", now=NOW, tz=OSLO)


def test_formatting_both_languages():
    when = When(local(2020, 12, 2, 10), local(2020, 12, 2, 13))
    assert format_when(when, OSLO, "nb") == "onsdag 2. desember 2020 kl. 10.00–13.00"
    assert format_when(when, OSLO, "en") == "Wednesday 2 December 2020, 10:00–13:00"
    assert format_datetime(when.start, OSLO, "nb") == "onsdag 2. desember 2020 kl. 10.00"
    assert format_date(when.start, OSLO, "nb") == "2. desember 2020"
    assert format_date(when.start, OSLO, "en") == "2 December 2020"
    assert format_short(when.start, OSLO, "nb") == "2.12. kl. 10.00"
    assert format_short(when.start, "Europe/Oslo", "en") == "2 Dec 10:00"
    two_days = When(local(2020, 12, 2, 10), local(2020, 12, 3, 13))
    assert format_when(two_days, OSLO, "nb") == "onsdag 2. desember 2020 kl. 10.00 – torsdag 3. desember 2020 kl. 13.00"


MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember", "June", "December"]  # fmt: skip
plausible = st.builds(
    lambda d, m, y, h1, h2, sep: f"{d}.{sep}{m} {y} kl {h1}-{h2}",
    st.integers(0, 40),
    st.sampled_from(MONTHS),
    st.integers(1990, 2100),
    st.integers(0, 30),
    st.integers(0, 30),
    st.sampled_from(["", " "]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=80), plausible))
def test_parse_never_crashes(text):
    try:
        when = parse_when(text, now=NOW, tz=OSLO)
    except InvalidInput:
        return
    assert when.start.tzinfo is not None
    assert NOW < when.start < when.end


def test_deadline_years_ahead_is_refused():
    with pytest.raises(InvalidInput) as err:
        parse_deadline("31. desember 9999", now=NOW, tz=OSLO)
    assert err.value.message_key == "dates.too_far"


def test_two_years_ahead_is_still_fine():
    assert parse_when("2. juni 2028 kl 10-15", now=NOW, tz=OSLO).start == local(2028, 6, 2, 10)
