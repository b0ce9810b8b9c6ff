"""The council's memory: decisions under agenda items, action items and their follow-through.

Decisions and action items are recorded until the minutes are published. At publication each owner
gets one DM with their items; before an item's due date its owner is reminded once (the scheduler
calls :meth:`MemoryService.run_due`); owners or the secretary mark items done. Open items carry
forward into the next meeting's invitation and minutes ("Oppfølging fra forrige møte").

The parts: ``_results`` (what the use cases return), ``_base`` (dependencies and shared helpers),
``_decisions``, ``_items`` (action items) and ``_follow_through`` (publication, reminders, and what
the minutes, invitations and dashboard show).
"""

from __future__ import annotations

from bot.services.actions._base import describe
from bot.services.actions._decisions import MemoryDecisions
from bot.services.actions._follow_through import MemoryFollowThrough
from bot.services.actions._items import MemoryActions
from bot.services.actions._results import ActionList, ActionResult, DashboardMemory, DecisionRef, Show

__all__ = [
    "ActionList",
    "ActionResult",
    "DashboardMemory",
    "DecisionRef",
    "MemoryService",
    "Show",
    "describe",
]


class MemoryService(MemoryDecisions, MemoryActions, MemoryFollowThrough):
    """Decisions, action items and their follow-through. Plain ids in, plain values out."""
