"""The helpers that compare replies with the catalogue (``tests/messages.py``) reject what they should."""

from __future__ import annotations

from bot.i18n import t
from tests.messages import contains_message, is_message, is_unexpected_error


def test_is_message_matches_the_whole_text_with_known_and_unknown_parameters():
    text = t("nb", "roster.unassigned", role="vara", short="MH")
    assert is_message(text, "roster.unassigned")
    assert is_message(text, "roster.unassigned", short="MH")
    assert not is_message(text, "roster.unassigned", short="LPP")
    assert not is_message(text + " Og mer.", "roster.unassigned")
    assert not is_message(text, "roster.unassigned", "en")
    assert not is_message(t("nb", "roster.org_added", name="MH"), "roster.unassigned")


def test_contains_message_finds_a_part_of_a_longer_reply():
    text = "Først dette.\n" + t("nb", "roster.gap_summary", count=2) + "\nTil slutt."
    assert contains_message(text, "roster.gap_summary", count=2)
    assert not contains_message(text, "roster.gap_summary", count=3)
    assert not is_message(text, "roster.gap_summary")


def test_special_characters_in_parameters_and_text_are_literal():
    text = t("nb", "roster.short_taken", short="a.*b")
    assert is_message(text, "roster.short_taken", short="a.*b")
    assert not is_message(t("nb", "roster.short_taken", short="axxb"), "roster.short_taken", short="a.*b")


def test_unexpected_error_in_either_language():
    assert is_unexpected_error(t("nb", "errors.unexpected", ref="abc123"))
    assert is_unexpected_error(t("en", "errors.unexpected", ref="abc123"))
    assert not is_unexpected_error(t("nb", "errors.not_secretary"))
