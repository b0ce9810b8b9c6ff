"""Odd dates are refused clearly; an agenda item with notes is not removed (issue 12, items 13 and 14)."""

from __future__ import annotations

import pytest

from bot.sandbox.harness import Council, Harness
from tests.messages import is_unexpected_error


@pytest.mark.parametrize(
    ("when", "expected"), [("10-15", "sier ikke hvilken dag"), ("31. desember 9999", "mer enn 2 år fram i tid")]
)
async def test_odd_dates_are_refused_and_nothing_is_created(harness: Harness, council: Council, when, expected):
    refused = await harness.run(council.secretary, council, "meeting create", when=when)
    assert expected in refused.content, refused.content
    listed = await harness.run(council.secretary, council, "meeting list")
    assert "2115" not in listed.content
    assert "9999" not in listed.content
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13")
    edited = await harness.run(council.secretary, council, "meeting edit", rsvp_deadline="31. desember 9999")
    assert not is_unexpected_error(edited.content)
    assert "9999" in edited.content  # echoed as understood, and refused
    nexted = await harness.run(council.secretary, council, "meeting next", when="10-15")
    assert "sier ikke hvilken dag" in nexted.content


async def test_removing_an_item_with_notes_is_refused_with_the_reason(harness: Harness, council: Council, clock):
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13")
    await harness.run(council.secretary, council, "agenda add", title="Nytt fra NKROP")
    await harness.run(council.secretary, council, "minutes note", item=2, text="165 deltakere i 6. runde.")
    refused = await harness.run(council.secretary, council, "agenda remove", item=2)
    assert "har 1 oppføring(er) i referatet" in refused.content, refused.content
    shown = await harness.run(council.secretary, council, "agenda show")
    assert "Nytt fra NKROP" in shown.content
    await harness.run(council.secretary, council, "agenda add", title="Uten notater")
    removed = await harness.run(council.secretary, council, "agenda remove", item=3)
    assert not is_unexpected_error(removed.content)
    assert "Uten notater" not in (await harness.run(council.secretary, council, "agenda show")).content
