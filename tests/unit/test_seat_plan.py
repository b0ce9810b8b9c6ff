"""The import's seat plan, applied as bulk ends then bulk assignments, equals applying the rows one by one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.roster import CsvRow, OrgKind, Person, Role, nocase, plan_seats

PEOPLE = st.integers(min_value=1, max_value=6)


def one_by_one(rows: list[CsvRow], org_ids: dict[str, int], held: dict[tuple[int, Role], int]) -> dict:
    """The rule as the import states it, row by row (the reference)."""
    seats = dict(held)
    for row in rows:
        org_id = org_ids[nocase(row.short)]
        for role, person in ((Role.REPRESENTATIVE, row.representative), (Role.DEPUTY, row.deputy)):
            if person is None or seats.get((org_id, role)) == person.user_id:
                continue
            other = Role.DEPUTY if role is Role.REPRESENTATIVE else Role.REPRESENTATIVE
            if seats.get((org_id, other)) == person.user_id:
                del seats[(org_id, other)]
            seats[(org_id, role)] = person.user_id
    return seats


@st.composite
def imports(draw):
    orgs = draw(st.integers(min_value=1, max_value=5))
    held = {}
    for org_id in range(1, orgs + 1):
        rep, dep = draw(st.one_of(st.none(), PEOPLE)), draw(st.one_of(st.none(), PEOPLE))
        if rep is not None:
            held[(org_id, Role.REPRESENTATIVE)] = rep
        if dep is not None and dep != rep:
            held[(org_id, Role.DEPUTY)] = dep
    chosen = draw(st.lists(st.integers(min_value=1, max_value=orgs), unique=True))
    rows = []
    for line, org_id in enumerate(chosen, start=2):
        rep, dep = draw(st.one_of(st.none(), PEOPLE)), draw(st.one_of(st.none(), PEOPLE))
        if rep is not None and rep == dep:
            dep = None
        rows.append(
            CsvRow(
                line,
                f"Org{org_id}",
                f"Organisasjon {org_id}",
                OrgKind.OTHER,
                Person(rep, f"P{rep}") if rep else None,
                Person(dep, f"P{dep}") if dep else None,
            )
        )
    return rows, {f"org{i}": i for i in range(1, orgs + 1)}, held


@settings(max_examples=400, deadline=None)
@given(imports())
def test_bulk_plan_equals_row_by_row(case):
    rows, org_ids, held = case
    plan = plan_seats(rows, org_ids, held)
    seats = dict(held)
    for key in plan.ended:
        assert key in seats  # only held seats are ended, each once
        del seats[key]
    for org_id, role, user_id in plan.assigned:
        assert (org_id, role) not in seats  # the previous holder was ended first
        seats[(org_id, role)] = user_id
    assert seats == one_by_one(rows, org_ids, held)


def test_nocase_folds_ascii_only_like_sqlite():
    assert nocase("LPP") == "lpp"
    assert nocase("ÆØÅ-Org") == "ÆØÅ-org"
