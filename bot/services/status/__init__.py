"""Status updates: what each organisation has been doing, for the round "Hva skjer i organisasjonene?".

Members write their organisation's status in a form (``/status write`` or the "Skriv status" button
under the invitation, call-up or reminder DM) or simply answer that DM; the secretary enters
statuses received by e-mail with their source.
Every save is kept as a version; the latest is the current status, editable until the minutes are
published.

A DM is matched to a member by their seats, to the meeting that is collecting statuses, and held as a
pending draft (messages in a row are joined) until the member keeps the stored status, replaces it or
appends to it. Nothing at all is stored for people who are not on any council's roster. A per-user
cursor, advanced in the transaction that stores the draft, makes sure each DM is taken once, also
when DMs sent while the bot was offline are read back (:class:`DmIntake`).

:class:`StatusService` is also the :class:`~bot.services.hooks.StatusLookup` of the dashboard and the
reminders, and a :class:`~bot.services.hooks.MeetingOpenedHook` that starts reading back the invitees'
DM replies in the same transaction as the invitations (the invitation itself asks for the status).

The parts: ``_results`` (what the use cases return), ``_base`` (dependencies, which meeting, who
writes), ``_writing`` (forms and commands), ``_reading`` (what is stored), ``_replies`` (DM replies held
as drafts) and ``_intake`` (taking DMs in order, and reading them back after downtime).
"""

from __future__ import annotations

from bot.services.status._intake import PICKUP_LIMIT, PICKUP_TASK, DmChannel, DmIntake, DmPort, IncomingDm
from bot.services.status._reading import StatusReading
from bot.services.status._replies import StatusReplies
from bot.services.status._results import (
    DmRefusal,
    DraftPreview,
    ResolveResult,
    ShowEntry,
    ShowResult,
    StatusSlot,
    StatusTarget,
    WriteResult,
)

__all__ = [
    "PICKUP_LIMIT",
    "PICKUP_TASK",
    "DmChannel",
    "DmIntake",
    "DmPort",
    "DmRefusal",
    "DraftPreview",
    "IncomingDm",
    "ResolveResult",
    "ShowEntry",
    "ShowResult",
    "StatusService",
    "StatusSlot",
    "StatusTarget",
    "WriteResult",
]


class StatusService(StatusReading, StatusReplies):
    """Status updates of a council's organisations. Takes plain ids and strings; never a Discord object."""
