"""Every status form submitted is handled and answered: two writers at once, and across a restart (item 4)."""

from __future__ import annotations

from bot.sandbox import User
from bot.sandbox.harness import Council, Harness
from bot.sandbox.server import InteractionHandle

TEXT = "council:status:form:text"


async def open_form(harness: Harness, user: User) -> InteractionHandle:
    prompt = await harness.latest_dm_with(user, "council:status:write:")
    write = next(c for c in prompt.custom_ids() if c.startswith("council:status:write:"))
    opened = await harness.server.click(user, prompt, write)
    await opened.wait_response()
    assert opened.modal is not None, opened.content
    return opened


async def setup_call(harness: Harness, council: Council) -> tuple[User, User]:
    rep, dep = await harness.person(council, "Åse"), await harness.person(council, "Bjørn")
    await harness.run(council.secretary, council, "org add", name="Landsforeningen", short="LPP")
    await harness.run(council.secretary, council, "member assign", org="LPP", role="representative", user=rep)
    await harness.run(council.secretary, council, "member assign", org="LPP", role="deputy", user=dep)
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    await harness.run(council.secretary, council, "meeting open")
    return rep, dep


async def test_representative_and_called_up_deputy_both_writing_are_both_answered(harness: Harness, council: Council):
    rep, dep = await setup_call(harness, council)
    invitation = await harness.latest_dm_with(rep, "council:rsvp:")
    no = await harness.server.click(rep, invitation, next(c for c in invitation.custom_ids() if c.endswith(":no")))
    await no.wait_done()
    call = await harness.latest_dm_with(dep, "council:rsvp:")
    yes = await harness.server.click(dep, call, next(c for c in call.custom_ids() if c.endswith(":yes")))
    await yes.wait_done()

    rep_form = await open_form(harness, rep)
    dep_form = await open_form(harness, dep)
    assert rep_form.modal is not None and dep_form.modal is not None
    assert rep_form.modal.custom_id != dep_form.modal.custom_id  # two open forms never collide

    first = await harness.server.submit_modal(dep, dep_form, {TEXT: "Vara skriver: dagsseminar i juni."})
    await first.wait_done()
    assert "lagret" in first.content
    second = await harness.server.submit_modal(rep, rep_form, {TEXT: "Representanten skriver: nytt styre."})
    await second.wait_done()
    assert "lagret" in second.content
    assert "endret mens du skrev" in second.content
    assert "Vara skriver: dagsseminar i juni." in second.content  # both versions shown
    assert "Representanten skriver: nytt styre." in second.content
    bot = harness.bot
    assert bot is not None
    texts = [r["text"] for r in await bot.db.fetchall("SELECT text FROM status_versions ORDER BY version")]
    assert texts == ["Vara skriver: dagsseminar i juni.", "Representanten skriver: nytt styre."]


async def test_a_form_open_during_a_restart_is_saved_and_answered(harness: Harness, council: Council):
    rep, _dep = await setup_call(harness, council)
    opened = await open_form(harness, rep)
    await harness.restart_bot()
    submitted = await harness.server.submit_modal(rep, opened, {TEXT: "Skrevet mens boten startet på nytt."})
    await submitted.wait_done()
    assert "lagret" in submitted.content
    shown = await harness.run(rep, council, "status show")
    assert "Skrevet mens boten startet på nytt." in shown.content


async def test_two_commenters_and_a_restart_lose_no_comment_and_a_leaver_cannot_comment(
    harness: Harness, council: Council, clock
):
    """The same class in the circulation comment form (custom id per opener, handled by id, membership)."""
    from datetime import UTC, datetime

    rep, dep = await setup_call(harness, council)
    clock.set(datetime(2026, 12, 2, 13, 30, tzinfo=UTC))
    await harness.run(council.secretary, council, "minutes note", item=2, text="165 deltakere.")
    await harness.run(council.secretary, council, "minutes circulate", deadline="6. desember")
    forms = {}
    for user in (rep, dep):
        message = await harness.latest_dm_with(user, "council:circulate:comment:")
        opened = await harness.server.click(user, message, message.custom_ids()[0])
        await opened.wait_response()
        assert opened.modal is not None
        forms[user.id] = opened
    assert forms[rep.id].modal.custom_id != forms[dep.id].modal.custom_id  # type: ignore[union-attr]
    await harness.restart_bot()
    for user, text in ((dep, "Vara: tallet var 166."), (rep, "Rep: ellers riktig.")):
        done = await harness.server.submit_modal(user, forms[user.id], {"council:circulate:form:text": text})
        await done.wait_done()
        assert "sendt til sekretæren" in done.content, done.content
    await harness.outbox_drained()
    posted = "\n".join(m.content for m in harness.server.messages_in(council.secretary_channel))
    assert "Vara: tallet var 166." in posted
    assert "Rep: ellers riktig." in posted

    await harness.server.remove_member(council.guild, dep)
    message = await harness.latest_dm_with(dep, "council:circulate:comment:")
    refused = await harness.server.click(dep, message, message.custom_ids()[0])
    await refused.wait_response()
    assert refused.modal is None
    assert "ikke lenger medlem" in refused.content


async def test_a_minutes_edit_form_open_during_a_restart_is_saved(harness: Harness, council: Council):
    """The same class in the secretary's ``/minutes edit`` form, with a mention in the item's title."""
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    await harness.run(council.secretary, council, "agenda add", title="@everyone Nytt fra NKROP")
    await harness.run(council.secretary, council, "minutes note", item=2, text="Første notat.")
    opened = await harness.server.invoke(council.secretary, "minutes edit", {"item": 2}, guild=council.guild)
    await opened.wait_response()
    assert opened.modal is not None
    [field] = opened.modal.fields
    await harness.restart_bot()
    saved = await harness.server.submit_modal(council.secretary, opened, {field.custom_id: "Omskrevet notat."})
    await saved.wait_done()
    assert "lagret" in saved.content, saved.content
    assert "@everyone" not in saved.content
    bot = harness.bot
    assert bot is not None
    rows = await bot.db.fetchall("SELECT text FROM minutes_notes WHERE replaced_by IS NULL")
    assert [r["text"] for r in rows] == ["Omskrevet notat."]
