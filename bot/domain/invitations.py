"""Who is invited to a meeting, who is told when a seat changes hands, and who attended.

Pure rules behind ``/meeting open``, the live following of the roster and ``/meeting attendance``;
the services store what these return and turn it into outbox rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.domain.attendance import CallUpReason, Invitation, Outcome
from bot.domain.meetings import AgendaItem
from bot.domain.roster import Role


@dataclass(frozen=True, slots=True)
class Invitees:
    """Who an organisation's invitation goes to when the call first reaches it."""

    representative_id: int | None
    deputy_id: int | None
    with_deputy: bool
    """Whether the deputy is invited too (or instead, when there is no representative)."""


def deputy_wanted(agenda: Iterable[AgendaItem]) -> bool:
    """Deputies are invited alongside representatives when an item is of special interest to them."""
    return any(item.deputy_interest for item in agenda)


def invitees(representative_id: int | None, deputy_id: int | None, *, deputies_wanted: bool) -> Invitees:
    """The representative is always asked; the deputy too when wanted, or instead when there is no representative."""
    with_deputy = deputy_id is not None and (deputies_wanted or representative_id is None)
    return Invitees(representative_id, deputy_id, with_deputy)


def invited_user(inv: Invitation, role: Role) -> int | None:
    """The person holding ``role`` in the invitation (``None`` when the seat is empty)."""
    return inv.representative_id if role is Role.REPRESENTATIVE else inv.deputy_id


def invited_alongside(inv: Invitation, role: Role) -> bool:
    """A deputy asked while the organisation has a representative attends alongside them."""
    return role is Role.DEPUTY and inv.representative_id is not None


def moved_call_up_reason(inv: Invitation) -> CallUpReason:
    """Why a deputy who takes over a seat after the call-up is called up: as the previous one was."""
    return CallUpReason.DECLINED if inv.state.representative is not None else CallUpReason.DEADLINE


def attendance(inv: Invitation, *, present: bool) -> tuple[Outcome | None, int | None]:
    """Who attended for an organisation recorded as present (or not): the role and the person.

    Whoever answered yes attended (the deputy if they stood in, both for an item of special interest
    to deputies); with no such answer, the representative, else the deputy. Absent: nobody.
    """
    if not present:
        return None, None
    if inv.outcome in (Outcome.REPRESENTATIVE, Outcome.DEPUTY, Outcome.BOTH):
        return inv.outcome, inv.attending_user_id
    if inv.representative_id is not None:
        return Outcome.REPRESENTATIVE, inv.representative_id
    return Outcome.DEPUTY, inv.deputy_id


def follow_deadline(
    deadline: datetime, old_start: datetime, new_start: datetime, tz: ZoneInfo, now: datetime, *, moved: bool
) -> datetime:
    """A deadline not given in an edit moves with the meeting (on the local clock) while it stays in the future."""
    if not moved:
        return deadline
    shift = _wall(new_start, tz) - _wall(old_start, tz)
    candidate = (_wall(deadline, tz) + shift).replace(tzinfo=tz).astimezone(UTC)
    return candidate if candidate > now else deadline


def _wall(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)
