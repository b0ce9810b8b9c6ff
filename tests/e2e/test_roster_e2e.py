"""The roster commands through the real bot, over HTTP and websocket, as the secretary uses them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.sandbox import UploadFile
from bot.sandbox.harness import Council, Harness


async def test_setup_info_and_org_lifecycle(harness: Harness, council: Council):
    info = await harness.run(council.secretary, council, "council info")
    assert "Ekspertråd NKROP" in info.content
    assert "Europe/Oslo" in info.content
    assert info.ephemeral
    added = await harness.run(
        council.secretary, council, "org add", name="Landsforeningen for pasienter og pårørende", short="LPP",
        kind="relatives",
    )  # fmt: skip
    assert added.content == "✅ Landsforeningen for pasienter og pårørende (LPP) er lagt til i rådet."
    duplicate = await harness.run(council.secretary, council, "org add", name="Dobbel", short="lpp")
    assert "allerede i bruk" in duplicate.content
    choices = await harness.server.autocomplete(
        council.secretary, "org edit", "org", {"org": "LP"}, guild=council.guild
    )
    assert [c["value"] for c in choices] == ["LPP"]
    edited = await harness.run(council.secretary, council, "org edit", org="LPP", name="LPP – pårørende")
    assert "LPP – pårørende" in edited.content
    removed = await harness.run(council.secretary, council, "org remove", org="LPP")
    assert "Historikken" in removed.content
    shown = await harness.run(council.secretary, council, "roster show")
    assert "Ingen organisasjoner" in shown.content


async def test_assign_and_roster_flags_gaps(harness: Harness, council: Council):
    alice = await harness.person(council, "Åse Ødegård")
    bob = await harness.person(council, "Bjørn")
    await harness.run(council.secretary, council, "org add", name="RIO", short="RIO", kind="user")
    await harness.run(council.secretary, council, "org add", name="Mental Helse", short="MH", kind="user")
    assigned = await harness.run(
        council.secretary, council, "member assign", org="RIO", role="representative", user=alice
    )
    assert assigned.content == f"✅ <@{alice.id}> er nå representant for RIO."
    await harness.run(council.secretary, council, "member assign", org="RIO", role="deputy", user=bob)
    same = await harness.run(council.secretary, council, "member assign", org="RIO", role="deputy", user=alice)
    assert "både representant og vara" in same.content
    shown = await harness.run(alice, council, "roster show")
    assert "**RIO** – RIO" in shown.content
    assert "Representant: Åse Ødegård · Vara: Bjørn" in shown.content
    assert "⚠️ Mangler: representant, vara" in shown.content  # MH
    assert "1 organisasjon(er) mangler" in shown.content
    cleared = await harness.run(council.secretary, council, "member unassign", org="RIO", role="deputy")
    assert "ledig" in cleared.content


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
        assert handle.content.startswith("⛔ Bare sekretæren")
    info = await harness.run(member, council, "council info")
    assert "Ekspertråd NKROP" in info.content
    assert "Ingen organisasjoner" in (await harness.run(member, council, "roster show")).content
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
    assert "Ingenting ble importert. 2 feil" in refused.content
    assert "Linje 3" in refused.content
    assert "Linje 4" in refused.content
    good = text + "LPP,Landsforeningen for pasienter og pårørende,relatives,,,,\n"
    imported = await harness.run(council.secretary, council, "roster import", file=UploadFile("r.csv", good.encode()))
    assert "1 nye organisasjoner" in imported.content
    shown = await harness.run(council.secretary, council, "roster show")
    assert "**LPP**" in shown.content


async def test_register_buttons_survive_a_restart(harness: Harness, council: Council):
    carl = await harness.person(council, "Carl")
    await harness.run(council.secretary, council, "org add", name="Marborg", short="Marborg", kind="user")
    asked = await harness.run(carl, council, "register", org="Marborg", role="deputy")
    assert "sendt til sekretæren" in asked.content
    [request] = await harness.wait_channel(council.secretary_channel, 1)
    assert "ber om å bli **vara** for **Marborg**" in request.content
    await harness.restart_bot()
    refused = await harness.server.click(carl, request, request.custom_ids()[0])
    await refused.wait_done()
    assert refused.content.startswith("⛔") and refused.ephemeral
    approve = await harness.server.click(council.secretary, request, request.custom_ids()[0])
    await approve.wait_response()
    assert "er godkjent som vara for Marborg" in request.content
    assert request.custom_ids() == []
    shown = await harness.run(council.secretary, council, "roster show")
    assert "Vara: Carl" in shown.content
    [answer] = await harness.wait_dms(carl, 1)
    assert "godkjent deg som vara for Marborg" in answer.content


async def test_two_servers_never_see_each_other(harness: Harness, council: Council):
    other = await harness.create_council_server("Annet råd", "Annen sekretær")
    await harness.setup(other, language="en", name="Other council")
    await harness.run(council.secretary, council, "org add", name="RIO", short="RIO")
    shown = await harness.run(other.secretary, other, "roster show")
    assert "No organisations are registered yet" in shown.content
    edit = await harness.run(other.secretary, other, "org edit", org="RIO", name="Kapret")
    assert "No organisation has the short name" in edit.content
    # The other council's secretary is an ordinary member here: their role there means nothing here.
    await harness.server.add_member(council.guild, other.secretary)
    refused = await harness.run(other.secretary, council, "org add", name="X", short="X")
    assert refused.content.startswith("⛔")


async def test_bot_keeps_serving_after_the_gateway_drops(harness: Harness, council: Council):
    await harness.server.drop_gateway()
    await harness.server.wait_for(
        lambda: all(s.ws is not None for s in harness.server.sessions.values()), timeout=15, what="a resume"
    )
    handle = await harness.run(council.secretary, council, "council info")
    assert "Ekspertråd NKROP" in handle.content


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
    expected = (
        "Sekretærrollen kan ikke være @everyone" if language == "nb" else "The secretary role cannot be @everyone"
    )
    assert refused.content.startswith(expected)
    member = await harness.person(council, "Vanlig medlem")
    handle = await harness.run(member, council, "org add", name="Ny", short="NY")
    assert handle.content.startswith("⛔")
    info = await harness.run(member, council, "council info")
    assert "Ekspertråd NKROP" in info.content and "Alle er sekretærer" not in info.content


async def test_register_request_goes_through_the_outbox_and_survives_a_failed_send(
    harness: Harness, council: Council, clock
):
    carl = await harness.person(council, "Carl")
    await harness.run(council.secretary, council, "org add", name="Marborg", short="Marborg", kind="user")
    harness.server.fail_posts(council.secretary_channel, 1)
    asked = await harness.run(carl, council, "register", org="Marborg", role="deputy")
    assert "sendt til sekretæren" in asked.content  # the member's answer does not wait for the send

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
    assert "ber om å bli **vara** for **Marborg**" in request.content
    assert len(request.custom_ids()) == 2
    await wait_row(("sent", 2))
    approve = await harness.server.click(council.secretary, request, request.custom_ids()[0])
    await approve.wait_response()
    assert "er godkjent som vara for Marborg" in request.content
    [answer] = await harness.wait_dms(carl, 1)
    assert "godkjent deg som vara for Marborg" in answer.content
    assert len(harness.server.messages_in(council.secretary_channel)) == 1  # sent once
