"""Erasure that always works and reaches everything (issue 12, items 1, 3, 6 and 10), through the real bot."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.sandbox import Message, User
from bot.sandbox.harness import Council, Harness


async def forget(harness: Harness, council: Council, user: User) -> str:
    question = await harness.run(user, council, "privacy forget")
    [message] = question.messages
    confirm = next(c for c in message.custom_ids() if c.endswith(":confirm"))
    done = await harness.server.click(user, message, confirm)
    await done.wait_done()
    return message.content + done.content


async def my_data(harness: Harness, council: Council, user: User) -> dict[str, list[dict[str, object]]]:
    handle = await harness.run(user, council, "privacy mydata")
    data: dict[str, list[dict[str, object]]] = json.loads(handle.attachments[0].data)["data"]
    return data


async def rsvp_dm(harness: Harness, user: User) -> Message:
    return await harness.latest_dm_with(user, "council:rsvp:")


async def press(harness: Harness, user: User, message: Message, suffix: str) -> str:
    return (await harness.press(user, message, suffix)).content


async def everything_mentioning(harness: Harness, user_id: int) -> list[str]:
    """Every stored value in the bot's database that holds the id (ids, keys, payloads, texts)."""
    bot = harness.bot
    assert bot is not None
    found = []
    for (table,) in await bot.db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in await bot.db.fetchall(f"SELECT * FROM {table}"):
            for key in row.keys():  # noqa: SIM118 - aiosqlite.Row
                value = row[key]
                if isinstance(value, bytes):
                    continue
                if value is not None and str(user_id) in str(value):
                    found.append(f"{table}.{key}")
    return found


@pytest.fixture
async def people(harness: Harness, council: Council) -> dict[str, User]:
    names = {"rep_lpp": "Åse", "dep_lpp": "Bjørn", "rep_rio": "Carl", "dep_rio": "Dina"}
    people = {key: await harness.person(council, name) for key, name in names.items()}
    await harness.run(council.secretary, council, "org add", name="Landsforeningen for pasienter", short="LPP")
    await harness.run(council.secretary, council, "org add", name="RIO", short="RIO")
    for org, role, key in [("LPP", "representative", "rep_lpp"), ("LPP", "deputy", "dep_lpp"),
                           ("RIO", "representative", "rep_rio"), ("RIO", "deputy", "dep_rio")]:  # fmt: skip
        await harness.run(council.secretary, council, "member assign", org=org, role=role, user=people[key])
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    await harness.run(council.secretary, council, "meeting open")
    return people


async def test_three_members_forget_one_after_another_after_a_publish(
    harness: Harness, council: Council, people, clock
):
    # Copies of the minutes to everyone (dedupe keys minutes:<m>:published:<uid>) and a closed-DM alert
    # naming Carl (<@id> in the payload, mention_user_id) are stored before anyone forgets.
    await press(harness, people["rep_lpp"], await rsvp_dm(harness, people["rep_lpp"]), ":no")
    await press(harness, people["dep_lpp"], await rsvp_dm(harness, people["dep_lpp"]), ":yes")
    await press(harness, people["rep_rio"], await rsvp_dm(harness, people["rep_rio"]), ":yes")
    # Change notices to a representative and a deputy of one organisation (change:<m>:<rev>:<org>:<uid>).
    await harness.run(council.secretary, council, "meeting edit", place="Oslo, Tollbugata 1")
    await harness.run(council.secretary, council, "meeting remind")
    await harness.outbox_drained()
    harness.server.close_dms(people["rep_rio"])
    clock.set(datetime(2026, 12, 2, 12, 30, tzinfo=UTC))
    published = await harness.run(council.secretary, council, "minutes publish")
    assert "publisert" in published.content
    await harness.outbox_drained()
    alerts = [m for m in harness.server.messages_in(council.secretary_channel) if "direktemeldinger" in m.content]
    assert alerts

    for key in ("rep_lpp", "dep_lpp", "rep_rio"):
        user = people[key]
        assert await my_data(harness, council, user) != {}
        answer = await forget(harness, council, user)
        assert "slettet" in answer, (key, answer)
        assert "gikk galt" not in answer.lower()
        assert await my_data(harness, council, user) == {}, key
        assert await everything_mentioning(harness, user.id) == [], key
    # The one left can still forget, and the council's history (the published minutes) is kept.
    assert "slettet" in await forget(harness, council, people["dep_rio"])
    exported = await harness.run(council.secretary, council, "minutes export", format="md")
    assert "Møtereferat" in exported.attachments[0].data.decode()


async def test_my_data_holds_only_my_own_columns(harness: Harness, council: Council, people):
    await press(harness, people["rep_lpp"], await rsvp_dm(harness, people["rep_lpp"]), ":no")
    await rsvp_dm(harness, people["dep_lpp"])  # called up
    await harness.run(people["dep_lpp"], council, "rsvp", answer="no", note="sykmeldt til 1.12")
    await harness.run(council.secretary, council, "meeting attendance", org="LPP", present=False)
    # Recorded by the secretary on a member's behalf: the member's note is not the secretary's data.
    await harness.run(council.secretary, council, "meeting rsvp", org="RIO", answer="no", note="privat grunn")
    rep_file = json.dumps(await my_data(harness, council, people["rep_lpp"]), ensure_ascii=False)
    assert str(people["dep_lpp"].id) not in rep_file
    assert "sykmeldt" not in rep_file
    secretary_file = json.dumps(await my_data(harness, council, council.secretary), ensure_ascii=False)
    assert "sykmeldt" not in secretary_file
    assert "privat grunn" not in secretary_file
    for user in (people["rep_lpp"], people["dep_lpp"], people["rep_rio"]):
        assert str(user.id) not in secretary_file
    dep_file = json.dumps(await my_data(harness, council, people["dep_lpp"]), ensure_ascii=False)
    assert "sykmeldt til 1.12" in dep_file  # what they wrote themselves
    assert str(people["rep_lpp"].id) not in dep_file


async def test_forgetting_during_an_open_call_messages_nobody_at_id_zero(harness: Harness, council: Council, people):
    await rsvp_dm(harness, people["rep_rio"])
    await harness.outbox_drained()
    assert "slettet" in await forget(harness, council, people["rep_rio"])
    bot = harness.bot
    assert bot is not None
    zero = "SELECT id FROM outbox WHERE target_kind = 'user' AND target_id = 0"
    before = await bot.db.fetchall(zero)  # Carl's invitation and prompt, sent before: history, anonymised
    reminded = await harness.run(council.secretary, council, "meeting remind")
    assert reminded.content
    await harness.outbox_drained()
    assert len(await bot.db.fetchall(zero)) == len(before)
    assert await bot.db.fetchall(zero + " AND state != 'sent'") == []
    assert not any("<@0>" in m.content for m in harness.server.messages_in(council.secretary_channel))
    board = await harness.run(council.secretary, council, "meeting dashboard")
    assert "slettet" in board.content
    assert "**RIO**" in board.content
