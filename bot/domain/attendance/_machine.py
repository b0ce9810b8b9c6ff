"""The deputy substitution as a pure state machine: answers, states, events, effects and :func:`decide`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.domain.roster import Role
from bot.errors import Conflict, NotAllowed


class Answer(StrEnum):
    """An RSVP answer."""

    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


class Outcome(StrEnum):
    """Where the organisation stands, as the dashboard and the minutes see it."""

    PENDING = "pending"
    """Nobody has said who comes (includes "maybe")."""
    REPRESENTATIVE = "representative"
    """The representative attends."""
    DEPUTY = "deputy"
    """The deputy attends (instead of, or without word from, the representative)."""
    BOTH = "both"
    """Representative and deputy both attend (an item of special interest to deputies)."""
    ABSENT = "absent"
    """Listed under Forfall: nobody from the organisation can come."""


class CallUpReason(StrEnum):
    """Why the deputy was called up."""

    DECLINED = "declined"
    DEADLINE = "deadline"


@dataclass(frozen=True, slots=True)
class AttendanceState:
    """One organisation's RSVP state for one meeting.

    Attributes:
        representative: the representative's current answer (``None`` while silent).
        deputy: the deputy's current answer (``None`` while silent or not asked).
        deputy_invited: the deputy was invited alongside the representative (deputy-interest item).
        deputy_called: the deputy is currently called up to stand in for the representative.
        callups: how many times the deputy has been called up; numbers the call-up messages.
        no_deputy_flagged: the secretary has been told this organisation has no deputy.
    """

    representative: Answer | None = None
    deputy: Answer | None = None
    deputy_invited: bool = False
    deputy_called: bool = False
    callups: int = 0
    no_deputy_flagged: bool = False

    @property
    def deputy_asked(self) -> bool:
        """Whether the deputy has been asked to answer (invited or called up)."""
        return self.deputy_invited or self.deputy_called


# -- events ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answered:
    """The representative or the deputy pressed a button or used ``/rsvp``."""

    role: Role
    answer: Answer


@dataclass(frozen=True, slots=True)
class DeadlinePassed:
    """The RSVP deadline has passed (sent by the scheduler; repeating it changes nothing)."""


Event = Answered | DeadlinePassed


# -- effects ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CallUpDeputy:
    """DM the deputy a call-up with the RSVP buttons; ``number`` is the state's new ``callups``."""

    reason: CallUpReason
    number: int


@dataclass(frozen=True, slots=True)
class ReleaseDeputy:
    """DM the deputy that they are released; ``number`` is the call-up being ended."""

    number: int


@dataclass(frozen=True, slots=True)
class FlagNoDeputy:
    """Tell the secretary the organisation needs a deputy and has none (once per meeting)."""


@dataclass(frozen=True, slots=True)
class ListedAbsent:
    """The organisation has just become *Forfall*; no message, the answerer is told in the reply."""


Effect = CallUpDeputy | ReleaseDeputy | FlagNoDeputy | ListedAbsent


@dataclass(frozen=True, slots=True)
class Decision:
    """What :func:`decide` returns."""

    state: AttendanceState
    effects: tuple[Effect, ...] = ()


# -- rules -----------------------------------------------------------------------------------------


def outcome(state: AttendanceState, *, has_deputy: bool) -> Outcome:
    """Where the organisation stands given the answers so far."""
    rep_yes = state.representative is Answer.YES
    dep_yes = state.deputy is Answer.YES and state.deputy_asked
    if rep_yes:
        return Outcome.BOTH if dep_yes else Outcome.REPRESENTATIVE
    if dep_yes:
        return Outcome.DEPUTY
    if state.representative is Answer.NO and (not has_deputy or state.deputy is Answer.NO):
        return Outcome.ABSENT
    return Outcome.PENDING


def decide(
    state: AttendanceState,
    event: Event,
    *,
    now: datetime,
    rsvp_deadline: datetime,
    starts_at: datetime,
    has_deputy: bool,
) -> Decision:
    """Apply ``event`` to ``state``.

    Args:
        state: the current state.
        event: what happened.
        now: the current time (aware).
        rsvp_deadline: the meeting's RSVP deadline; from then on silence or "maybe" counts as "no".
        starts_at: the meeting's start; answers are refused from then on.
        has_deputy: whether the organisation has a deputy who can be called up.

    Returns:
        The new state and the effects to carry out, in order.

    Raises:
        Conflict: an answer after the meeting started (``rsvp.meeting_started``).
        NotAllowed: a deputy answering who has not been asked (``rsvp.deputy_not_called``).
    """
    if isinstance(event, DeadlinePassed):
        if now >= starts_at:
            return Decision(state)  # too late for a call-up to help
        return _after_deadline(state, has_deputy=has_deputy, before=state)
    if now >= starts_at:
        raise Conflict("rsvp.meeting_started")
    before = state
    if event.role is Role.REPRESENTATIVE:
        return _representative(state, event.answer, now=now, rsvp_deadline=rsvp_deadline, has_deputy=has_deputy)
    if not state.deputy_asked:
        raise NotAllowed("rsvp.deputy_not_called")
    state = replace(state, deputy=event.answer)
    return Decision(state, _absent_if_new(before, state, has_deputy=has_deputy))


def _representative(
    state: AttendanceState, answer: Answer, *, now: datetime, rsvp_deadline: datetime, has_deputy: bool
) -> Decision:
    before = state
    state = replace(state, representative=answer)
    effects: list[Effect] = []
    if answer is Answer.YES:
        if state.deputy_called:
            if not state.deputy_invited and state.deputy is not Answer.NO:
                effects.append(ReleaseDeputy(state.callups))
            # A released deputy's answer belonged to that call-up; a new call-up asks afresh.
            state = replace(state, deputy_called=False, deputy=state.deputy if state.deputy_invited else None)
    elif answer is Answer.NO:
        decision = _need_deputy(state, CallUpReason.DECLINED, has_deputy=has_deputy)
        state, effects = decision.state, list(decision.effects)
    elif now >= rsvp_deadline:
        # "maybe" after the deadline: the same as silence at the deadline.
        return _after_deadline(state, has_deputy=has_deputy, before=before)
    effects.extend(_absent_if_new(before, state, has_deputy=has_deputy))
    return Decision(state, tuple(effects))


def _after_deadline(state: AttendanceState, *, has_deputy: bool, before: AttendanceState) -> Decision:
    if state.representative is Answer.YES or state.deputy_called:
        return Decision(state)
    decision = _need_deputy(state, CallUpReason.DEADLINE, has_deputy=has_deputy)
    return Decision(decision.state, decision.effects + _absent_if_new(before, decision.state, has_deputy=has_deputy))


def _need_deputy(state: AttendanceState, reason: CallUpReason, *, has_deputy: bool) -> Decision:
    """The representative is not coming: call up the deputy, or flag that there is none."""
    if state.deputy_called:
        return Decision(state)
    if not has_deputy:
        if state.no_deputy_flagged:
            return Decision(state)
        return Decision(replace(state, no_deputy_flagged=True), (FlagNoDeputy(),))
    number = state.callups + 1
    state = replace(state, deputy_called=True, callups=number)
    if state.deputy is Answer.NO:
        # An invited deputy who already said they cannot come is not asked again.
        return Decision(state)
    return Decision(state, (CallUpDeputy(reason, number),))


def _absent_if_new(before: AttendanceState, after: AttendanceState, *, has_deputy: bool) -> tuple[Effect, ...]:
    was = outcome(before, has_deputy=has_deputy)
    now = outcome(after, has_deputy=has_deputy)
    return (ListedAbsent(),) if now is Outcome.ABSENT and was is not Outcome.ABSENT else ()
