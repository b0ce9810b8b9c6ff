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

from bot.domain.attendance import Invitation, Outcome
from bot.domain.guests import guest_label
from bot.domain.meetings import AgendaItem, AgendaKind, Meeting
from bot.domain.memory import ActionLine, ApprovalNote, MinutesMemory
from bot.domain.roster import Council, Organisation, Role, Seat, org_label


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
    is_substitute: bool = False
    """Someone other than the representative or deputy attended for the organisation."""

    @property
    def org_label(self) -> str:
        """``Name (SHORT)``, or the name alone when they are the same."""
        return org_label(self.org_name, self.org_short)


@dataclass(frozen=True, slots=True)
class Guest:
    """Someone present who is not a representative or deputy: host staff, a presenter, a guest."""

    name: str
    affiliation: str | None = None

    @property
    def label(self) -> str:
        """``Name (affiliation)``, or the name alone."""
        return guest_label(self.name, self.affiliation)


@dataclass(frozen=True, slots=True)
class Absence:
    """An organisation that sent apologies or did not answer."""

    org_name: str
    org_short: str
    reason: AbsenceReason

    @property
    def org_label(self) -> str:
        """``Name (SHORT)``, or the name alone when they are the same."""
        return org_label(self.org_name, self.org_short)


@dataclass(frozen=True, slots=True)
class NewMember:
    """A representative or deputy who took their seat since the previous meeting."""

    person_name: str
    org_short: str
    role: Role


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
    kind: AgendaKind
    lead: str | None = None
    deputy_interest: bool = False
    notes: tuple[str, ...] = ()
    details: str | None = None
    """The item's background text (for the status round: the theme question)."""
    statuses: tuple[StatusParagraph, ...] = ()
    decisions: tuple[str, ...] = ()
    approval: ApprovalNote | None = None


@dataclass(frozen=True, slots=True)
class DecisionLine:
    """A decision in the short list of the meeting's decisions."""

    item_number: int
    item_title: str
    text: str


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
    decisions: tuple[DecisionLine, ...] = ()
    actions: tuple[ActionLine, ...] = ()
    followups: tuple[ActionLine, ...] = ()
    approved_on: datetime | None = None
    circulated_on: datetime | None = None
    guests: tuple[Guest, ...] = ()
    next_meeting_place: str | None = None
    next_meeting_note: str | None = None

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


# -- as stored ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Note:
    """A note on an agenda item ("Innspill fra møtet")."""

    id: int
    agenda_item_id: int
    text: str
    author_id: int
    created_at: datetime
    replaced_at: datetime | None = None
    replaced_by: int | None = None


@dataclass(frozen=True, slots=True)
class StoredMinutes:
    """One stored version of the minutes."""

    id: int
    meeting_id: int
    kind: str
    version: int
    language: str
    markdown: str
    docx: bytes
    created_by: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredAddendum:
    """An addendum added after publication."""

    id: int
    text: str
    created_by: int
    created_at: datetime


# -- compiling ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """A stored status update as the minutes need it."""

    org_id: int
    text: str
    source: str | None = None
    author_id: int | None = None


@dataclass(frozen=True, slots=True)
class MinutesInput:
    """Everything the minutes are compiled from, already read from the database."""

    council: Council
    meeting: Meeting
    agenda: tuple[AgendaItem, ...]
    orgs: tuple[Organisation, ...]
    invitations: tuple[Invitation, ...]
    names: dict[int, str]
    statuses: tuple[StatusEntry, ...]
    notes: dict[int, tuple[str, ...]]
    new_seats: tuple[Seat, ...]
    addenda: tuple[Addendum, ...]
    secretary_name: str | None
    signed_on: datetime
    next_meeting: str | None
    is_draft: bool
    draft_version: int | None
    memory: MinutesMemory = field(default_factory=MinutesMemory)
    guests: tuple[Guest, ...] = ()
    substitutes: dict[int, str] = field(default_factory=dict)
    """Organisation id -> the name of someone else who attended for it."""
    next_place: str | None = None
    next_note: str | None = None


def _attendees(inv: Invitation) -> list[tuple[int | None, bool]]:
    """Who attended for an organisation: (user id, is deputy) pairs; empty when nobody did."""
    if inv.attended is False:
        return []
    role = inv.attended_role if inv.attended else inv.outcome
    if role is Outcome.BOTH:
        return [(inv.representative_id, False), (inv.deputy_id, True)]
    if role is Outcome.REPRESENTATIVE:
        return [(inv.attended_user_id or inv.representative_id, False)]
    if role is Outcome.DEPUTY:
        return [(inv.attended_user_id or inv.deputy_id, True)]
    return []


def compile_minutes(data: MinutesInput) -> MinutesDocument:
    """Build the minutes document: attendance (recorded attendance overrides RSVPs), Forfall, statuses.

    Organisations are listed in roster order. An organisation without an invitation (the meeting was
    never opened for it) counts as not having answered. A status from an organisation that did not
    attend is a written submission ("skriftlig innspill").
    """
    orgs = sorted(data.orgs, key=lambda o: (o.position, o.id))
    by_id = {o.id: o for o in orgs}
    invitations = {inv.org_id: inv for inv in data.invitations}
    participants: list[Participant] = []
    absences: list[Absence] = []
    attending: set[int] = set()
    for org in orgs:
        inv = invitations.get(org.id)
        if inv is None:
            if org.retired_at is None or org.retired_at > data.meeting.start_at:
                absences.append(Absence(org.name, org.short, AbsenceReason.NO_ANSWER))
            continue
        people = _attendees(inv)
        substitute = data.substitutes.get(org.id)
        if substitute is not None and inv.attended is not False:
            attending.add(org.id)
            participants.append(Participant(org.name, org.short, substitute, is_substitute=True))
            continue
        if people:
            attending.add(org.id)
            for user_id, deputy in people:
                name = data.names.get(user_id) if user_id is not None else None
                participants.append(Participant(org.name, org.short, name, is_deputy=deputy))
            continue
        answered = inv.attended is False or inv.state.representative is not None or inv.state.deputy is not None
        reason = AbsenceReason.APOLOGY if answered else AbsenceReason.NO_ANSWER
        absences.append(Absence(org.name, org.short, reason))

    paragraphs = [
        StatusParagraph(
            by_id[s.org_id].name,
            by_id[s.org_id].short,
            s.text,
            written=s.org_id not in attending,
            source=s.source,
            author_name=data.names.get(s.author_id) if s.author_id is not None else None,
        )
        for s in data.statuses
        if s.org_id in by_id
    ]
    roster_order = [o.short for o in orgs]
    ordered = order_statuses(paragraphs, [by_id[i].short for i in attending], roster_order)
    agenda = tuple(
        AgendaEntry(
            number=index,
            title=item.title,
            kind=item.kind,
            lead=_lead(item.lead, data.guests),
            deputy_interest=item.deputy_interest,
            notes=data.notes.get(item.id, ()),
            details=item.details,
            statuses=ordered if item.kind is AgendaKind.STATUS_ROUND else (),
            decisions=data.memory.decisions.get(item.id, ()),
            approval=data.memory.approvals.get(item.id),
        )
        for index, item in enumerate(sorted(data.agenda, key=lambda i: i.position), start=1)
    )
    decisions = tuple(DecisionLine(entry.number, entry.title, text) for entry in agenda for text in entry.decisions)
    new_members = tuple(
        NewMember(data.names.get(seat.person.user_id, seat.person.display_name), by_id[seat.org_id].short, seat.role)
        for seat in data.new_seats
        if seat.org_id in by_id
    )
    return MinutesDocument(
        language=data.council.language,
        council_name=data.council.name,
        title=data.meeting.title,
        start=data.meeting.start_at,
        end=data.meeting.end_at,
        tz=data.council.timezone,
        place=data.meeting.place,
        convened_by=data.council.convener,
        participants=tuple(participants),
        absences=tuple(absences),
        new_members=new_members,
        agenda=agenda,
        next_meeting=data.next_meeting,
        secretary_name=data.secretary_name,
        signed_on=data.signed_on,
        addenda=data.addenda,
        is_draft=data.is_draft,
        draft_version=data.draft_version,
        decisions=decisions,
        actions=data.memory.actions,
        followups=data.memory.followups,
        approved_on=data.memory.approved_on,
        circulated_on=data.memory.circulated_on,
        guests=data.guests,
        next_meeting_place=data.next_place,
        next_meeting_note=data.next_note,
    )


def _lead(lead: str | None, guests: tuple[Guest, ...]) -> str | None:
    """An item led by a guest shows the guest's affiliation: "Kari Nysveen (NKROP)"."""
    if lead is None:
        return None
    for guest in guests:
        if guest.affiliation and guest.name.casefold() == lead.strip().casefold():
            return guest.label
    return lead
