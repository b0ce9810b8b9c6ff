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
