"""What the memory's use cases return."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.domain.meetings import AgendaItem, Meeting
from bot.domain.memory import ActionItem, ActionLine, Comment
from bot.domain.roster import Council

Show = Literal["open", "all"]


@dataclass(frozen=True, slots=True)
class DecisionRef:
    """A decision with the agenda item it sits under, for replies and autocomplete."""

    id: int
    meeting: Meeting
    item: AgendaItem
    text: str


@dataclass(frozen=True, slots=True)
class ActionResult:
    """An action item as recorded or changed, ready to describe to the secretary."""

    council: Council
    meeting: Meeting
    item: ActionItem
    line: ActionLine


@dataclass(frozen=True, slots=True)
class ActionList:
    """``/action list``."""

    council: Council
    show: Show
    lines: tuple[ActionLine, ...]
    now: datetime


@dataclass(frozen=True, slots=True)
class DashboardMemory:
    """What the dashboard shows from the memory: overdue items and comments on a circulated draft."""

    council: Council
    overdue: tuple[ActionLine, ...]
    comments: tuple[tuple[str, str | None, Comment], ...]  # (person, org short, comment)
