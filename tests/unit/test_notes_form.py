"""The parts of the ``/minutes edit`` form: at most 4,000 characters per field, a spare field to continue."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.demo import HOST_REPORT
from bot.domain.notes import FIELD_MAX, clean_notes, form_parts, join_parts
from bot.errors import InvalidInput


def test_short_notes_are_one_field():
    [part] = form_parts(["Første notat.", "Andre notat."])
    assert part.text == "Første notat.\n\nAndre notat."
    assert not part.spare


def test_no_notes_give_one_empty_field():
    [part] = form_parts([])
    assert part.text == ""


def test_the_host_report_fits_one_field_and_a_spare_is_offered():
    parts = form_parts([HOST_REPORT])
    assert parts[0].text == HOST_REPORT
    assert parts[1].spare
    assert parts[1].text == ""


def test_long_notes_are_cut_into_parts_at_paragraphs():
    notes = [f"Avsnitt {i}. " + "ord " * 300 for i in range(8)]
    parts = form_parts(notes)
    assert len(parts) >= 3
    assert all(len(p.text) <= FIELD_MAX for p in parts)
    assert join_parts([p.text for p in parts]) == "\n\n".join(n.strip() for n in notes)


def test_more_than_a_form_can_hold_is_refused():
    with pytest.raises(InvalidInput):
        form_parts(["ord " * 6000])


def test_cleaning_keeps_indentation_and_line_breaks():
    assert clean_notes("1) a\r\n  - b\u0007\n\n\n\nc  ") == "1) a\n  - b\n\nc"


@given(st.lists(st.text(alphabet=st.sampled_from(list("ab \n.-1)")), min_size=1, max_size=2000), max_size=6))
def test_parts_round_trip(notes):
    text = "\n\n".join(n.strip() for n in notes if n.strip())
    try:
        parts = form_parts(notes)
    except InvalidInput:
        assert len(text) > 4 * FIELD_MAX
        return
    assert all(len(p.text) <= FIELD_MAX for p in parts)
    assert join_parts([p.text for p in parts]).split() == text.split()
