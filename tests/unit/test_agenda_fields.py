"""An agenda item's typed fields: ``None`` keeps a field, a lone dash clears the lead and the background text."""

from __future__ import annotations

import pytest

from bot.domain.meetings import CLEAR, DETAILS_MAX, AgendaItem, AgendaItemFields, AgendaKind
from bot.errors import InvalidInput

ITEM = AgendaItem(7, 1, 3, 2, AgendaKind.ITEM, "Budsjett", lead="Lars Lien", deputy_interest=True, details="Hvorfor?")


def test_nothing_given_keeps_the_item_as_it_is() -> None:
    assert AgendaItemFields().is_empty
    assert AgendaItemFields().apply(ITEM) == ITEM


@pytest.mark.parametrize("dash", sorted(CLEAR))
def test_a_lone_dash_clears_lead_and_details_but_nothing_else(dash: str) -> None:
    edited = AgendaItemFields(lead=f" {dash} ", details=dash).apply(ITEM)
    assert (edited.title, edited.lead, edited.deputy_interest, edited.details) == ("Budsjett", None, True, None)


def test_given_fields_are_cleaned_and_replace_the_stored_ones() -> None:
    edited = AgendaItemFields("  Nytt budsjett ", "Kari", False, " Hva nå? ").apply(ITEM)
    assert (edited.id, edited.position, edited.kind) == (ITEM.id, ITEM.position, ITEM.kind)
    assert (edited.title, edited.lead, edited.deputy_interest, edited.details) == (
        "Nytt budsjett",
        "Kari",
        False,
        "Hva nå?",
    )


def test_a_new_item_is_ordinary_and_empty_where_nothing_was_given() -> None:
    new = AgendaItemFields("Sak", lead="-").new_item(5)
    assert (new.guild_id, new.kind, new.title, new.lead, new.deputy_interest, new.details) == (
        5,
        AgendaKind.ITEM,
        "Sak",
        None,
        False,
        None,
    )


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        (AgendaItemFields(), "meetings.item_title_empty"),
        (AgendaItemFields("   "), "meetings.item_title_empty"),
        (AgendaItemFields("Sak", details="x" * (DETAILS_MAX + 1)), "meetings.details_too_long"),
    ],
)
def test_a_new_item_without_title_or_with_bad_text_is_refused(fields: AgendaItemFields, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        fields.new_item(5)
    assert caught.value.message_key == key
