"""Background text, documents, the calendar file, the scheduled event and the reminder on the day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Config, MeetingsConfig
from bot.domain.calendar import meeting_uid
from bot.domain.events import EventSpec, EventStatus
from bot.domain.meetings import AgendaItemFields, MeetingFields
from bot.domain.notices import CALENDAR_ATTACHMENT, DOCUMENT_ATTACHMENT
from bot.domain.outbox import OutboxRow, Purpose
from bot.errors import Conflict, InvalidInput
from bot.i18n import t
from bot.runtime.wiring import Services, build_services
from bot.services.events import EventsForbiddenError
from bot.storage.db import Database
from tests.conftest import ALICE, BOB, CARL, DAVE, ERIN, SECRETARY, SECRETARY_CHANNEL, World, make_world
from tests.services.conftest import GUILD

PDF = b"%PDF-1.7\n" + b"x" * 2000
THEME = "Hvordan har pandemien påvirket arbeidet?"
BACKGROUND = "NKROP ønsker Ekspertrådets innspill på hvordan retningslinjen kan tas i bruk"


async def rows(services: Services, purpose: Purpose | None = None) -> list[OutboxRow]:
    meeting = await services.meetings.next_upcoming(GUILD)
    assert meeting is not None
    found = await services.outbox.for_meeting(GUILD, meeting.id)
    return [r for r in found if purpose is None or r.item.purpose is purpose]


def loader(data: bytes):
    async def load() -> bytes:
        return data

    return load


@pytest.fixture
async def world(services: Services) -> World:
    world = await make_world(services, GUILD)
    await services.meetings.create(GUILD, SECRETARY, MeetingFields(when="15. januar 2027 kl 10-13", place="Zoom"))
    return world


async def test_details_go_under_the_item_and_the_theme_is_asked(services: Services, world: World):
    await services.agenda.add(
        GUILD, AgendaItemFields("Retningslinjer for ROP", lead="Lars Lien", details=BACKGROUND + " @everyone")
    )
    await services.agenda.edit(GUILD, 1, AgendaItemFields(details=THEME))
    await services.agenda.attach(GUILD, 2, filename="Lysark.pdf", size=len(PDF), load=loader(PDF))
    await services.meetings.open(GUILD)
    invitation = next(r for r in await rows(services, Purpose.INVITATION) if r.item.target_id == ALICE).item.message
    assert BACKGROUND in invitation.content
    assert "@everyone" not in invitation.content  # neutralised
    assert f"🎯 Tema: {THEME}" in invitation.content
    assert "📎 Lysark.pdf" in invitation.content
    kinds = [a.kind for a in invitation.attachments]
    assert kinds == [DOCUMENT_ATTACHMENT, CALENDAR_ATTACHMENT]
    # One DM per person: the invitation itself asks for the status, with the theme question.
    assert t("nb", "meetings.status_theme", question=THEME) in invitation.content
    assert await rows(services, Purpose.STATUS_PROMPT) == []
    name, ics = await services.meetings.calendar_file(
        GUILD, invitation.attachments[1].ref and int(invitation.attachments[1].ref)
    )
    assert name == "mote-1.ics"
    assert b"UID:" + meeting_uid((await services.meetings.get(GUILD)).meeting).encode() in ics
    assert await services.agenda.document(GUILD, int(invitation.attachments[0].ref)) == ("Lysark.pdf", PDF)


async def test_status_reminder_asks_the_theme(services: Services, world: World, clock):
    await services.agenda.edit(GUILD, 1, AgendaItemFields(details=THEME))
    meeting = (await services.meetings.open(GUILD)).details.meeting
    result = await services.reminders.remind_now(meeting)
    assert result.status > 0
    reminders = [
        r for r in await rows(services, Purpose.REMINDER) if "status" in r.item.dedupe_key.split(":")[1].split("+")
    ]
    assert reminders
    assert all(THEME in r.item.message.content for r in reminders)


async def test_bad_details_and_files_change_nothing(services: Services, world: World):
    with pytest.raises(InvalidInput) as err:
        await services.agenda.add(GUILD, AgendaItemFields("For lang", details="x" * 1501))
    assert err.value.params["limit"] == 1500
    before = await services.agenda.show(GUILD)
    refusals = [
        ("virus.exe", b"MZ...", "document_type"),
        ("bilde.png", b"\x89PNG", "document_type"),
        ("stor.pdf", b"%PDF" + b"x" * (9 * 1024 * 1024), "document_too_big"),
        ("falsk.pdf", b"MZ not a pdf", "document_not_what_it_says"),
        ("tom.pdf", b"", "document_empty"),
    ]
    for name, data, key in refusals:
        with pytest.raises(InvalidInput) as err:
            await services.agenda.attach(GUILD, 1, filename=name, size=len(data), load=loader(data))
        assert err.value.message_key == f"meetings.{key}", name
    with pytest.raises(InvalidInput) as err:
        await services.agenda.attach(GUILD, 1, filename="stor.pdf", size=9 * 1024 * 1024, load=loader(b""))
    assert err.value.params["limit"] == "8.0 MB"  # the limit is stated
    assert (await services.agenda.show(GUILD)) == before
    await services.agenda.attach(GUILD, 1, filename="a.pdf", size=len(PDF), load=loader(PDF))
    with pytest.raises(Conflict):
        await services.agenda.attach(GUILD, 1, filename="kopi.pdf", size=len(PDF), load=loader(PDF))
    assert len((await services.agenda.show(GUILD)).documents) == 1


async def test_per_meeting_limit_is_stated(db: Database, clock):
    small = build_services(
        db, clock, Config(meetings=MeetingsConfig(document_max_mb=1, documents_max_mb_per_meeting=1))
    )
    await make_world(small, GUILD)
    await small.meetings.create(GUILD, SECRETARY, MeetingFields(when="15. januar 2027 kl 10-13"))
    big = b"%PDF-" + b"x" * 700_000
    await small.agenda.attach(GUILD, 1, filename="a.pdf", size=len(big), load=loader(big))
    other = big + b"y"
    with pytest.raises(InvalidInput) as err:
        await small.agenda.attach(GUILD, 1, filename="b.pdf", size=len(other), load=loader(other))
    assert err.value.message_key == "meetings.documents_too_big"
    assert err.value.params["limit"] == "1.0 MB"


async def test_document_after_open_goes_once_to_everyone_invited(services: Services, world: World):
    await services.meetings.open(GUILD)
    await services.rsvp.answer(GUILD, ALICE, "no")  # BOB is called up
    result = await services.agenda.attach(
        GUILD, 1, filename="Rapport.docx", size=len(b"PK\x03\x04x"), load=loader(b"PK\x03\x04x")
    )
    assert result.sent_to == 4  # ALICE, BOB (called up), CARL, DAVE
    notices = await rows(services, Purpose.DOCUMENT)
    assert sorted(r.item.target_id for r in notices) == sorted([ALICE, BOB, CARL, DAVE])
    assert all([a.kind for a in r.item.message.attachments] == [DOCUMENT_ATTACHMENT] for r in notices)
    # Opening again (or a second attempt) sends nothing twice.
    await services.meetings.open(GUILD)
    assert len(await rows(services, Purpose.DOCUMENT)) == 4
    # A deputy called up later gets the document with the call-up.
    await services.rsvp.answer(GUILD, DAVE, "no")
    callup = next(r for r in await rows(services, Purpose.CALL_UP) if r.item.target_id == ERIN).item.message
    assert [a.kind for a in callup.attachments] == [DOCUMENT_ATTACHMENT, CALENDAR_ATTACHMENT]


async def test_removing_an_item_removes_its_documents(services: Services, world: World):
    await services.agenda.add(GUILD, AgendaItemFields("Sak"))
    await services.agenda.attach(GUILD, 2, filename="a.pdf", size=len(PDF), load=loader(PDF))
    doc = (await services.agenda.show(GUILD)).documents[0]
    await services.agenda.remove(GUILD, 2)
    assert (await services.agenda.show(GUILD)).documents == ()
    assert await services.agenda.document(GUILD, doc.id) is None  # an owed invitation goes without it


async def test_edit_and_cancel_carry_the_calendar_file(services: Services, world: World):
    opened = (await services.meetings.open(GUILD)).details.meeting
    assert opened.ics_sequence == 0
    edited = await services.meetings.edit(GUILD, MeetingFields(when="16. januar 2027 kl 10-13"))
    assert edited.details.meeting.ics_sequence == 1
    changes = await rows(services, Purpose.CHANGE)
    assert changes
    assert all([a.kind for a in r.item.message.attachments] == [CALENDAR_ATTACHMENT] for r in changes)
    _, ics = await services.meetings.calendar_file(GUILD, opened.id)
    assert b"SEQUENCE:1" in ics
    assert b"DTSTART;TZID=Europe/Oslo:20270116T100000" in ics
    cancelled = await services.meetings.cancel(GUILD, reason="Sykdom")
    assert cancelled.details.meeting.ics_sequence == 2
    notices = [r for r in await services.outbox.for_meeting(GUILD, opened.id) if r.item.purpose is Purpose.CANCELLATION]
    assert notices
    assert all([a.kind for a in r.item.message.attachments] == [CALENDAR_ATTACHMENT] for r in notices)
    _, ics = await services.meetings.calendar_file(GUILD, opened.id)
    assert b"METHOD:CANCEL" in ics
    assert b"STATUS:CANCELLED" in ics


# -- the reminder on the day -----------------------------------------------------------------------


async def day_reminders(db: Database) -> list[int]:
    found = await db.fetchall("SELECT target_id FROM outbox WHERE dedupe_key LIKE 'remind:day:%' ORDER BY target_id")
    return [r[0] for r in found]


async def test_reminder_on_the_day_reaches_exactly_those_expected(
    services: Services, world: World, db: Database, clock
):
    meeting = (await services.meetings.open(GUILD)).details.meeting
    await services.rsvp.answer(GUILD, ALICE, "yes")
    await services.rsvp.answer(GUILD, CARL, "maybe")
    await services.rsvp.answer(GUILD, DAVE, "no")  # ERIN is called up ...
    await services.rsvp.answer(GUILD, ERIN, "yes")
    clock.set(meeting.start_at - timedelta(hours=3))
    await services.reminders.run_due(clock.now())
    assert await day_reminders(db) == []  # not yet
    await services.rsvp.answer(GUILD, CARL, "no")  # ... and Carl has since said he cannot come
    clock.set(meeting.start_at - timedelta(hours=2) + timedelta(minutes=1))
    await services.reminders.run_due(clock.now())
    assert await day_reminders(db) == sorted([ALICE, ERIN])
    message = next(
        r for r in await rows(services, Purpose.REMINDER) if r.item.dedupe_key.startswith("remind:day:")
    ).item.message
    assert "Zoom" in message.content
    assert "Hva skjer i organisasjonene?" in message.content
    assert "kl. 10.00–13.00" in message.content
    # Never twice, even with a fresh set of services on the same database (a restart).
    restarted = build_services(db, clock, Config())
    await restarted.reminders.run_due(clock.now() + timedelta(minutes=5))
    assert await day_reminders(db) == sorted([ALICE, ERIN])
    assert BOB not in await day_reminders(db)


async def test_no_reminder_on_the_day_for_a_cancelled_meeting(services: Services, world: World, db: Database, clock):
    meeting = (await services.meetings.open(GUILD)).details.meeting
    await services.rsvp.answer(GUILD, ALICE, "yes")
    await services.meetings.cancel(GUILD)
    clock.set(meeting.start_at - timedelta(hours=1))
    await services.reminders.run_due(clock.now())
    assert await day_reminders(db) == []


# -- the scheduled event ----------------------------------------------------------------------------


class FakePort:
    """Discord's scheduled events as a list, with Discord's status rules."""

    def __init__(self) -> None:
        self.events: dict[int, tuple[EventSpec, EventStatus]] = {}
        self.forbidden = False
        self.requests = 0

    async def find(self, guild_id: int, spec: EventSpec) -> int | None:
        self.requests += 1
        return None

    async def create(self, guild_id: int, spec: EventSpec) -> int:
        self.requests += 1
        if self.forbidden:
            raise EventsForbiddenError("50013")
        event_id = len(self.events) + 1
        self.events[event_id] = (spec, EventStatus.SCHEDULED)
        return event_id

    async def edit(self, guild_id: int, event_id: int, spec: EventSpec) -> None:
        self.requests += 1
        assert self.events[event_id][1] is EventStatus.SCHEDULED
        self.events[event_id] = (spec, EventStatus.SCHEDULED)

    async def set_status(self, guild_id: int, event_id: int, status: EventStatus) -> None:
        self.requests += 1
        spec, before = self.events[event_id]
        allowed = {
            EventStatus.SCHEDULED: {EventStatus.ACTIVE, EventStatus.CANCELLED},
            EventStatus.ACTIVE: {EventStatus.COMPLETED},
        }
        assert status in allowed.get(before, set())
        self.events[event_id] = (spec, status)


async def test_event_follows_open_edit_and_end(services: Services, world: World, clock):
    port = FakePort()
    meeting = (await services.meetings.open(GUILD)).details.meeting
    assert await services.events.sync(port) == 1
    spec, status = port.events[1]
    assert (spec.location, spec.start, spec.end, status) == (
        "Zoom",
        meeting.start_at,
        meeting.end_at,
        EventStatus.SCHEDULED,
    )
    assert "Hva skjer i organisasjonene?" in spec.description
    assert await services.events.sync(port) == 0  # in step: nothing to do
    await services.meetings.edit(GUILD, MeetingFields(when="16. januar 2027 kl 12-15", place="Oslo"))
    await services.events.sync(port)
    spec, _ = port.events[1]
    assert (spec.location, spec.start) == ("Oslo", datetime(2027, 1, 16, 11, tzinfo=UTC))
    clock.set(datetime(2027, 1, 16, 15, 30, tzinfo=UTC))  # the bot was down through the meeting
    await services.events.sync(port)
    assert port.events[1][1] is EventStatus.COMPLETED
    record = await services.events.record(GUILD, meeting.id)
    assert record is not None and record.status is EventStatus.COMPLETED


async def test_event_is_cancelled_with_the_meeting(services: Services, world: World):
    port = FakePort()
    await services.meetings.open(GUILD)
    await services.events.sync(port)
    await services.meetings.cancel(GUILD)
    await services.events.sync(port)
    assert port.events[1][1] is EventStatus.CANCELLED
    assert await services.events.sync(port) == 0


async def test_without_permission_the_secretary_is_told_once(services: Services, world: World, db: Database):
    port = FakePort()
    port.forbidden = True
    meeting = (await services.meetings.open(GUILD)).details.meeting
    await services.events.sync(port)
    assert await services.events.sync(port) == 0  # no retry until the meeting changes
    await services.meetings.edit(GUILD, MeetingFields(place="Oslo"))
    await services.events.sync(port)  # tried again after the change, refused again
    assert port.requests == 4  # find + create, twice
    alerts = await db.fetchall(
        "SELECT target_id FROM outbox WHERE target_kind = 'channel' AND dedupe_key LIKE 'events_denied:%'"
    )
    assert [r[0] for r in alerts] == [SECRETARY_CHANNEL]
    invitations = [
        r for r in await services.outbox.for_meeting(GUILD, meeting.id) if r.item.purpose is Purpose.INVITATION
    ]
    assert len(invitations) == 3  # nothing else failed


async def test_events_off_in_configuration(db: Database, clock):
    off = build_services(db, clock, Config(meetings=MeetingsConfig(scheduled_events=False)))
    await make_world(off, GUILD)
    await off.meetings.create(GUILD, SECRETARY, MeetingFields(when="15. januar 2027 kl 10-13"))
    meeting = (await off.meetings.open(GUILD)).details.meeting
    port = FakePort()
    assert await off.events.sync(port) == 0
    assert await off.events.record(GUILD, meeting.id) is None
