"""The minutes as plain data, compiled from the database and rendered by :mod:`bot.render`.

Modelled on the council's own minutes (seeds 000 and 001): time, place and convener; who attended
(deputies marked); apologies ("Forfall"); new members; the agenda with leads; the status round with
one paragraph per organisation — attending organisations first, then written submissions from
absent ones; notes per item; the next meeting; the date and the secretary; dated addenda.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class AbsenceReason(StrEnum):
    """Why an organisation is listed under Forfall."""

    APOLOGY = "apology"
    NO_ANSWER = "no_answer"


@dataclass(frozen=True, slots=True)
class Participant:
    """An attending organisation and who attended for it."""

    org_name: str
    org_short: str
    person_name: str | None
    is_deputy: bool = False

    @property
    def org_label(self) -> str:
        """``Name (SHORT)``, or the name alone when they are the same."""
        return _label(self.org_name, self.org_short)


@dataclass(frozen=True, slots=True)
class Absence:
    """An organisation that sent apologies or did not answer."""

    org_name: str
    org_short: str
    reason: AbsenceReason

    @property
    def org_label(self) -> str:
        """``Name (SHORT)``, or the name alone when they are the same."""
        return _label(self.org_name, self.org_short)


@dataclass(frozen=True, slots=True)
class NewMember:
    """A representative or deputy who took their seat since the previous meeting."""

    person_name: str
    org_short: str
    role: str  # "representative" | "deputy"


@dataclass(frozen=True, slots=True)
class StatusParagraph:
    """One organisation's news for the status round."""

    org_name: str
    org_short: str
    text: str
    written: bool = False
    source: str | None = None
    author_name: str | None = None


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """One agenda item with what the minutes say under it."""

    number: int
    title: str
    kind: str  # "status_round" | "item" | "any_other_business"
    lead: str | None = None
    deputy_interest: bool = False
    notes: tuple[str, ...] = ()
    statuses: tuple[StatusParagraph, ...] = ()


@dataclass(frozen=True, slots=True)
class Addendum:
    """Text added after publication, dated."""

    added_on: datetime
    text: str


@dataclass(frozen=True, slots=True)
class MinutesDocument:
    """Everything the minutes show, ready to render."""

    language: str
    council_name: str
    title: str
    start: datetime
    end: datetime
    tz: str
    place: str
    convened_by: str
    participants: tuple[Participant, ...] = ()
    absences: tuple[Absence, ...] = ()
    new_members: tuple[NewMember, ...] = ()
    agenda: tuple[AgendaEntry, ...] = ()
    next_meeting: str | None = None
    secretary_name: str | None = None
    signed_on: datetime | None = None
    addenda: tuple[Addendum, ...] = field(default_factory=tuple)
    is_draft: bool = True
    draft_version: int | None = None

    @property
    def size(self) -> int:
        """A rough measure of content size (characters of member text), for benchmarks."""
        return sum(len(s.text) for item in self.agenda for s in item.statuses) + sum(
            len(n) for item in self.agenda for n in item.notes
        )


def order_statuses(
    statuses: list[StatusParagraph], attending_order: list[str], roster_order: list[str]
) -> tuple[StatusParagraph, ...]:
    """Attending organisations first (in roster order), then written submissions from absent ones."""
    rank = {short: i for i, short in enumerate(roster_order)}
    attending = set(attending_order)
    first = sorted((s for s in statuses if s.org_short in attending), key=lambda s: rank.get(s.org_short, 1 << 30))
    rest = sorted((s for s in statuses if s.org_short not in attending), key=lambda s: rank.get(s.org_short, 1 << 30))
    return tuple(first) + tuple(rest)


def _label(name: str, short: str) -> str:
    return name if name.casefold() == short.casefold() else f"{name} ({short})"
