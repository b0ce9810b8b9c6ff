"""Reminders before the deadlines and the RSVP deadline's call-ups, against a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config
from bot.domain.meetings import Meeting, MeetingFields
from bot.domain.reminders import ReminderKind
from bot.errors import Conflict
from bot.runtime.scheduler import Scheduler
from bot.runtime.wiring import Services, build_services
from bot.storage.db import Database
from tests.conftest import (
    ALICE,
    BOB,
    CARL,
    DAVE,
    ERIN,
    SECRETARY,
    SECRETARY_CHANNEL,
    World,
)
from tests.services.conftest import GUILD, open_meeting

OSLO = ZoneInfo("Europe/Oslo")
START = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)  # 15 January 2027 10:00 in Oslo
RSVP_DEADLINE = START - timedelta(days=7)
STATUS_DEADLINE = START - timedelta(days=3)
H = timedelta(hours=1)


@pytest.fixture
async def meeting(services: Services, world: World) -> Meeting:
    return await open_meeting(services, "15. januar 2027 kl 10-13")


async def reminders_sent(db: Database) -> list[tuple[str, int, int]]:
    """(kind, org, user) of every reminder in the outbox."""
    rows = await db.fetchall("SELECT dedupe_key, org_id, target_id FROM outbox WHERE purpose = 'reminder' ORDER BY id")
    return [(r[0].split(":")[1], r[1], r[2]) for r in rows]


async def owed(db: Database, purpose: str) -> list[tuple[int, int]]:
    rows = await db.fetchall("SELECT org_id, target_id FROM outbox WHERE purpose = ? ORDER BY id", (purpose,))
    return [(r[0], r[1]) for r in rows]


async def test_open_stores_reminders_at_the_configured_offsets(services: Services, meeting: Meeting):
    assert (meeting.rsvp_deadline, meeting.status_deadline) == (RSVP_DEADLINE, STATUS_DEADLINE)
    stored = await services.reminders.for_meeting(GUILD, meeting.id)
    assert sorted((r.kind, r.offset_minutes, r.due_at) for r in stored) == sorted(
        [
            (ReminderKind.RSVP, 0, RSVP_DEADLINE),
            (ReminderKind.RSVP, 48 * 60, RSVP_DEADLINE - 48 * H),
            (ReminderKind.RSVP, 168 * 60, RSVP_DEADLINE - 168 * H),
            (ReminderKind.STATUS, 48 * 60, STATUS_DEADLINE - 48 * H),
            (ReminderKind.STATUS, 168 * 60, STATUS_DEADLINE - 168 * H),
            (ReminderKind.DAY, 2 * 60, meeting.start_at - 2 * H),  # the reminder on the day
        ]
    )
    assert all(r.processed_at is None for r in stored)


async def test_a_meeting_made_in_october_for_april_keeps_its_local_time(services: Services, world: World, clock):
    clock.set(datetime(2026, 10, 15, 12, 0, tzinfo=UTC))  # summer time in Oslo (UTC+2) ...
    details = await services.meetings.create(
        GUILD, SECRETARY, MeetingFields(when="15. april 2027 kl 10-13", rsvp_deadline="1. april 2027")
    )
    meeting = details.meeting
    # ... winter comes and goes; 15 April is summer time again: 10:00 in Oslo is 08:00 UTC.
    assert meeting.start_at == datetime(2027, 4, 15, 8, 0, tzinfo=UTC)
    assert meeting.start_at.astimezone(OSLO).hour == 10
    # The RSVP deadline at 23:59 local on 1 April (summer time) is 21:59 UTC.
    assert meeting.rsvp_deadline == datetime(2027, 4, 1, 21, 59, tzinfo=UTC)
    # The default status deadline is three days before at the meeting's local time.
    assert meeting.status_deadline.astimezone(OSLO) == datetime(2027, 4, 12, 10, 0, tzinfo=OSLO)
    clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))  # opened in winter time
    await services.meetings.open(GUILD)
    due = {(r.kind, r.offset_minutes): r.due_at for r in await services.reminders.for_meeting(GUILD, meeting.id)}
    # Reminder times are exact offsets on the UTC time line from the stored deadlines.
    assert due[(ReminderKind.RSVP, 168 * 60)] == datetime(2027, 3, 25, 21, 59, tzinfo=UTC)
    assert due[(ReminderKind.RSVP, 48 * 60)] == datetime(2027, 3, 30, 21, 59, tzinfo=UTC)
    assert due[(ReminderKind.RSVP, 0)] == meeting.rsvp_deadline
    # And they fire at those times, not an hour off.
    clock.set(datetime(2027, 3, 25, 21, 58, tzinfo=UTC))
    assert (await services.reminders.run_due(clock.now())).messages == 0
    clock.set(datetime(2027, 3, 25, 21, 59, tzinfo=UTC))
    assert (await services.reminders.run_due(clock.now())).messages == 3


async def test_each_silent_person_is_reminded_once(
    services: Services, world: World, meeting: Meeting, db: Database, clock
):
    await services.rsvp.answer_button(meeting.id, world.mh, DAVE, "yes")
    await services.rsvp.answer_button(meeting.id, world.rio, CARL, "maybe")
    clock.set(RSVP_DEADLINE - 168 * H - timedelta(seconds=1))
    assert (await services.reminders.run_due(clock.now())).processed == 0
    clock.set(RSVP_DEADLINE - 168 * H)
    report = await services.reminders.run_due(clock.now())
    assert (report.processed, report.messages) == (1, 2)
    assert await reminders_sent(db) == [("rsvp", world.lpp, ALICE), ("rsvp", world.rio, CARL)]
    maybe = next(
        r
        for r in await services.outbox.for_meeting(GUILD, meeting.id)
        if r.item.target_id == CARL and r.item.purpose.value == "reminder"
    )
    assert "Usikker" in maybe.item.message.content and maybe.item.message.buttons
    # Running again, or later, sends nothing twice.
    assert (await services.reminders.run_due(clock.now())).messages == 0
    clock.advance(timedelta(hours=1))
    assert (await services.reminders.run_due(clock.now())).messages == 0
    assert len(await reminders_sent(db)) == 2


async def test_status_reminders_skip_organisations_that_sent_theirs(
    services: Services, world: World, meeting: Meeting, db: Database, clock
):
    await services.status.submit_for(GUILD, "LPP", "Sendt", secretary_id=SECRETARY, number=meeting.number)
    await services.rsvp.answer_button(meeting.id, world.mh, DAVE, "no")
    await services.rsvp.answer_button(meeting.id, world.mh, ERIN, "yes")
    clock.set(STATUS_DEADLINE - 168 * H)
    await services.reminders.run_due(clock.now())
    status = [(org, user) for kind, org, user in await reminders_sent(db) if "status" in kind.split("+")]
    # RIO's representative; MH's deputy, who attends instead of the representative.
    assert sorted(status) == [(world.rio, CARL), (world.mh, ERIN)]
    # The RSVP reminder due in the same pass is folded in: one message per person.
    assert [kind for kind, _org, user in await reminders_sent(db) if user == CARL] == ["rsvp+status"]


async def test_catch_up_after_downtime_sends_one_reminder_per_person(
    services: Services, world: World, meeting: Meeting, db: Database, clock
):
    # The bot was down through both RSVP reminders and the first status reminder.
    clock.set(RSVP_DEADLINE - 1 * H)
    report = await services.reminders.run_due(clock.now())
    assert report.processed == 2  # the 48-hour RSVP reminder and the 168-hour status reminder
    assert report.skipped == 1  # the 168-hour RSVP reminder was superseded
    # Each person owes the answer and the status: one message holds both (and both sets of buttons).
    sent = await reminders_sent(db)
    assert sent == [
        ("rsvp+status", org, user) for org, user in [(world.lpp, ALICE), (world.rio, CARL), (world.mh, DAVE)]
    ]
    (row, *_rest) = [
        r for r in await services.outbox.for_meeting(GUILD, meeting.id) if r.item.purpose.value == "reminder"
    ]
    assert [b.custom_id.split(":")[1] for b in row.item.message.buttons] == ["rsvp", "rsvp", "rsvp", "status"]
    # A restart (new services on the same database) sends nothing again.
    restarted = build_services(db, clock, Config())
    assert (await restarted.reminders.run_due(clock.now())).messages == 0
    assert len(await reminders_sent(db)) == 3


async def test_downtime_past_the_deadline_skips_reminders_and_calls_up_deputies(
    services: Services, world: World, meeting: Meeting, db: Database, clock
):
    await services.rsvp.answer_button(meeting.id, world.mh, DAVE, "maybe")
    clock.set(RSVP_DEADLINE + 2 * H)
    report = await services.reminders.run_due(clock.now())
    assert [kind for kind, _o, _u in await reminders_sent(db)] == ["status"] * 3
    assert report.deadlines == 3
    assert await owed(db, "call_up") == [(world.lpp, BOB), (world.mh, ERIN)]
    assert await owed(db, "alert") == [(world.rio, SECRETARY_CHANNEL)]
    # Never twice.
    again = await services.reminders.run_due(clock.now())
    assert (again.processed, again.deadlines, again.messages) == (0, 0, 0)
    assert len(await owed(db, "call_up")) == 2


async def test_moving_a_deadline_never_repeats_a_sent_reminder(
    services: Services, world: World, meeting: Meeting, db: Database, clock
):
    clock.set(RSVP_DEADLINE - 168 * H)
    await services.reminders.run_due(clock.now())
    assert len(await reminders_sent(db)) == 3
    new_deadline = datetime(2027, 1, 10, 22, 59, tzinfo=UTC)  # 10 January 23:59 in Oslo
    result = await services.meetings.edit(GUILD, MeetingFields(rsvp_deadline="10. januar 2027"))
    assert result.details.meeting.rsvp_deadline == new_deadline
    due = {(r.kind, r.offset_minutes): r for r in await services.reminders.for_meeting(GUILD, meeting.id)}
    assert due[(ReminderKind.RSVP, 168 * 60)].processed_at is not None  # kept as sent
    assert due[(ReminderKind.RSVP, 48 * 60)].due_at == new_deadline - 48 * H
    assert due[(ReminderKind.RSVP, 0)].due_at == new_deadline
    clock.set(new_deadline - 168 * H + H)
    assert (await services.reminders.run_due(clock.now())).messages == 0
    clock.set(new_deadline - 48 * H)
    await services.reminders.run_due(clock.now())
    assert sum("rsvp" in kind.split("+") for kind, _o, _u in await reminders_sent(db)) == 6


async def test_cancelled_meetings_get_no_reminders(
    services: Services, world: World, meeting: Meeting, db: Database, clock
):
    await services.meetings.cancel(GUILD)
    clock.set(RSVP_DEADLINE + H)
    report = await services.reminders.run_due(clock.now())
    assert (report.messages, report.deadlines) == (0, 0)
    assert await reminders_sent(db) == []


async def test_remind_now_reaches_everyone_outstanding_once_a_minute(
    services: Services, world: World, meeting: Meeting, db: Database, clock
):
    await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "yes")
    await services.status.submit_for(GUILD, "RIO", "Sendt", secretary_id=SECRETARY, number=meeting.number)
    result = await services.meetings.remind_now(GUILD)
    assert (result.rsvp, result.status) == (2, 2)
    again = await services.meetings.remind_now(GUILD)
    assert (again.rsvp, again.status) == (0, 0)
    clock.advance(timedelta(minutes=1))
    later = await services.meetings.remind_now(GUILD)
    assert (later.rsvp, later.status) == (2, 2)


async def test_remind_now_after_the_deadline_calls_up_first(
    services: Services, world: World, meeting: Meeting, db: Database, clock
):
    clock.set(RSVP_DEADLINE + H)
    result = await services.meetings.remind_now(GUILD)
    assert result.deputies_called == 3
    late = next(r for r in await services.outbox.for_meeting(GUILD, meeting.id) if r.item.purpose.value == "reminder")
    assert "Svarfristen er ute" in late.item.message.content


async def test_remind_now_needs_an_open_meeting(services: Services, world: World):
    await services.meetings.create(GUILD, SECRETARY, MeetingFields(when="15. januar 2027 kl 10-13"))
    with pytest.raises(Conflict) as err:
        await services.meetings.remind_now(GUILD)
    assert err.value.message_key == "meetings.not_open"


async def test_scheduler_runs_on_the_fake_clock(
    services: Services, world: World, meeting: Meeting, db: Database, clock
):
    scheduler = Scheduler(services.reminders, clock, interval=3600)
    assert (await scheduler.run_once()).messages == 0
    clock.set(RSVP_DEADLINE)
    report = await scheduler.run_once()
    assert report.deadlines == 3
    scheduler.start()
    await scheduler.stop()  # stops cleanly without waiting for the interval
    assert len(await owed(db, "call_up")) == 2
