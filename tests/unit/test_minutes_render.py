"""Golden-file tests of the minutes, modelled on the council's minutes of 2 December 2020 (seed 000)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from docx import Document
from docx.shared import Cm, Pt

from bot.demo import HOST_REPORT
from bot.domain.meetings import AgendaKind
from bot.domain.minutes import (
    Absence,
    AbsenceReason,
    Addendum,
    AgendaEntry,
    Guest,
    MinutesDocument,
    NewMember,
    Participant,
    StatusParagraph,
)
from bot.domain.roster import Role
from bot.render import render_discord, render_docx, render_markdown

STATUSES = [
    StatusParagraph("Norsk Sykepleierforbund", "NSF", "Perioden mars–mai ble mye tonet ned. Åpnet igjen i løpet av "
                    "sommeren – alt er per nå åpent. Grupper på maks 8 personer, 3 grupper per dag."),
    StatusParagraph("RIO", "RIO", "Ingen avkortning i tilskudd, fått ekstra koronamidler. Ny paraplyorganisasjon: "
                    "Proventio. Stiller seg bak innspill om at ROP-pasienter bør prioriteres for vaksine."),
    StatusParagraph("Marborg", "Marborg", "Akkurat nå er det lite smitte. Reisebudsjettet er veldig redusert.\n\n"
                    "Kommunene sliter økonomisk og ser på om de kan kutte i tilskudd."),
    StatusParagraph("Barn av rusmisbrukere", "BAR", "Rapporten om samtaler med barn og ungdom har gitt mye pågang; "
                    "chatten er åpen hele jula.", written=True, source="mottatt på e-post"),
]  # fmt: skip


def seed_000(language: str = "nb", **changes) -> MinutesDocument:
    doc = MinutesDocument(
        language=language,
        council_name="Ekspertråd NKROP",
        title="Ekspertråd NKROP",
        start=datetime(2020, 12, 2, 9, 0, tzinfo=UTC),
        end=datetime(2020, 12, 2, 12, 0, tzinfo=UTC),
        tz="Europe/Oslo",
        place="Zoom",
        convened_by="Morten A. Brodahl – NKROP",
        participants=(
            Participant("Foreningen for human narkotikapolitikk", "FHN", "Kari Nordmann"),
            Participant("Landsforeningen for pasienter og pårørende", "LPP", "Åse Ødegård"),
            Participant("Norsk Sykepleierforbund", "NSF", "Siri Bråtane"),
            Participant("RIO", "RIO", "Rita Nilsen"),
            Participant("Marborg", "Marborg", "Anja Berg", is_deputy=True),
            Participant("Norsk psykologforening", "Psykologforeningen", "Ingunn Solheim", is_substitute=True),
        ),
        guests=(Guest("Kari Nysveen", "opplæringsansvarlig NKROP"), Guest("Hilde Austeng", "NKROP")),
        absences=(
            Absence("Fagforbundet", "FF", AbsenceReason.APOLOGY),
            Absence("Barn av rusmisbrukere", "BAR", AbsenceReason.APOLOGY),
            Absence("Mental Helse", "MH", AbsenceReason.NO_ANSWER),
        ),
        new_members=(NewMember("Anja Berg", "Marborg", Role.DEPUTY),),
        agenda=(
            AgendaEntry(1, "Hva skjer i organisasjonene – hvordan har pandemien påvirket arbeidet?",
                        AgendaKind.STATUS_ROUND, statuses=tuple(STATUSES)),
            AgendaEntry(2, "Nytt fra Nasjonal kompetansetjeneste ROP", AgendaKind.ITEM, lead="Kari Nysveen",
                        notes=(HOST_REPORT,)),
            AgendaEntry(3, "Eventuelt", AgendaKind.ANY_OTHER_BUSINESS,
                        notes=("Organisasjonene stiller seg bak innspill om at ROP-pasienter bør prioriteres "
                               "når covid-19-vaksinen fordeles.",)),
        ),
        next_meeting="onsdag 2. juni 2021 kl. 10.00–15.00",
        next_meeting_place="Sagatun Brukerstyrt senter – Hamar",
        next_meeting_note="møtested kommer, vi håper det kan gjennomføres fysisk",
        secretary_name="Hilde Austeng",
        signed_on=datetime(2020, 12, 8, 12, 0, tzinfo=UTC),
        addenda=(Addendum(datetime(2020, 12, 15, 12, 0, tzinfo=UTC),
                          "Ny leder ved NKROP er Bjørn Stensrud (enighet om at dette kunne tilføyes referatet)."),),
        is_draft=False,
    )  # fmt: skip
    return replace(doc, **changes)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_markdown_golden(language, golden):
    golden(f"seed000_{language}.md", render_markdown(seed_000(language)))


@pytest.mark.parametrize("language", ["nb", "en"])
def test_discord_golden(language, golden):
    messages = render_discord(seed_000(language))
    assert all(0 < len(m) <= 2000 for m in messages)
    golden(f"seed000_{language}.discord.txt", "\n\n=====\n\n".join(messages))


def test_markdown_reads_like_the_seed():
    md = render_markdown(seed_000())
    for needle in [
        "# Møtereferat – Ekspertråd NKROP",
        "**Tid:** onsdag 2. desember 2020 kl. 10.00–13.00",
        "**Sted:** Zoom",
        "- Marborg – Anja Berg (vara)",
        "- Mental Helse (MH) (ikke svart)",
        "| 2 | Nytt fra Nasjonal kompetansetjeneste ROP | Kari Nysveen |",
        "**BAR** *(skriftlig innspill, mottatt på e-post)* – Rapporten",
        "## Velkommen til nye medlemmer",
        "## Tillegg til referatet",
        "- **15. desember 2020:** Ny leder ved NKROP er Bjørn Stensrud",
    ]:
        assert needle in md
    # Attending organisations come before the written submission.
    assert md.index("**NSF**") < md.index("**RIO**") < md.index("**BAR**")


def test_draft_banner():
    md = render_markdown(seed_000(is_draft=True, draft_version=3))
    assert md.startswith("> **UTKAST (versjon 3) – ikke godkjent**")
    assert render_discord(seed_000("en", is_draft=True, draft_version=2))[0].startswith("> **DRAFT (version 2)")


def test_long_status_is_split_at_paragraphs():
    long_text = "\n\n".join(f"Avsnitt {i}: " + "ord og mer tekst " * 40 for i in range(12))
    doc = seed_000(
        agenda=(
            AgendaEntry(1, "Status", AgendaKind.STATUS_ROUND, statuses=(StatusParagraph("RIO", "RIO", long_text),)),
        )
    )
    messages = render_discord(doc)
    assert len(messages) >= 4
    assert all(len(m) <= 2000 for m in messages)
    joined = "\n\n".join(messages)
    for i in range(12):
        assert f"Avsnitt {i}:" in joined
    for message in messages:
        assert not message.endswith(("ord og", "mer"))  # never cut mid-sentence word boundary check below
        assert message == message.strip()


def test_member_text_cannot_ping_or_break_structure():
    evil = "@everyone se <@123456789012345678> og <@&42>\n# Falsk overskrift\n- falsk punkt\n> sitat\n```kode```"
    doc = seed_000(
        agenda=(AgendaEntry(1, "Status", AgendaKind.STATUS_ROUND, statuses=(StatusParagraph("RIO", "RIO", evil),)),)
    )
    for text in [render_markdown(doc), *render_discord(doc)]:
        assert "@everyone" not in text
        assert "<@123456789012345678>" not in text
        assert "<@&42>" not in text
        assert "\n# Falsk" not in text
        assert "\n- falsk" not in text
        assert "\n> sitat" not in text
        assert "\n```" not in text


def test_docx_has_headings_lists_and_agenda_table():
    data = render_docx(seed_000())
    word = Document(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert ("Title", "Møtereferat – Ekspertråd NKROP") in headings
    assert ("Heading 1", "Deltakere") in headings
    assert ("Heading 1", "Forfall") in headings
    assert ("Heading 1", "2. Nytt fra Nasjonal kompetansetjeneste ROP (ledes av Kari Nysveen)") in headings
    assert ("Heading 2", "Innspill fra møtet") in headings
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert "Marborg – Anja Berg (vara)" in bullets
    assert "Mental Helse (MH) (ikke svart)" in bullets
    # Under Forfall, being listed says "forfall": it is not repeated after every organisation.
    assert "Fagforbundet (FF)" in bullets
    assert not any("(forfall)" in b for b in bullets)
    assert ("Heading 1", "Saksliste") in headings
    assert "Norsk psykologforening (Psykologforeningen) – Ingunn Solheim (stedfortreder)" in bullets
    assert "Kari Nysveen (opplæringsansvarlig NKROP)" in bullets
    [table] = word.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Nr.", "Sak/tema", "Ledes av"]
    assert rows[2] == ["2", "Nytt fra Nasjonal kompetansetjeneste ROP", "Kari Nysveen"]
    body = "\n".join(p.text for p in word.paragraphs)
    assert "Åse Ødegård" in body
    assert "BAR (skriftlig innspill, mottatt på e-post) – Rapporten" in body
    assert word.core_properties.title == "Møtereferat – Ekspertråd NKROP"


def test_english_docx():
    word = Document(io.BytesIO(render_docx(seed_000("en"))))
    assert word.paragraphs[0].text == "Minutes – Ekspertråd NKROP"
    assert [c.text for c in word.tables[0].rows[0].cells] == ["No.", "Topic", "Led by"]


def test_golden_docx_has_the_report_as_real_word_lists():
    """Read the Word minutes back: the host's numbered points are List Number paragraphs, numbered from 1."""
    word = Document(io.BytesIO(render_docx(seed_000())))
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert [p.text.split(" –")[0].split(":")[0] for p in numbered] == [
        "Opplæringsprogram",
        "Fidelityvurderinger gjøres av NAPHA og NKROP i de enkelte teamene. Dette er for å måle modelltrofasthet og "
        "sikre at modellenes arbeidsmåter ikke blir utvannet.",
        "Regionale nettverk",
        "Nasjonalt teamledernettverk",
        "Skandinavisk nettverk",
        "Oppdrag fra helsemyndighetene",
    ]
    # Each numbered list has its own numbering instance, restarted at its first number.
    num_ids = {p._p.pPr.numPr.numId.val for p in numbered}
    assert len(num_ids) == 1
    numbering = word.part.numbering_part.element
    [num] = [n for n in numbering.num_lst if n.numId in num_ids]
    assert num.lvlOverride_lst[0].startOverride.val == 1
    sub_points = [p.text for p in word.paragraphs if p.style.name == "List Bullet 2"]
    assert len(sub_points) == 3
    assert sub_points[1] == "540 personer har deltatt, inkludert de som deltar i inneværende runde."
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 3"]
    assert headings == ["Brukerspesialister i teamene", "Forskning og FACT-Ung", "Ansatte i tjenesten",
                        "ROP-dagen og annet"]  # fmt: skip
    links = {r._target for r in word.part.rels.values() if r.reltype.endswith("/hyperlink")}
    assert "https://rop.no/aktuelt/lanseringswebinar-for-nye-fact-filmer/" in links
    assert "https://rop.no" in links
    body = "\n".join(p.text for p in word.paragraphs)
    assert "\\" not in body
    assert "Sted: Sagatun Brukerstyrt senter – Hamar" in body
    assert "møtested kommer, vi håper det kan gjennomføres fysisk" in body


def test_each_numbered_list_in_the_docx_starts_at_its_own_number():
    notes = ("1) a\n2) b", "Mellom.\n\n4) d\n5) e")
    doc = seed_000(agenda=(AgendaEntry(1, "Sak", AgendaKind.ITEM, notes=notes),))
    word = Document(io.BytesIO(render_docx(doc)))
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["a", "b", "d", "e"]
    first, second = numbered[0]._p.pPr.numPr.numId.val, numbered[2]._p.pPr.numPr.numId.val
    assert first != second
    starts = {n.numId: n.lvlOverride_lst[0].startOverride.val for n in word.part.numbering_part.element.num_lst
              if n.numId in (first, second)}  # fmt: skip
    assert starts == {first: 1, second: 4}


def test_member_statuses_stay_plain_content_in_every_output():
    status = "1) Vi har nytt\n## Ikke en overskrift\n[lenke](https://example.com)"
    doc = seed_000(
        agenda=(AgendaEntry(1, "Status", AgendaKind.STATUS_ROUND, statuses=(StatusParagraph("RIO", "RIO", status),)),)
    )
    md = render_markdown(doc)
    assert "1\\) Vi har nytt" in md
    assert "\n## Ikke" not in md
    assert "[lenke](https" not in md
    word = Document(io.BytesIO(render_docx(doc)))
    assert not [p for p in word.paragraphs if p.style.name == "List Number"]
    assert not [r for r in word.part.rels.values() if r.reltype.endswith("/hyperlink")]


def test_word_template_is_used(tmp_path):
    template = Document()
    section = template.sections[0]
    section.left_margin = Cm(3.3)
    section.header.paragraphs[0].text = "NKROP – brevark"
    section.footer.paragraphs[0].text = "rop.no"
    template.styles["Title"].font.size = Pt(30)
    template.add_paragraph("Innhold i malen som ikke skal bli med")
    path = tmp_path / "brevark.docx"
    template.save(path)
    word = Document(io.BytesIO(render_docx(seed_000(), path)))
    section = word.sections[0]
    assert section.left_margin == Document(path).sections[0].left_margin != Document().sections[0].left_margin
    assert section.header.paragraphs[0].text == "NKROP – brevark"
    assert section.footer.paragraphs[0].text == "rop.no"
    assert word.styles["Title"].font.size == Pt(30)
    texts = [p.text for p in word.paragraphs]
    assert "Innhold i malen som ikke skal bli med" not in texts
    assert texts[0] == "Møtereferat – Ekspertråd NKROP"
    assert [p for p in word.paragraphs if p.style.name == "List Number"]


def test_template_without_list_styles_falls_back_to_typed_markers(tmp_path):
    template = Document()
    styles = template.styles
    for name in ("List Number", "List Number 2", "List Bullet", "List Bullet 2", "Heading 3"):
        styles[name].element.getparent().remove(styles[name].element)
    path = tmp_path / "enkel.docx"
    template.save(path)
    word = Document(io.BytesIO(render_docx(seed_000(), path)))
    texts = [p.text for p in word.paragraphs]
    assert any(t.startswith("1. Opplæringsprogram") for t in texts)
    assert any(t.startswith("• Marborg") for t in texts)
