"""The deputy substitution state machine, case by case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from bot.domain.attendance import (
    Answer,
    Answered,
    AttendanceState,
    CallUpDeputy,
    CallUpReason,
    DeadlinePassed,
    FlagNoDeputy,
    ListedAbsent,
    Outcome,
    ReleaseDeputy,
    decide,
    outcome,
)
from bot.domain.roster import Role
from bot.errors import Conflict, NotAllowed

DEADLINE = datetime(2026, 11, 25, 22, 59, tzinfo=UTC)
START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
BEFORE = DEADLINE - timedelta(days=2)  # before the RSVP deadline
AFTER = DEADLINE + timedelta(hours=1)  # after the deadline, before the start
STARTED = START + timedelta(minutes=1)

YES, NO, MAYBE = Answer.YES, Answer.NO, Answer.MAYBE
S = AttendanceState
rep = partial(Answered, Role.REPRESENTATIVE)
dep = partial(Answered, Role.DEPUTY)
DECLINED, DEADLINE_REASON = CallUpReason.DECLINED, CallUpReason.DEADLINE

CALLED = S(representative=NO, deputy_called=True, callups=1)
CALLED_AT_DEADLINE = S(deputy_called=True, callups=1)

# (name, state before, event, now, has deputy, state after, effects)
TABLE = [
    # The representative answers before the deadline.
    ("rep yes", S(), rep(YES), BEFORE, True, S(representative=YES), ()),
    ("rep maybe waits for the deadline", S(), rep(MAYBE), BEFORE, True, S(representative=MAYBE), ()),
    ("rep no calls the deputy", S(), rep(NO), BEFORE, True, CALLED, (CallUpDeputy(DECLINED, 1),)),
    (
        "rep no without deputy: flag and forfall",
        S(),
        rep(NO),
        BEFORE,
        False,
        S(representative=NO, no_deputy_flagged=True),
        (FlagNoDeputy(), ListedAbsent()),
    ),
    ("rep no twice changes nothing", CALLED, rep(NO), BEFORE, True, CALLED, ()),
    (
        "rep no twice without deputy flags once",
        S(representative=NO, no_deputy_flagged=True),
        rep(NO),
        BEFORE,
        False,
        S(representative=NO, no_deputy_flagged=True),
        (),
    ),
    # The deadline passes.
    (
        "deadline, rep silent: call deputy",
        S(),
        DeadlinePassed(),
        AFTER,
        True,
        CALLED_AT_DEADLINE,
        (CallUpDeputy(DEADLINE_REASON, 1),),
    ),
    (
        "deadline, rep maybe: like silent",
        S(representative=MAYBE),
        DeadlinePassed(),
        AFTER,
        True,
        S(representative=MAYBE, deputy_called=True, callups=1),
        (CallUpDeputy(DEADLINE_REASON, 1),),
    ),
    (
        "deadline, rep silent, no deputy: flag",
        S(),
        DeadlinePassed(),
        AFTER,
        False,
        S(no_deputy_flagged=True),
        (FlagNoDeputy(),),
    ),
    ("deadline, rep yes: nothing", S(representative=YES), DeadlinePassed(), AFTER, True, S(representative=YES), ()),
    ("deadline, deputy already called: nothing", CALLED, DeadlinePassed(), AFTER, True, CALLED, ()),
    ("deadline twice: nothing", CALLED_AT_DEADLINE, DeadlinePassed(), AFTER, True, CALLED_AT_DEADLINE, ()),
    ("deadline after the start: too late", S(), DeadlinePassed(), STARTED, True, S(), ()),
    (
        "rep maybe after the deadline, not yet called: call",
        S(),
        rep(MAYBE),
        AFTER,
        True,
        S(representative=MAYBE, deputy_called=True, callups=1),
        (CallUpDeputy(DEADLINE_REASON, 1),),
    ),
    # The deputy answers a call-up.
    ("deputy yes", CALLED, dep(YES), BEFORE, True, S(representative=NO, deputy=YES, deputy_called=True, callups=1), ()),
    (
        "deputy no: forfall",
        CALLED,
        dep(NO),
        BEFORE,
        True,
        S(representative=NO, deputy=NO, deputy_called=True, callups=1),
        (ListedAbsent(),),
    ),
    (
        "deputy no while the rep is silent: rep can still answer",
        CALLED_AT_DEADLINE,
        dep(NO),
        AFTER,
        True,
        S(deputy=NO, deputy_called=True, callups=1),
        (),
    ),
    (
        "deputy maybe",
        CALLED,
        dep(MAYBE),
        BEFORE,
        True,
        S(representative=NO, deputy=MAYBE, deputy_called=True, callups=1),
        (),
    ),
    # The representative changes their mind.
    (
        "rep yes after the deputy accepted: release",
        S(representative=NO, deputy=YES, deputy_called=True, callups=1),
        rep(YES),
        BEFORE,
        True,
        S(representative=YES, callups=1),
        (ReleaseDeputy(1),),
    ),
    (
        "rep yes while the deputy is silent: release",
        CALLED,
        rep(YES),
        BEFORE,
        True,
        S(representative=YES, callups=1),
        (ReleaseDeputy(1),),
    ),
    (
        "rep yes after the deputy declined: nothing to release",
        S(representative=NO, deputy=NO, deputy_called=True, callups=1),
        rep(YES),
        BEFORE,
        True,
        S(representative=YES, callups=1),
        (),
    ),
    (
        "rep yes after deadline call-up: release",
        S(deputy=YES, deputy_called=True, callups=1),
        rep(YES),
        AFTER,
        True,
        S(representative=YES, callups=1),
        (ReleaseDeputy(1),),
    ),
    (
        "rep no again after a release: second call-up",
        S(representative=YES, callups=1),
        rep(NO),
        BEFORE,
        True,
        S(representative=NO, deputy_called=True, callups=2),
        (CallUpDeputy(DECLINED, 2),),
    ),
    (
        "rep maybe after declining: deputy stays called",
        S(representative=NO, deputy=YES, deputy_called=True, callups=1),
        rep(MAYBE),
        BEFORE,
        True,
        S(representative=MAYBE, deputy=YES, deputy_called=True, callups=1),
        (),
    ),
    (
        "rep yes after forfall without deputy",
        S(representative=NO, no_deputy_flagged=True),
        rep(YES),
        BEFORE,
        False,
        S(representative=YES, no_deputy_flagged=True),
        (),
    ),
    # A deputy invited alongside the representative (an item of special interest to deputies).
    (
        "invited deputy answers yes",
        S(deputy_invited=True),
        dep(YES),
        BEFORE,
        True,
        S(deputy=YES, deputy_invited=True),
        (),
    ),
    (
        "rep no, invited deputy not answered: call-up",
        S(deputy_invited=True),
        rep(NO),
        BEFORE,
        True,
        S(representative=NO, deputy_invited=True, deputy_called=True, callups=1),
        (CallUpDeputy(DECLINED, 1),),
    ),
    (
        "rep no, invited deputy already coming: call-up tells them they stand in",
        S(deputy=YES, deputy_invited=True),
        rep(NO),
        BEFORE,
        True,
        S(representative=NO, deputy=YES, deputy_invited=True, deputy_called=True, callups=1),
        (CallUpDeputy(DECLINED, 1),),
    ),
    (
        "rep no, invited deputy already declined: forfall, no call-up",
        S(deputy=NO, deputy_invited=True),
        rep(NO),
        BEFORE,
        True,
        S(representative=NO, deputy=NO, deputy_invited=True, deputy_called=True, callups=1),
        (ListedAbsent(),),
    ),
    (
        "rep yes again: an invited deputy is never released",
        S(representative=NO, deputy=YES, deputy_invited=True, deputy_called=True, callups=1),
        rep(YES),
        BEFORE,
        True,
        S(representative=YES, deputy=YES, deputy_invited=True, callups=1),
        (),
    ),
]


@pytest.mark.parametrize(
    ("before", "event", "now", "has_deputy", "after", "effects"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_substitution_table(before, event, now, has_deputy, after, effects):
    decision = decide(before, event, now=now, rsvp_deadline=DEADLINE, starts_at=START, has_deputy=has_deputy)
    assert decision.state == after
    assert decision.effects == effects


@pytest.mark.parametrize("name", [row[0] for row in TABLE])
def test_deciding_twice_has_no_further_effects(name):
    row = next(r for r in TABLE if r[0] == name)
    _, before, event, now, has_deputy, _, _ = row
    first = decide(before, event, now=now, rsvp_deadline=DEADLINE, starts_at=START, has_deputy=has_deputy)
    second = decide(first.state, event, now=now, rsvp_deadline=DEADLINE, starts_at=START, has_deputy=has_deputy)
    assert second.state == first.state
    assert not [e for e in second.effects if not isinstance(e, ListedAbsent)]


@pytest.mark.parametrize("event", [rep(YES), rep(NO), rep(MAYBE), dep(YES), dep(NO)])
def test_answers_after_the_start_are_refused(event):
    with pytest.raises(Conflict) as err:
        decide(CALLED, event, now=STARTED, rsvp_deadline=DEADLINE, starts_at=START, has_deputy=True)
    assert err.value.message_key == "rsvp.meeting_started"


@pytest.mark.parametrize(
    "state",
    [S(), S(representative=YES), S(representative=YES, callups=1)],
    ids=["never called", "rep coming", "released"],
)
def test_a_deputy_who_was_not_asked_cannot_answer(state):
    with pytest.raises(NotAllowed) as err:
        decide(state, dep(YES), now=BEFORE, rsvp_deadline=DEADLINE, starts_at=START, has_deputy=True)
    assert err.value.message_key == "rsvp.deputy_not_called"


@pytest.mark.parametrize(
    ("state", "has_deputy", "expected"),
    [
        (S(), True, Outcome.PENDING),
        (S(representative=MAYBE), True, Outcome.PENDING),
        (S(representative=YES), True, Outcome.REPRESENTATIVE),
        (S(representative=NO, deputy_called=True, callups=1), True, Outcome.PENDING),
        (S(representative=NO, deputy=YES, deputy_called=True, callups=1), True, Outcome.DEPUTY),
        (S(deputy=YES, deputy_called=True, callups=1), True, Outcome.DEPUTY),
        (S(representative=NO, deputy=NO, deputy_called=True, callups=1), True, Outcome.ABSENT),
        (S(representative=NO), False, Outcome.ABSENT),
        (S(representative=YES, deputy=YES, deputy_invited=True), True, Outcome.BOTH),
        (S(deputy=YES, deputy_invited=True), True, Outcome.DEPUTY),
        (S(representative=YES, deputy=YES), True, Outcome.REPRESENTATIVE),  # a stale answer of a released deputy
    ],
)
def test_outcome(state, has_deputy, expected):
    assert outcome(state, has_deputy=has_deputy) is expected
