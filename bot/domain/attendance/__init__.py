"""Who attends for an organisation: the deputy substitution as a pure state machine.

Every organisation invited to a meeting has one :class:`AttendanceState`. Events — the representative
or the deputy answering, the RSVP deadline passing — go through :func:`decide`, which returns the new
state and the :class:`Effect`s the services must carry out (send a call-up, release the deputy,
alert the secretary). Nothing here does I/O; the services store the state and turn effects into
outbox rows in the same transaction.

The rules (the table in ``tests/unit/test_attendance.py`` spells out every case):

* The representative answers **yes**, **no** or **maybe**; both people may change their answer until
  the meeting starts, after which answers are refused (:class:`~bot.errors.Conflict`).
* **no** calls up the deputy at once (a DM with the same three buttons). With no deputy on the roster
  the secretary is alerted once and the organisation is listed under *Forfall*.
* At the RSVP deadline a representative who is silent **or still "maybe"** counts as not coming: the
  deputy is called up (or the secretary told there is none). "Maybe" is not an answer the meeting can
  plan with; the representative can still answer afterwards and a later **yes** releases the deputy.
* A representative who changes to **yes** after a call-up releases the deputy (a "you are released"
  DM) unless the deputy had already declined — then there is nothing to release.
* A deputy who was invited alongside the representative (an agenda item of special interest to
  deputies) may attend together with them; such a deputy is never "released".
* The organisation is under *Forfall* when the representative said **no** and the deputy said **no**
  or there is no deputy.

The parts: ``_machine`` (answers, states, events, effects and :func:`decide`) and ``_invitation``
(the stored invitation, the history of answers, and seats changing hands while a call is open).
"""

from bot.domain.attendance._invitation import AnswerRecord, Invitation, SeatMove, follow_seats
from bot.domain.attendance._machine import (
    Answer,
    Answered,
    AttendanceState,
    CallUpDeputy,
    CallUpReason,
    DeadlinePassed,
    Decision,
    Effect,
    Event,
    FlagNoDeputy,
    ListedAbsent,
    Outcome,
    ReleaseDeputy,
    decide,
    outcome,
)

__all__ = [
    "Answer",
    "AnswerRecord",
    "Answered",
    "AttendanceState",
    "CallUpDeputy",
    "CallUpReason",
    "DeadlinePassed",
    "Decision",
    "Effect",
    "Event",
    "FlagNoDeputy",
    "Invitation",
    "ListedAbsent",
    "Outcome",
    "ReleaseDeputy",
    "SeatMove",
    "decide",
    "follow_seats",
    "outcome",
]
