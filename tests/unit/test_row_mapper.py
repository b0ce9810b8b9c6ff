"""The typed row mapper of ``bot/storage/_rows.py``, on rows read back from a real SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.storage._rows import RowMapper, RowMappingError
from bot.storage.db import Database, opt_utc_iso, utc_iso


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True, slots=True)
class Sample:
    """One field of every type the mapper converts by itself."""

    id: int
    name: str
    ratio: float
    blob: bytes
    at: datetime
    maybe_at: datetime | None
    colour: Colour
    maybe_colour: Colour | None
    flag: bool
    maybe_flag: bool | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Holder:
    user_id: int
    display_name: str


@dataclass(frozen=True, slots=True)
class Nested:
    """Fields that are not one column each: renamed, converted, computed, absent."""

    id: int
    label: str
    holder: Holder
    shout: str
    extra: int | None = None
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Only:
    id: int


_SAMPLE_TABLE = """CREATE TABLE sample (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, ratio REAL NOT NULL, blob BLOB NOT NULL, at TEXT NOT NULL,
    maybe_at TEXT, colour TEXT NOT NULL, maybe_colour TEXT, flag INTEGER NOT NULL, maybe_flag INTEGER, note TEXT,
    user_id INTEGER, display_name TEXT, title TEXT)"""
_INSERT = """INSERT INTO sample (id, name, ratio, blob, at, maybe_at, colour, maybe_colour, flag, maybe_flag, note,
                                 user_id, display_name, title)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""

WHEN = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)

_sample = RowMapper(Sample)
_nested = RowMapper(
    Nested,
    columns={"label": "title", "shout": "name"},
    convert={"shout": str.upper},
    compute={"holder": lambda row: Holder(row["user_id"], row["display_name"])},
    absent={"extra", "tags"},
)


def _params(s: Sample, user_id: int = 7, display_name: str = "Kari", title: str = "Sak 1") -> tuple[object, ...]:
    """The stored form of ``s`` (and of the columns only :class:`Nested` reads)."""
    return (
        s.id,
        s.name,
        s.ratio,
        s.blob,
        utc_iso(s.at),
        opt_utc_iso(s.maybe_at),
        s.colour.value,
        None if s.maybe_colour is None else s.maybe_colour.value,
        int(s.flag),
        None if s.maybe_flag is None else int(s.maybe_flag),
        s.note,
        user_id,
        display_name,
        title,
    )


FULL = Sample(
    1, "Ålesund", 0.5, b"\x00\xff", WHEN, WHEN + timedelta(hours=1), Colour.BLUE, Colour.RED, True, False, "n"
)
EMPTY = Sample(2, "", -1.25, b"", WHEN, None, Colour.RED, None, False, None, None)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "rows.sqlite3", migrate=False)
    await database.execute(_SAMPLE_TABLE)
    await database.executemany(_INSERT, [_params(FULL), _params(EMPTY)])
    yield database
    await database.close()


async def test_maps_each_type_by_the_field_annotation(db: Database) -> None:
    got = await db.fetchone_as(_sample, "SELECT * FROM sample WHERE id = 1")
    assert got == FULL
    assert got is not None
    assert got.at.tzinfo is not None and got.at.utcoffset() == timedelta(0)
    assert type(got.colour) is Colour and type(got.maybe_colour) is Colour
    assert got.flag is True and got.maybe_flag is False
    assert type(got.blob) is bytes and type(got.ratio) is float


async def test_null_stays_none_in_optional_fields(db: Database) -> None:
    got = await db.fetchone_as(_sample, "SELECT * FROM sample WHERE id = 2")
    assert got == EMPTY
    assert got is not None
    assert (got.maybe_at, got.maybe_colour, got.maybe_flag, got.note) == (None, None, None, None)
    assert got.flag is False


async def test_fetch_helpers_map_every_row_and_none_for_no_row(db: Database) -> None:
    assert await db.fetchall_as(_sample, "SELECT * FROM sample ORDER BY id") == [FULL, EMPTY]
    assert await db.fetchall_as(_sample, "SELECT * FROM sample WHERE id = 99") == []
    assert await db.fetchone_as(_sample, "SELECT * FROM sample WHERE id = 99") is None


async def test_renamed_converted_computed_and_absent_fields(db: Database) -> None:
    got = await db.fetchone_as(_nested, "SELECT * FROM sample WHERE id = 1")
    assert got == Nested(1, "Sak 1", Holder(7, "Kari"), "ÅLESUND", None, [])
    assert got is not None
    other = await db.fetchone_as(_nested, "SELECT * FROM sample WHERE id = 2")
    assert other is not None
    assert other.tags is not got.tags  # a default factory is called for every row, never shared


async def test_a_missing_column_fails_naming_class_field_and_column(db: Database) -> None:
    row = await db.fetchone("SELECT id, name, ratio, blob, at, colour, flag FROM sample WHERE id = 1")
    assert row is not None
    with pytest.raises(RowMappingError) as failure:
        _sample(row)
    message = str(failure.value)
    assert message.startswith("Sample: ")
    for name in ("maybe_at", "maybe_colour", "maybe_flag", "note"):
        assert f"{name} (column '{name}')" in message
    assert "ratio" not in message


async def test_a_missing_renamed_column_names_the_column(db: Database) -> None:
    row = await db.fetchone("SELECT id, name, user_id, display_name FROM sample WHERE id = 1")
    assert row is not None
    with pytest.raises(RowMappingError, match=r"Nested: the row has no column for label \(column 'title'\)"):
        _nested(row)


async def test_a_column_missing_for_a_computed_field_fails_too(db: Database) -> None:
    row = await db.fetchone("SELECT id, title, name FROM sample WHERE id = 1")
    assert row is not None
    with pytest.raises(RowMappingError, match=r"Nested: .*computed"):
        _nested(row)


async def test_a_single_column_dataclass(db: Database) -> None:
    assert await db.fetchall_as(RowMapper(Only), "SELECT id FROM sample ORDER BY id") == [Only(1), Only(2)]
    row = await db.fetchone("SELECT name FROM sample WHERE id = 1")
    assert row is not None
    with pytest.raises(RowMappingError, match=r"Only: the row has no column for id \(column 'id'\)"):
        RowMapper(Only)(row)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"columns": {"nope": "x"}}, "Nested has no field nope"),
        ({"convert": {"nope": str}}, "Nested has no field nope"),
        ({"absent": {"nope"}}, "Nested has no field nope"),
        ({"compute": {"holder": lambda row: None}, "absent": {"holder"}}, r"Nested\.holder is given more than one way"),
        (
            {"compute": {"holder": lambda row: None, "shout": lambda row: ""}, "columns": {"shout": "name"}},
            r"Nested\.shout is given more than one way",
        ),
        ({"absent": {"label"}}, r"Nested\.label is absent from the rows but has no default"),
        ({}, r"Nested\.holder: no conversion from a column to .*Holder"),
    ],
)
def test_a_mapper_that_cannot_work_fails_when_built(options: dict[str, object], message: str) -> None:
    with pytest.raises(RowMappingError, match=message):
        RowMapper(Nested, **options)  # type: ignore[arg-type]


@pytest.fixture
def sample_file(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """The same table in a plain sqlite3 connection (an aiosqlite.Row is a sqlite3.Row), for hypothesis."""
    conn = sqlite3.connect(tmp_path / "hypothesis.sqlite3")
    conn.row_factory = sqlite3.Row
    conn.execute(_SAMPLE_TABLE)
    yield conn
    conn.close()


_texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]))
_times = st.datetimes(
    min_value=datetime(1970, 1, 1),  # noqa: DTZ001 - hypothesis adds the zone below
    max_value=datetime(2200, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]),
).map(lambda t: t.replace(microsecond=0))
_samples = st.builds(
    Sample,
    id=st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1),
    name=_texts,
    ratio=st.floats(allow_nan=False),
    blob=st.binary(),
    at=_times,
    maybe_at=st.none() | _times,
    colour=st.sampled_from(Colour),
    maybe_colour=st.none() | st.sampled_from(Colour),
    flag=st.booleans(),
    maybe_flag=st.none() | st.booleans(),
    note=st.none() | _texts,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sample=_samples)
def test_what_is_stored_maps_back_to_the_same_value(sample_file: sqlite3.Connection, sample: Sample) -> None:
    sample_file.execute("DELETE FROM sample")
    sample_file.execute(_INSERT, _params(sample))
    got = _sample(sample_file.execute("SELECT * FROM sample").fetchone())
    assert got == sample  # aware datetimes compare by instant, in whatever zone they were given
    assert got.at.utcoffset() == timedelta(0)
