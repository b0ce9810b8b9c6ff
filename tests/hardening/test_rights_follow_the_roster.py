"""Rights that follow the roster: a seat change during an open call moves the invitation (issue 12, item 5)."""

from __future__ import annotations

import pytest

from bot.sandbox import Message, User
from bot.sandbox.harness import Council, Harness


async def press(harness: Harness, user: User, message: Message, suffix: str) -> str:
    return (await harness.press(user, message, suffix)).content


async def open_form(harness: Harness, user: User, message: Message) -> str:
    handle = await harness.server.click(user, message, message.custom_ids()[0])
    await handle.wait_response()
    return "" if handle.modal is not None else handle.content


@pytest.fixture
async def people(harness: Harness, council: Council) -> dict[str, User]:
    names = {"rep": "Åse", "dep": "Bjørn", "new_rep": "Nora", "new_dep": "Ola"}
    people = {key: await harness.person(council, name) for key, name in names.items()}
    await harness.run(council.secretary, council, "org add", name="Landsforeningen", short="LPP")
    await harness.run(council.secretary, council, "member assign", org="LPP", role="representative", user=people["rep"])
    await harness.run(council.secretary, council, "member assign", org="LPP", role="deputy", user=people["dep"])
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    await harness.run(council.secretary, council, "meeting open")
    return people


async def test_a_new_representative_gets_the_invitation_and_the_old_one_loses_it(
    harness: Harness, council: Council, people
):
    old, new = people["rep"], people["new_rep"]
    invitation = await harness.latest_dm_with(old, "council:rsvp:")
    prompt = await harness.latest_dm_with(old, "council:status:write:")
    await harness.run(council.secretary, council, "member assign", org="LPP", role="representative", user=new)

    moved = await harness.latest_dm_with(new, "council:rsvp:")
    assert "LPP" in moved.content or "Landsforeningen" in moved.content
    await harness.latest_dm_with(new, "council:status:write:")  # asked for the status too
    await harness.server.wait_for(
        lambda: any("svarer ikke lenger" in m.content for m in harness.server.dms_to(old)), what="the notice"
    )
    refused = await press(harness, old, invitation, ":no")
    assert "⛔" in refused or "ikke" in refused.lower()
    assert "gikk galt" not in refused.lower()
    assert await open_form(harness, old, prompt)  # refused with a reason, no form
    answered = await press(harness, new, moved, ":yes")
    assert "gikk galt" not in answered.lower()
    assert "ikke på invitasjonen" not in answered
    board = await harness.run(council.secretary, council, "meeting dashboard")
    assert "Nora" in board.content
    assert "Åse" not in board.content
    assert "Forfall" not in board.content or "LPP" not in board.content.split("Forfall")[-1]
    again = await harness.run(council.secretary, council, "meeting open")
    assert "gikk galt" not in again.content.lower()
    await harness.outbox_drained()
    assert len(harness.dms_with_buttons(new, "council:rsvp:")) == 1  # one invitation, not two


async def test_a_called_up_deputy_replaced_hands_the_call_up_over(harness: Harness, council: Council, people):
    await press(harness, people["rep"], await harness.latest_dm_with(people["rep"], "council:rsvp:"), ":no")
    call = await harness.latest_dm_with(people["dep"], "council:rsvp:")
    await harness.run(council.secretary, council, "member assign", org="LPP", role="deputy", user=people["new_dep"])
    handed = await harness.latest_dm_with(people["new_dep"], "council:rsvp:")
    refused = await press(harness, people["dep"], call, ":yes")
    assert "gikk galt" not in refused.lower()
    assert "Kommer" not in refused
    answered = await press(harness, people["new_dep"], handed, ":yes")
    assert "gikk galt" not in answered.lower()
    board = await harness.run(council.secretary, council, "meeting dashboard")
    assert "Ola" in board.content
    assert "Bjørn" not in board.content


async def test_unassigning_the_representative_takes_the_right_away(harness: Harness, council: Council, people):
    invitation = await harness.latest_dm_with(people["rep"], "council:rsvp:")
    await harness.run(council.secretary, council, "member unassign", org="LPP", role="representative")
    refused = await press(harness, people["rep"], invitation, ":yes")
    assert "gikk galt" not in refused.lower()
    board = await harness.run(council.secretary, council, "meeting dashboard")
    assert "Åse" not in board.content
