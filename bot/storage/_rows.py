"""One typed mapper from SQLite rows to frozen domain dataclasses.

A :class:`RowMapper` is built once per dataclass, at module level, and called once per row. It reads
each field from the column of the same name and converts it by the field's declared type:

- ``datetime``: stored UTC ISO-8601 text -> aware ``datetime`` (:func:`~bot.storage.db.from_iso`);
- an ``Enum`` subclass (our ``StrEnum`` s): the member of that value;
- ``bool``: SQLite's 0/1 -> ``False``/``True``;
- ``int``, ``str``, ``float``, ``bytes``: the value as SQLite returns it;
- any of these ``| None``: ``NULL`` stays ``None``, anything else is converted as above.

What does not fit that rule is said where the mapper is built, by field name: ``columns`` for a column
named differently from its field, ``convert`` for a column that needs its own conversion, ``compute``
for a field built from several columns (a nested value), and ``absent`` for a field the row does not
hold (it keeps its default). A field of any other type without one of these fails when the mapper is
built; a column missing from a row fails when the row is mapped, naming the class, field and column.
Nothing is ever silently defaulted.

Type hints are resolved and the per-field plan is fixed once, in the constructor: mapping a row is one
C-level fetch of all its columns (:func:`operator.itemgetter`) and a conversion only for the fields
that need one.
"""

from __future__ import annotations

import dataclasses
import enum
import operator
import types
import typing
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import aiosqlite

from bot.storage.db import from_iso, opt_from_iso

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")

Convert = Callable[[Any], object]
"""Turns one column's value into a field's value."""
Compute = Callable[[aiosqlite.Row], object]
"""Builds a field's value from the whole row."""

_PLAIN: frozenset[object] = frozenset({int, str, float, bytes})


class RowMappingError(TypeError):
    """A row cannot be mapped: a column is missing, or a field's type has no conversion."""


def _bool(value: Any) -> bool:
    return bool(value)


def _optional(convert: Convert) -> Convert:
    """``convert`` for a nullable column: ``NULL`` stays ``None``."""

    def nullable(value: Any) -> object:
        return None if value is None else convert(value)

    return nullable


def _converter(owner: type, name: str, hint: object) -> Convert | None:
    """How a column becomes a field of type ``hint``; ``None`` when the value is used as it is."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            if rest[0] is datetime:
                return opt_from_iso
            inner = _converter(owner, name, rest[0])
            return None if inner is None else _optional(inner)
    elif hint is datetime:
        return from_iso
    elif hint is bool:
        return _bool
    elif hint in _PLAIN:
        return None
    elif isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    raise RowMappingError(
        f"{owner.__name__}.{name}: no conversion from a column to {hint!r}; give it in convert= or compute="
    )


class RowMapper(Generic[T]):
    """Builds a ``cls`` instance from an :class:`aiosqlite.Row`, field by field (see the module docstring).

    Args:
        cls: the frozen dataclass to build.
        columns: ``field -> column`` where the column is named differently from the field.
        convert: ``field -> function`` applied to the field's column instead of the conversion by type.
        compute: ``field -> function`` of the whole row, for a field that is not one column.
        absent: fields the rows do not hold; they keep their default.

    Raises:
        RowMappingError: an override names no field of ``cls``, a field is given two ways, an absent
            field has no default, or a field's type has no conversion and no override.
    """

    __slots__ = ("_cls", "_columns", "_convert", "_fetch", "_inserts")

    def __init__(
        self,
        cls: type[T],
        *,
        columns: Mapping[str, str] | None = None,
        convert: Mapping[str, Convert] | None = None,
        compute: Mapping[str, Compute] | None = None,
        absent: Collection[str] = (),
    ) -> None:
        columns = dict(columns or {})
        convert = dict(convert or {})
        compute = dict(compute or {})
        fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
        for given in (columns, convert, compute, absent):
            unknown = sorted(set(given) - set(fields))
            if unknown:
                raise RowMappingError(f"{cls.__name__} has no field {', '.join(unknown)}")
        for name in set(compute) | set(absent):
            if name in columns or name in convert or (name in compute and name in absent):
                raise RowMappingError(f"{cls.__name__}.{name} is given more than one way")
        hints = typing.get_type_hints(cls)
        self._cls = cls
        self._columns: list[tuple[str, str]] = []  # (field, column), in field order
        self._convert: list[tuple[int, Convert]] = []  # (position among the columns, conversion)
        self._inserts: list[tuple[int, Compute | None, object]] = []  # (position, compute, default)
        for position, (name, field) in enumerate(fields.items()):
            if name in compute:
                self._inserts.append((position, compute[name], None))
            elif name in absent:
                self._inserts.append(_default(cls, position, field))
            else:
                conversion = convert[name] if name in convert else _converter(cls, name, hints[name])
                if conversion is not None:
                    self._convert.append((len(self._columns), conversion))
                self._columns.append((name, columns.get(name, name)))
        wanted = [column for _name, column in self._columns]
        self._fetch: Callable[[aiosqlite.Row], tuple[Any, ...]]
        if len(wanted) > 1:
            self._fetch = operator.itemgetter(*wanted)
        else:  # itemgetter of one key returns the value itself, and of none cannot be made
            self._fetch = lambda row: tuple(row[column] for column in wanted)

    def __call__(self, row: aiosqlite.Row) -> T:
        """The dataclass instance the row holds.

        Raises:
            RowMappingError: the row lacks a column a field is read from.
        """
        try:
            values = list(self._fetch(row))
            for index, conversion in self._convert:
                values[index] = conversion(values[index])
            for position, computed, default in self._inserts:
                values.insert(position, default if computed is None else computed(row))
        except IndexError as exc:  # sqlite3.Row's "No item with that key"
            raise self._missing(row, exc) from exc
        return self._cls(*values)

    def _missing(self, row: aiosqlite.Row, error: IndexError) -> RowMappingError:
        names = row.keys()  # (iterating a Row gives its values)
        present = {key.casefold() for key in names}  # sqlite3.Row matches names case-insensitively
        lacking = [f"{name} (column {col!r})" for name, col in self._columns if col.casefold() not in present]
        if not lacking:  # a compute= function asked for a column the row does not have
            lacking = [f"one of the computed fields ({error})"]
        return RowMappingError(f"{self._cls.__name__}: the row has no column for {', '.join(lacking)}")


def _default(cls: type, position: int, field: dataclasses.Field[Any]) -> tuple[int, Compute | None, object]:
    """The insert step of a field the rows do not hold: its default, or a call of its default factory."""
    if field.default is not dataclasses.MISSING:
        return position, None, field.default
    factory = field.default_factory
    if factory is not dataclasses.MISSING:
        return position, lambda _row: factory(), None
    raise RowMappingError(f"{cls.__name__}.{field.name} is absent from the rows but has no default")
