"""Roster rules against a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.roster import OrgKind, Role, is_secretary
from bot.errors import Conflict, InvalidInput, NotFound
from bot.services.roster import RosterService
from bot.storage.db import Database
from tests.conftest import setup_council
from tests.services.conftest import GUILD, OTHER_GUILD, count

ALICE, BOB, CARL = 300_000_000_000_000_001, 300_000_000_000_000_002, 300_000_000_000_000_003


async def test_commands_need_a_council_first(roster: RosterService):
    with pytest.raises(NotFound) as err:
        await roster.add_org(GUILD, "Landsforeningen for pasienter og pårørende", "LPP")
    assert err.value.message_key == "council.not_configured"


async def test_setup_refuses_bad_values_and_changes_nothing(roster: RosterService, db: Database):
    for kwargs, key in [
        ({"name": "  "}, "council.name_empty"),
        ({"timezone": "Mars/Olympus"}, "council.timezone_invalid"),
        ({"language": "de"}, "council.language_invalid"),
        ({"convener": ""}, "council.convener_empty"),
    ]:
        args = {
            "name": "Ekspertråd",
            "convener": "Morten",
            "minutes_channel_id": 1,
            "secretary_channel_id": 2,
            "secretary_role_id": 3,
            "language": "nb",
            "timezone": "Europe/Oslo",
        } | kwargs
        with pytest.raises(InvalidInput) as err:
            await roster.setup_council(GUILD, **args)
        assert err.value.message_key == key
    assert await count(db, "councils") == 0


async def test_add_edit_remove_org_keeps_history(roster: RosterService, db: Database):
    await setup_council(roster, GUILD)
    org = await roster.add_org(GUILD, "Landsforeningen for pasienter og pårørende", "LPP", "relatives")
    assert org.kind is OrgKind.RELATIVES
    assert org.label == "Landsforeningen for pasienter og pårørende (LPP)"
    edited = await roster.edit_org(GUILD, "lpp", name="LPP – Landsforeningen", kind="user")
    assert (edited.name, edited.kind) == ("LPP – Landsforeningen", OrgKind.USER)
    await roster.assign(GUILD, "LPP", Role.REPRESENTATIVE, ALICE, "Alice")
    await roster.retire_org(GUILD, "LPP")
    assert await roster.roster(GUILD) == []
    with pytest.raises(NotFound):
        await roster.org(GUILD, "LPP")
    # History stays: the organisation row and the ended seat are still there.
    assert await count(db, "organisations") == 1
    row = await db.fetchone("SELECT ended_at FROM assignments")
    assert row is not None and row[0] is not None
    # The short name can be used again by a new organisation.
    again = await roster.add_org(GUILD, "Ny LPP", "LPP")
    assert again.id != org.id


@pytest.mark.parametrize(
    ("name", "short", "kind", "key"),
    [
        ("", "LPP", "user", "roster.name_empty"),
        ("x" * 101, "LPP", "user", "roster.name_too_long"),
        ("Navn", "", "user", "roster.short_empty"),
        ("Navn", "to ord", "user", "roster.short_invalid"),
        ("Navn", "L" * 21, "user", "roster.short_too_long"),
        ("Navn", "LPP", "alien", "roster.kind_invalid"),
    ],
)
async def test_add_org_refusals_change_nothing(roster: RosterService, db: Database, name, short, kind, key):
    await setup_council(roster, GUILD)
    with pytest.raises(InvalidInput) as err:
        await roster.add_org(GUILD, name, short, kind)
    assert err.value.message_key == key
    assert await count(db, "organisations") == 0


async def test_duplicate_short_is_refused_case_insensitively(roster: RosterService):
    await setup_council(roster, GUILD)
    await roster.add_org(GUILD, "RIO", "RIO")
    with pytest.raises(Conflict):
        await roster.add_org(GUILD, "Rusmisbrukernes interesseorganisasjon", "rio")
    await roster.add_org(GUILD, "A-LARM", "A-LARM")
    with pytest.raises(Conflict):
        await roster.edit_org(GUILD, "A-LARM", new_short="Rio")


async def test_assign_records_when_and_replaces(roster: RosterService, clock):
    await setup_council(roster, GUILD)
    await roster.add_org(GUILD, "Marborg", "Marborg", "user")
    first = await roster.assign(GUILD, "Marborg", Role.REPRESENTATIVE, ALICE, "Alice")
    assert first.previous is None
    clock.advance(timedelta(days=30))
    second = await roster.assign(GUILD, "Marborg", Role.REPRESENTATIVE, BOB, "Bob")
    assert second.previous is not None and second.previous.user_id == ALICE
    new = await roster.deps.roster.seats_assigned_between(
        GUILD, clock.now() - timedelta(days=1), clock.now() + timedelta(1)
    )
    assert [s.person.user_id for s in new] == [BOB]
    [entry] = await roster.roster(GUILD)
    assert entry.representative is not None and entry.representative.person.display_name == "Bob"
    assert entry.gaps == (Role.DEPUTY,)


async def test_assign_refusals(roster: RosterService):
    await setup_council(roster, GUILD)
    await roster.add_org(GUILD, "Marborg", "Marborg")
    await roster.assign(GUILD, "Marborg", Role.REPRESENTATIVE, ALICE, "Alice")
    with pytest.raises(Conflict):
        await roster.assign(GUILD, "Marborg", Role.REPRESENTATIVE, ALICE, "Alice")
    with pytest.raises(Conflict) as err:
        await roster.assign(GUILD, "Marborg", Role.DEPUTY, ALICE, "Alice")
    assert err.value.message_key == "roster.same_person_both_seats"
    with pytest.raises(NotFound):
        await roster.assign(GUILD, "Nope", Role.DEPUTY, BOB, "Bob")
    with pytest.raises(Conflict):
        await roster.unassign(GUILD, "Marborg", Role.DEPUTY)
    await roster.unassign(GUILD, "Marborg", Role.REPRESENTATIVE)
    [entry] = await roster.roster(GUILD)
    assert entry.gaps == (Role.REPRESENTATIVE, Role.DEPUTY)


async def test_guild_isolation(roster: RosterService):
    await setup_council(roster, GUILD)
    await setup_council(roster, OTHER_GUILD)
    await roster.add_org(GUILD, "RIO", "RIO")
    await roster.assign(GUILD, "RIO", Role.REPRESENTATIVE, ALICE, "Alice")
    assert await roster.roster(OTHER_GUILD) == []
    assert await roster.search_orgs(OTHER_GUILD, "RI") == []
    with pytest.raises(NotFound):
        await roster.org(OTHER_GUILD, "RIO")
    with pytest.raises(NotFound):
        await roster.assign(OTHER_GUILD, "RIO", Role.DEPUTY, BOB, "Bob")
    # The same short name may exist in both servers.
    await roster.add_org(OTHER_GUILD, "RIO i den andre", "RIO")
    assert len(await roster.roster(GUILD)) == len(await roster.roster(OTHER_GUILD)) == 1
    request, _ = await roster.request_registration(GUILD, "RIO", Role.DEPUTY, BOB, "Bob")
    with pytest.raises(NotFound):
        await roster.decide_registration(OTHER_GUILD, request.id, approve=True, decided_by=CARL)


async def test_registration_approve_reject_and_twice(roster: RosterService):
    await setup_council(roster, GUILD)
    await roster.add_org(GUILD, "Ivareta", "Ivareta", "relatives")
    request, org = await roster.request_registration(GUILD, "Ivareta", Role.DEPUTY, BOB, "Bob B.")
    with pytest.raises(Conflict) as err:
        await roster.request_registration(GUILD, "Ivareta", Role.DEPUTY, BOB, "Bob B.")
    assert err.value.message_key == "roster.request_pending"
    _, _, result = await roster.decide_registration(GUILD, request.id, approve=True, decided_by=CARL)
    assert result is not None and result.person.display_name == "Bob B."
    with pytest.raises(Conflict):
        await roster.decide_registration(GUILD, request.id, approve=False, decided_by=CARL)
    rejected, _ = await roster.request_registration(GUILD, "Ivareta", Role.REPRESENTATIVE, ALICE, "Alice")
    _, _, none = await roster.decide_registration(GUILD, rejected.id, approve=False, decided_by=CARL)
    assert none is None
    [entry] = await roster.roster(GUILD)
    assert entry.representative is None and entry.deputy is not None and org.short == "Ivareta"


CSV_OK = """short,name,kind,representative_id,representative_name,deputy_id,deputy_name
LPP,Landsforeningen for pasienter og pårørende,relatives,300000000000000001,Åse Ødegård,300000000000000002,Bjørn
RIO,RIO,user,300000000000000003,Carl,,
"""


async def test_csv_round_trip(roster: RosterService):
    await setup_council(roster, GUILD)
    result = await roster.import_csv(GUILD, CSV_OK.encode())
    assert (result.ok, result.added, result.seats_changed) == (True, 2, 3)
    exported = await roster.export_csv(GUILD)
    assert exported.splitlines() == CSV_OK.strip().splitlines()
    again = await roster.import_csv(GUILD, exported.encode())
    assert (again.added, again.updated, again.seats_changed) == (0, 0, 0)


async def test_csv_swap_of_seats(roster: RosterService):
    await setup_council(roster, GUILD)
    await roster.import_csv(GUILD, CSV_OK.encode())
    swapped = CSV_OK.replace(
        "300000000000000001,Åse Ødegård,300000000000000002,Bjørn",
        "300000000000000002,Bjørn,300000000000000001,Åse Ødegård",
    )
    result = await roster.import_csv(GUILD, swapped.encode())
    assert result.ok
    entry = (await roster.roster(GUILD))[0]
    assert entry.representative is not None and entry.representative.person.user_id == BOB
    assert entry.deputy is not None and entry.deputy.person.user_id == ALICE


async def test_csv_all_or_nothing_reports_every_bad_row(roster: RosterService, db: Database):
    await setup_council(roster, GUILD)
    bad = (
        "short,name,kind,representative_id,representative_name,deputy_id,deputy_name\n"
        "LPP,Landsforeningen,relatives,300000000000000001,Åse,,\n"
        ",Uten kortnavn,user,,,,\n"
        "RIO,RIO,alien,,,,\n"
        "LPP,Dobbel,user,,,,\n"
        "WSO,We Shall Overcome,user,abc,Navn,,\n"
        "BAR,Barn av rusmisbrukere,relatives,300000000000000005,X,300000000000000005,X\n"
        "NSF,NSF,professional\n"
    )
    result = await roster.import_csv(GUILD, bad.encode())
    assert not result.ok
    assert [(p.line, p.key) for p in result.problems] == [
        (3, "roster.short_empty"),
        (4, "roster.kind_invalid"),
        (5, "roster.csv_duplicate_short"),
        (6, "roster.csv_bad_user_id"),
        (7, "roster.same_person_both_seats"),
        (8, "roster.csv_wrong_columns"),
    ]
    assert await count(db, "organisations") == 0
    assert await count(db, "assignments") == 0


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "roster.csv_empty"),
        (b"\xff\xfe\x00bad", "roster.csv_not_utf8"),
        (b"foo,bar\n1,2\n", "roster.csv_missing_columns"),
        (b"short,name\n" + b"A,B\n" * 200_000, "roster.csv_too_large"),
    ],
)
async def test_csv_file_level_problems(roster: RosterService, data, key):
    await setup_council(roster, GUILD)
    result = await roster.import_csv(GUILD, data)
    assert [p.key for p in result.problems] == [key]


def test_secretary_rule():
    assert is_secretary(None, frozenset(), manage_guild=True)
    assert not is_secretary(None, frozenset({1003}), manage_guild=False)
    from bot.domain.roster import Council

    council = Council(GUILD, "R", "C", 1, 2, 1003, "nb", "Europe/Oslo")
    assert is_secretary(council, frozenset({5, 1003}), manage_guild=False)
    assert not is_secretary(council, frozenset({5}), manage_guild=False)
