"""Someone no longer in the server cannot act for an organisation (issue 12, item 8), through the real bot."""

from __future__ import annotations

from bot.sandbox.harness import Council, Harness


async def test_a_member_who_left_cannot_answer_or_write_and_the_secretary_is_told(harness: Harness, council: Council):
    rep = await harness.person(council, "Åse")
    stays = await harness.person(council, "Carl")
    await harness.run(council.secretary, council, "org add", name="Landsforeningen", short="LPP")
    await harness.run(council.secretary, council, "org add", name="RIO", short="RIO")
    await harness.run(council.secretary, council, "member assign", org="LPP", role="representative", user=rep)
    await harness.run(council.secretary, council, "member assign", org="RIO", role="representative", user=stays)
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    await harness.run(council.secretary, council, "meeting open")
    invitation = await harness.latest_dm_with(rep, "council:rsvp:")
    prompt = await harness.latest_dm_with(rep, "council:status:write:")
    await harness.outbox_drained()
    bot = harness.bot
    assert bot is not None
    before = [tuple(r) for r in await bot.db.fetchall("SELECT * FROM invitations ORDER BY id")]

    await harness.server.remove_member(council.guild, rep)

    click = await harness.server.click(rep, invitation, next(c for c in invitation.custom_ids() if c.endswith(":no")))
    await click.wait_done()
    assert "ikke lenger medlem" in click.content, click.content
    form = await harness.server.click(rep, prompt, prompt.custom_ids()[0])
    await form.wait_response()
    assert form.modal is None
    assert "ikke lenger medlem" in form.content
    await harness.server.send_dm(rep, "Nytt fra LPP etter at jeg gikk ut.")
    await harness.server.wait_for(
        lambda: sum("ikke lenger medlem" in m.content for m in harness.server.dms_to(rep)) >= 1, what="DM refusal"
    )
    assert [tuple(r) for r in await bot.db.fetchall("SELECT * FROM invitations ORDER BY id")] == before
    assert await bot.db.fetchall("SELECT id FROM status_drafts") == []
    await harness.outbox_drained()
    alerts = [m for m in harness.server.messages_in(council.secretary_channel) if "ikke lenger medlem" in m.content]
    assert len(alerts) == 1  # told once, not per click
    assert "LPP" in alerts[0].content

    # Someone still in the server is not affected.
    stayed = await harness.latest_dm_with(stays, "council:rsvp:")
    ok = await harness.server.click(stays, stayed, next(c for c in stayed.custom_ids() if c.endswith(":yes")))
    await ok.wait_done()
    assert "ikke lenger medlem" not in ok.content
