"""The roster as CSV: export (safe against spreadsheet formulas), import (all rows or none) and its seat plan."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from bot.domain.fields import clean_text
from bot.domain.roster._model import (
    NAME_MAX,
    OrgKind,
    Person,
    Role,
    RosterEntry,
    nocase,
    validate_kind,
    validate_org_name,
    validate_short,
)
from bot.errors import InvalidInput

CSV_COLUMNS: Final = (
    "short",
    "name",
    "kind",
    "representative_id",
    "representative_name",
    "deputy_id",
    "deputy_name",
)
CSV_MAX_BYTES: Final = 512 * 1024
CSV_MAX_ROWS: Final = 5000


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One valid roster row read from CSV."""

    line: int
    short: str
    name: str
    kind: OrgKind
    representative: Person | None
    deputy: Person | None


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """A bad CSV row: the line number and a catalogue key with its parameters."""

    line: int
    key: str
    params: dict[str, str] = field(default_factory=dict)


_USER_ID: Final = re.compile(r"[0-9]{15,20}")
MAX_ID: Final = (1 << 63) - 1
"""Discord ids (snowflakes) fit in SQLite's signed 64-bit integer; a larger number is no id."""


def parse_user_id(value: str) -> int | None:
    """A Discord user id typed as ASCII digits (15–20 of them, at most 2**63 − 1), else ``None``.

    ``str.isdigit`` is not enough: ``"²²²"`` passes it but not ``int``, and 20 digits may overflow.
    """
    value = value.strip()
    if not _USER_ID.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def _person(user_id: str, name: str, role: Role, line: int, problems: list[CsvProblem]) -> Person | None:
    user_id = user_id.strip()
    if not user_id:
        return None
    number = parse_user_id(user_id)
    if number is None:
        problems.append(CsvProblem(line, "roster.csv_bad_user_id", {"role": role.value, "value": user_id[:25]}))
        return None
    return Person(number, _csv_value(clean_text(name))[:NAME_MAX] or user_id)


def _csv_delimiter(header_line: str) -> str:
    """Excel's CSV (quotes doubled inside quoted cells) with the delimiter the header uses.

    Only the delimiter is guessed, from the header (plain column names): guessing quoting from one
    line misreads names with quotes in them (``Rådet for "psykisk helse", Oslo``).
    """
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def parse_roster_csv(data: bytes) -> tuple[list[CsvRow], list[CsvProblem]]:
    """Parse a roster CSV file. Returns the valid rows and every problem found, by line number.

    The caller applies the rows only when there are no problems (all or nothing).
    """
    if len(data) > CSV_MAX_BYTES:
        return [], [CsvProblem(0, "roster.csv_too_large", {"limit": str(CSV_MAX_BYTES // 1024)})]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [CsvProblem(0, "roster.csv_not_utf8")]
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=_csv_delimiter(text.split("\n", 1)[0]))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [CsvProblem(0, "roster.csv_empty")]
    except csv.Error:
        return [], [CsvProblem(1, "roster.csv_malformed")]
    missing = [c for c in ("short", "name") if c not in header]
    if missing:
        return [], [CsvProblem(1, "roster.csv_missing_columns", {"columns": ", ".join(missing)})]
    rows: list[CsvRow] = []
    problems: list[CsvProblem] = []
    seen: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) + len(problems) >= CSV_MAX_ROWS:
                problems.append(CsvProblem(line, "roster.csv_too_many_rows", {"limit": str(CSV_MAX_ROWS)}))
                break
            if len(record) != len(header):
                problems.append(
                    CsvProblem(
                        line, "roster.csv_wrong_columns", {"expected": str(len(header)), "got": str(len(record))}
                    )
                )
                continue
            values = dict(zip(header, record, strict=True))
            before = len(problems)
            short = name = ""
            kind = OrgKind.OTHER
            try:
                short = validate_short(_csv_value(values["short"]))
            except InvalidInput as exc:
                problems.append(CsvProblem(line, exc.message_key, {k: str(v) for k, v in exc.params.items()}))
            try:
                name = validate_org_name(_csv_value(values["name"]))
            except InvalidInput as exc:
                problems.append(CsvProblem(line, exc.message_key, {k: str(v) for k, v in exc.params.items()}))
            if values.get("kind", "").strip():
                try:
                    kind = validate_kind(values["kind"])
                except InvalidInput as exc:
                    problems.append(CsvProblem(line, exc.message_key, {k: str(v) for k, v in exc.params.items()}))
            rep = _person(
                values.get("representative_id", ""),
                values.get("representative_name", ""),
                Role.REPRESENTATIVE,
                line,
                problems,
            )
            dep = _person(values.get("deputy_id", ""), values.get("deputy_name", ""), Role.DEPUTY, line, problems)
            if short and short.casefold() in seen:
                problems.append(
                    CsvProblem(
                        line, "roster.csv_duplicate_short", {"short": short, "first": str(seen[short.casefold()])}
                    )
                )
            if rep is not None and dep is not None and rep.user_id == dep.user_id:
                problems.append(CsvProblem(line, "roster.same_person_both_seats"))
            if len(problems) == before:
                seen[short.casefold()] = line
                rows.append(CsvRow(line, short, name, kind, rep, dep))
    except csv.Error:
        problems.append(CsvProblem(reader.line_num, "roster.csv_malformed"))
    return rows, problems


_FORMULA_START: Final = ("=", "+", "-", "@")


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula: a protective apostrophe in front.

    A value that itself starts with an apostrophe gets one too, so :func:`_csv_value` can always take
    exactly one off and export → import gives back the same text.
    """
    risky = value[:1] in _FORMULA_START and not value.lstrip("-").isdigit()
    return "'" + value if risky or value.startswith("'") else value


def _csv_value(value: str) -> str:
    """Undo :func:`_csv_safe`: drop the apostrophe put in front of a formula-like value or an apostrophe."""
    if value.startswith("'") and value[1:2] in (*_FORMULA_START, "'"):
        return value[1:]
    return value


def format_roster_csv(entries: list[RosterEntry]) -> str:
    """Write the roster as CSV in the same columns :func:`parse_roster_csv` reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        rep, dep = entry.representative, entry.deputy
        writer.writerow(
            [
                _csv_safe(entry.org.short),
                _csv_safe(entry.org.name),
                entry.org.kind.value,
                str(rep.person.user_id) if rep else "",
                _csv_safe(rep.person.display_name) if rep else "",
                str(dep.person.user_id) if dep else "",
                _csv_safe(dep.person.display_name) if dep else "",
            ]
        )
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class SeatPlan:
    """What an import changes in the seats: terms to end (first), then seats to give."""

    ended: tuple[tuple[int, Role], ...]
    assigned: tuple[tuple[int, Role, int], ...]


def plan_seats(rows: Sequence[CsvRow], org_ids: Mapping[str, int], held: Mapping[tuple[int, Role], int]) -> SeatPlan:
    """The seat changes that make the roster match ``rows``.

    Args:
        rows: the valid CSV rows (no short name twice, never one person in both seats of a row).
        org_ids: organisation id by :func:`nocase` short name (every row's organisation is there).
        held: who holds each current seat, ``(org id, role) -> user id``.

    A seat already held by the same person is left alone; a person moving from the other seat of the
    same organisation (a swap) leaves it first. No seat is ended after being given in the same
    import, so applying every end before every assignment gives the same result as row by row.
    """
    seats = dict(held)
    ended: list[tuple[int, Role]] = []
    assigned: list[tuple[int, Role, int]] = []
    for row in rows:
        org_id = org_ids[nocase(row.short)]
        for role, person in ((Role.REPRESENTATIVE, row.representative), (Role.DEPUTY, row.deputy)):
            if person is None:
                continue
            current = seats.get((org_id, role))
            if current == person.user_id:
                continue
            if current is not None:
                ended.append((org_id, role))
            other = Role.DEPUTY if role is Role.REPRESENTATIVE else Role.REPRESENTATIVE
            if seats.get((org_id, other)) == person.user_id:
                ended.append((org_id, other))
                del seats[(org_id, other)]
            assigned.append((org_id, role, person.user_id))
            seats[(org_id, role)] = person.user_id
    return SeatPlan(tuple(ended), tuple(assigned))
