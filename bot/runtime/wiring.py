"""The wiring: repositories on one database, and every use case built once its dependencies exist.

The one place (besides storage itself) that builds repositories. The bot calls :func:`build_services` in
``setup_hook``; the CLI's offline commands, the service tests and the benchmarks call it directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Config
from bot.domain.clock import Clock
from bot.domain.documents import DocumentLimits
from bot.services.actions import MemoryService
from bot.services.agenda import AgendaService
from bot.services.approval import ApprovalService
from bot.services.deps import Deps
from bot.services.events import ScheduledEventService
from bot.services.history import HistoryService
from bot.services.meetings import MeetingService
from bot.services.membership import MemberLookup, MembershipService
from bot.services.minutes import MinutesArchive, MinutesService
from bot.services.outbox import OutboxService
from bot.services.privacy import PrivacyService
from bot.services.reminders import ReminderService
from bot.services.roster import RosterService
from bot.services.rsvp import RsvpService
from bot.services.status import DmIntake, StatusService
from bot.storage.db import Database
from bot.storage.event_repo import EventRepo
from bot.storage.guest_repo import GuestRepo
from bot.storage.memory_repo import MemoryRepo
from bot.storage.minutes_repo import MinutesRepo
from bot.storage.outbox_repo import OutboxRepo
from bot.storage.privacy_repo import PrivacyRepo
from bot.storage.reminder_repo import ReminderRepo
from bot.storage.status_repo import StatusRepo


@dataclass(frozen=True, slots=True)
class Services:
    """Every use case, built once in ``setup_hook``; cogs read ``bot.services.<name>``."""

    roster: RosterService
    meetings: MeetingService
    agenda: AgendaService
    rsvp: RsvpService
    outbox: OutboxService
    reminders: ReminderService
    minutes: MinutesService
    status: StatusService
    dm_intake: DmIntake
    privacy: PrivacyService
    memory: MemoryService
    approval: ApprovalService
    history: HistoryService
    events: ScheduledEventService
    membership: MembershipService


def build_services(
    db: Database, clock: Clock, config: Config | None = None, *, members: MemberLookup | None = None
) -> Services:
    """Wire repositories into services, each built once its dependencies exist.

    ``members`` tells whether a seat holder is still in the server (the bot passes its REST lookup;
    offline commands and service tests take everyone as a member). The status service tells the
    dashboard and the reminders which organisations have sent their status, starts reading back DM
    replies when a call goes out or a deputy is called up, and feeds the minutes.
    """
    config = config or Config()
    deps = Deps.on(db, clock)
    minutes_repo = MinutesRepo(db)
    memory_repo = MemoryRepo(db)
    outbox = OutboxService(deps, OutboxRepo(db), config.outbox)
    membership = MembershipService(deps, outbox, members)
    status = StatusService(deps, StatusRepo(db), outbox, config.limits, minutes=minutes_repo, membership=membership)
    rsvp = RsvpService(deps, outbox, call_up_hooks=(status.track_replies,), membership=membership)
    events = ScheduledEventService(deps, EventRepo(db), outbox, enabled=config.meetings.scheduled_events)
    reminders = ReminderService(deps, ReminderRepo(db), rsvp, outbox, config.reminders, status)
    memory = MemoryService(deps, memory_repo, minutes_repo, outbox, config.reminders)
    guests = GuestRepo(db)
    archive = MinutesArchive(
        deps,
        minutes_repo,
        statuses=status,
        memory=memory,
        guests=guests,
        docx_template=config.docx_template,
    )
    approval = ApprovalService(deps, memory_repo, archive, outbox, config.reminders, membership=membership)
    minutes = MinutesService(archive, outbox, config.limits, publish_hooks=(memory, approval))
    meetings = MeetingService(
        deps,
        outbox,
        reminders,
        defaults=config.defaults,
        reminder_config=config.reminders,
        status=status,
        open_hooks=(status,),
        create_hooks=(approval,),
        invitation_extras=(memory,),
        events=events,
        guests=guests,
        minutes=minutes_repo,
    )
    return Services(
        roster=RosterService(deps, outbox, seat_hooks=(meetings.follow_roster,)),
        meetings=meetings,
        agenda=AgendaService(
            deps,
            outbox=outbox,
            limits=DocumentLimits.from_mb(
                config.meetings.document_max_mb, config.meetings.documents_max_mb_per_meeting
            ),
        ),
        rsvp=rsvp,
        outbox=outbox,
        reminders=reminders,
        minutes=minutes,
        status=status,
        dm_intake=DmIntake(status),
        privacy=PrivacyService(deps, PrivacyRepo(db)),
        memory=memory,
        approval=approval,
        history=HistoryService(deps, memory_repo, status),
        events=events,
        membership=membership,
    )
