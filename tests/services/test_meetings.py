"""Meetings and agendas against a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.attendance import Outcome
from bot.domain.meetings import AgendaItemFields, AgendaKind, MeetingFields, MeetingState
from bot.domain.outbox import OutboxState, Purpose, TargetKind
from bot.errors import Conflict, InvalidInput, NotFound
from bot.i18n import t
from bot.runtime.wiring import Services
from bot.storage.db import Database
from tests.conftest import ALICE, BOB, CARL, DAVE, ERIN, SECRETARY, World, make_world
from tests.messages import contains_message
from tests.services.conftest import GUILD, OTHER_GUILD, count

STATUS_ROUND = t("nb", "meetings.status_round_title")
ANY_OTHER_BUSINESS = t("nb", "meetings.any_other_business_title")

WHEN = "2. desember 2026 kl 10-13"
START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # 10:00 in Oslo (CET)


async def create(services: Services, **kwargs):
    return await services.meetings.create(GUILD, SECRETARY, MeetingFields(**({"when": WHEN, "place": "Zoom"} | kwargs)))


# -- create ----------------------------------------------------------------------------------------


async def test_create_echoes_what_it_understood(services: Services, world: World, db: Database):
    details = await create(services, title="Ekspertrådsmøte desember")
    meeting = details.meeting
    assert (meeting.number, meeting.title, meeting.place) == (1, "Ekspertrådsmøte desember", "Zoom")
    assert (meeting.start_at, meeting.end_at) == (START, START + timedelta(hours=3))
    assert meeting.state is MeetingState.PLANNED
    # Default deadlines: 7 and 3 days before, at the meeting's local time.
    assert meeting.rsvp_deadline == START - timedelta(days=7)
    assert meeting.status_deadline == START - timedelta(days=3)
    assert [(i.position, i.kind, i.title) for i in details.agenda] == [
        (1, AgendaKind.STATUS_ROUND, STATUS_ROUND),
        (2, AgendaKind.ANY_OTHER_BUSINESS, ANY_OTHER_BUSINESS),
    ]
    assert await count(db, "meetings") == 1
    assert await count(db, "outbox") == 0  # nothing is sent before /meeting open


async def test_english_council_gets_english_fixed_items_and_default_title(services: Services):
    await make_world(services, GUILD, language="en")
    details = await services.meetings.create(GUILD, SECRETARY, MeetingFields(when="December 2 2026 10:00-13:00"))
    assert details.meeting.start_at == START
    assert details.meeting.title == "Meeting of Ekspertråd NKROP"
    assert [i.title for i in details.agenda] == ["What is happening in the organisations?", "Any other business"]


async def test_meeting_numbers_count_per_server(services: Services, world: World):
    await make_world(services, OTHER_GUILD)
    assert (await create(services)).meeting.number == 1
    assert (await create(services, when="3. desember 2026 kl 10")).meeting.number == 2
    other = await services.meetings.create(OTHER_GUILD, SECRETARY, MeetingFields(when=WHEN))
    assert other.meeting.number == 1


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"when": "1. januar 2020 kl 10"}, None),
        ({"when": "snart en gang"}, None),
        ({"rsvp_deadline": "5. desember 2026"}, "meetings.rsvp_deadline_after_start"),
        ({"status_deadline": "3. desember 2026"}, "meetings.status_deadline_after_start"),
        ({"rsvp_deadline": "1. november 2026"}, "dates.in_past"),
        ({"title": "x" * 151}, "meetings.title_too_long"),
        ({"place": "y" * 201}, "meetings.place_too_long"),
    ],
)
async def test_create_refuses_bad_input_and_changes_nothing(
    services: Services, world: World, db: Database, kwargs, key
):
    with pytest.raises(InvalidInput) as err:
        await create(services, **kwargs)
    if key is not None:
        assert err.value.message_key == key
    assert await count(db, "meetings") == 0
    assert await count(db, "agenda_items") == 0


async def test_short_notice_meeting_gets_deadlines_in_the_future(services: Services, world: World, clock):
    details = await create(services, when="24. november 2026 kl 12")
    meeting = details.meeting
    assert clock.now() < meeting.rsvp_deadline < meeting.start_at
    assert clock.now() < meeting.status_deadline < meeting.start_at


async def test_meetings_need_a_council(services: Services):
    with pytest.raises(NotFound) as err:
        await create(services)
    assert err.value.message_key == "council.not_configured"


# -- finding meetings ------------------------------------------------------------------------------


async def test_unknown_meeting_and_another_servers_meeting_are_not_found(services: Services, world: World):
    await make_world(services, OTHER_GUILD)
    await services.meetings.create(OTHER_GUILD, SECRETARY, MeetingFields(when=WHEN))
    for call in (
        services.meetings.get(GUILD, 1),
        services.meetings.open(GUILD, 1),
        services.meetings.cancel(GUILD, 1),
        services.agenda.add(GUILD, AgendaItemFields("Sak"), number=1),
        services.meetings.dashboard(GUILD, 7),
    ):
        with pytest.raises(NotFound) as err:
            await call
        assert err.value.message_key == "meetings.not_found"
    with pytest.raises(NotFound) as err:
        await services.meetings.get(GUILD)
    assert err.value.message_key == "meetings.none"


async def test_default_meeting_is_the_next_one_and_recent_is_the_last_started(services: Services, world: World, clock):
    first = (await create(services)).meeting
    second = (await create(services, when="2. juni 2027 kl 10-15")).meeting
    assert (await services.meetings.get(GUILD)).meeting.id == first.id
    clock.set(first.start_at + timedelta(hours=1))  # during the first meeting
    assert (await services.meetings.get(GUILD)).meeting.id == first.id
    clock.set(first.end_at + timedelta(days=1))
    assert (await services.meetings.get(GUILD)).meeting.id == second.id
    assert (await services.meetings.get(GUILD, recent=True)).meeting.id == first.id
    listing = await services.meetings.list_meetings(GUILD)
    assert [m.number for m in listing.upcoming] == [2]
    assert [m.number for m in listing.past] == [1]


# -- agenda ----------------------------------------------------------------------------------------


async def agenda_titles(services: Services) -> list[str]:
    details = await services.agenda.show(GUILD)
    assert [i.position for i in details.agenda] == list(range(1, len(details.agenda) + 1))
    assert details.agenda[0].kind is AgendaKind.STATUS_ROUND
    assert details.agenda[-1].kind is AgendaKind.ANY_OTHER_BUSINESS
    return [i.title for i in details.agenda]


async def test_agenda_items_go_between_the_status_round_and_any_other_business(services: Services, world: World):
    await create(services)
    change = await services.agenda.add(GUILD, AgendaItemFields("Presentasjon av ROP-tjenester", lead="Lars Lien"))
    assert (change.item.position, change.item.lead) == (2, "Lars Lien")
    await services.agenda.add(GUILD, AgendaItemFields("Brukermedvirkning", deputy_interest=True))
    await services.agenda.add(GUILD, AgendaItemFields("Budsjett"))
    assert await agenda_titles(services) == [
        STATUS_ROUND,
        "Presentasjon av ROP-tjenester",
        "Brukermedvirkning",
        "Budsjett",
        ANY_OTHER_BUSINESS,
    ]
    await services.agenda.move(GUILD, 4, 2)
    assert (await agenda_titles(services))[1:4] == ["Budsjett", "Presentasjon av ROP-tjenester", "Brukermedvirkning"]
    await services.agenda.remove(GUILD, 3)
    assert await agenda_titles(services) == [
        STATUS_ROUND,
        "Budsjett",
        "Brukermedvirkning",
        ANY_OTHER_BUSINESS,
    ]
    edited = await services.agenda.edit(
        GUILD, 3, AgendaItemFields(title="Brukermedvirkning i praksis", lead="-", deputy_interest=False)
    )
    assert (edited.item.title, edited.item.lead, edited.item.deputy_interest) == (
        "Brukermedvirkning i praksis",
        None,
        False,
    )


@pytest.mark.parametrize(
    ("action", "error", "key"),
    [
        (lambda s: s.agenda.move(GUILD, 1, 2), Conflict, "meetings.item_fixed"),
        (lambda s: s.agenda.move(GUILD, 3, 2), Conflict, "meetings.item_fixed"),
        (lambda s: s.agenda.remove(GUILD, 1), Conflict, "meetings.item_fixed"),
        (lambda s: s.agenda.remove(GUILD, 3), Conflict, "meetings.item_fixed"),
        (lambda s: s.agenda.move(GUILD, 2, 1), InvalidInput, "meetings.position_out_of_range"),
        (lambda s: s.agenda.move(GUILD, 2, 3), InvalidInput, "meetings.position_out_of_range"),
        (lambda s: s.agenda.remove(GUILD, 9), NotFound, "meetings.item_not_found"),
        (lambda s: s.agenda.edit(GUILD, 2, AgendaItemFields()), InvalidInput, "meetings.nothing_to_change"),
        (lambda s: s.agenda.add(GUILD, AgendaItemFields("   ")), InvalidInput, "meetings.item_title_empty"),
    ],
)
async def test_agenda_refusals_change_nothing(services: Services, world: World, action, error, key):
    await create(services)
    await services.agenda.add(GUILD, AgendaItemFields("Sak A"))
    before = await agenda_titles(services)
    with pytest.raises(error) as err:
        await action(services)
    assert err.value.message_key == key
    assert await agenda_titles(services) == before


async def test_fixed_items_keep_their_place_after_many_changes(services: Services, world: World):
    await create(services)
    for n in range(6):
        await services.agenda.add(GUILD, AgendaItemFields(f"Sak {n}"))
    await services.agenda.move(GUILD, 2, 7)
    await services.agenda.move(GUILD, 7, 3)
    await services.agenda.remove(GUILD, 4)
    titles = await agenda_titles(services)
    assert titles[1:-1] == ["Sak 1", "Sak 0", "Sak 3", "Sak 4", "Sak 5"]


# -- open --------------------------------------------------------------------------------------------


async def outbox(db: Database, where: str = "1 = 1") -> list[tuple[str, str, int, str]]:
    rows = await db.fetchall(
        f"SELECT dedupe_key, purpose, target_id, target_kind FROM outbox WHERE {where} ORDER BY id"
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def test_open_invites_every_representative_once(services: Services, world: World, db: Database):
    meeting = (await create(services)).meeting
    result = await services.meetings.open(GUILD)
    assert [o.short for o in result.invited] == ["LPP", "RIO", "MH"]
    assert result.messages == 3
    assert result.details.meeting.state is MeetingState.OPEN
    rows = await outbox(db)
    assert [(purpose, user) for _key, purpose, user, _kind in rows] == [
        (Purpose.INVITATION.value, ALICE),
        (Purpose.INVITATION.value, CARL),
        (Purpose.INVITATION.value, DAVE),
    ]
    stored = await services.outbox.for_meeting(GUILD, meeting.id)
    message = stored[0].item.message
    assert "Landsforeningen for pasienter og pårørende (LPP)" in message.content
    assert "onsdag 2. desember 2026" in message.content
    assert STATUS_ROUND in message.content
    assert [b.custom_id for b in message.buttons] == [
        f"council:rsvp:{meeting.id}:{world.lpp}:yes",
        f"council:rsvp:{meeting.id}:{world.lpp}:no",
        f"council:rsvp:{meeting.id}:{world.lpp}:maybe",
        f"council:status:write:{meeting.id}:{world.lpp}",
    ]
    assert [b.label for b in message.buttons] == [
        *(t("nb", f"meetings.button_{answer}") for answer in ("yes", "no", "maybe")),
        t("nb", "status.button_write"),
    ]
    assert contains_message(message.content, "meetings.invitation_status")  # a plain reply is the status too
    # The roster is snapshotted: who may answer for each organisation.
    snap = await db.fetchall("SELECT org_id, representative_id, deputy_id FROM invitations ORDER BY org_id")
    assert [tuple(r) for r in snap] == [(world.lpp, ALICE, BOB), (world.rio, CARL, None), (world.mh, DAVE, ERIN)]
    # Opening again sends nothing twice but invites an organisation added since.
    await services.roster.add_org(GUILD, "We Shall Overcome", "WSO", "user")
    from bot.domain.roster import Role

    await services.roster.assign(GUILD, "WSO", Role.REPRESENTATIVE, 300_000_000_000_000_009, "Wenche")
    again = await services.meetings.open(GUILD)
    assert [o.short for o in again.invited] == ["WSO"]
    assert (again.already_invited, again.messages) == (3, 1)
    assert await count(db, "outbox") == 4


async def test_open_invites_deputies_for_an_item_of_special_interest(services: Services, world: World, db: Database):
    await create(services)
    await services.agenda.add(GUILD, AgendaItemFields("Varaenes rolle", deputy_interest=True))
    result = await services.meetings.open(GUILD)
    assert [o.short for o in result.deputies_invited] == ["LPP", "MH"]
    assert sorted(user for _k, _p, user, _t in await outbox(db)) == sorted([ALICE, BOB, CARL, DAVE, ERIN])


async def test_open_refuses_cancelled_started_or_late_meetings(services: Services, world: World, clock, db: Database):
    meeting = (await create(services)).meeting
    clock.set(meeting.rsvp_deadline + timedelta(minutes=1))
    with pytest.raises(Conflict) as err:
        await services.meetings.open(GUILD)
    assert err.value.message_key == "meetings.open_after_deadline"
    clock.set(meeting.start_at)
    with pytest.raises(Conflict):
        await services.meetings.open(GUILD, 1)
    assert await count(db, "invitations") == 0


# -- edit and cancel ---------------------------------------------------------------------------------


async def test_edit_after_open_tells_invitees_once_per_change(services: Services, world: World, db: Database):
    meeting = (await create(services)).meeting
    await services.meetings.open(GUILD)
    result = await services.meetings.edit(
        GUILD, MeetingFields(when="3. desember 2026 kl 12-15", place="Sagatun, Hamar")
    )
    assert result.changed == {"when", "place", "rsvp_deadline", "status_deadline"}
    new_start = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
    assert result.details.meeting.start_at == new_start
    assert result.details.meeting.rsvp_deadline == meeting.rsvp_deadline + timedelta(days=1, hours=2)
    assert result.notified == 3
    changes = await outbox(db, "purpose = 'change'")
    assert sorted(user for _k, _p, user, _t in changes) == sorted([ALICE, CARL, DAVE])
    stored = await services.outbox.for_meeting(GUILD, meeting.id)
    notice = next(r for r in stored if r.item.purpose is Purpose.CHANGE).item.message.content
    assert "torsdag 3. desember 2026" in notice
    assert "Sagatun, Hamar" in notice
    # A title change alone tells nobody.
    quiet = await services.meetings.edit(GUILD, MeetingFields(title="Desembermøtet"))
    assert (quiet.changed, quiet.notified) == ({"title"}, 0)
    # A second time change is a new notice.
    await services.meetings.edit(GUILD, MeetingFields(place="Zoom"))
    assert len(await outbox(db, "purpose = 'change'")) == 6


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"when": "1. januar 2020 kl 10"}, None),
        ({"rsvp_deadline": "10. desember 2026"}, "meetings.rsvp_deadline_after_start"),
        ({"status_deadline": "1. november 2026"}, "dates.in_past"),
        ({}, "meetings.nothing_to_change"),
    ],
)
async def test_edit_refusals_change_nothing(services: Services, world: World, db: Database, kwargs, key):
    before = (await create(services)).meeting
    with pytest.raises(InvalidInput) as err:
        await services.meetings.edit(GUILD, MeetingFields(**kwargs), number=1)
    if key:
        assert err.value.message_key == key
    assert (await services.meetings.get(GUILD, 1)).meeting == before


async def test_edit_moving_before_a_deadline_needs_a_new_deadline(services: Services, world: World, clock):
    await create(services)
    # Three days from now: the old RSVP deadline cannot follow (it would be in the past) and falls after the start.
    with pytest.raises(InvalidInput) as err:
        await services.meetings.edit(GUILD, MeetingFields(when="24. november 2026 kl 12"))
    assert err.value.message_key == "meetings.rsvp_deadline_after_new_start"
    result = await services.meetings.edit(
        GUILD,
        MeetingFields(
            when="24. november 2026 kl 12", rsvp_deadline="23. november 2026", status_deadline="23. november 2026"
        ),
    )
    assert result.details.meeting.rsvp_deadline < result.details.meeting.start_at


async def test_cancel_tells_invitees_and_drops_what_is_no_longer_owed(services: Services, world: World, db: Database):
    await create(services)
    await services.meetings.open(GUILD)
    result = await services.meetings.cancel(GUILD, reason="For få kan komme")
    assert result.notified == 3
    assert result.details.meeting.state is MeetingState.CANCELLED
    cancels = await services.outbox.for_meeting(GUILD, result.details.meeting.id)
    notice = next(r for r in cancels if r.item.purpose is Purpose.CANCELLATION).item.message.content
    assert "For få kan komme" in notice
    assert await count(db, "reminders", "processed_at IS NULL") == 0
    with pytest.raises(Conflict) as err:
        await services.meetings.cancel(GUILD, 1)
    assert err.value.message_key == "meetings.cancelled"
    with pytest.raises(Conflict):
        await services.meetings.edit(GUILD, MeetingFields(place="Oslo"), number=1)
    with pytest.raises(Conflict):
        await services.agenda.add(GUILD, AgendaItemFields("Sak"), number=1)


async def test_cancel_before_open_tells_nobody(services: Services, world: World, db: Database):
    await create(services)
    result = await services.meetings.cancel(GUILD)
    assert result.notified == 0
    assert await count(db, "outbox") == 0


# -- during and after ----------------------------------------------------------------------------------


async def test_dashboard_shows_answers_status_and_dm_problems(services: Services, world: World, clock):
    meeting = (await create(services)).meeting
    await services.meetings.open(GUILD)
    await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "no")
    await services.rsvp.answer_button(meeting.id, world.lpp, BOB, "yes")
    await services.rsvp.answer_button(meeting.id, world.rio, CARL, "maybe")
    await services.status.submit_for(GUILD, "LPP", "Sendt", secretary_id=SECRETARY, number=meeting.number)
    claimed = {row.item.target_id: row for row in await services.outbox.claim_due(50)}
    await services.outbox.mark_closed_dms(claimed[DAVE])
    board = await services.meetings.dashboard(GUILD)
    rows = {row.org.short: row for row in board.rows}
    assert rows["LPP"].outcome is Outcome.DEPUTY
    assert rows["RIO"].outcome is Outcome.PENDING
    assert rows["LPP"].has_status and not rows["MH"].has_status
    assert rows["MH"].unreachable == (DAVE,)
    assert board.count(Outcome.DEPUTY) == 1
    assert board.status_tracked
    assert rows["LPP"].deputy is not None and rows["LPP"].deputy.display_name == "Bob"


async def test_dashboard_before_open_shows_who_will_be_asked(services: Services, world: World):
    await create(services)
    board = await services.meetings.dashboard(GUILD)
    assert [(r.org.short, r.invitation) for r in board.rows] == [("LPP", None), ("RIO", None), ("MH", None)]


async def test_attendance_records_who_came(services: Services, world: World, clock, db: Database):
    meeting = (await create(services)).meeting
    await services.meetings.open(GUILD)
    await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "no")
    await services.rsvp.answer_button(meeting.id, world.lpp, BOB, "yes")
    clock.set(meeting.start_at + timedelta(hours=4))
    lpp = await services.meetings.record_attendance(GUILD, "lpp", True, SECRETARY)
    assert (lpp.role, lpp.person.user_id if lpp.person else None) == (Outcome.DEPUTY, BOB)
    rio = await services.meetings.record_attendance(GUILD, "RIO", True, SECRETARY)
    assert (rio.role, rio.person.user_id if rio.person else None) == (Outcome.REPRESENTATIVE, CARL)
    mh = await services.meetings.record_attendance(GUILD, "MH", False, SECRETARY)
    assert (mh.present, mh.role) == (False, None)
    rows = await db.fetchall(
        "SELECT org_id, attended, attended_role, attended_user_id FROM invitations ORDER BY org_id"
    )
    assert [tuple(r) for r in rows] == [
        (world.lpp, 1, "deputy", BOB),
        (world.rio, 1, "representative", CARL),
        (world.mh, 0, None, None),
    ]
    with pytest.raises(NotFound):
        await services.meetings.record_attendance(GUILD, "NOPE", True, SECRETARY)


async def test_next_meeting_is_parsed_and_echoed(services: Services, world: World, clock):
    meeting = (await create(services)).meeting
    clock.set(meeting.end_at + timedelta(hours=1))
    details = (await services.meetings.set_next(GUILD, "onsdag 2. juni 2027 klokka 10-15")).details
    proposed = details.meeting.next_when
    assert proposed is not None
    assert (proposed.start, proposed.end) == (
        datetime(2027, 6, 2, 8, 0, tzinfo=UTC),
        datetime(2027, 6, 2, 13, 0, tzinfo=UTC),
    )
    assert details.meeting.next_text == "onsdag 2. juni 2027 klokka 10-15"
    with pytest.raises(InvalidInput):
        await services.meetings.set_next(GUILD, "1. januar 2020")


async def test_invitations_target_only_users_and_the_secretary_channel(services: Services, world: World, db: Database):
    meeting = (await create(services)).meeting
    await services.meetings.open(GUILD)
    await services.rsvp.answer_button(meeting.id, world.rio, CARL, "no")
    kinds = {(purpose, kind) for _k, purpose, _u, kind in await outbox(db)}
    assert kinds == {("invitation", TargetKind.USER.value), ("alert", TargetKind.CHANNEL.value)}
    assert await count(db, "outbox", f"state = '{OutboxState.PENDING.value}'") == 4
