"""The memory's pure rules and how the minutes show decisions, action items, follow-ups and approval."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.meetings import AgendaItem, AgendaKind, move_positions
from bot.domain.memory import (
    ACTION_MAX,
    ActionItem,
    ActionLine,
    ActionState,
    ApprovalNote,
    carried_forward,
    validate_action,
)
from bot.domain.minutes import DecisionLine
from bot.errors import Conflict, InvalidInput
from bot.render import render_discord, render_docx, render_markdown
from tests.unit.test_minutes_render import seed_000

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def item(number: int, meeting_id: int, **changes) -> ActionItem:
    base = ActionItem(id=number, guild_id=1, number=number, meeting_id=meeting_id, text=f"Punkt {number}",
                      created_by=9, created_at=NOW)  # fmt: skip
    return replace(base, **changes)


def test_carried_forward_lists_open_items_and_those_done_since_the_previous_meeting():
    previous_start = NOW - timedelta(days=30)
    items = [
        item(1, 1),  # open, from an earlier meeting
        item(2, 1, state=ActionState.DONE, done_at=previous_start - timedelta(days=1)),  # reported last time
        item(3, 2, state=ActionState.DONE, done_at=previous_start + timedelta(days=3)),  # done since
        item(4, 3),  # this meeting's own item
    ]
    assert [i.number for i in carried_forward(items, {1, 2}, previous_start)] == [1, 3]
    assert [i.number for i in carried_forward(items, set(), None)] == []


@pytest.mark.parametrize(
    ("due", "done", "reminded", "expected"),
    [
        (NOW + timedelta(days=1), False, False, True),
        (NOW + timedelta(days=3), False, False, False),  # too early
        (NOW - timedelta(minutes=1), False, False, False),  # already due: overdue, not reminded
        (NOW + timedelta(days=1), True, False, False),  # done
        (NOW + timedelta(days=1), False, True, False),  # sent once already
        (None, False, False, False),  # no due date
    ],
)
def test_reminder_due(due, done, reminded, expected):
    subject = item(1, 1, due_at=due, state=ActionState.DONE if done else ActionState.OPEN,
                   due_reminded_at=NOW if reminded else None)  # fmt: skip
    assert subject.reminder_due(NOW, timedelta(days=2)) is expected


def test_the_approval_item_stays_first_when_items_move():
    agenda = [
        AgendaItem(10, 1, 1, 1, AgendaKind.ITEM, "Godkjenning av referat fra forrige møte", approves_meeting_id=7),
        AgendaItem(11, 1, 1, 2, AgendaKind.STATUS_ROUND, "Hva skjer i organisasjonene?"),
        AgendaItem(12, 1, 1, 3, AgendaKind.ITEM, "A"),
        AgendaItem(13, 1, 1, 4, AgendaKind.ITEM, "B"),
        AgendaItem(14, 1, 1, 5, AgendaKind.ANY_OTHER_BUSINESS, "Eventuelt"),
    ]
    assert sorted(move_positions(agenda, agenda[3], 3)) == [(10, 1), (11, 2), (12, 4), (13, 3), (14, 5)]
    with pytest.raises(InvalidInput):
        move_positions(agenda, agenda[2], 2)
    with pytest.raises(Conflict):
        move_positions(agenda, agenda[0], 3)


@given(st.text(max_size=ACTION_MAX + 50))
def test_action_text_is_trimmed_or_refused(text):
    try:
        cleaned = validate_action(text)
    except InvalidInput:
        return
    assert cleaned
    assert cleaned == cleaned.strip()
    assert len(cleaned) <= ACTION_MAX


def remembered(language: str = "nb"):
    doc = seed_000(language)
    agenda = list(doc.agenda)
    approval = replace(agenda[1], number=1, title="Godkjenning av referat fra forrige møte", lead=None, notes=(),
                       approval=ApprovalNote(datetime(2020, 6, 3, 8, 0, tzinfo=UTC), NOW))  # fmt: skip
    agenda = [approval] + [replace(a, number=a.number + 1) for a in agenda]
    agenda[2] = replace(agenda[2], decisions=("Alle må ha en vararepresentant – denne får kopi av referat",))
    return replace(
        doc,
        agenda=tuple(agenda),
        decisions=(DecisionLine(3, agenda[2].title, "Alle må ha en vararepresentant – denne får kopi av referat"),),
        actions=(
            ActionLine(
                4, "Ekspertrådet bes om tips til foredragsholdere", "LPP", datetime(2021, 1, 15, 22, 59, tzinfo=UTC)
            ),
            ActionLine(5, "Bør det skrives et innspill til myndighetene om dette? @everyone", None, None),
        ),
        followups=(
            ActionLine(
                1,
                "Sende ut programmet",
                "RIO",
                None,
                done=True,
                done_on=datetime(2020, 11, 1, 12, 0, tzinfo=UTC),
                note="Sendt",
                meeting_number=1,
            ),
            ActionLine(2, "Finne møtested", None, None, meeting_number=1),
        ),
        approved_on=datetime(2021, 6, 2, 12, 0, tzinfo=UTC),
        circulated_on=datetime(2020, 12, 4, 12, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_minutes_with_memory_golden(language, golden):
    doc = remembered(language)
    golden(f"memory_{language}.md", render_markdown(doc))
    golden(f"memory_{language}.discord.txt", "\n\n----\n\n".join(render_discord(doc)))


def test_minutes_with_memory_read_like_the_council_writes():
    text = render_markdown(remembered())
    assert "**Godkjent 2. juni 2021**" in text
    assert "Utkastet ble sendt på høring til representanter og vara 4. desember 2020." in text
    assert "Referatet fra møtet 3. juni 2020 ble godkjent." in text
    assert "**Vedtak:**\n\n- Alle må ha en vararepresentant – denne får kopi av referat" in text
    assert "## Vedtak i møtet" in text
    assert "- #4 Ekspertrådet bes om tips til foredragsholdere (ansvarlig: LPP, frist 15. januar 2021)" in text
    assert "(ansvarlig: sekretariatet)" in text
    assert "@everyone" not in text
    assert "- #1 Sende ut programmet (ansvarlig: RIO) – utført 1. november 2020: Sendt" in text
    assert "- #2 Finne møtested (ansvarlig: sekretariatet) – åpen" in text
    assert text.index("## Oppfølging fra forrige møte") < text.index("## 1. Godkjenning")


def test_docx_with_memory():
    word = Document(io.BytesIO(render_docx(remembered())))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "Oppfølging fra forrige møte" in headings
    assert "Vedtak i møtet" in headings
    assert "Oppfølgingspunkter" in headings
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Godkjent 2. juni 2021" in text
    assert "Referatet fra møtet 3. juni 2020 ble godkjent." in text


def test_org_history_pages_on_a_phone():
    from bot.domain.memory import HistoryEntry, Presence
    from bot.domain.roster import Council, Organisation, OrgKind
    from bot.services.history import OrgHistory
    from bot.ui.text.memory import HISTORY_PAGE, history_pages

    council = Council(1, "Ekspertråd NKROP", "NKROP", 2, 3, 4, "nb", "Europe/Oslo")
    org = Organisation(5, 1, "Landsforeningen for pasienter og pårørende", "LPP", OrgKind.RELATIVES, 1)
    presences = [Presence.REPRESENTATIVE, Presence.DEPUTY, Presence.APOLOGY, Presence.NO_ANSWER]
    entries = tuple(
        HistoryEntry(n, NOW - timedelta(days=30 * n), presences[n % 4], ("Åse",) if n % 4 < 2 else (), n % 2 == 0)
        for n in range(HISTORY_PAGE + 5, 0, -1)
    )
    pages = history_pages(OrgHistory(council, org, entries, ()))
    assert len(pages) == 2
    assert all(len(page) <= 2000 for page in pages)
    assert "(side 1 av 2)" in pages[0]
    assert "(side 2 av 2)" in pages[1]
    assert pages[0].count("\n**") == HISTORY_PAGE
    assert "17 møter · til stede 9 · forfall 4 · ikke svart 4 · status sendt 8" in pages[0]
    assert "Åpne oppfølgingspunkter" in pages[1]
    assert "Åpne oppfølgingspunkter" not in pages[0]
