"""Meeting use cases: create, edit, cancel, open (send the call), dashboard, attendance, next meeting.

The service is assembled from one part per concern, each in its own module:

* ``_results`` — what the use cases return;
* ``_base`` — dependencies and the helpers the parts share (parsing dates, enqueuing invitations);
* ``_queries`` — lists, search, the dashboard, guests, the calendar file;
* ``_commands`` — ``/meeting create``, ``edit`` and ``cancel``;
* ``_call`` — ``/meeting open``, following the roster while a call is open, ``/meeting remind``;
* ``_records`` — what the secretary records for the minutes (attendance, guests, the next meeting).

The rules themselves (who is invited, who attended, how deadlines follow a moved meeting) are pure and
live in :mod:`bot.domain.invitations`.
"""

from __future__ import annotations

from bot.services.meetings._call import MeetingCall
from bot.services.meetings._queries import MeetingQueries
from bot.services.meetings._records import MeetingRecords
from bot.services.meetings._results import (
    AttendanceResult,
    ChangeResult,
    Dashboard,
    DashboardRow,
    GuestResult,
    MeetingList,
    NextResult,
    OpenResult,
)

__all__ = [
    "AttendanceResult",
    "ChangeResult",
    "Dashboard",
    "DashboardRow",
    "GuestResult",
    "MeetingList",
    "MeetingService",
    "NextResult",
    "OpenResult",
]


class MeetingService(MeetingQueries, MeetingCall, MeetingRecords):
    """Meetings of a council. Takes plain ids and strings; returns what it understood."""
