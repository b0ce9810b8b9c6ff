"""Minutes as the secretary writes them: edited notes (every version kept), guests, substitutes,
answers recorded by the secretary, and the next meeting created from the seeds' phrasing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.demo import HOST_REPORT
from bot.domain.attendance import CallUpDeputy, Outcome
from bot.domain.meetings import Meeting, MeetingFields, MeetingState
from bot.domain.roster import Role
from bot.errors import Conflict, InvalidInput, NotFound
from bot.runtime.wiring import Services
from bot.storage.db import Database
from tests.conftest import ALICE, BOB, SECRETARY, World
from tests.services.conftest import GUILD, OTHER_GUILD, SEC, open_meeting


@pytest.fixture
async def meeting(services: Services, world: World) -> Meeting:
    return await open_meeting(services, agenda=(("Nytt fra Nasjonal kompetansetjeneste ROP", "Kari Nysveen"),))


async def test_edit_rewrites_notes_and_keeps_every_version(services: Services, meeting: Meeting, clock):
    await services.minutes.add_note(GUILD, 2, "ACT og FACT: 165 deltakere.", SECRETARY)
    await services.minutes.add_note(GUILD, 2, "Skrivefeil: 1) Opplæring", ALICE)
    form = await services.minutes.edit_form(GUILD, 2)
    assert [p.text for p in form.parts] == ["ACT og FACT: 165 deltakere.\n\nSkrivefeil: 1) Opplæring"]
    clock.advance(timedelta(minutes=5))
    edited = await services.minutes.save_edit(GUILD, meeting.id, form.item.id, form.upto_id, [HOST_REPORT], BOB)
    assert edited.changed and edited.replaced == 2 and edited.length == len(HOST_REPORT)
    [current] = [n for n in await services.minutes.repo.notes(GUILD, meeting.id) if n.agenda_item_id == form.item.id]
    assert current.text == HOST_REPORT
    assert current.author_id == BOB
    history = await services.minutes.repo.note_history(GUILD, meeting.id, form.item.id)
    assert [(n.author_id, n.replaced_by) for n in history] == [(SECRETARY, BOB), (ALICE, BOB), (BOB, None)]
    assert history[0].replaced_at == clock.now()
    # Saving the same text again stores nothing; an empty form deletes (the old version stays).
    again = await services.minutes.edit_form(GUILD, 2)
    unchanged = await services.minutes.save_edit(
        GUILD, meeting.id, again.item.id, again.upto_id, [p.text for p in again.parts], BOB
    )
    assert not unchanged.changed
    cleared = await services.minutes.save_edit(GUILD, meeting.id, again.item.id, again.upto_id, ["", ""], SECRETARY)
    assert cleared.changed and cleared.length == 0
    compiled = await services.minutes.compile(GUILD, None, secretary_id=None, draft=True)
    assert compiled.agenda[1].notes == ()
    assert len(await services.minutes.repo.note_history(GUILD, meeting.id, form.item.id)) == 3


async def test_a_note_added_while_the_form_is_open_is_not_lost(services: Services, meeting: Meeting):
    await services.minutes.add_note(GUILD, 2, "Første.", SECRETARY)
    form = await services.minutes.edit_form(GUILD, 2)
    await services.minutes.add_note(GUILD, 2, "Kom inn mens skjemaet var åpent.", SECRETARY)
    await services.minutes.save_edit(GUILD, meeting.id, form.item.id, form.upto_id, ["Første, rettet."], SECRETARY)
    compiled = await services.minutes.compile(GUILD, None, secretary_id=None, draft=True)
    assert set(compiled.agenda[1].notes) == {"Første, rettet.", "Kom inn mens skjemaet var åpent."}


async def test_edit_refused_after_publication_and_for_unknown_items(services: Services, meeting: Meeting, clock):
    with pytest.raises(NotFound):
        await services.minutes.edit_form(GUILD, 9)
    form = await services.minutes.edit_form(GUILD, 2)
    with pytest.raises(InvalidInput):
        await services.minutes.save_edit(GUILD, meeting.id, form.item.id, form.upto_id, ["x" * 4001], SECRETARY)
    clock.set(meeting.start_at)
    await services.minutes.publish(GUILD, SEC)
    with pytest.raises(Conflict):
        await services.minutes.edit_form(GUILD, 2)
    with pytest.raises(Conflict):
        await services.minutes.save_edit(GUILD, meeting.id, form.item.id, form.upto_id, ["Nytt."], SECRETARY)
    with pytest.raises(NotFound):  # another server's meeting id is not found
        await services.minutes.save_edit(OTHER_GUILD, meeting.id, form.item.id, form.upto_id, ["x"], SECRETARY)


async def test_guests_and_a_substitute_in_the_minutes(services: Services, world: World, meeting: Meeting):
    added = await services.meetings.add_guest(GUILD, "Kari Nysveen", "opplæringsansvarlig NKROP", SECRETARY)
    assert added.added
    again = await services.meetings.add_guest(GUILD, "kari nysveen", "NKROP", SECRETARY)
    assert not again.added and [g.affiliation for g in again.guests] == ["NKROP"]
    await services.meetings.add_guest(GUILD, "Knut Boe Kielland", None, SECRETARY)
    removed = await services.meetings.remove_guest(GUILD, "Knut Boe Kielland")
    assert [g.name for g in removed.guests] == ["Kari Nysveen"]
    with pytest.raises(NotFound):
        await services.meetings.remove_guest(GUILD, "Ukjent Person")
    with pytest.raises(InvalidInput):
        await services.meetings.add_guest(GUILD, "   ", None, SECRETARY)
    result = await services.meetings.record_attendance(GUILD, "RIO", True, SECRETARY, substitute="Ola Vikar")
    assert result.substitute == "Ola Vikar"
    with pytest.raises(InvalidInput):
        await services.meetings.record_attendance(GUILD, "MH", False, SECRETARY, substitute="Noen")
    doc = await services.minutes.compile(GUILD, None, secretary_id=None, draft=True)
    assert [(g.name, g.affiliation) for g in doc.guests] == [("Kari Nysveen", "NKROP")]
    rio = [p for p in doc.participants if p.org_short == "RIO"]
    assert [(p.person_name, p.is_substitute) for p in rio] == [("Ola Vikar", True)]
    assert doc.agenda[1].lead == "Kari Nysveen (NKROP)"  # a guest leading an item shows where they are from
    # Recording attendance again without a substitute clears the name.
    await services.meetings.record_attendance(GUILD, "RIO", True, SECRETARY)
    doc = await services.minutes.compile(GUILD, None, secretary_id=None, draft=True)
    assert [p.person_name for p in doc.participants if p.org_short == "RIO"] == ["Carl"]


async def test_secretary_records_no_and_the_deputy_is_called_up(
    services: Services, world: World, meeting: Meeting, db: Database
):
    result = await services.rsvp.record(GUILD, SEC, "LPP", "no", note="meldt på e-post")
    assert result.responder is Role.REPRESENTATIVE
    assert any(isinstance(e, CallUpDeputy) for e in result.effects)
    callups = await db.fetchall("SELECT target_id FROM outbox WHERE purpose = 'call_up'")
    assert [r[0] for r in callups] == [BOB]
    [answer] = await services.meetings.deps.invitations.answers(GUILD, meeting.id)
    assert (answer.user_id, answer.recorded_by, answer.note) == (ALICE, SECRETARY, "meldt på e-post")
    board = await services.meetings.dashboard(GUILD)
    [lpp] = [row for row in board.rows if row.org.short == "LPP"]
    assert lpp.rep_recorded_by == "Hilde Austeng"
    # The deputy answers yes by the button, as usual; the dashboard shows no secretary for that.
    deputy = await services.rsvp.answer_button(meeting.id, world.lpp, BOB, "yes")
    assert deputy.outcome is Outcome.DEPUTY
    board = await services.meetings.dashboard(GUILD)
    [lpp] = [row for row in board.rows if row.org.short == "LPP"]
    assert lpp.deputy_recorded_by is None


async def test_secretary_rsvp_refusals(services: Services, world: World, meeting: Meeting):
    with pytest.raises(NotFound):
        await services.rsvp.record(GUILD, SEC, "NOPE", "no")
    with pytest.raises(InvalidInput):
        await services.rsvp.record(GUILD, SEC, "LPP", "kanskje")
    with pytest.raises(Conflict):
        await services.rsvp.record(GUILD, SEC, "RIO", "yes", role="deputy")  # RIO has no deputy
    await services.meetings.create(GUILD, SECRETARY, MeetingFields(when="2. juni 2027 kl 10-15"))
    with pytest.raises(Conflict):  # not opened: nobody is invited yet
        await services.rsvp.record(GUILD, SEC, "LPP", "no", meeting_number=2)


@pytest.mark.parametrize(
    ("phrase", "place", "note"),
    [
        ("onsdag 2.juni 2027 klokka 10-15 – møtested kommer, vi håper det kan gjennomføres fysisk", None,
         "møtested kommer, vi håper det kan gjennomføres fysisk"),
        ("5.desember 2027 på Sagatun Brukerstyrt senter – Hamar", "Sagatun Brukerstyrt senter – Hamar", None),
    ],
)  # fmt: skip
async def test_next_meeting_from_the_seeds_phrasing_is_created_once(
    services: Services, world: World, meeting: Meeting, phrase, place, note
):
    result = await services.meetings.set_next(GUILD, phrase, by=SECRETARY)
    assert result.created
    created = result.next_meeting
    assert created.state is MeetingState.PLANNED
    assert created.place == (place or "")
    assert (result.proposal.place, result.proposal.note) == (place, note)
    agenda = await services.meetings.deps.meetings.agenda(GUILD, created.id)
    assert [i.kind.value for i in agenda] == ["status_round", "any_other_business"]
    doc = await services.minutes.compile(GUILD, meeting.number, secretary_id=None, draft=True)
    assert (doc.next_meeting_place, doc.next_meeting_note) == (place, note)
    assert doc.next_meeting is not None and "2027" in doc.next_meeting
    # Again, with a new time and place: the same meeting is updated, none is added.
    again = await services.meetings.set_next(
        GUILD, "torsdag 3. juni 2027 kl 10-15", meeting.number, place="Oslo", by=SECRETARY
    )
    assert not again.created
    assert again.next_meeting.id == created.id
    assert again.next_meeting.place == "Oslo"
    listed = await services.meetings.list_meetings(GUILD)
    assert [m.number for m in listed.upcoming] == [meeting.number, created.number]


async def test_next_meeting_refusals(services: Services, world: World, meeting: Meeting):
    with pytest.raises(InvalidInput):
        await services.meetings.set_next(GUILD, "5.desember 2018 på Sagatun Brukerstyrt senter – Hamar")
    with pytest.raises(InvalidInput):
        await services.meetings.set_next(GUILD, "1. desember 2026 kl 10-13")  # before this meeting
    listed = await services.meetings.list_meetings(GUILD)
    assert len(listed.upcoming) == 1
