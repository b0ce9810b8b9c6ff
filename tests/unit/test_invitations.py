"""The invitation policy: who is invited, who attended, how deadlines follow a moved meeting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.attendance import Answer, CallUpReason, Invitation, Outcome
from bot.domain.invitations import (
    attendance,
    follow_deadline,
    invited_alongside,
    invited_user,
    invitees,
    moved_call_up_reason,
)
from bot.domain.roster import Role
from tests.attendance import DEP, REP, invitation

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("rep", "dep", "wanted", "with_deputy"),
    [
        (REP, DEP, False, False),  # the representative alone
        (REP, DEP, True, True),  # an item of special interest to deputies
        (None, DEP, False, True),  # no representative: the deputy instead
        (REP, None, True, False),  # nobody to invite alongside
        (None, None, True, False),  # nobody at all
    ],
)
def test_who_is_invited(rep: int | None, dep: int | None, wanted: bool, with_deputy: bool) -> None:
    who = invitees(rep, dep, deputies_wanted=wanted)
    assert (who.representative_id, who.deputy_id, who.with_deputy) == (rep, dep, with_deputy)


def test_the_invited_person_and_whether_they_come_alongside() -> None:
    both = invitation()
    assert invited_user(both, Role.REPRESENTATIVE) == REP
    assert invited_user(both, Role.DEPUTY) == DEP
    assert invited_alongside(both, Role.DEPUTY)
    assert not invited_alongside(both, Role.REPRESENTATIVE)
    assert not invited_alongside(invitation(rep=None), Role.DEPUTY)


def test_a_deputy_taking_over_after_a_call_up_is_called_up_for_the_same_reason() -> None:
    assert moved_call_up_reason(invitation(representative=Answer.NO, deputy_called=True)) is CallUpReason.DECLINED
    assert moved_call_up_reason(invitation(deputy_called=True)) is CallUpReason.DEADLINE


@pytest.mark.parametrize(
    ("inv", "present", "expected"),
    [
        (invitation(representative=Answer.YES), True, (Outcome.REPRESENTATIVE, REP)),
        (
            invitation(representative=Answer.NO, deputy=Answer.YES, deputy_invited=True, deputy_called=True),
            True,
            (Outcome.DEPUTY, DEP),
        ),
        (
            invitation(representative=Answer.YES, deputy=Answer.YES, deputy_invited=True),
            True,
            (Outcome.BOTH, REP),
        ),
        (invitation(), True, (Outcome.REPRESENTATIVE, REP)),  # no answer: the representative is assumed
        (invitation(rep=None), True, (Outcome.DEPUTY, DEP)),  # no representative: the deputy
        (invitation(representative=Answer.YES), False, (None, None)),  # absent whatever was answered
    ],
)
def test_who_attended(inv: Invitation, present: bool, expected: tuple[Outcome | None, int | None]) -> None:
    assert attendance(inv, present=present) == expected


def test_a_deadline_follows_a_moved_meeting_on_the_local_clock() -> None:
    old_start = datetime(2027, 3, 20, 9, 0, tzinfo=UTC)  # 10:00 in Oslo (winter time)
    new_start = datetime(2027, 4, 3, 8, 0, tzinfo=UTC)  # 10:00 in Oslo (summer time), two weeks later
    deadline = datetime(2027, 3, 13, 11, 0, tzinfo=UTC)  # 12:00 in Oslo
    moved = follow_deadline(deadline, old_start, new_start, OSLO, NOW, moved=True)
    assert moved == datetime(2027, 3, 27, 12, 0, tzinfo=OSLO)  # 12:00 in Oslo, a week before the new start
    assert follow_deadline(deadline, old_start, new_start, OSLO, NOW, moved=False) == deadline


def test_a_deadline_that_would_fall_in_the_past_stays() -> None:
    start = NOW + timedelta(days=10)
    deadline = NOW + timedelta(days=2)
    earlier = start - timedelta(days=5)  # the deadline would move to three days ago
    assert follow_deadline(deadline, start, earlier, OSLO, NOW, moved=True) == deadline
