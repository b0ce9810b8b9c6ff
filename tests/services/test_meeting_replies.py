"""The replies of /meeting, /agenda and /rsvp, rendered from real service results in both languages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.meetings import AgendaItemFields, MeetingFields
from bot.domain.text import split_message
from bot.runtime.wiring import Services
from bot.ui.text import meetings as meeting_text
from tests.conftest import ALICE, BOB, CARL, SECRETARY, make_world
from tests.services.conftest import GUILD


def check(text: str) -> str:
    assert "meetings." not in text and "rsvp." not in text, text
    assert "{" not in text, text
    return text


@pytest.mark.parametrize("language", ["nb", "en"])
async def test_every_reply_renders(services: Services, clock, language: str):
    world = await make_world(services, GUILD, language=language)
    when = "2. desember 2026 kl 10-13" if language == "nb" else "December 2 2026 10:00-13:00"
    created = await services.meetings.create(GUILD, SECRETARY, MeetingFields(when=when, place="Zoom"))
    check(meeting_text.created(created))
    added = await services.agenda.add(GUILD, AgendaItemFields("ROP", lead="Lars Lien", deputy_interest=True))
    check(meeting_text.agenda_changed(added, "item_added"))
    check(meeting_text.agenda_changed(await services.agenda.edit(GUILD, 2, AgendaItemFields(lead="-")), "item_edited"))
    opened = await services.meetings.open(GUILD)
    text = check(meeting_text.opened(opened))
    assert "LPP" in text  # deputies invited too
    meeting = opened.details.meeting
    check(meeting_text.rsvp([await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "no")]))
    check(meeting_text.rsvp([await services.rsvp.answer_button(meeting.id, world.lpp, BOB, "yes")]))
    check(meeting_text.rsvp([await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "yes")]))
    check(meeting_text.rsvp([await services.rsvp.answer_button(meeting.id, world.rio, CARL, "no")]))
    check(meeting_text.reminded(await services.meetings.remind_now(GUILD), created.council.language))
    board = check(meeting_text.dashboard(await services.meetings.dashboard(GUILD)))
    assert len(board.splitlines()) >= 3 + 3  # heading lines and one line per organisation
    assert all(len(part) <= 2000 for part in split_message(board))
    check(meeting_text.edited(await services.meetings.edit(GUILD, MeetingFields(place="Hamar"))))
    check(meeting_text.meeting_list(await services.meetings.list_meetings(GUILD)))
    check(meeting_text.agenda_text(await services.agenda.show(GUILD)))
    clock.set(meeting.end_at + timedelta(hours=1))
    check(meeting_text.attendance(await services.meetings.record_attendance(GUILD, "LPP", True, SECRETARY)))
    check(meeting_text.attendance(await services.meetings.record_attendance(GUILD, "MH", False, SECRETARY)))
    check(meeting_text.next_meeting(await services.meetings.set_next(GUILD, "2. juni 2027 kl 10-15")))
    second = await services.meetings.create(GUILD, SECRETARY, MeetingFields(when="3. juni 2027 kl 10"))
    check(meeting_text.agenda_changed(await services.agenda.remove(GUILD, 1 + 1, number=1), "item_removed"))
    check(meeting_text.cancelled(await services.meetings.cancel(GUILD, second.meeting.number)))
    check(meeting_text.meeting_list(await services.meetings.list_meetings(GUILD)))
