"""The roster CSV parser on arbitrary input: it reports problems, it never crashes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.roster import CSV_COLUMNS, parse_roster_csv

HEADER = ",".join(CSV_COLUMNS) + "\n"
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
rows = st.lists(st.lists(cells, min_size=0, max_size=9).map(lambda r: ",".join(r)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(data):
    parsed, problems = parse_roster_csv(data)  # the property: no exception, whatever the bytes
    assert all(p.key.startswith("roster.") for p in problems)
    if problems:
        assert parsed == [] or all(p.line > 0 for p in problems)


@settings(max_examples=300, deadline=None)
@given(rows)
def test_rows_are_either_valid_or_reported_by_line(lines):
    parsed, problems = parse_roster_csv((HEADER + "\n".join(lines)).encode())
    for problem in problems:
        assert problem.key.startswith("roster.")
        assert problem.line >= 0
    for row in parsed:
        assert row.short
        assert row.name
    shorts = [r.short.casefold() for r in parsed]
    assert len(shorts) == len(set(shorts))


# -- export → import is the identity (issue 12, items 7 and 9) --------------------------------------

from datetime import UTC, datetime  # noqa: E402

import pytest  # noqa: E402

from bot.domain.roster import (  # noqa: E402
    NAME_MAX,
    Organisation,
    OrgKind,
    Person,
    Role,
    RosterEntry,
    Seat,
    clean_text,
    format_roster_csv,
)

NOW = datetime(2026, 11, 29, tzinfo=UTC)
# Names as people write them: letters, quotes, apostrophes, delimiters, formula characters, emoji.
name_chars = st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co", "Cf", "Zl", "Zp"))
names = st.text(name_chars, min_size=1, max_size=NAME_MAX).map(clean_text).filter(bool)
shorts = st.from_regex(r"[A-ZÆØÅa-zæøå][A-Za-z0-9.\-+&]{0,11}", fullmatch=True)
ids = st.integers(min_value=10**16, max_value=(1 << 63) - 1)


@st.composite
def rosters(draw: st.DrawFn) -> list[RosterEntry]:
    entries = []
    for index, short in enumerate(draw(st.lists(shorts, max_size=8, unique_by=str.casefold))):
        org = Organisation(index + 1, 1, draw(names), short, draw(st.sampled_from(list(OrgKind))), index + 1)
        people = draw(st.lists(st.tuples(ids, names), min_size=2, max_size=2, unique_by=lambda p: p[0]))
        seats = [
            Seat(org.id, role, Person(user_id, name), NOW) if draw(st.booleans()) else None
            for role, (user_id, name) in zip((Role.REPRESENTATIVE, Role.DEPUTY), people, strict=True)
        ]
        entries.append(RosterEntry(org, seats[0], seats[1]))
    return entries


def as_rows(entries: list[RosterEntry]) -> list[tuple[object, ...]]:
    def person(seat: Seat | None) -> Person | None:
        return seat.person if seat else None

    return [(e.org.short, e.org.name, e.org.kind, person(e.representative), person(e.deputy)) for e in entries]


@settings(max_examples=200, deadline=None)
@given(rosters())
def test_export_then_import_gives_the_same_roster(entries):
    parsed, problems = parse_roster_csv(format_roster_csv(entries).encode())
    assert problems == []
    assert [(r.short, r.name, r.kind, r.representative, r.deputy) for r in parsed] == as_rows(entries)


@pytest.mark.parametrize(
    "name",
    ['Rådet for "psykisk helse", Oslo', 'Foreningen "Åpen dør"', "=1+2 Forening", "'Sitat' forening", "-", "@home"],
)
def test_names_with_quotes_and_formula_characters_round_trip(name):
    org = Organisation(1, 1, name, "ORG", OrgKind.USER, 1)
    entry = RosterEntry(org, Seat(1, Role.REPRESENTATIVE, Person(123456789012345678, name), NOW))
    exported = format_roster_csv([entry])
    [row], problems = parse_roster_csv(exported.encode())
    assert problems == []
    assert row.name == name
    assert row.representative == Person(123456789012345678, name)
    if name.startswith(("=", "@", "-")):
        assert f"'{name}" in exported  # still protected in the file itself


@pytest.mark.parametrize(
    "bad", ["123456789012345678901", "99999999999999999999", "²²²²²²²²²²²²²²²²", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦"]
)
def test_an_id_that_is_not_a_discord_id_is_a_row_problem(bad):
    parsed, problems = parse_roster_csv(f"short,name,representative_id\nLPP,LPP,{bad}\n".encode())
    assert parsed == []
    assert [(p.line, p.key) for p in problems] == [(2, "roster.csv_bad_user_id")]
