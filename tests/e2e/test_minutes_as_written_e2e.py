"""Minutes as the secretary writes them, through the real bot: the edit form with a long numbered report,
guests, a named substitute, an answer recorded by the secretary (the deputy is called up), and the next
meeting from the seeds' phrasing, created once."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from docx import Document

from bot.demo import HOST_REPORT
from bot.i18n import t
from bot.sandbox import Message, User
from bot.sandbox.harness import Council, Harness
from tests.messages import contains_message, is_message


@pytest.fixture
async def people(harness: Harness, council: Council) -> dict[str, User]:
    names = {"rep_lpp": "Åse", "dep_lpp": "Bjørn", "rep_rio": "Carl", "rep_psy": "Dina"}
    people = {key: await harness.person(council, name) for key, name in names.items()}
    for short, name in [("LPP", "Landsforeningen for pasienter og pårørende"), ("RIO", "RIO"),
                        ("Psykologforeningen", "Norsk psykologforening")]:  # fmt: skip
        await harness.run(council.secretary, council, "org add", name=name, short=short)
    for org, role, key in [("LPP", "representative", "rep_lpp"), ("LPP", "deputy", "dep_lpp"),
                           ("RIO", "representative", "rep_rio"),
                           ("Psykologforeningen", "representative", "rep_psy")]:  # fmt: skip
        await harness.run(council.secretary, council, "member assign", org=org, role=role, user=people[key])
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    await harness.run(council.secretary, council, "agenda add", title="Nytt fra Nasjonal kompetansetjeneste ROP")
    await harness.run(council.secretary, council, "meeting open")
    return people


def posted(harness: Harness, council: Council, needle: str) -> list[Message]:
    return [m for m in harness.server.messages_in(council.secretary_channel) if needle in m.content]


async def test_long_numbered_report_edited_in_the_form_is_a_list_everywhere(
    harness: Harness, council: Council, people, clock
):
    await harness.run(council.secretary, council, "minutes note", item=2, text="1) Opplæringsprogram med skrivefeil")
    opened = await harness.server.invoke(council.secretary, "minutes edit", {"item": 2}, guild=council.guild)
    await opened.wait_response()
    assert opened.modal is not None
    [field] = opened.modal.fields
    assert field.value == "1) Opplæringsprogram med skrivefeil"  # the form opens with the notes as they stand
    assert field.max_length == 4000
    assert len(HOST_REPORT) > 3500
    saved = await harness.server.submit_modal(council.secretary, opened, {field.custom_id: HOST_REPORT})
    await saved.wait_done()
    assert "lagret" in saved.content and saved.ephemeral
    # The form opens again with the report; an edit keeps the old version, the minutes show the new one.
    again = await harness.server.invoke(council.secretary, "minutes edit", {"item": 2}, guild=council.guild)
    await again.wait_response()
    assert again.modal is not None and again.modal.fields[0].value == HOST_REPORT
    [_, spare] = again.modal.fields  # nearly full: a second field says where to continue
    assert spare.value == "" and "Fortsett her" in spare.label
    bot = harness.bot
    assert bot is not None
    history = await bot.db.fetchall("SELECT text, replaced_by FROM minutes_notes ORDER BY id")
    assert [(r[0][:20], r[1]) for r in history] == [
        ("1) Opplæringsprogram", council.secretary.id),
        (HOST_REPORT[:20], None),
    ]

    drafted = await harness.run(council.secretary, council, "minutes draft")
    assert "Utkast 1" in drafted.content
    await harness.outbox_drained()
    discord_text = "\n".join(m.content for m in harness.server.messages_in(council.secretary_channel))
    assert all(len(m.content) <= 2000 for m in harness.server.messages_in(council.secretary_channel))
    for n, start in enumerate(["Opplæringsprogram", "Fidelityvurderinger", "Regionale nettverk"], start=1):
        assert re.search(rf"^{n}\. {start}", discord_text, re.MULTILINE), start
    assert "   - 540 personer har deltatt" in discord_text
    assert "### Brukerspesialister i teamene" in discord_text
    assert "\\1" not in discord_text and "\\2" not in discord_text

    exported = await harness.run(council.secretary, council, "minutes export", format="md")
    [md_file] = exported.attachments
    md = md_file.data.decode()
    assert re.search(r"^1\. Opplæringsprogram", md, re.MULTILINE)
    assert re.search(r"^6\. Oppdrag fra helsemyndighetene", md, re.MULTILINE)
    assert not re.search(r"\\\d", md)
    assert "<https://rop.no/aktuelt/lanseringswebinar-for-nye-fact-filmer/>" in md

    exported = await harness.run(council.secretary, council, "minutes export", format="docx")
    [docx_file] = exported.attachments
    word = Document(io.BytesIO(docx_file.data))
    numbered = [p.text for p in word.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == 6
    assert numbered[0].startswith("Opplæringsprogram")
    assert numbered[5].startswith("Oppdrag fra helsemyndighetene")


async def test_edit_form_clears_notes_and_a_member_cannot_open_it(harness: Harness, council: Council, people):
    await harness.run(council.secretary, council, "minutes note", item=2, text="Feil notat")
    refused = await harness.run(people["rep_rio"], council, "minutes edit", item=2)
    assert refused.modal is None and refused.content == t("nb", "errors.not_secretary")
    opened = await harness.server.invoke(council.secretary, "minutes edit", {"item": 2}, guild=council.guild)
    await opened.wait_response()
    assert opened.modal is not None
    cleared = await harness.server.submit_modal(council.secretary, opened, {opened.modal.fields[0].custom_id: ""})
    await cleared.wait_done()
    assert is_message(cleared.content, "minutes.edit_cleared", position=2)
    missing = await harness.run(council.secretary, council, "minutes edit", item=9)
    assert missing.modal is None and is_message(missing.content, "minutes.item_not_found", position=9)


async def test_guests_and_substitute_appear_under_deltakere(harness: Harness, council: Council, people, clock):
    added = await harness.run(
        council.secretary, council, "meeting guest add", name="Kari Nysveen", affiliation="opplæringsansvarlig NKROP"
    )
    assert contains_message(added.content, "meetings.guest_added", name="Kari Nysveen (opplæringsansvarlig NKROP)")
    await harness.run(council.secretary, council, "meeting guest add", name="Knut Boe Kielland")
    choices = await harness.server.autocomplete(
        council.secretary, "meeting guest remove", "name", {"name": "knut"}, guild=council.guild
    )
    assert [c["value"] for c in choices] == ["Knut Boe Kielland"]
    removed = await harness.run(council.secretary, council, "meeting guest remove", name="Knut Boe Kielland")
    assert "fjernet" in removed.content
    gone = await harness.run(council.secretary, council, "meeting guest remove", name="Knut Boe Kielland")
    assert is_message(gone.content, "meetings.guest_not_found", name="Knut Boe Kielland")
    leads = await harness.server.autocomplete(
        council.secretary, "agenda edit", "lead", {"item": 2, "lead": "Kari"}, guild=council.guild
    )
    assert [c["value"] for c in leads] == ["Kari Nysveen"]
    await harness.run(council.secretary, council, "agenda edit", item=2, lead="Kari Nysveen")

    clock.set(datetime(2026, 12, 2, 12, 30, tzinfo=UTC))
    recorded = await harness.run(
        council.secretary, council, "meeting attendance", org="Psykologforeningen", present=True,
        substitute="Ingunn Solheim",
    )  # fmt: skip
    assert "Ingunn Solheim (stedfortreder)" in recorded.content
    exported = await harness.run(council.secretary, council, "minutes export", format="md")
    md = exported.attachments[0].data.decode()
    deltakere = md.split("## Deltakere")[1].split("## Forfall")[0]
    assert "- Norsk psykologforening (Psykologforeningen) – Ingunn Solheim (stedfortreder)" in deltakere
    assert "**Også til stede:**" in deltakere
    assert "- Kari Nysveen (opplæringsansvarlig NKROP)" in deltakere
    assert "Knut Boe Kielland" not in md
    assert "*Ledes av Kari Nysveen (opplæringsansvarlig NKROP)*" in md


async def test_secretary_records_no_by_email_and_the_deputy_is_called_up(harness: Harness, council: Council, people):
    deputy = people["dep_lpp"]
    assert not [m for m in harness.server.dms_to(deputy) if any("council:rsvp:" in c for c in m.custom_ids())]
    recorded = await harness.run(
        council.secretary, council, "meeting rsvp", org="LPP", answer="no", note="meldt på e-post"
    )
    assert "Registrert for **LPP** (representant)" in recorded.content
    assert "Bjørn er kalt inn" in recorded.content
    await harness.wait_dms(deputy, 1)
    [callup] = [m for m in harness.server.dms_to(deputy) if any("council:rsvp:" in c for c in m.custom_ids())]
    assert "vara" in callup.content.lower()
    # The deputy answers with the button as usual.
    custom_id = next(c for c in callup.custom_ids() if c.endswith(":yes"))
    click = await harness.server.click(deputy, callup, custom_id)
    await click.wait_done()
    board = await harness.run(council.secretary, council, "meeting dashboard")
    [lpp] = [line for line in board.content.split("\n") if "**LPP**" in line]
    assert "🔁" in lpp
    assert "(registrert av Sekretær)" in lpp
    # Refusals: an unknown organisation, and a member trying it.
    unknown = await harness.run(council.secretary, council, "meeting rsvp", org="NOPE", answer="yes")
    assert unknown.content == t("nb", "roster.org_not_found", short="NOPE")
    member = await harness.run(people["rep_rio"], council, "meeting rsvp", org="LPP", answer="yes")
    assert member.content == t("nb", "errors.not_secretary")


async def test_next_meeting_from_the_seeds_phrasing_is_created_and_updated(
    harness: Harness, council: Council, people, clock
):
    clock.set(datetime(2026, 12, 2, 12, 30, tzinfo=UTC))
    first = await harness.run(
        council.secretary, council, "meeting next",
        when="onsdag 2.juni 2027 klokka 10-15 – møtested kommer, vi håper det kan gjennomføres fysisk",
    )  # fmt: skip
    assert "onsdag 2. juni 2027 kl. 10.00–15.00" in first.content
    assert "Merknad: møtested kommer, vi håper det kan gjennomføres fysisk" in first.content
    assert "Møte 2 er opprettet" in first.content
    listed = await harness.run(council.secretary, council, "meeting list")
    assert "2. juni 2027" in listed.content
    second = await harness.run(
        council.secretary, council, "meeting next",
        when="5.desember 2027 på Sagatun Brukerstyrt senter – Hamar", note="møtested bekreftes",
    )  # fmt: skip
    assert "Møte 2 er oppdatert" in second.content
    assert "Sted: Sagatun Brukerstyrt senter – Hamar" in second.content
    shown = await harness.run(council.secretary, council, "agenda show", meeting=2)
    assert "Sagatun Brukerstyrt senter – Hamar" in shown.content
    assert "Hva skjer i organisasjonene?" in shown.content and "Eventuelt" in shown.content
    none_more = await harness.run(council.secretary, council, "agenda show", meeting=3)
    assert "3" in none_more.content and "Sagatun" not in none_more.content
    exported = await harness.run(council.secretary, council, "minutes export", format="md", meeting=1)
    md = exported.attachments[0].data.decode()
    neste = md.split("## Neste møte")[1]
    assert "**Tid:** søndag 5. desember 2027" in neste
    assert "**Sted:** Sagatun Brukerstyrt senter – Hamar" in neste
    assert "møtested bekreftes" in neste
    past = await harness.run(council.secretary, council, "meeting next", when="5.desember 2018 på Sagatun")
    assert "har allerede vært" in past.content


async def test_notes_longer_than_one_field_are_edited_in_parts(harness: Harness, council: Council, people):
    first = "1) Første del. " + "ord " * 870
    second = "Andre del. " + "mer " * 870
    for text in (first, second):
        await harness.run(council.secretary, council, "minutes note", item=2, text=text.strip())
    opened = await harness.server.invoke(council.secretary, "minutes edit", {"item": 2}, guild=council.guild)
    await opened.wait_response()
    assert opened.modal is not None
    part1, part2, spare = opened.modal.fields
    assert "del 1 av 2" in part1.label and "del 2 av 2" in part2.label and "Fortsett her" in spare.label
    assert part1.value == first.strip() and part2.value == second.strip()
    saved = await harness.server.submit_modal(
        council.secretary, opened, {part2.custom_id: "Andre del, kortet ned.", spare.custom_id: "- Et nytt punkt"}
    )
    await saved.wait_done()
    assert "lagret" in saved.content
    exported = await harness.run(council.secretary, council, "minutes export", format="md")
    md = exported.attachments[0].data.decode()
    assert "1. Første del." in md
    assert "Andre del, kortet ned.\n\n- Et nytt punkt" in md
    assert "mer mer" not in md
