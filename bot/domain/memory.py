"""The council's memory as plain data: decisions, action items, approval and circulation.

Minutes exist so that what was decided gets done. A decision ("Vedtak") sits under its agenda item;
an action item ("Oppfølgingspunkt") has an owner — an organisation (its representative answers for
it), a person, or nobody (the secretariat) — and an optional due date. Open items carry forward: the
next meeting's minutes list them under "Oppfølging fra forrige møte" with their state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from bot.domain.fields import TextField
from bot.domain.roster import Organisation
from bot.domain.text import no_mentions

DECISION_MAX: Final = 1500
ACTION_MAX: Final = 500
ACTION_NOTE_MAX: Final = 500
COMMENT_MAX: Final = 2000

_DECISION: Final = TextField(DECISION_MAX, "memory.decision_too_long", "memory.decision_empty", multiline=True)
_ACTION: Final = TextField(ACTION_MAX, "memory.action_too_long", "memory.action_empty", multiline=True)
_NOTE: Final = TextField(ACTION_NOTE_MAX, "memory.note_too_long", multiline=True)
_COMMENT: Final = TextField(COMMENT_MAX, "memory.comment_too_long", "memory.comment_empty", multiline=True)


class ActionState(StrEnum):
    """Whether an action item is still to be done."""

    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision recorded under an agenda item."""

    id: int
    meeting_id: int
    agenda_item_id: int
    text: str
    author_id: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ActionItem:
    """An action item, numbered per council (``#3``)."""

    id: int
    guild_id: int
    number: int
    meeting_id: int
    text: str
    created_by: int
    created_at: datetime
    agenda_item_id: int | None = None
    owner_org_id: int | None = None
    owner_user_id: int | None = None
    due_at: datetime | None = None
    state: ActionState = ActionState.OPEN
    done_at: datetime | None = None
    done_by: int | None = None
    done_note: str | None = None
    due_reminded_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Whether the item is not done yet."""
        return self.state is ActionState.OPEN

    def is_overdue(self, now: datetime) -> bool:
        """Open and past its due date."""
        return self.is_open and self.due_at is not None and self.due_at <= now

    def reminder_due(self, now: datetime, before: timedelta) -> bool:
        """Whether the one reminder before the due date should go out now.

        Only for open items with a due date still ahead, within ``before`` of it, not yet reminded.
        """
        if not self.is_open or self.due_at is None or self.due_reminded_at is not None:
            return False
        return self.due_at - before <= now < self.due_at


@dataclass(frozen=True, slots=True)
class ActionLine:
    """An action item as the minutes and messages show it."""

    number: int
    text: str
    owner: str | None  # None: the secretariat
    due: datetime | None
    done: bool = False
    done_on: datetime | None = None
    note: str | None = None
    meeting_number: int | None = None


@dataclass(frozen=True, slots=True)
class Approval:
    """When published minutes were approved, and at which meeting."""

    approved_at: datetime
    meeting_id: int | None


@dataclass(frozen=True, slots=True)
class Circulation:
    """A draft sent to representatives and deputies for comments, until ``deadline``."""

    id: int
    guild_id: int
    meeting_id: int
    version_id: int
    deadline: datetime
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on a circulated draft."""

    id: int
    circulation_id: int
    meeting_id: int
    org_id: int | None
    user_id: int
    text: str
    created_at: datetime


def validate_decision(text: str) -> str:
    """A decision's text, trimmed; refused when empty or too long."""
    return _DECISION.clean(text)


def validate_action(text: str) -> str:
    """An action item's text, trimmed."""
    return _ACTION.clean(text)


def validate_note(note: str | None) -> str | None:
    """The optional note given when an item is marked done."""
    return _NOTE.optional(note)


def validate_comment(text: str) -> str:
    """A comment on a circulated draft."""
    return _COMMENT.clean(text)


def carried_forward(
    items: Iterable[ActionItem], meeting_ids_before: set[int], since: datetime | None
) -> list[ActionItem]:
    """The earlier items the next minutes report on under "Oppfølging fra forrige møte".

    Every item from an earlier meeting that is still open, and every one done since the previous
    meeting began (``since``), so each is reported done once and then drops off.
    """
    chosen = [
        item
        for item in items
        if item.meeting_id in meeting_ids_before
        and (item.is_open or since is None or (item.done_at is not None and item.done_at >= since))
    ]
    return sorted(chosen, key=lambda i: i.number)


def owner_label(item: ActionItem, orgs: dict[int, Organisation], names: dict[int, str]) -> str | None:
    """Who answers for an item, as text: the organisation's short name, the person, or None (secretariat)."""
    if item.owner_org_id is not None and item.owner_org_id in orgs:
        return no_mentions(orgs[item.owner_org_id].short)
    if item.owner_user_id is not None:
        return no_mentions(names.get(item.owner_user_id, str(item.owner_user_id)))
    return None


def action_line(
    item: ActionItem, orgs: dict[int, Organisation], names: dict[int, str], meeting_number: int | None = None
) -> ActionLine:
    """An item ready to render."""
    return ActionLine(
        number=item.number,
        text=item.text,
        owner=owner_label(item, orgs, names),
        due=item.due_at,
        done=not item.is_open,
        done_on=item.done_at,
        note=item.done_note,
        meeting_number=meeting_number,
    )


def comment_custom_id(circulation_id: int) -> str:
    """The custom id of the persistent «Kommenter» button under a circulated draft."""
    return f"council:circulate:comment:{circulation_id}"


@dataclass(frozen=True, slots=True)
class ApprovalNote:
    """What the approval item of a meeting says: whose minutes, and whether they were approved here."""

    approves_meeting_start: datetime
    approved_on: datetime | None = None


@dataclass(frozen=True, slots=True)
class MinutesMemory:
    """What the memory adds to a meeting's minutes.

    Attributes:
        decisions: agenda item id -> the decisions under it, oldest first.
        approvals: agenda item id -> the approval that item is about.
        actions: the action items recorded at this meeting ("Oppfølgingspunkter").
        followups: earlier items and their state ("Oppfølging fra forrige møte").
        approved_on: when these minutes were approved, if they were.
        circulated_on: when the draft was first circulated for comments, if it was.
    """

    decisions: dict[int, tuple[str, ...]] = field(default_factory=dict)
    approvals: dict[int, ApprovalNote] = field(default_factory=dict)
    actions: tuple[ActionLine, ...] = ()
    followups: tuple[ActionLine, ...] = ()
    approved_on: datetime | None = None
    circulated_on: datetime | None = None


class Presence(StrEnum):
    """How an organisation was present at a meeting, for ``/org history``."""

    REPRESENTATIVE = "representative"
    DEPUTY = "deputy"
    BOTH = "both"
    APOLOGY = "apology"
    NO_ANSWER = "no_answer"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One meeting in an organisation's record."""

    meeting_number: int
    start: datetime
    presence: Presence
    people: tuple[str, ...]
    status_sent: bool
