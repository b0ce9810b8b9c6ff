"""What most use cases share: one database, its meeting, invitation and roster repositories, the clock."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.clock import Clock
from bot.storage.db import Database
from bot.storage.invitation_repo import InvitationRepo
from bot.storage.meeting_repo import MeetingRepo
from bot.storage.roster_repo import RosterRepo


@dataclass(frozen=True, slots=True)
class Deps:
    """The dependencies most services share, built once by :func:`~bot.runtime.wiring.build_services`.

    A service takes this bundle first and keeps beside it only what is its own (its repository,
    the outbox, its configuration, the features plugged into it).

    Attributes:
        db: the database (``async with deps.db.transaction():``).
        meetings: meetings, agendas and documents.
        invitations: who was invited for each organisation, and their answers.
        roster: councils, organisations, people (and their names) and seats.
        clock: the time source.
    """

    db: Database
    meetings: MeetingRepo
    invitations: InvitationRepo
    roster: RosterRepo
    clock: Clock

    @classmethod
    def on(cls, db: Database, clock: Clock) -> Deps:
        """The shared repositories on ``db``, with ``clock``."""
        return cls(db, MeetingRepo(db), InvitationRepo(db), RosterRepo(db), clock)
