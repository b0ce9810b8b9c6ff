"""RSVP answers and the deputy substitution's outbox rows, against a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.attendance import (
    Answer,
    CallUpDeputy,
    CallUpReason,
    FlagNoDeputy,
    ListedAbsent,
    Outcome,
    ReleaseDeputy,
)
from bot.domain.meetings import Meeting, MeetingFields
from bot.domain.roster import Role
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.runtime.wiring import Services
from bot.storage.db import Database
from tests.conftest import ALICE, BOB, CARL, DAVE, ERIN, SECRETARY, SECRETARY_CHANNEL, World, make_world
from tests.services.conftest import GUILD, OTHER_GUILD

STRANGER = 300_000_000_000_000_777


async def owed(db: Database, exclude_invitations: bool = True) -> list[tuple[str, str, int]]:
    """(dedupe key, purpose, target) of every outbox row except the invitations."""
    sql = "SELECT dedupe_key, purpose, target_id FROM outbox"
    if exclude_invitations:
        sql += " WHERE purpose != 'invitation'"
    return [(r[0], r[1], r[2]) for r in await db.fetchall(sql + " ORDER BY id")]


async def test_representative_yes_is_recorded_with_history(
    services: Services, world: World, meeting: Meeting, db: Database
):
    result = await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "yes")
    assert (result.org.short, result.responder, result.answer, result.outcome) == (
        "LPP",
        Role.REPRESENTATIVE,
        Answer.YES,
        Outcome.REPRESENTATIVE,
    )
    assert result.effects == ()
    row = await db.fetchone("SELECT rep_answer, rep_answered_at FROM invitations WHERE org_id = ?", (world.lpp,))
    assert row is not None and row[0] == "yes" and row[1] is not None
    history = await db.fetchall("SELECT user_id, role, answer, via FROM rsvp_answers")
    assert [tuple(r) for r in history] == [(ALICE, "representative", "yes", "button")]
    assert await owed(db) == []


async def test_representative_no_calls_up_the_deputy_exactly_once(
    services: Services, world: World, meeting: Meeting, db: Database
):
    first = await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "no")
    assert first.effects == (CallUpDeputy(CallUpReason.DECLINED, 1),)
    assert first.deputy is not None and first.deputy.user_id == BOB
    again = await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "no")
    assert again.effects == ()
    assert await owed(db) == [(f"callup:{meeting.id}:{world.lpp}:1", "call_up", BOB)]
    callup = next(r for r in await services.outbox.for_meeting(GUILD, meeting.id) if r.item.purpose.value == "call_up")
    assert callup.item.message.buttons[0].custom_id == f"council:rsvp:{meeting.id}:{world.lpp}:yes"
    assert "Representanten kan ikke komme" in callup.item.message.content
    history = await db.fetchall("SELECT answer FROM rsvp_answers")
    assert [r[0] for r in history] == ["no", "no"]  # the history keeps every answer


async def test_deputy_accepts_then_representative_comes_after_all(
    services: Services, world: World, meeting: Meeting, db: Database
):
    await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "no")
    deputy = await services.rsvp.answer_button(meeting.id, world.lpp, BOB, "yes")
    assert (deputy.responder, deputy.outcome) == (Role.DEPUTY, Outcome.DEPUTY)
    back = await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "yes")
    assert back.effects == (ReleaseDeputy(1),)
    assert back.outcome is Outcome.REPRESENTATIVE
    assert await owed(db) == [
        (f"callup:{meeting.id}:{world.lpp}:1", "call_up", BOB),
        (f"release:{meeting.id}:{world.lpp}:1", "release", BOB),
    ]
    # The released deputy can no longer answer; a new "no" calls them up afresh.
    with pytest.raises(NotAllowed) as err:
        await services.rsvp.answer_button(meeting.id, world.lpp, BOB, "yes")
    assert err.value.message_key == "rsvp.deputy_not_called"
    await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "no")
    assert (await owed(db))[-1] == (f"callup:{meeting.id}:{world.lpp}:2", "call_up", BOB)


async def test_deputy_declines_too_and_the_organisation_is_absent(
    services: Services, world: World, meeting: Meeting, db: Database
):
    await services.rsvp.answer_button(meeting.id, world.mh, DAVE, "no")
    result = await services.rsvp.answer_button(meeting.id, world.mh, ERIN, "no")
    assert result.effects == (ListedAbsent(),)
    assert result.outcome is Outcome.ABSENT
    assert [purpose for _k, purpose, _t in await owed(db)] == ["call_up"]


async def test_no_deputy_alerts_the_secretary_channel_once(
    services: Services, world: World, meeting: Meeting, db: Database
):
    result = await services.rsvp.answer_button(meeting.id, world.rio, CARL, "no")
    assert result.effects == (FlagNoDeputy(), ListedAbsent())
    assert result.outcome is Outcome.ABSENT
    await services.rsvp.answer_button(meeting.id, world.rio, CARL, "maybe")
    await services.rsvp.answer_button(meeting.id, world.rio, CARL, "no")
    assert await owed(db) == [(f"nodeputy:{meeting.id}:{world.rio}", "alert", SECRETARY_CHANNEL)]
    alert = next(r for r in await services.outbox.for_meeting(GUILD, meeting.id) if r.item.purpose.value == "alert")
    assert "RIO" in alert.item.message.content and "/member assign" in alert.item.message.content


async def test_a_deputy_assigned_after_the_alert_is_called_at_the_deadline(
    services: Services, world: World, meeting: Meeting, db: Database, clock
):
    await services.rsvp.answer_button(meeting.id, world.rio, CARL, "no")
    frank = 300_000_000_000_000_006
    await services.roster.assign(GUILD, "RIO", Role.DEPUTY, frank, "Frank")
    clock.set(meeting.rsvp_deadline + timedelta(minutes=1))
    async with db.transaction():
        await services.rsvp.deadline_passed(meeting)
    assert (f"callup:{meeting.id}:{world.rio}:1", "call_up", frank) in await owed(db)
    result = await services.rsvp.answer_button(meeting.id, world.rio, frank, "yes")
    assert result.outcome is Outcome.DEPUTY


async def test_slash_command_answers_for_the_default_meeting_with_a_note(
    services: Services, world: World, meeting: Meeting, db: Database
):
    results = await services.rsvp.answer(GUILD, DAVE, "maybe", note="  Kommer kanskje etter lunsj ")
    assert [(r.org.short, r.answer) for r in results] == [("MH", Answer.MAYBE)]
    row = await db.fetchone("SELECT rep_note FROM invitations WHERE org_id = ?", (world.mh,))
    assert row is not None and row[0] == "Kommer kanskje etter lunsj"
    with pytest.raises(InvalidInput):
        await services.rsvp.answer(GUILD, DAVE, "yes", note="x" * 301)
    with pytest.raises(InvalidInput):
        await services.rsvp.answer(GUILD, DAVE, "perhaps")


async def test_people_not_on_the_invitation_are_refused_politely(
    services: Services, world: World, meeting: Meeting, db: Database
):
    before = await owed(db, exclude_invitations=False)
    for call, key in [
        (services.rsvp.answer_button(meeting.id, world.lpp, STRANGER, "yes"), "rsvp.not_invited"),
        (services.rsvp.answer_button(meeting.id, world.lpp, CARL, "yes"), "rsvp.not_invited"),  # another org's rep
        (services.rsvp.answer_button(meeting.id, world.lpp, BOB, "yes"), "rsvp.deputy_not_called"),
        (services.rsvp.answer(GUILD, STRANGER, "yes"), "rsvp.not_invited_meeting"),
        (services.rsvp.answer(GUILD, ERIN, "yes"), "rsvp.deputy_not_called"),
    ]:
        with pytest.raises(NotAllowed) as err:
            await call
        assert err.value.message_key == key
    with pytest.raises(NotFound):
        await services.rsvp.answer_button(999_999, world.lpp, ALICE, "yes")
    assert await owed(db, exclude_invitations=False) == before
    assert await db.fetchone("SELECT * FROM rsvp_answers") is None


async def test_the_invitation_follows_the_roster(services: Services, world: World, meeting: Meeting):
    # A new representative assigned during the open call answers; the one replaced no longer can (issue 12).
    newcomer = 300_000_000_000_000_010
    await services.roster.assign(GUILD, "LPP", Role.REPRESENTATIVE, newcomer, "Nina")
    with pytest.raises(NotAllowed):
        await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "yes")
    result = await services.rsvp.answer_button(meeting.id, world.lpp, newcomer, "yes")
    assert result.outcome is Outcome.REPRESENTATIVE


async def test_answers_are_refused_after_the_start_and_for_cancelled_meetings(
    services: Services, world: World, meeting: Meeting, clock
):
    clock.set(meeting.start_at + timedelta(seconds=1))
    with pytest.raises(Conflict) as err:
        await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "yes")
    assert err.value.message_key == "rsvp.meeting_started"
    clock.set(meeting.start_at - timedelta(days=1))
    await services.meetings.cancel(GUILD)
    with pytest.raises(Conflict) as err:
        await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "yes")
    assert err.value.message_key == "rsvp.meeting_cancelled"


async def test_another_servers_member_cannot_answer_here(services: Services, world: World, meeting: Meeting):
    await make_world(services, OTHER_GUILD)
    await services.meetings.create(OTHER_GUILD, SECRETARY, MeetingFields(when="2. desember 2026 kl 10-13"))
    # ALICE is LPP's representative in both servers, but this org id belongs to the other one.
    other_lpp = await services.roster.org(OTHER_GUILD, "LPP")
    with pytest.raises(NotAllowed):
        await services.rsvp.answer_button(meeting.id, other_lpp.id, ALICE, "yes")


async def test_deadline_call_ups_for_silent_and_unsure_representatives(
    services: Services, world: World, meeting: Meeting, db: Database, clock
):
    await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "maybe")
    await services.rsvp.answer_button(meeting.id, world.mh, DAVE, "yes")
    clock.set(meeting.rsvp_deadline + timedelta(minutes=5))
    async with db.transaction():
        changed = await services.rsvp.deadline_passed(meeting)
    assert changed == 2  # LPP called up, RIO flagged
    async with db.transaction():
        assert await services.rsvp.deadline_passed(meeting) == 0  # deciding twice enqueues nothing
    assert await owed(db) == [
        (f"callup:{meeting.id}:{world.lpp}:1", "call_up", BOB),
        (f"nodeputy:{meeting.id}:{world.rio}", "alert", SECRETARY_CHANNEL),
    ]
    callup = next(r for r in await services.outbox.for_meeting(GUILD, meeting.id) if r.item.purpose.value == "call_up")
    assert "Svarfristen" in callup.item.message.content
    # The representative can still answer after the deadline, which releases the deputy.
    back = await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "yes")
    assert back.effects == (ReleaseDeputy(1),)


@pytest.mark.parametrize("huge", [10**19, 10**25])
async def test_a_forged_id_beyond_sqlite_integers_is_not_found(
    services: Services, world: World, meeting: Meeting, huge
):
    # A custom id is only matched by \d+: a 25-digit meeting or organisation is "not found", not a crash.
    with pytest.raises(NotFound):
        await services.rsvp.answer_button(huge, world.lpp, ALICE, "yes")
    with pytest.raises(NotAllowed):
        await services.rsvp.answer_button(meeting.id, huge, ALICE, "yes")
    with pytest.raises(NotFound):
        await services.status.form_target(huge, world.lpp, ALICE)
    with pytest.raises(NotFound):
        await services.status.resolve_draft(huge, ALICE, "keep")
