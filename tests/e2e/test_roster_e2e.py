"""The roster commands through the real bot, over HTTP and websocket, as the secretary uses them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.i18n import t
from bot.sandbox import UploadFile
from bot.sandbox.harness import Council, Harness
from tests.messages import contains_message, is_message


async def test_setup_info_and_org_lifecycle(harness: Harness, council: Council):
    info = await harness.run(council.secretary, council, "council info")
    assert is_message(info.content, "council.info", name="Ekspertråd NKROP", timezone="Europe/Oslo")
    assert info.ephemeral
    added = await harness.run(
        council.secretary, council, "org add", name="Landsforeningen for pasienter og pårørende", short="LPP",
        kind="relatives",
    )  # fmt: skip
    assert added.content == t("nb", "roster.org_added", name="Landsforeningen for pasienter og pårørende (LPP)")
    duplicate = await harness.run(council.secretary, council, "org add", name="Dobbel", short="lpp")
    assert is_message(duplicate.content, "roster.short_taken")
    choices = await harness.server.autocomplete(
        council.secretary, "org edit", "org", {"org": "LP"}, guild=council.guild
    )
    assert [c["value"] for c in choices] == ["LPP"]
    edited = await harness.run(council.secretary, council, "org edit", org="LPP", name="LPP – pårørende")
    assert is_message(edited.content, "roster.org_edited")
    assert "LPP – pårørende" in edited.content
    removed = await harness.run(council.secretary, council, "org remove", org="LPP")
    assert is_message(removed.content, "roster.org_removed")
    shown = await harness.run(council.secretary, council, "roster show")
    assert shown.content == t("nb", "roster.empty")


async def test_assign_and_roster_flags_gaps(harness: Harness, council: Council):
    alice = await harness.person(council, "Åse Ødegård")
    bob = await harness.person(council, "Bjørn")
    await harness.run(council.secretary, council, "org add", name="RIO", short="RIO", kind="user")
    await harness.run(council.secretary, council, "org add", name="Mental Helse", short="MH", kind="user")
    assigned = await harness.run(
        council.secretary, council, "member assign", org="RIO", role="representative", user=alice
    )
    assert assigned.content == t(
        "nb", "roster.assigned", user=f"<@{alice.id}>", role=t("nb", "roster.role_representative"), short="RIO"
    )
    await harness.run(council.secretary, council, "member assign", org="RIO", role="deputy", user=bob)
    same = await harness.run(council.secretary, council, "member assign", org="RIO", role="deputy", user=alice)
    assert same.content == t("nb", "roster.same_person_both_seats")
    shown = await harness.run(alice, council, "roster show")
    assert (
        t("nb", "roster.entry", short="RIO", name="RIO", representative="Åse Ødegård", deputy="Bjørn") in shown.content
    )
    missing = ", ".join([t("nb", "roster.role_representative"), t("nb", "roster.role_deputy")])
    assert t("nb", "roster.gap", missing=missing) in shown.content  # MH
    assert t("nb", "roster.gap_summary", count=1) in shown.content
    cleared = await harness.run(council.secretary, council, "member unassign", org="RIO", role="deputy")
    assert cleared.content == t("nb", "roster.unassigned", role=t("nb", "roster.role_deputy"), short="RIO")


async def test_non_secretary_is_refused_and_nothing_changes(harness: Harness, council: Council):
    member = await harness.person(council, "Vanlig medlem")
    for path, options in [
        ("org add", {"name": "Ny", "short": "NY"}),
        ("council setup", {"name": "Kupp", "convener": "X", "minutes_channel": council.general,
                           "secretary_channel": council.general, "secretary_role": council.secretary_role}),
        ("roster export", {}),
    ]:  # fmt: skip
        handle = await harness.run(member, council, path, **options)
        assert handle.ephemeral
        assert handle.content == t("nb", "errors.not_secretary")
    info = await harness.run(member, council, "council info")
    assert is_message(info.content, "council.info", name="Ekspertråd NKROP")
    assert (await harness.run(member, council, "roster show")).content == t("nb", "roster.empty")
    admin = await harness.admin(council, "Serveradmin")
    ok = await harness.run(admin, council, "org add", name="Ny", short="NY")
    assert ok.content.startswith("✅")


async def test_csv_export_import_all_or_nothing(harness: Harness, council: Council):
    alice = await harness.person(council, "Åse")
    await harness.run(council.secretary, council, "org add", name="RIO", short="RIO", kind="user")
    await harness.run(council.secretary, council, "member assign", org="RIO", role="representative", user=alice)
    exported = await harness.run(council.secretary, council, "roster export")
    [csv_file] = exported.attachments
    text = csv_file.data.decode()
    assert text.splitlines()[1].startswith(f"RIO,RIO,user,{alice.id},Åse")
    bad = text + "LPP,,relatives,,,,\nBAR,Barn,alien,,,,\n"
    refused = await harness.run(council.secretary, council, "roster import", file=UploadFile("r.csv", bad.encode()))
    assert contains_message(refused.content, "roster.import_refused", count=2)
    assert "Linje 3" in refused.content
    assert "Linje 4" in refused.content
    good = text + "LPP,Landsforeningen for pasienter og pårørende,relatives,,,,\n"
    imported = await harness.run(council.secretary, council, "roster import", file=UploadFile("r.csv", good.encode()))
    assert is_message(imported.content, "roster.imported", added=1)
    shown = await harness.run(council.secretary, council, "roster show")
    assert "**LPP**" in shown.content


async def test_register_buttons_survive_a_restart(harness: Harness, council: Council):
    carl = await harness.person(council, "Carl")
    await harness.run(council.secretary, council, "org add", name="Marborg", short="Marborg", kind="user")
    asked = await harness.run(carl, council, "register", org="Marborg", role="deputy")
    assert asked.content == t("nb", "roster.request_sent", short="Marborg")
    [request] = await harness.wait_channel(council.secretary_channel, 1)
    assert is_message(request.content, "roster.request_posted", role="vara", org="Marborg")
    await harness.restart_bot()
    refused = await harness.server.click(carl, request, request.custom_ids()[0])
    await refused.wait_done()
    assert refused.content == t("nb", "errors.not_secretary") and refused.ephemeral
    approve = await harness.server.click(council.secretary, request, request.custom_ids()[0])
    await approve.wait_response()
    assert is_message(request.content, "roster.request_approved", role="vara", short="Marborg")
    assert request.custom_ids() == []
    shown = await harness.run(council.secretary, council, "roster show")
    assert "Vara: Carl" in shown.content
    [answer] = await harness.wait_dms(carl, 1)
    assert is_message(answer.content, "roster.decision_dm_approved", role="vara", org="Marborg")


async def test_two_servers_never_see_each_other(harness: Harness, council: Council):
    other = await harness.create_council_server("Annet råd", "Annen sekretær")
    await harness.setup(other, language="en", name="Other council")
    await harness.run(council.secretary, council, "org add", name="RIO", short="RIO")
    shown = await harness.run(other.secretary, other, "roster show")
    assert shown.content == t("en", "roster.empty")
    edit = await harness.run(other.secretary, other, "org edit", org="RIO", name="Kapret")
    assert edit.content == t("en", "roster.org_not_found", short="RIO")
    # The other council's secretary is an ordinary member here: their role there means nothing here.
    await harness.server.add_member(council.guild, other.secretary)
    refused = await harness.run(other.secretary, council, "org add", name="X", short="X")
    assert refused.content == t("nb", "errors.not_secretary")


async def test_bot_keeps_serving_after_the_gateway_drops(harness: Harness, council: Council):
    await harness.server.drop_gateway()
    await harness.server.wait_for(
        lambda: all(s.ws is not None for s in harness.server.sessions.values()), timeout=15, what="a resume"
    )
    handle = await harness.run(council.secretary, council, "council info")
    assert is_message(handle.content, "council.info", name="Ekspertråd NKROP")


@pytest.mark.parametrize("language", ["nb", "en"])
async def test_setup_refuses_everyone_as_secretary_role(harness: Harness, council: Council, language):
    await harness.setup(council, language=language)
    refused = await harness.run(
        council.owner,
        council,
        "council setup",
        name="Alle er sekretærer",
        convener="X",
        minutes_channel=council.minutes_channel,
        secretary_channel=council.secretary_channel,
        secretary_role=council.guild.everyone,
        language=language,
        timezone="Europe/Oslo",
    )
    assert refused.ephemeral
    assert refused.content == t(language, "council.secretary_role_everyone")
    member = await harness.person(council, "Vanlig medlem")
    handle = await harness.run(member, council, "org add", name="Ny", short="NY")
    assert handle.content == t(language, "errors.not_secretary")
    info = await harness.run(member, council, "council info")
    assert is_message(info.content, "council.info", language, name="Ekspertråd NKROP")


async def test_register_request_goes_through_the_outbox_and_survives_a_failed_send(
    harness: Harness, council: Council, clock
):
    carl = await harness.person(council, "Carl")
    await harness.run(council.secretary, council, "org add", name="Marborg", short="Marborg", kind="user")
    harness.server.fail_posts(council.secretary_channel, 1)
    asked = await harness.run(carl, council, "register", org="Marborg", role="deputy")
    assert asked.content == t(
        "nb", "roster.request_sent", short="Marborg"
    )  # the member's answer does not wait for the send

    async def outbox_row() -> tuple[str, int]:
        row = await harness.bot.db.fetchone(
            "SELECT state, attempts FROM outbox WHERE dedupe_key LIKE 'registration-request:%'"
        )
        assert row is not None
        return row[0], row[1]

    async def wait_row(expected: tuple[str, int]) -> None:
        async with asyncio.timeout(10):
            while await outbox_row() != expected:
                await harness.server.wait_changed(0.05)

    await wait_row(("pending", 1))  # the 503 was recorded; a retry is scheduled
    assert harness.server.messages_in(council.secretary_channel) == []
    clock.advance(timedelta(minutes=2))
    harness.bot.outbox_worker.wake()
    [request] = await harness.wait_channel(council.secretary_channel, 1)
    assert is_message(request.content, "roster.request_posted", role="vara", org="Marborg")
    assert len(request.custom_ids()) == 2
    await wait_row(("sent", 2))
    approve = await harness.server.click(council.secretary, request, request.custom_ids()[0])
    await approve.wait_response()
    assert is_message(request.content, "roster.request_approved", role="vara", short="Marborg")
    [answer] = await harness.wait_dms(carl, 1)
    assert is_message(answer.content, "roster.decision_dm_approved", role="vara", org="Marborg")
    assert len(harness.server.messages_in(council.secretary_channel)) == 1  # sent once
