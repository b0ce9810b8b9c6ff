"""/privacy mydata and /privacy forget through the real bot."""

from __future__ import annotations

import json

from bot.sandbox.harness import Council, Harness


async def test_mydata_and_forget_with_confirmation(harness: Harness, council: Council):
    alice = await harness.person(council, "Åse")
    await harness.run(council.secretary, council, "org add", name="RIO", short="RIO")
    await harness.run(council.secretary, council, "member assign", org="RIO", role="representative", user=alice)
    mine = await harness.run(alice, council, "privacy mydata")
    assert mine.ephemeral
    [file] = mine.attachments
    assert file.filename == "council-bot-mydata.json"
    data = json.loads(file.data)
    assert data["data"]["people.user_id"][0]["display_name"] == "Åse"

    question = await harness.run(alice, council, "privacy forget")
    assert question.ephemeral
    assert "Publiserte referater blir stående" in question.content
    [message] = question.messages
    confirm = next(c for c in message.custom_ids() if c.endswith(":confirm"))
    intruder = await harness.person(council, "Noen andre")
    refused = await harness.server.click(intruder, message, confirm)
    await refused.wait_done()
    assert refused.content.startswith("⛔")
    done = await harness.server.click(alice, message, confirm)
    await done.wait_response()
    assert "slettet" in message.content
    shown = await harness.run(council.secretary, council, "roster show")
    assert "Åse" not in shown.content
    assert "Mangler: representant" in shown.content
    again = await harness.run(alice, council, "privacy mydata")
    assert json.loads(again.attachments[0].data)["data"] == {}
