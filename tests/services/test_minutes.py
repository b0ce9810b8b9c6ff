"""Minutes: compile, notes, drafts, publish once, addenda, copies to every seat holder."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from docx import Document

from bot.domain.meetings import Meeting, MeetingFields
from bot.domain.minutes import AbsenceReason
from bot.domain.roster import Role
from bot.errors import Conflict, InvalidInput, NotFound
from bot.runtime.wiring import Services
from bot.storage.db import Database
from tests.conftest import ALICE, BOB, CARL, DAVE, ERIN, SECRETARY, World, make_world
from tests.services.conftest import GUILD, OTHER_GUILD, SEC, open_meeting


@pytest.fixture
async def meeting(services: Services, world: World) -> Meeting:
    return await open_meeting(services, agenda=(("Nytt fra Nasjonal kompetansetjeneste ROP", "Kari Nysveen"),))


async def rows(db: Database, purpose: str) -> list[tuple[str, int]]:
    found = await db.fetchall("SELECT dedupe_key, target_id FROM outbox WHERE purpose = ? ORDER BY id", (purpose,))
    return [(r[0], r[1]) for r in found]


async def test_compile_attendance_deputy_forfall_and_written_status(
    services: Services, world: World, meeting: Meeting, clock
):
    await services.rsvp.answer_button(meeting.id, world.lpp, ALICE, "no")  # deputy called up
    await services.rsvp.answer_button(meeting.id, world.lpp, BOB, "yes")
    await services.rsvp.answer_button(meeting.id, world.rio, CARL, "no")  # no deputy -> Forfall
    await services.status.submit_for(
        GUILD, "RIO", "Skriftlig fra RIO.", secretary_id=SECRETARY, source="mottatt på e-post"
    )
    await services.status.write(GUILD, meeting.id, world.lpp, BOB, "LPP har hatt dagsseminar.")
    doc = await services.minutes.compile(GUILD, None, secretary_id=None, draft=True, version=1)
    assert [(p.org_short, p.person_name, p.is_deputy) for p in doc.participants] == [("LPP", "Bob", True)]
    assert [(a.org_short, a.reason) for a in doc.absences] == [
        ("RIO", AbsenceReason.APOLOGY),
        ("MH", AbsenceReason.NO_ANSWER),
    ]
    status_round = doc.agenda[0]
    assert [(s.org_short, s.written) for s in status_round.statuses] == [("LPP", False), ("RIO", True)]
    assert status_round.statuses[1].source == "mottatt på e-post"
    assert [e.title for e in doc.agenda][1] == "Nytt fra Nasjonal kompetansetjeneste ROP"
    assert doc.agenda[-1].kind == "any_other_business"


async def test_recorded_attendance_overrides_rsvp(services: Services, world: World, meeting: Meeting, clock):
    await services.rsvp.answer_button(meeting.id, world.mh, DAVE, "yes")
    clock.set(meeting.start_at + timedelta(minutes=5))
    await services.meetings.record_attendance(GUILD, "MH", False, SECRETARY)
    await services.meetings.record_attendance(GUILD, "RIO", True, SECRETARY)
    doc = await services.minutes.compile(GUILD, None, secretary_id=None, draft=True)
    assert [(p.org_short, p.person_name) for p in doc.participants] == [("RIO", "Carl")]
    assert ("MH", AbsenceReason.APOLOGY) in [(a.org_short, a.reason) for a in doc.absences]


async def test_notes_drafts_publish_once_and_amend(services: Services, world: World, meeting: Meeting, clock, db):
    with pytest.raises(Conflict):  # not started yet
        await services.minutes.publish(GUILD, SEC)
    await services.minutes.add_note(GUILD, 2, "ACT og FACT: 165 deltakere.", SECRETARY)
    with pytest.raises(NotFound):
        await services.minutes.add_note(GUILD, 9, "finnes ikke", SECRETARY)
    with pytest.raises(InvalidInput):
        await services.minutes.add_note(GUILD, 2, "   ", SECRETARY)
    with pytest.raises(InvalidInput):
        await services.minutes.add_note(GUILD, 2, "x" * 4001, SECRETARY)
    first = await services.minutes.draft(GUILD, SEC)
    second = await services.minutes.draft(GUILD, SEC)
    assert (first.stored.version, second.stored.version) == (1, 2)
    assert "UTKAST (versjon 2)" in second.stored.markdown
    assert "ACT og FACT: 165 deltakere." in second.stored.markdown
    drafts = await db.fetchall("SELECT dedupe_key, target_id FROM outbox WHERE dedupe_key LIKE 'minutes:%:draft:%'")
    assert len(drafts) == 2
    assert {r[1] for r in drafts} == {1002}  # the secretary channel

    clock.set(meeting.end_at + timedelta(hours=1))
    published = await services.minutes.publish(GUILD, SEC)
    assert published.copies == 5  # ALICE, BOB, CARL, DAVE, ERIN
    assert "UTKAST" not in published.stored.markdown
    assert "Hilde Austeng" in published.stored.markdown
    copies = await rows(db, "minutes_copy")
    assert sorted(t for _, t in copies) == sorted([ALICE, BOB, CARL, DAVE, ERIN])
    with pytest.raises(Conflict):
        await services.minutes.publish(GUILD, SEC)
    assert len(await rows(db, "minutes_copy")) == 5  # never twice
    with pytest.raises(Conflict):
        await services.minutes.add_note(GUILD, 2, "for sent", SECRETARY)

    clock.advance(timedelta(days=7))
    amended = await services.minutes.amend(GUILD, "Ny leder ved NKROP er Bjørn Stensrud.", SEC)
    assert amended.copies == 5
    assert "## Tillegg til referatet" in amended.stored.markdown
    assert len(await rows(db, "minutes_copy")) == 10
    name, data = await services.minutes.export(GUILD, "docx")
    assert name == "referat-2026-12-02.docx"
    word = Document(io.BytesIO(data))
    assert any("Bjørn Stensrud" in p.text for p in word.paragraphs)
    name, md = await services.minutes.export(GUILD, "md")
    assert md.decode().startswith("# Møtereferat – Ekspertråd NKROP")
    # The outbox attachment reference resolves to the stored file.
    fname, blob = await services.minutes.attachment(GUILD, f"{amended.stored.id}:docx")
    assert blob == amended.stored.docx and fname.endswith(".docx")


async def test_amend_before_publish_and_cancelled(services: Services, world: World, meeting: Meeting):
    with pytest.raises(Conflict):
        await services.minutes.amend(GUILD, "tillegg", SEC)
    await services.meetings.cancel(GUILD, None, "Sykdom")
    with pytest.raises(Conflict):
        await services.minutes.draft(GUILD, SEC, meeting.number)


async def test_new_members_since_previous_meeting(services: Services, world: World, meeting: Meeting, clock):
    clock.set(meeting.end_at + timedelta(days=1))
    await services.roster.assign(GUILD, "RIO", Role.DEPUTY, 300_000_000_000_000_099, "Nina Ny")
    await services.meetings.create(GUILD, SECRETARY, MeetingFields(when="2. juni 2027 kl 10-15"))
    doc = await services.minutes.compile(GUILD, 2, secretary_id=None, draft=True)
    assert [(m.person_name, m.org_short, m.role) for m in doc.new_members] == [("Nina Ny", "RIO", "deputy")]
    first = await services.minutes.compile(GUILD, 1, secretary_id=None, draft=True)
    assert first.new_members == ()


async def test_guild_isolation(services: Services, world: World, meeting: Meeting):
    await make_world(services, OTHER_GUILD)
    with pytest.raises(NotFound):
        await services.minutes.draft(OTHER_GUILD, SEC)
    stored = await services.minutes.draft(GUILD, SEC)
    with pytest.raises(NotFound):
        await services.minutes.attachment(OTHER_GUILD, f"{stored.stored.id}:md")


async def test_offline_render_cli(services: Services, world: World, meeting: Meeting, db: Database, tmp_path, capsys):
    import asyncio

    from bot.cli import main as cli

    async def main(argv: list[str]) -> int:  # the CLI runs its own event loop: give it a thread
        return await asyncio.to_thread(cli, argv)

    config = tmp_path / "config.toml"
    config.write_text(f"[database]\npath = '{db.path}'\n", encoding="utf-8")
    out = tmp_path / "ref.md"
    args = ["minutes", "--config", str(config), "render", "--guild", str(GUILD), "--meeting", "1", "--out", str(out)]
    assert await main(args) == 0
    assert out.read_text(encoding="utf-8").startswith("> **UTKAST")
    assert await main([*args[:-2], "--format", "docx", "--out", str(tmp_path / "r.docx")]) == 0
    assert await main(["minutes", "--config", str(config), "render", "--guild", "5", "--meeting", "1"]) == 2
    assert "/council setup" in capsys.readouterr().err


async def test_rendering_runs_in_a_worker_thread_with_no_transaction_open(
    services: Services, world: World, meeting: Meeting, clock, db, monkeypatch
):
    """Draft, circulation, publish, amend and export: read, release, render (in a thread), write."""
    import threading

    import bot.services.minutes._archive as minutes_module

    seen: list[tuple[str, bool, bool]] = []
    loop_thread = threading.current_thread()
    real_render, real_export = minutes_module.compile_and_render, minutes_module.export_bytes

    def spy_render(*args):
        seen.append(("render", threading.current_thread() is loop_thread, db._lock.locked()))
        return real_render(*args)

    def spy_export(*args):
        seen.append(("export", threading.current_thread() is loop_thread, db._lock.locked()))
        return real_export(*args)

    monkeypatch.setattr(minutes_module, "compile_and_render", spy_render)
    monkeypatch.setattr(minutes_module, "export_bytes", spy_export)
    await services.minutes.draft(GUILD, SEC)
    clock.set(meeting.end_at + timedelta(hours=1))
    circulated = await services.approval.circulate(GUILD, SEC)
    assert circulated.version == 2
    await services.minutes.export(GUILD, "docx")
    await services.minutes.publish(GUILD, SEC)
    amended = await services.minutes.amend(GUILD, "Et tillegg.", SEC)
    # draft, circulate, export, publish, amend: each in a worker thread, none inside a transaction
    assert [step for step, _, _ in seen] == ["render", "render", "export", "render", "render"]
    assert all(not on_loop and not locked for _, on_loop, locked in seen)
    assert "Et tillegg." in amended.stored.markdown


async def test_concurrent_drafts_get_distinct_versions(services: Services, world: World, meeting: Meeting):
    import asyncio

    results = await asyncio.gather(*(services.minutes.draft(GUILD, SEC) for _ in range(2)))
    assert sorted(r.stored.version for r in results) == [1, 2]
    for result in results:
        assert f"UTKAST (versjon {result.stored.version})" in result.stored.markdown
