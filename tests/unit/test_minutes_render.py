"""Golden-file tests of the minutes, modelled on the council's minutes of 2 December 2020 (seed 000)."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document

from bot.domain.minutes import (
    Absence,
    AbsenceReason,
    Addendum,
    AgendaEntry,
    MinutesDocument,
    NewMember,
    Participant,
    StatusParagraph,
)
from bot.render import render_discord, render_docx, render_markdown

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

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
        ),
        absences=(
            Absence("Fagforbundet", "FF", AbsenceReason.APOLOGY),
            Absence("Barn av rusmisbrukere", "BAR", AbsenceReason.APOLOGY),
            Absence("Mental Helse", "MH", AbsenceReason.NO_ANSWER),
        ),
        new_members=(NewMember("Anja Berg", "Marborg", "deputy"),),
        agenda=(
            AgendaEntry(1, "Hva skjer i organisasjonene – hvordan har pandemien påvirket arbeidet?", "status_round",
                        statuses=tuple(STATUSES)),
            AgendaEntry(2, "Nytt fra Nasjonal kompetansetjeneste ROP", "item", lead="Kari Nysveen",
                        notes=("ACT og FACT: 6. runde av opplæringsprogrammet har 165 deltakere.",
                               "ROP-dagen utgår i 2021; ROP-webinar 17. februar 12–15.")),
            AgendaEntry(3, "Eventuelt", "any_other_business",
                        notes=("Organisasjonene stiller seg bak innspill om at ROP-pasienter bør prioriteres "
                               "når covid-19-vaksinen fordeles.",)),
        ),
        next_meeting="onsdag 2. juni 2021 kl. 10.00–15.00, møtested kommer",
        secretary_name="Hilde Austeng",
        signed_on=datetime(2020, 12, 8, 12, 0, tzinfo=UTC),
        addenda=(Addendum(datetime(2020, 12, 15, 12, 0, tzinfo=UTC),
                          "Ny leder ved NKROP er Bjørn Stensrud (enighet om at dette kunne tilføyes referatet)."),),
        is_draft=False,
    )  # fmt: skip
    return replace(doc, **changes)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; run with UPDATE_GOLDEN=1 and review"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_markdown_golden(language):
    check_golden(f"seed000_{language}.md", render_markdown(seed_000(language)))


@pytest.mark.parametrize("language", ["nb", "en"])
def test_discord_golden(language):
    messages = render_discord(seed_000(language))
    assert all(0 < len(m) <= 2000 for m in messages)
    check_golden(f"seed000_{language}.discord.txt", "\n\n=====\n\n".join(messages))


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
        agenda=(AgendaEntry(1, "Status", "status_round", statuses=(StatusParagraph("RIO", "RIO", long_text),)),)
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
    doc = seed_000(agenda=(AgendaEntry(1, "Status", "status_round", statuses=(StatusParagraph("RIO", "RIO", evil),)),))
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
