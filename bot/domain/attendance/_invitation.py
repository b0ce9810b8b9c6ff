"""The stored invitation of an organisation, the history of answers, and seats changing hands."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain.attendance._machine import Answer, AttendanceState, Outcome, outcome
from bot.domain.roster import ERASED_ID, Role


@dataclass(frozen=True, slots=True)
class Invitation:
    """An organisation's invitation to a meeting, as stored.

    ``representative_id`` and ``deputy_id`` are who may answer for the organisation: the roster when the
    call went out, moved along (:func:`follow_seats`) when a seat changes hands while the call is open,
    and kept as they were once the meeting has started (the history of who was asked).
    """

    id: int
    guild_id: int
    meeting_id: int
    org_id: int
    representative_id: int | None
    deputy_id: int | None
    state: AttendanceState
    invited_at: datetime | None = None
    rep_answered_at: datetime | None = None
    rep_note: str | None = None
    deputy_called_at: datetime | None = None
    deputy_answered_at: datetime | None = None
    deputy_note: str | None = None
    deputy_released_at: datetime | None = None
    no_deputy_flagged_at: datetime | None = None
    attended: bool | None = None
    attended_role: Outcome | None = None
    attended_user_id: int | None = None

    @property
    def has_deputy(self) -> bool:
        """Whether there is a deputy to call up (one who erased their data is nobody to call)."""
        return self.deputy_id is not None and self.deputy_id != ERASED_ID

    @property
    def outcome(self) -> Outcome:
        """Where the organisation stands by the answers (ignores recorded attendance)."""
        return outcome(self.state, has_deputy=self.has_deputy)

    def responder(self, user_id: int) -> Role | None:
        """Whether ``user_id`` answers for this organisation as representative or deputy."""
        if user_id == self.representative_id:
            return Role.REPRESENTATIVE
        if user_id == self.deputy_id:
            return Role.DEPUTY
        return None

    def recipients(self) -> list[int]:
        """Who has been asked and is still involved: the representative, and the deputy if asked."""
        rep = self.representative_id
        people = [rep] if rep is not None and rep != ERASED_ID else []
        if self.has_deputy and self.deputy_id is not None and self.state.deputy_asked:
            people.append(self.deputy_id)
        return people

    def expected_attendees(self) -> list[int]:
        """Who is expected at the meeting: the representative and an asked deputy who said yes or maybe.

        Someone who has since said they cannot come is left out, as is a deputy no longer asked
        (released because the representative comes after all).
        """
        hopeful = (Answer.YES, Answer.MAYBE)
        people = []
        if self.representative_id is not None and self.state.representative in hopeful:
            people.append(self.representative_id)
        if self.deputy_id is not None and self.state.deputy_asked and self.state.deputy in hopeful:
            people.append(self.deputy_id)
        return people

    @property
    def attending_user_id(self) -> int | None:
        """Who comes for the organisation by the answers: the representative, else the deputy."""
        result = self.outcome
        if result in (Outcome.REPRESENTATIVE, Outcome.BOTH):
            return self.representative_id
        if result is Outcome.DEPUTY:
            return self.deputy_id
        return None


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One answer from the append-only history."""

    meeting_id: int
    org_id: int
    user_id: int
    role: Role
    answer: Answer
    note: str | None
    via: str
    answered_at: datetime
    recorded_by: int | None = None
    """The secretary who recorded the answer on the member's behalf (``/meeting rsvp``)."""


@dataclass(frozen=True, slots=True)
class SeatMove:
    """A seat of an invited organisation changed hands while the call is open.

    ``old`` loses the right to answer for the organisation (and is told, if they had been asked);
    ``new`` gets the invitation (or the call-up, for a deputy already asked).
    """

    role: Role
    old: int | None
    new: int | None

    @property
    def old_was_asked(self) -> bool:
        """Whether the previous holder is a real person (not an empty seat or an erased one)."""
        return self.old is not None and self.old != ERASED_ID


def follow_seats(
    invitation: Invitation, representative: int | None, deputy: int | None
) -> tuple[Invitation, tuple[SeatMove, ...]]:
    """The invitation after the roster's seats changed, and who moved.

    The invitation belongs to the organisation: its answers stay; only who may give them moves to
    whoever holds the seat now. An erased holder (``ERASED_ID``) of a seat that is still empty stays
    as it is, so the dashboard keeps saying "erased".
    """
    moves: list[SeatMove] = []
    updated = invitation
    for role, held, now_held in (
        (Role.REPRESENTATIVE, invitation.representative_id, representative),
        (Role.DEPUTY, invitation.deputy_id, deputy),
    ):
        if held == now_held or (held == ERASED_ID and now_held is None):
            continue
        moves.append(SeatMove(role, held, now_held))
        if role is Role.REPRESENTATIVE:
            updated = replace(updated, representative_id=now_held)
        else:
            updated = replace(updated, deputy_id=now_held)
    return updated, tuple(moves)
