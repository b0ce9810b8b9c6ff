"""Status updates against a real SQLite file: versions, drafts from DMs, who may write, prompts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import Config, LimitsConfig
from bot.domain.clock import FakeClock
from bot.domain.meetings import Meeting, MeetingFields
from bot.domain.roster import Person
from bot.domain.status import Author, DraftState, Via, snowflake_at
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.runtime.wiring import Services, build_services
from bot.services.status import DmRefusal, DraftPreview
from bot.storage.db import Database
from tests.conftest import ALICE, BOB, CARL, DAVE, ERIN, SECRETARY, World, make_world
from tests.services.conftest import GUILD, OTHER_GUILD, WHEN, count

STRANGER = 300_000_000_000_000_777


class Messages:
    """Discord-like message ids: increasing, and after any cursor the prompts set."""

    def __init__(self, clock: FakeClock) -> None:
        self.next_id = snowflake_at(clock.now() + timedelta(days=1))

    def __call__(self) -> int:
        self.next_id += 1
        return self.next_id


@pytest.fixture
def msg(clock: FakeClock) -> Messages:
    return Messages(clock)


async def dm(services: Services, clock: FakeClock, user: int, message_id: int, text: str) -> DraftPreview:
    reply = await services.status.receive_dm(user, message_id, text, clock.now())
    assert isinstance(reply, DraftPreview), reply
    return reply


# -- writing ---------------------------------------------------------------------------------------------


async def test_write_and_edit_keep_every_version(services: Services, world: World, meeting: Meeting, clock, db):
    first = await services.status.write(GUILD, meeting.id, world.lpp, ALICE, "  Mye aktivitet i høst.  ")
    assert first.changed and first.previous is None
    assert (first.version.version, first.version.text, first.version.author_role) == (
        1,
        "Mye aktivitet i høst.",
        Author.REPRESENTATIVE,
    )
    clock.advance(timedelta(hours=1))
    second = await services.status.write(GUILD, meeting.id, world.lpp, ALICE, "Mye aktivitet i høst.\nNytt styre.")
    assert second.version.version == 2 and second.previous == first.version
    same = await services.status.write(GUILD, meeting.id, world.lpp, ALICE, "Mye aktivitet i høst.\nNytt styre.")
    assert not same.changed and same.version == second.version
    history = await services.status.history(GUILD, meeting.id, world.lpp)
    assert [v.text for v in history] == ["Mye aktivitet i høst.", "Mye aktivitet i høst.\nNytt styre."]
    assert await services.status.orgs_with_status(GUILD, meeting.id) == {world.lpp}
    shown = await services.status.show(GUILD, ALICE)
    entry = shown.entries[0]
    assert entry.org.short == "LPP" and entry.current == second.version and entry.versions == 2
    assert entry.author is not None and entry.author.display_name == "Alice"


async def test_bad_text_is_refused_and_stores_nothing(services: Services, world: World, meeting: Meeting, db):
    for text, key in [(" \n ", "status.empty"), ("x" * 3001, "status.too_long")]:
        with pytest.raises(InvalidInput) as err:
            await services.status.write(GUILD, meeting.id, world.lpp, ALICE, text)
        assert err.value.message_key == key
    assert await count(db, "status_versions") == 0


async def test_configured_limit_applies(db, clock, world: World, meeting: Meeting):
    small = build_services(db, clock, Config(limits=LimitsConfig(status_max_chars=20)))
    with pytest.raises(InvalidInput) as err:
        await small.status.write(GUILD, meeting.id, world.lpp, ALICE, "x" * 21)
    assert err.value.params == {"limit": 20, "length": 21}


async def test_secretary_submits_on_an_organisations_behalf_with_a_source(
    services: Services, world: World, meeting: Meeting
):
    result = await services.status.submit_for(
        GUILD, "rio", "Fra Marius på e-post: fullt trykk.", secretary_id=SECRETARY
    )
    assert result.slot.org.short == "RIO"
    version = result.version
    assert (version.author_role, version.author_id, version.source, version.via) == (
        Author.SECRETARY,
        SECRETARY,
        "mottatt på e-post",
        Via.COMMAND,
    )
    other = await services.status.submit_for(
        GUILD, "MH", "Referert på telefon.", secretary_id=SECRETARY, source="telefon"
    )
    assert other.version.source == "telefon"
    for_minutes = await services.status.statuses_for_minutes(GUILD, meeting.id)
    assert [(s.org_id, s.source) for s in for_minutes] == [(world.rio, "mottatt på e-post"), (world.mh, "telefon")]
    with pytest.raises(NotFound):
        await services.status.submit_for(GUILD, "NOPE", "tekst", secretary_id=SECRETARY)


async def test_english_council_default_source(services: Services, meeting: Meeting):
    await make_world(services, OTHER_GUILD, "en")
    await services.meetings.create(OTHER_GUILD, SECRETARY, MeetingFields(when=WHEN))
    await services.meetings.open(OTHER_GUILD)
    result = await services.status.submit_for(OTHER_GUILD, "LPP", "News by e-mail.", secretary_id=SECRETARY)
    assert result.version.source == "received by e-mail"


async def test_deputy_writes_only_while_attending(services: Services, world: World, meeting: Meeting):
    with pytest.raises(NotAllowed) as err:
        await services.status.write(GUILD, meeting.id, world.lpp, BOB, "Vara skriver")
    assert err.value.message_key == "status.deputy_not_attending"
    await services.rsvp.answer(GUILD, ALICE, "no")  # Bob is called up
    written = await services.status.write(GUILD, meeting.id, world.lpp, BOB, "Vara skriver")
    assert written.version.author_role is Author.DEPUTY
    # The representative who cannot attend may still send a written status.
    assert (await services.status.write(GUILD, meeting.id, world.lpp, ALICE, "Skriftlig")).changed
    await services.rsvp.answer(GUILD, BOB, "no")  # Bob cannot either
    with pytest.raises(NotAllowed):
        await services.status.write(GUILD, meeting.id, world.lpp, BOB, "Likevel")
    with pytest.raises(NotAllowed) as err:
        await services.status.write(GUILD, meeting.id, world.lpp, CARL, "Feil organisasjon")
    assert err.value.message_key == "status.not_for_org"


async def test_write_targets_and_form_from_a_dm_button(services: Services, world: World, meeting: Meeting):
    targets = await services.status.targets(GUILD, ALICE)
    assert [(t.slot.org.short, t.role, t.current) for t in targets] == [("LPP", Author.REPRESENTATIVE, None)]
    await services.status.write(GUILD, meeting.id, world.lpp, ALICE, "Første")
    target = await services.status.form_target(meeting.id, world.lpp, ALICE)
    assert target.current is not None and target.current.text == "Første"
    result = await services.status.write_form(meeting.id, world.lpp, ALICE, "Andre")
    assert result.version.version == 2
    with pytest.raises(NotAllowed):
        await services.status.form_target(meeting.id, world.lpp, BOB)
    with pytest.raises(NotAllowed) as err:
        await services.status.targets(GUILD, STRANGER)
    assert err.value.message_key == "status.not_member"


async def test_editing_after_publication_is_refused(services: Services, world: World, meeting: Meeting, clock, msg):
    await services.status.write(GUILD, meeting.id, world.lpp, ALICE, "Før publisering")
    pending = await dm(services, clock, ALICE, msg(), "Et utkast som ikke rekker fram")
    clock.set(meeting.end_at + timedelta(hours=1))
    published = await services.minutes.publish(GUILD, Person(SECRETARY, "Sekretær"), meeting.number)
    assert "Før publisering" in published.stored.markdown
    with pytest.raises(Conflict) as err:
        await services.status.write(GUILD, meeting.id, world.lpp, ALICE, "Etter publisering")
    assert err.value.message_key == "status.published"
    with pytest.raises(Conflict):
        await services.status.submit_for(GUILD, "LPP", "Etter", secretary_id=SECRETARY, number=meeting.number)
    with pytest.raises(Conflict):
        await services.status.resolve_draft(pending.draft.id, ALICE, "replace")
    with pytest.raises(Conflict):
        await services.status.form_target(meeting.id, world.lpp, ALICE)
    assert [v.text for v in await services.status.history(GUILD, meeting.id, world.lpp)] == ["Før publisering"]
    shown = await services.status.show(GUILD, ALICE, meeting.number)
    assert shown.published and shown.entries[0].current is not None


async def test_cancelled_meeting_takes_no_status(services: Services, world: World, meeting: Meeting):
    await services.meetings.cancel(GUILD, meeting.number)
    with pytest.raises(Conflict) as err:
        await services.status.write(GUILD, meeting.id, world.lpp, ALICE, "Tekst")
    assert err.value.message_key == "status.meeting_cancelled"
    assert await services.status.collecting_meetings(GUILD) == []


async def test_collecting_meetings(services: Services, world: World, clock):
    planned = await services.meetings.create(GUILD, SECRETARY, MeetingFields(when=WHEN))
    assert await services.status.collecting_meetings(GUILD) == []
    with pytest.raises(NotFound) as err:
        await services.status.targets(GUILD, ALICE)
    assert err.value.message_key == "status.no_meeting"
    await services.meetings.open(GUILD)
    assert [m.id for m in await services.status.collecting_meetings(GUILD)] == [planned.meeting.id]
    clock.set(planned.meeting.end_at + timedelta(minutes=5))  # the same day: news still counts
    assert len(await services.status.collecting_meetings(GUILD)) == 1
    clock.advance(timedelta(days=1))
    assert await services.status.collecting_meetings(GUILD) == []
    # Until the minutes are published, the meeting can still be written for by default.
    assert (await services.status.targets(GUILD, ALICE))[0].slot.meeting.id == planned.meeting.id


# -- DMs -------------------------------------------------------------------------------------------------


async def test_dm_from_a_stranger_stores_nothing_at_all(
    services: Services, world: World, meeting: Meeting, clock, db, msg
):
    reply = await services.status.receive_dm(STRANGER, msg(), "Hei, hva er dette?", clock.now())
    assert isinstance(reply, DmRefusal)
    assert (reply.key, reply.language) == ("status.dm_stranger", "nb")  # the one council's language
    for table in ("status_versions", "status_drafts"):
        assert await count(db, table) == 0
    assert await count(db, "dm_cursors", f"user_id = {STRANGER}") == 0


async def test_stranger_with_several_councils_gets_both_languages(services: Services, world: World, clock, msg):
    await make_world(services, OTHER_GUILD, "en")
    reply = await services.status.receive_dm(STRANGER, msg(), "Hello?", clock.now())
    assert isinstance(reply, DmRefusal) and reply.language is None


async def test_messages_in_a_row_join_one_draft(services: Services, world: World, meeting: Meeting, clock, db, msg):
    first = await dm(services, clock, ALICE, msg(), "Hei! Her er nytt fra LPP:")
    assert first.slot.org.short == "LPP" and first.slot.meeting.id == meeting.id and first.current is None
    clock.advance(timedelta(seconds=20))
    second = await dm(services, clock, ALICE, msg(), "Vi har hatt seminar om schizofreni.")
    assert second.draft.id == first.draft.id
    assert second.draft.text == "Hei! Her er nytt fra LPP:\nVi har hatt seminar om schizofreni."
    assert second.draft.messages == 2
    assert await count(db, "status_drafts") == 1
    assert await count(db, "status_versions") == 0  # nothing is saved before the member chooses


async def test_the_same_dm_is_taken_once(services: Services, world: World, meeting: Meeting, clock, db, msg):
    message_id = msg()
    await dm(services, clock, ALICE, message_id, "Nytt fra LPP")
    assert await services.status.receive_dm(ALICE, message_id, "Nytt fra LPP", clock.now()) is None
    older = message_id - 5  # read back after downtime, but older than what was taken
    assert await services.status.receive_dm(ALICE, older, "gammel", clock.now()) is None
    draft = (await services.status.pending_drafts(GUILD, meeting.id))[0]
    assert (draft.messages, draft.text) == (1, "Nytt fra LPP")
    assert await services.status.dm_cursor(ALICE) == message_id


async def test_keep_replace_append(services: Services, world: World, meeting: Meeting, clock, msg):
    preview = await dm(services, clock, ALICE, msg(), "Første status")
    saved = await services.status.resolve_draft(preview.draft.id, ALICE, "replace")
    assert saved.saved and saved.version is not None and saved.version.text == "Første status"
    assert saved.version.via is Via.DM and saved.draft.state is DraftState.REPLACED

    preview = await dm(services, clock, ALICE, msg(), "Et tillegg")
    assert preview.current is not None and preview.current.text == "Første status"
    appended = await services.status.resolve_draft(preview.draft.id, ALICE, "append")
    assert appended.version is not None and appended.version.text == "Første status\n\nEt tillegg"

    preview = await dm(services, clock, ALICE, msg(), "Skrevet ved en feil")
    kept = await services.status.resolve_draft(preview.draft.id, ALICE, "keep")
    assert not kept.saved and kept.draft.state is DraftState.KEPT
    assert kept.version is not None and kept.version.version == 2

    preview = await dm(services, clock, ALICE, msg(), "Helt ny tekst")
    replaced = await services.status.resolve_draft(preview.draft.id, ALICE, "replace")
    assert replaced.version is not None and replaced.version.text == "Helt ny tekst"
    assert [v.version for v in await services.status.history(GUILD, meeting.id, world.lpp)] == [1, 2, 3]
    assert await services.status.pending_drafts(GUILD, meeting.id) == []


async def test_keeping_a_first_draft_saves_nothing(services: Services, world: World, meeting: Meeting, clock, db, msg):
    preview = await dm(services, clock, ALICE, msg(), "Hei, jeg kommer litt senere")
    result = await services.status.resolve_draft(preview.draft.id, ALICE, "keep")
    assert result.version is None and not result.saved
    assert await count(db, "status_versions") == 0


async def test_a_draft_is_decided_once_and_only_by_its_author(
    services: Services, world: World, meeting, clock, db, msg
):
    preview = await dm(services, clock, ALICE, msg(), "Status")
    with pytest.raises(NotAllowed) as err:
        await services.status.resolve_draft(preview.draft.id, CARL, "replace")
    assert err.value.message_key == "status.draft_not_yours"
    await services.status.resolve_draft(preview.draft.id, ALICE, "replace")
    with pytest.raises(Conflict) as err:
        await services.status.resolve_draft(preview.draft.id, ALICE, "append")
    assert err.value.message_key == "status.draft_already_resolved"
    with pytest.raises(NotFound):
        await services.status.resolve_draft(999_999, ALICE, "keep")
    with pytest.raises(InvalidInput):
        await services.status.resolve_draft(preview.draft.id, ALICE, "delete")
    assert await count(db, "status_versions") == 1


async def test_a_new_message_after_a_decision_starts_a_new_draft(services: Services, world, meeting, clock, msg):
    first = await dm(services, clock, ALICE, msg(), "En")
    await services.status.resolve_draft(first.draft.id, ALICE, "replace")
    second = await dm(services, clock, ALICE, msg(), "To")
    assert second.draft.id != first.draft.id and second.draft.messages == 1


async def test_too_long_dm_is_refused_the_draft_stays_and_it_is_not_answered_twice(
    db, clock, world: World, meeting: Meeting, msg
):
    small = build_services(db, clock, Config(limits=LimitsConfig(status_max_chars=30)))
    preview = await small.status.receive_dm(ALICE, msg(), "Tjue tegn med tekst.", clock.now())
    assert isinstance(preview, DraftPreview)
    message_id = msg()
    refusal = await small.status.receive_dm(ALICE, message_id, "Enda tjue tegn tekst.", clock.now())
    assert isinstance(refusal, DmRefusal) and refusal.key == "status.draft_too_long"
    assert refusal.params == {"limit": 30, "length": 42}
    assert await small.status.receive_dm(ALICE, message_id, "Enda tjue tegn tekst.", clock.now()) is None
    draft = await small.status.pending_drafts(GUILD, meeting.id)
    assert [d.text for d in draft] == ["Tjue tegn med tekst."]
    # Appending to a stored status past the limit is refused too, and the draft stays pending.
    await small.status.write(GUILD, meeting.id, world.lpp, ALICE, "Lagret status på tjue")
    with pytest.raises(InvalidInput) as err:
        await small.status.resolve_draft(preview.draft.id, ALICE, "append")
    assert err.value.message_key == "status.append_too_long"
    assert (await small.status.pending_drafts(GUILD, meeting.id))[0].id == preview.draft.id


async def test_dm_from_a_deputy_who_does_not_attend(services: Services, world: World, meeting: Meeting, clock, db, msg):
    reply = await services.status.receive_dm(BOB, msg(), "Nytt fra vara", clock.now())
    assert isinstance(reply, DmRefusal) and reply.key == "status.dm_deputy_not_attending"
    assert reply.params["org"] == "LPP"
    assert await count(db, "status_drafts") == 0
    await services.rsvp.answer(GUILD, ALICE, "no")
    preview = await dm(services, clock, BOB, msg(), "Nytt fra vara")
    assert preview.draft.author_role is Author.DEPUTY


async def test_dm_when_no_meeting_collects(services: Services, world: World, clock, db, msg):
    reply = await services.status.receive_dm(ALICE, msg(), "Status", clock.now())
    assert isinstance(reply, DmRefusal) and (reply.key, reply.language) == ("status.dm_no_meeting", "nb")
    assert await count(db, "status_drafts") == 0


async def test_dm_is_matched_to_the_server_where_the_member_sits(services: Services, world: World, clock, msg):
    # Alice sits for LPP in both servers; only the other server has a meeting collecting statuses.
    other = await make_world(services, OTHER_GUILD, "en")
    await services.meetings.create(OTHER_GUILD, SECRETARY, MeetingFields(when=WHEN))
    opened = (await services.meetings.open(OTHER_GUILD)).details.meeting
    preview = await dm(services, clock, ALICE, msg(), "News")
    assert (preview.slot.council.guild_id, preview.slot.meeting.id, preview.slot.org.id) == (
        OTHER_GUILD,
        opened.id,
        other.lpp,
    )
    assert preview.slot.council.language == "en"


async def test_dm_picks_the_earliest_meeting_and_names_the_others(services: Services, world: World, clock, msg):
    other = await make_world(services, OTHER_GUILD)
    await services.meetings.create(OTHER_GUILD, SECRETARY, MeetingFields(when="1. desember 2026 kl 10-13"))
    await services.meetings.open(OTHER_GUILD)
    await services.meetings.create(GUILD, SECRETARY, MeetingFields(when=WHEN))
    await services.meetings.open(GUILD)
    preview = await dm(services, clock, ALICE, msg(), "Nytt")
    assert (preview.slot.council.guild_id, preview.slot.org.id) == (OTHER_GUILD, other.lpp)
    assert [(o.slot.council.guild_id, o.slot.org.short) for o in preview.others] == [(GUILD, "LPP")]


# -- isolation -------------------------------------------------------------------------------------------


async def test_servers_never_see_each_others_statuses(services: Services, world: World, meeting: Meeting, clock, msg):
    other = await make_world(services, OTHER_GUILD)
    await services.meetings.create(OTHER_GUILD, SECRETARY, MeetingFields(when=WHEN))
    other_meeting = (await services.meetings.open(OTHER_GUILD)).details.meeting
    await services.status.write(GUILD, meeting.id, world.lpp, ALICE, "Bare i første server")
    assert await services.status.orgs_with_status(OTHER_GUILD, other_meeting.id) == set()
    assert await services.status.statuses(OTHER_GUILD, meeting.id) == []
    assert await services.status.history(OTHER_GUILD, meeting.id, world.lpp) == []
    with pytest.raises(NotFound):  # another server's meeting id
        await services.status.write(OTHER_GUILD, meeting.id, other.lpp, ALICE, "Feil")
    with pytest.raises(NotFound):  # another server's organisation id
        await services.status.write(OTHER_GUILD, other_meeting.id, world.lpp, ALICE, "Feil")
    shown = await services.status.show(OTHER_GUILD, ALICE)
    assert shown.entries[0].current is None


# -- prompts ---------------------------------------------------------------------------------------------


async def dms(db: Database) -> list[tuple[str, int, int]]:
    rows = await db.fetchall("SELECT purpose, org_id, target_id FROM outbox WHERE target_kind = 'user' ORDER BY id")
    return [(str(r[0]), int(r[1]), int(r[2])) for r in rows]


async def test_opening_a_meeting_sends_one_dm_per_person_asking_for_the_answer_and_the_status(
    services: Services, world: World, meeting: Meeting, db
):
    assert await dms(db) == [
        ("invitation", world.lpp, ALICE),
        ("invitation", world.rio, CARL),
        ("invitation", world.mh, DAVE),
    ]
    row = next(r for r in await services.outbox.for_meeting(GUILD, meeting.id) if r.item.target_id == ALICE)
    assert [b.custom_id for b in row.item.message.buttons][-1] == f"council:status:write:{meeting.id}:{world.lpp}"
    # Replies from everyone in the invitations are read back after downtime from the time of the call.
    assert {user for user, _ in await services.status.dm_cursors()} == {ALICE, BOB, CARL, DAVE, ERIN}


async def test_tracking_replies_is_idempotent_and_a_call_up_asks_for_the_status_itself(
    services: Services, world: World, meeting: Meeting, db
):
    assert await services.status.track_replies(GUILD, meeting.id) == 0
    assert await services.status.track_all_replies() == 0
    await services.rsvp.answer(GUILD, DAVE, "no")  # Erin stands in for MH
    assert await services.status.track_all_replies() == 0
    call_up = next(r for r in await services.outbox.for_meeting(GUILD, meeting.id) if r.item.purpose.value == "call_up")
    assert call_up.item.target_id == ERIN
    assert [b.custom_id for b in call_up.item.message.buttons][-1] == f"council:status:write:{meeting.id}:{world.mh}"
    assert [p for p, _o, _u in await dms(db)] == ["invitation"] * 3 + ["call_up"]  # no separate prompt


async def test_replies_are_not_tracked_for_unopened_or_started_meetings(services: Services, world: World, clock, db):
    created = await services.meetings.create(GUILD, SECRETARY, MeetingFields(when=WHEN))
    assert await services.status.track_replies(GUILD, created.meeting.id) == 0
    assert await services.status.dm_cursors() == []
    await services.meetings.open(GUILD)
    await db.execute("DELETE FROM dm_cursors")
    clock.set(created.meeting.start_at + timedelta(minutes=1))
    assert await services.status.track_replies(GUILD, created.meeting.id) == 0
    assert await services.status.dm_cursors() == []


async def test_status_reminders_skip_organisations_that_sent_theirs(services: Services, world: World, meeting: Meeting):
    await services.status.write(GUILD, meeting.id, world.lpp, ALICE, "Sendt")
    result = await services.reminders.remind_now(meeting)
    assert result.status == 2  # RIO and MH
    board = await services.meetings.dashboard(GUILD)
    assert board.status_tracked and {r.org.short for r in board.rows if r.has_status} == {"LPP"}
