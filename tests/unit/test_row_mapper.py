"""The typed row mapper of ``bot/storage/_rows.py``, on rows read back from real SQLite files.

The conversions by type are checked on the repositories' own mappers over the migrated schema (what
is stored maps back to the same domain value); the overrides and the failures on small dataclasses
of this module over a table of its own.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.attendance import Answer, Outcome
from bot.domain.meetings import AgendaItem, Meeting, MeetingState
from bot.domain.memory import Approval
from bot.domain.minutes import StoredMinutes
from bot.domain.roster import Council, Person, Role, Seat
from bot.storage import invitation_repo, meeting_repo, memory_repo, minutes_repo, roster_repo
from bot.storage._rows import RowMapper, RowMappingError
from bot.storage.db import Database, DatabaseError, utc_iso

WHEN = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


def _stored(value: object) -> object:
    """A value in the form the repositories write it: UTC ISO text, an enum's value, 0/1."""
    if isinstance(value, datetime):
        return utc_iso(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    return value


def _insert(
    conn: sqlite3.Connection,
    table: str,
    value: Any,
    renamed: Mapping[str, str] | None = None,
    extra: Mapping[str, object] | None = None,
) -> None:
    """Store ``value``'s fields in ``table``: each in its column (``renamed``: field -> column), and ``extra``."""
    row = {(renamed or {}).get(f.name, f.name): _stored(getattr(value, f.name)) for f in fields(value)} | dict(
        extra or {}
    )
    conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A migrated database file through a plain sqlite3 connection (an ``aiosqlite.Row`` is a ``sqlite3.Row``)."""
    path = tmp_path / "council.sqlite3"

    async def migrate() -> None:
        await (await Database.open(path)).close()

    asyncio.run(migrate())
    conn = sqlite3.connect(path)  # foreign keys off: rows stand alone
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


_texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)
_times = st.datetimes(
    min_value=datetime(1970, 1, 2),  # noqa: DTZ001 - the zone is drawn below
    max_value=datetime(2200, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]),
).map(lambda t: t.replace(microsecond=0))
_PLAIN: dict[object, st.SearchStrategy[Any]] = {
    datetime: _times,
    int: st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1),
    str: _texts,
    bytes: st.binary(max_size=200),
    bool: st.booleans(),
    float: st.floats(allow_nan=False),
}


def _strategy(hint: Any) -> st.SearchStrategy[Any]:
    """Values of a field's type: ``X | None`` is ``None`` or an ``X``; an enum is one of its members."""
    args = [a for a in get_args(hint) if a is not type(None)]
    if len(args) == 1:
        return st.none() | _strategy(args[0])
    if isinstance(hint, type) and issubclass(hint, Enum):
        return st.sampled_from(hint)
    return _PLAIN[hint]


def _instances(cls: type[Any], **chosen: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Any instance of a dataclass, every field (defaulted ones too) drawn by its type unless ``chosen``."""
    hints = get_type_hints(cls)
    return st.builds(
        cls, **{f.name: chosen[f.name] if f.name in chosen else _strategy(hints[f.name]) for f in fields(cls)}
    )


_each_example = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_each_example
@given(meeting=_instances(Meeting))
def test_a_stored_meeting_maps_back_to_the_same_meeting(migrated: sqlite3.Connection, meeting: Meeting) -> None:
    """``datetime``, ``datetime | None``, a ``StrEnum``, ``str``, ``str | None``, ``int`` and a renamed column."""
    migrated.execute("DELETE FROM meetings")
    _insert(migrated, "meetings", meeting, renamed={"next_text": "next_meeting"})
    got = meeting_repo._meeting(migrated.execute("SELECT * FROM meetings").fetchone())
    assert got == meeting  # aware datetimes compare by instant, whatever zone they were drawn in
    assert got.start_at.tzinfo is not None and got.start_at.utcoffset() == timedelta(0)
    assert type(got.state) is MeetingState


@_each_example
@given(item=_instances(AgendaItem))
def test_a_stored_agenda_item_maps_back_with_a_real_bool(migrated: sqlite3.Connection, item: AgendaItem) -> None:
    """``bool`` from SQLite's 0/1, ``int | None``."""
    migrated.execute("DELETE FROM agenda_items")
    _insert(migrated, "agenda_items", item)
    got = meeting_repo._item(migrated.execute("SELECT * FROM agenda_items").fetchone())
    assert got == item
    assert type(got.deputy_interest) is bool


@_each_example
@given(
    stored=_instances(
        StoredMinutes, kind=st.sampled_from(["draft", "published"]), language=st.sampled_from(["nb", "en"])
    )
)
def test_stored_minutes_map_back_with_their_bytes(migrated: sqlite3.Connection, stored: StoredMinutes) -> None:
    """``bytes`` from a BLOB."""
    migrated.execute("DELETE FROM minutes_versions")
    _insert(migrated, "minutes_versions", stored, extra={"guild_id": 1})
    got = minutes_repo._stored(migrated.execute("SELECT * FROM minutes_versions").fetchone())
    assert got == stored
    assert type(got.docx) is bytes


@pytest.mark.parametrize("attended", [None, False, True])
@pytest.mark.parametrize("role", [None, Outcome.REPRESENTATIVE, Outcome.DEPUTY, Outcome.BOTH])
@pytest.mark.parametrize("answer", [None, *Answer])
def test_an_invitation_maps_nullable_bools_and_enums_and_its_computed_state(
    migrated: sqlite3.Connection, attended: bool | None, role: Outcome | None, answer: Answer | None
) -> None:
    """``bool | None``, ``StrEnum | None``, and the state the mapper builds from several columns."""
    migrated.execute(
        """INSERT INTO invitations (guild_id, meeting_id, org_id, representative_id, deputy_invited, rep_answer,
                                    deputy_called_at, deputy_callups, attended, attended_role, created_at)
           VALUES (1, 2, 3, 4, 1, ?, ?, 2, ?, ?, ?)""",
        (_stored(answer), utc_iso(WHEN), _stored(attended), _stored(role), utc_iso(WHEN)),
    )
    got = invitation_repo._invitation(migrated.execute("SELECT * FROM invitations").fetchone())
    assert (got.attended, got.attended_role, got.deputy_id, got.invited_at) == (attended, role, None, None)
    assert got.attended is None or type(got.attended) is bool
    assert got.deputy_called_at == WHEN
    state = got.state
    assert (state.representative, state.deputy, state.deputy_invited) == (answer, None, True)
    assert (state.deputy_called, state.callups, state.no_deputy_flagged) == (True, 2, False)


def test_renamed_and_converted_columns(migrated: sqlite3.Connection) -> None:
    row = migrated.execute(
        """SELECT 1 AS guild_id, 'Rådet' AS name, 'NKROP' AS convener, 2 AS minutes_channel_id,
                  3 AS secretary_channel_id, 4 AS secretary_role_id, 'en-US' AS language, 'Europe/Oslo' AS timezone"""
    ).fetchone()
    assert roster_repo._council(row) == Council(1, "Rådet", "NKROP", 2, 3, 4, "en", "Europe/Oslo")
    row = migrated.execute("SELECT ? AS approved_at, 12 AS approved_in_meeting_id", (utc_iso(WHEN),)).fetchone()
    assert memory_repo._approval(row) == Approval(WHEN, 12)


def test_a_field_computed_from_several_columns(migrated: sqlite3.Connection) -> None:
    migrated.execute(
        "INSERT INTO assignments (guild_id, org_id, role, user_id, assigned_at) VALUES (1, 2, 'deputy', 7, ?)",
        (utc_iso(WHEN),),
    )
    query = "SELECT a.*, p.display_name FROM assignments a LEFT JOIN people p USING (guild_id, user_id)"
    assert roster_repo._seat(migrated.execute(query).fetchone()) == Seat(2, Role.DEPUTY, Person(7, "7"), WHEN)
    migrated.execute("INSERT INTO people (guild_id, user_id, display_name, updated_at) VALUES (1, 7, 'Kari', '')")
    assert roster_repo._seat(migrated.execute(query).fetchone()).person == Person(7, "Kari")


@dataclass(frozen=True, slots=True)
class Measured:
    id: int
    ratio: float = 0.5
    tags: list[str] = field(default_factory=list)


async def test_absent_fields_keep_their_default_and_a_factory_runs_per_row(db: Database) -> None:
    mapper = RowMapper(Measured, absent={"ratio", "tags"})
    first, second = await db.fetchall_as(mapper, "SELECT 1 AS id UNION SELECT 2 ORDER BY id")
    assert (first, second) == (Measured(1), Measured(2))
    assert first.tags is not second.tags


async def test_a_dataclass_with_no_field_read_from_a_column(db: Database) -> None:
    computed = RowMapper(Person, compute={"user_id": lambda row: row[0] + 1, "display_name": lambda row: "Kari"})
    assert await db.fetchone_as(computed, "SELECT 6") == Person(7, "Kari")


async def test_plain_values_stay_as_sqlite_returns_them(db: Database) -> None:
    mapper = RowMapper(Measured, absent={"tags"})
    assert await db.fetchone_as(mapper, "SELECT 5 AS id, 0.25 AS ratio") == Measured(5, 0.25)


async def test_no_row_is_none_and_no_rows_is_empty(db: Database) -> None:
    assert await db.fetchone_as(meeting_repo._meeting, "SELECT * FROM meetings") is None
    assert await db.fetchall_as(meeting_repo._meeting, "SELECT * FROM meetings") == []


async def test_fetch_returned_maps_the_row_a_statement_returns_and_fails_without_one(db: Database) -> None:
    mapper = RowMapper(Measured, absent={"ratio", "tags"})
    await db.execute("CREATE TABLE numbers (id INTEGER PRIMARY KEY)")
    assert await db.fetch_returned(mapper, "INSERT INTO numbers (id) VALUES (3) RETURNING id") == Measured(3)
    with pytest.raises(DatabaseError, match=r"^no row returned by: UPDATE numbers SET …$"):
        await db.fetch_returned(mapper, "UPDATE numbers SET id = 4 WHERE id = 99 RETURNING id")


async def test_fetch_int_reads_the_first_column_of_the_first_row_or_gives_the_default(db: Database) -> None:
    assert await db.fetch_int("SELECT 41 + 1, 'more'") == 42
    assert await db.fetch_int("SELECT '12'") == 12
    assert await db.fetch_int("SELECT id FROM meetings") is None
    assert await db.fetch_int("SELECT count(*) FROM meetings", default=7) == 0
    assert await db.fetch_int("SELECT id FROM meetings", default=7) == 7


async def test_fetch_ints_reads_the_first_column_of_every_row_in_order(db: Database) -> None:
    assert await db.fetch_ints("SELECT 3, 'x' UNION ALL SELECT '1', 'y' UNION ALL SELECT 2, 'z'") == [3, 1, 2]
    assert await db.fetch_ints("SELECT id FROM meetings") == []


@pytest.mark.parametrize(
    ("mapper", "query", "message"),
    [
        (
            meeting_repo._meeting,
            "SELECT 1 AS id, 2 AS guild_id",
            r"^Meeting: the row has no column for number \(column 'number'\), title \(column 'title'\), .*"
            r"next_text \(column 'next_meeting'\), .*ics_sequence \(column 'ics_sequence'\)$",
        ),
        (RowMapper(Measured, absent={"ratio", "tags"}), "SELECT 1 AS ratio", r"^Measured: .* id \(column 'id'\)$"),
        (
            roster_repo._seat,
            "SELECT 1 AS org_id, 'deputy' AS role, 7 AS user_id, '2026-11-30' AS assigned_at, NULL AS ended_at",
            r"^Seat: the row has no column for one of the computed fields \(No item with that key\)$",
        ),
    ],
)
async def test_a_missing_column_fails_naming_class_field_and_column(
    db: Database, mapper: RowMapper[Any], query: str, message: str
) -> None:
    row = await db.fetchone(query)
    assert row is not None
    with pytest.raises(RowMappingError, match=message):
        mapper(row)


@pytest.mark.parametrize(
    ("cls", "options", "message"),
    [
        (Meeting, {"columns": {"nope": "x"}}, "Meeting has no field nope"),
        (Meeting, {"convert": {"nope": str, "nor": str}}, "Meeting has no field nope, nor"),
        (Seat, {"absent": {"nope"}}, "Seat has no field nope"),
        (Seat, {"compute": {"person": Person}, "absent": {"person"}}, r"Seat\.person is given more than one way"),
        (Meeting, {"compute": {"title": str}, "columns": {"title": "x"}}, r"Meeting\.title is given more than one way"),
        (Meeting, {"absent": {"title"}}, r"Meeting\.title is absent from the rows but has no default"),
        (Seat, {}, r"Seat\.person: no conversion from a column to .*Person.*; give it in convert= or compute="),
    ],
)
def test_a_mapper_that_cannot_work_fails_when_built(cls: type[Any], options: dict[str, Any], message: str) -> None:
    with pytest.raises(RowMappingError, match=message):
        RowMapper(cls, **options)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "council.sqlite3")
    yield database
    await database.close()
