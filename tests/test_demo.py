"""`council-bot demo` runs the whole cycle and writes real minutes."""

from __future__ import annotations

import io

import pytest
from docx import Document

from bot.demo import ORGS, SLIDES, THEME, run_demo
from tests.unit.test_calendar import check_rfc5545


@pytest.mark.parametrize("language", ["nb", "en"])
async def test_demo_writes_the_minutes(tmp_path, language):
    lines: list[str] = []
    md, docx, ics = await run_demo(tmp_path / "out", language, lines.append)
    assert md.exists() and docx.exists()
    assert ics.parent == md.parent  # the calendar file is written next to the minutes
    check_rfc5545(ics.read_bytes())
    assert THEME[language] in lines[5]  # the invitation shows the theme question, background text and slides
    assert SLIDES in lines[5]
    text = md.read_text(encoding="utf-8")
    title = "# Møtereferat – Ekspertråd NKROP" if language == "nb" else "# Minutes – Ekspertråd NKROP"
    assert text.startswith(title)
    deputy = "(vara)" if language == "nb" else "(deputy)"
    assert "Marborg – " in text and deputy in text
    written = "skriftlig innspill" if language == "nb" else "written submission"
    assert f"**BAR** *({written}" in text
    for org in ORGS:
        assert org.short in text
    word = Document(io.BytesIO(docx.read_bytes()))
    assert word.tables[0].rows[2].cells[1].text == "Nytt fra Nasjonal kompetansetjeneste ROP"
    assert THEME[language] in text  # the theme question is under the status round in the minutes
    # The secretary's own writing: guests, a named substitute, the host's report as a numbered list, the next
    # meeting with its place and remark.
    also = "**Også til stede:**" if language == "nb" else "**Also present:**"
    assert also in text and "- Kari Nysveen (opplæringsansvarlig NKROP)" in text
    assert "Ingunn Solheim (stedfortreder)" in text or "Ingunn Solheim (substitute)" in text
    assert "\n1. Opplæringsprogram" in text and "\n6. Oppdrag fra helsemyndighetene" in text
    assert "Sagatun Brukerstyrt senter – Hamar" in text.split("## Neste møte" if language == "nb" else "## Next")[1]
    assert len([p for p in word.paragraphs if p.style.name == "List Number"]) == 6
    assert len(lines) == 15  # one progress line per step
    assert "28" in lines[-2]  # every representative and deputy got a copy
    drafts = sorted((tmp_path / "out").glob("*2027-06-02*.md"))
    assert len(drafts) == 1
    draft = drafts[0].read_text(encoding="utf-8")
    approval = "Godkjenning av referat fra forrige møte" if language == "nb" else "Approval of the minutes"
    follow = "## Oppfølging fra forrige møte" if language == "nb" else "## Follow-up from the previous meeting"
    assert f"| 1 | {approval}" in draft
    assert follow in draft
    assert "#1 " in draft and "#2 " in draft
    vedtak = "**Vedtak:**" if language == "nb" else "**Decision:**"
    assert vedtak in text  # the published minutes hold the decision under its item
