"""The one rule for text fields members type: cleaning, required or optional, and the limit."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.fields import TextField, clean_lines, clean_text
from bot.domain.text import squeeze_blank_lines
from bot.errors import InvalidInput

LINE = TextField(10, "meetings.title_too_long", "meetings.title_empty")
OPTIONAL_LINE = TextField(10, "meetings.lead_too_long")
PARAGRAPHS = TextField(10, "memory.comment_too_long", "memory.comment_empty", multiline=True)
OPTIONAL_PARAGRAPHS = TextField(10, "memory.note_too_long", multiline=True)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (LINE, "  Møte \n i  råd\x07 ", "Møte i råd"),
        (LINE, "x" * 10, "x" * 10),
        (OPTIONAL_LINE, "", ""),
        (PARAGRAPHS, " a  b \r\n\n\n\nc ", "a b\n\nc"),
        (PARAGRAPHS, "a\rb", "a\nb"),
    ],
)
def test_clean_returns_the_cleaned_text(field, value, expected):
    assert field.clean(value) == expected


@pytest.mark.parametrize(
    ("field", "value", "key", "params"),
    [
        (LINE, " \n\t ", "meetings.title_empty", {}),
        (LINE, "x" * 11, "meetings.title_too_long", {"limit": 10}),
        (OPTIONAL_LINE, "x" * 6 + "\n    " + "x" * 6, "meetings.lead_too_long", {"limit": 10}),
        (PARAGRAPHS, "\n\n", "memory.comment_empty", {}),
        (PARAGRAPHS, "12345\n123456", "memory.comment_too_long", {"limit": 10, "length": 12}),
    ],
)
def test_clean_refuses_with_the_fields_key(field, value, key, params):
    with pytest.raises(InvalidInput) as err:
        field.clean(value)
    assert (err.value.message_key, err.value.params) == (key, params)


@pytest.mark.parametrize("field", [LINE, OPTIONAL_LINE, PARAGRAPHS, OPTIONAL_PARAGRAPHS])
@pytest.mark.parametrize("value", [None, "", "  \n \t"])
def test_optional_reads_nothing_as_none(field, value):
    assert field.optional(value) is None


def test_optional_cleans_and_checks_the_limit():
    assert OPTIONAL_LINE.optional(" a   b ") == "a b"
    assert OPTIONAL_PARAGRAPHS.optional(" a \n b ") == "a\nb"
    with pytest.raises(InvalidInput) as err:
        OPTIONAL_PARAGRAPHS.optional("x" * 11)
    assert (err.value.message_key, err.value.params) == ("memory.note_too_long", {"limit": 10, "length": 11})


@given(st.text(max_size=40))
def test_cleaning_is_idempotent_and_clean_text_is_one_line(value):
    assert clean_text(clean_text(value)) == clean_text(value)
    assert "\n" not in clean_text(value)
    assert clean_lines(clean_lines(value)) == clean_lines(value)
    assert "\n\n\n" not in clean_lines(value)


@given(st.text(max_size=40))
def test_what_a_field_accepts_is_within_its_limit(value):
    for field in (LINE, OPTIONAL_LINE, PARAGRAPHS, OPTIONAL_PARAGRAPHS):
        try:
            cleaned = field.optional(value)
        except InvalidInput:
            continue
        assert cleaned is None or 0 < len(cleaned) <= field.limit


@given(st.lists(st.sampled_from(["", " ", "\t", "a", " b", "c "]), max_size=12))
def test_squeeze_blank_lines_keeps_every_line_of_text_and_single_blank_lines_between(lines):
    squeezed = squeeze_blank_lines(lines)
    blank = [not line.strip() for line in squeezed]
    assert [line for line in squeezed if line.strip()] == [line for line in lines if line.strip()]
    assert not (blank and (blank[0] or blank[-1]))
    assert not any(a and b for a, b in pairwise(blank))
    text_at = [i for i, line in enumerate(lines) if line.strip()]
    gaps = sum(1 for a, b in pairwise(text_at) if b - a > 1)  # blank lines stood between these two
    assert sum(blank) == gaps
