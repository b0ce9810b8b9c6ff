"""One bad character cannot block the minutes: every text field reaching Word is XML-safe (issue 12, item 2)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.meetings import AgendaKind
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
from bot.domain.roster import Role
from bot.domain.status import validate_status
from bot.domain.text import xml_safe
from bot.render import render_discord, render_docx, render_markdown, unsafe_fields
from bot.sandbox.harness import Council, Harness

BAD = "\ufffe\uffff\x00\x01\x08\x0b\x0c\x1f"
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=40)


def document(text: str, *, language: str = "nb") -> MinutesDocument:
    """Minutes where every text field — names, titles, places, statuses, notes, addenda — holds ``text``."""
    return MinutesDocument(
        language=language,
        council_name=f"Råd {text}",
        title=text,
        start=datetime(2026, 12, 2, 9, tzinfo=UTC),
        end=datetime(2026, 12, 2, 12, tzinfo=UTC),
        tz="Europe/Oslo",
        place=text,
        convened_by=text,
        participants=(Participant(text, text, text, is_deputy=True), Participant("RIO", "RIO", None)),
        absences=(Absence(text, text, AbsenceReason.APOLOGY),),
        new_members=(NewMember(text, text, Role.DEPUTY),),
        agenda=(
            AgendaEntry(
                1, text, AgendaKind.STATUS_ROUND, statuses=(StatusParagraph(text, text, text, True, text, text),)
            ),
            AgendaEntry(2, text, AgendaKind.ITEM, lead=text, notes=(text, f"- {text}")),
        ),
        next_meeting=text,
        secretary_name=text,
        signed_on=datetime(2026, 12, 3, tzinfo=UTC),
        addenda=(Addendum(datetime(2026, 12, 4, tzinfo=UTC), text),),
    )


def docx_text(data: bytes) -> str:
    word = Document(io.BytesIO(data))
    cells = [c.text for table in word.tables for row in table.rows for c in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT, language=st.sampled_from(["nb", "en"]))
def test_arbitrary_unicode_in_every_field_renders_md_discord_and_docx(text, language):
    doc = document(text, language=language)
    markdown = render_markdown(doc)
    assert markdown.strip()
    assert xml_safe(markdown) == markdown
    assert all(len(part) <= 2000 for part in render_discord(doc))
    data = render_docx(doc)
    assert data.startswith(b"PK")
    word = docx_text(data)
    assert xml_safe(word) == word


@pytest.mark.parametrize("bad", list(BAD))
def test_each_bad_character_is_dropped_and_the_rest_kept(bad):
    doc = document(f"Dags{bad}seminar")
    word = docx_text(render_docx(doc))
    assert "Dagsseminar" in word
    assert "Dagsseminar" in render_markdown(doc)


def test_unsafe_fields_are_named():
    doc = document("ok")
    bad = MinutesDocument(**{**{f: getattr(doc, f) for f in doc.__dataclass_fields__}, "place": "Zoom\x01"})
    assert unsafe_fields(bad) == ["minutes.place"]
    status = AgendaEntry(1, "Status", AgendaKind.STATUS_ROUND, statuses=(StatusParagraph("LPP", "LPP", "x\ufffe"),))
    with_status = MinutesDocument(**{**{f: getattr(doc, f) for f in doc.__dataclass_fields__}, "agenda": (status,)})
    assert unsafe_fields(with_status) == ["minutes.agenda[0] (Status).statuses[0] (LPP).text"]


def test_status_intake_drops_characters_word_cannot_hold():
    assert validate_status(f"Nytt\ufffe fra{BAD} oss") == "Nytt fra oss"


async def test_a_status_with_noncharacters_by_dm_does_not_block_the_minutes(harness: Harness, council: Council, clock):
    rep = await harness.person(council, "Åse")
    await harness.run(council.secretary, council, "org add", name="Landsforeningen for pasienter", short="LPP")
    await harness.run(council.secretary, council, "member assign", org="LPP", role="representative", user=rep)
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    await harness.run(council.secretary, council, "meeting open")
    await harness.wait_dms(rep, 1)  # one DM per person: the invitation also asks for the status
    await harness.server.send_dm(rep, "Dagsseminar\ufffe i \uffffjuni\x01.")
    await harness.server.wait_for(
        lambda: any(c.endswith(":replace") for m in harness.server.dms_to(rep) for c in m.custom_ids()),
        what="the draft preview",
    )
    preview = next(m for m in harness.server.dms_to(rep) if any(c.endswith(":replace") for c in m.custom_ids()))
    saved = await harness.server.click(rep, preview, next(c for c in preview.custom_ids() if c.endswith(":replace")))
    await saved.wait_followups(1)
    await harness.run(
        council.secretary, council, "status submit", org="LPP", text="Skjema\x0b med \ufffffeil", source="e-post\x07"
    )
    clock.set(datetime(2026, 12, 2, 12, 30, tzinfo=UTC))
    await harness.run(council.secretary, council, "minutes note", item=2, text="Notat\ufffe med tegn")
    drafted = await harness.run(council.secretary, council, "minutes draft")
    assert "Utkast 1" in drafted.content
    exported = await harness.run(council.secretary, council, "minutes export", format="docx")
    [file] = exported.attachments
    word = docx_text(file.data)
    assert "Skjema med feil" in word
    assert "Notat med tegn" in word
    published = await harness.run(council.secretary, council, "minutes publish")
    assert "publisert" in published.content
