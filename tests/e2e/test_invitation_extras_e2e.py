"""Invitations people can act on, through the real bot and the sandbox: background text and the theme
question, an attached document, a valid calendar file, the Discord scheduled event, the reminder on the day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from bot.i18n import t
from bot.sandbox import Message, User
from bot.sandbox.events import ACTIVE, CANCELED, COMPLETED, EXTERNAL, SCHEDULED
from bot.sandbox.harness import Council, Harness
from bot.sandbox.server import UploadFile
from tests.e2e.cast import ORGS_WITH_MH, SEATS_WITH_MH
from tests.e2e.test_meetings_flow import answer, wait_invitations
from tests.messages import contains_message, is_message
from tests.unit.test_calendar import check_rfc5545

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 4000 + b"\n%%EOF\n"
THEME = "Hvordan har pandemien påvirket arbeidet?"
BACKGROUND = "NKROP ønsker Ekspertrådets innspill på hvordan retningslinjen kan tas i bruk"
START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # 10:00 in Oslo


@pytest.fixture
async def people(harness: Harness, council: Council) -> dict[str, User]:
    return await harness.seat(council, ORGS_WITH_MH, SEATS_WITH_MH)


async def prepare(harness: Harness, council: Council) -> None:
    """A meeting with a theme question, an item with background text and a slide deck attached."""
    who = council.secretary
    await harness.run(who, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    added = await harness.run(who, council, "agenda add", title="Retningslinjer for ROP", details=BACKGROUND)
    assert BACKGROUND in added.content
    themed = await harness.run(who, council, "agenda edit", item=1, details=THEME)
    assert THEME in themed.content
    attached = await harness.run(who, council, "agenda attach", item=2, file=UploadFile("Lysark ROP.pdf", PDF))
    assert "Lysark ROP.pdf" in attached.content
    assert attached.ephemeral
    shown = await harness.run(who, council, "agenda show")
    assert "📎 Lysark ROP.pdf" in shown.content
    assert BACKGROUND in shown.content


def calendar_of(message: Message) -> bytes:
    (ics,) = [a.data for a in message.attachments if a.filename.endswith(".ics")]
    return ics


def events(harness: Harness, council: Council) -> list:
    return harness.server.scheduled_events(council.guild)


async def test_invitation_carries_details_document_calendar_and_the_event(harness: Harness, council: Council, people):
    await prepare(harness, council)
    opened = await harness.run(council.secretary, council, "meeting open")
    assert contains_message(opened.content, "meetings.opened", number=1, orgs=3)
    invitation = await wait_invitations(harness, people["rep_lpp"])
    assert BACKGROUND in invitation.content
    assert t("nb", "meetings.agenda_theme", details=THEME) in invitation.content
    # One DM per person: the same message asks for the status with the theme question and its button.
    assert t("nb", "meetings.status_theme", question=THEME) in invitation.content
    assert any(c.startswith("council:status:write:") for c in invitation.custom_ids())
    files = {a.filename: a.data for a in invitation.attachments}
    assert files["Lysark ROP.pdf"] == PDF
    found = check_rfc5545(files["mote-1.ics"])
    event = found["VEVENT"][0]
    assert event["DTSTART"] == [("TZID=Europe/Oslo", "20261202T100000")]
    assert event["LOCATION"] == [("", "Zoom")]
    assert event["SEQUENCE"] == [("", "0")]
    description = str(Calendar.from_ical(files["mote-1.ics"]).walk("VEVENT")[0]["DESCRIPTION"])
    assert "Retningslinjer for ROP" in description
    assert BACKGROUND in description
    # The status prompt asks the round's theme question.
    await harness.server.wait_for(
        lambda: any(
            THEME in m.content and "Skriv status" in str(m.components) for m in harness.server.dms_to(people["rep_lpp"])
        ),
        what="status prompt with the theme",
    )
    # The Discord scheduled event: external, at the place, from start to end.
    await harness.server.wait_for(lambda: len(events(harness, council)) == 1, what="scheduled event")
    (scheduled,) = events(harness, council)
    assert (scheduled.entity_type, scheduled.location, scheduled.status) == (EXTERNAL, "Zoom", SCHEDULED)
    assert datetime.fromisoformat(scheduled.scheduled_start_time) == START
    assert datetime.fromisoformat(scheduled.scheduled_end_time or "") == START + timedelta(hours=3)
    assert "Retningslinjer for ROP" in (scheduled.description or "")


async def test_edit_sends_an_updated_calendar_and_moves_the_event(harness: Harness, council: Council, people):
    await prepare(harness, council)
    await harness.run(council.secretary, council, "meeting open")
    first = calendar_of(await wait_invitations(harness, people["rep_rio"]))
    await harness.server.wait_for(lambda: len(events(harness, council)) == 1, what="scheduled event")
    edited = await harness.run(
        council.secretary, council, "meeting edit", when="3. desember 2026 kl 12-15", place="Oslo"
    )
    assert "Oslo" in edited.content
    await harness.server.wait_for(
        lambda: any("Endring" in m.content for m in harness.server.dms_to(people["rep_rio"])), what="change notice"
    )
    notice = next(m for m in harness.server.dms_to(people["rep_rio"]) if "Endring" in m.content)
    second = calendar_of(notice)
    check_rfc5545(second)
    before, after = (Calendar.from_ical(data).walk("VEVENT")[0] for data in (first, second))
    assert str(before["UID"]) == str(after["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == datetime(2026, 12, 3, 11, tzinfo=UTC)
    assert str(after["LOCATION"]) == "Oslo"
    moved = datetime(2026, 12, 3, 11, tzinfo=UTC)
    await harness.server.wait_for(
        lambda: datetime.fromisoformat(events(harness, council)[0].scheduled_start_time) == moved, what="event moved"
    )
    assert events(harness, council)[0].location == "Oslo"


async def test_cancel_sends_a_cancelling_calendar_and_cancels_the_event(harness: Harness, council: Council, people):
    await prepare(harness, council)
    await harness.run(council.secretary, council, "meeting open")
    uid = str(
        Calendar.from_ical(calendar_of(await wait_invitations(harness, people["rep_mh"]))).walk("VEVENT")[0]["UID"]
    )
    await harness.server.wait_for(lambda: len(events(harness, council)) == 1, what="scheduled event")
    await harness.run(council.secretary, council, "meeting cancel", reason="Sykdom")
    await harness.server.wait_for(
        lambda: any("Avlyst" in m.content for m in harness.server.dms_to(people["rep_mh"])), what="cancel notice"
    )
    notice = next(m for m in harness.server.dms_to(people["rep_mh"]) if "Avlyst" in m.content)
    found = check_rfc5545(calendar_of(notice))
    assert found["VCALENDAR"][0]["METHOD"] == [("", "CANCEL")]
    assert found["VEVENT"][0]["STATUS"] == [("", "CANCELLED")]
    assert found["VEVENT"][0]["UID"] == [("", uid)]
    await harness.server.wait_for(lambda: events(harness, council)[0].status == CANCELED, what="event cancelled")


async def test_event_is_completed_after_the_meeting(harness: Harness, council: Council, people, clock):
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    await harness.run(council.secretary, council, "meeting open")
    await harness.server.wait_for(lambda: len(events(harness, council)) == 1, what="scheduled event")
    clock.set(START + timedelta(hours=4))
    assert harness.bot is not None
    await harness.bot.scheduler.run_once()
    assert events(harness, council)[0].history == [SCHEDULED, ACTIVE, COMPLETED]


async def test_without_permission_the_secretary_is_told_once_and_nothing_fails(
    harness: Harness, council: Council, people
):
    await harness.server.set_roles(council.guild, harness.server.users[harness.bot.user.id], [])  # type: ignore[union-attr]
    await prepare(harness, council)
    await harness.run(council.secretary, council, "meeting open")
    for key in ("rep_lpp", "rep_rio", "rep_mh"):
        invitation = await wait_invitations(harness, people[key])
        assert any(a.filename == "mote-1.ics" for a in invitation.attachments)
    alerts = await harness.wait_channel(council.secretary_channel, 1)
    assert is_message(alerts[0].content, "meetings.alert_events_denied", number=1)
    await harness.run(council.secretary, council, "meeting edit", place="Oslo")
    assert harness.bot is not None
    await harness.bot.scheduler.run_once()
    await harness.outbox_drained()
    told = [
        m
        for m in harness.server.messages_in(council.secretary_channel)
        if is_message(m.content, "meetings.alert_events_denied")
    ]
    assert len(told) == 1
    assert events(harness, council) == []


async def test_document_added_after_open_reaches_those_invited_once(harness: Harness, council: Council, people):
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    await harness.run(council.secretary, council, "meeting open")
    await answer(harness, people["rep_lpp"], "no")  # the deputy is called up
    await wait_invitations(harness, people["dep_lpp"])
    attached = await harness.run(
        council.secretary, council, "agenda attach", item=1, file=UploadFile("Rapport.pdf", PDF)
    )
    assert contains_message(attached.content, "meetings.document_attached_open", count=4)
    await harness.outbox_drained()
    for key in ("rep_lpp", "dep_lpp", "rep_rio", "rep_mh"):
        with_doc = [
            m for m in harness.server.dms_to(people[key]) if any(a.filename == "Rapport.pdf" for a in m.attachments)
        ]
        assert len(with_doc) == 1, key
        assert is_message(with_doc[0].content, "meetings.document_notice", name="Rapport.pdf")
    assert not any(m.attachments for m in harness.server.dms_to(people["dep_mh"]))
    refused = await harness.run(council.secretary, council, "agenda attach", item=1, file=UploadFile("x.exe", b"MZ"))
    assert is_message(refused.content, "meetings.document_type")
    assert refused.ephemeral


async def test_reminder_on_the_day_reaches_exactly_the_expected_once_across_a_restart(
    harness: Harness, council: Council, people, clock
):
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    await harness.run(council.secretary, council, "meeting open")
    await answer(harness, people["rep_lpp"], "yes")
    await answer(harness, people["rep_rio"], "maybe")
    await answer(harness, people["rep_mh"], "no")
    await answer(harness, people["dep_mh"], "yes")  # the deputy stands in for MH
    await answer(harness, people["rep_rio"], "no")  # RIO has since said it cannot come
    await harness.outbox_drained()
    clock.set(START - timedelta(hours=2) + timedelta(minutes=1))
    assert harness.bot is not None
    await harness.bot.scheduler.run_once()
    await harness.outbox_drained()
    await harness.restart_bot()
    assert harness.bot is not None
    await harness.bot.scheduler.run_once()
    await harness.outbox_drained()

    def day_reminders(key: str) -> list[Message]:
        return [m for m in harness.server.dms_to(people[key]) if "I dag:" in m.content]

    assert {key: len(day_reminders(key)) for key in people} == {
        "rep_lpp": 1,
        "dep_lpp": 0,
        "rep_rio": 0,
        "rep_mh": 0,
        "dep_mh": 1,
    }
    text = day_reminders("rep_lpp")[0].content
    assert "Zoom" in text
    assert "kl. 10.00–13.00" in text
    assert "Hva skjer i organisasjonene?" in text
