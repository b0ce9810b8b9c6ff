"""Status updates and minutes through the real bot: DMs, forms, drafts, publication and copies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n import t
from bot.sandbox import Message, User
from bot.sandbox.harness import Council, Harness
from tests.e2e.cast import ORGS_WITH_BAR, SEATS_WITH_BAR, call_the_december_meeting
from tests.messages import contains_message, is_message


async def press(harness: Harness, user: User, message: Message, suffix: str) -> str:
    return (await harness.press(user, message, suffix)).content


@pytest.fixture
async def people(harness: Harness, council: Council) -> dict[str, User]:
    people = await harness.seat(council, ORGS_WITH_BAR, SEATS_WITH_BAR)
    await call_the_december_meeting(harness, council)
    return people


async def test_status_by_form_by_dm_joined_and_edited(harness: Harness, council: Council, people):
    # One DM per person: the invitation holds the RSVP buttons and "Skriv status".
    prompt = await harness.latest_dm_with(people["rep_lpp"], "council:status:write:")
    await harness.outbox_drained()
    assert harness.server.dms_to(people["rep_lpp"]) == [prompt]
    assert any(c.startswith("council:rsvp:") for c in prompt.custom_ids())
    write = next(c for c in prompt.custom_ids() if c.startswith("council:status:write:"))
    opened = await harness.server.click(people["rep_lpp"], prompt, write)
    await opened.wait_response()
    assert opened.modal is not None
    done = await harness.server.submit_modal(people["rep_lpp"], opened, {"council:status:form:text": "Dagsseminar."})
    await done.wait_done()
    assert contains_message(done.content, "status.saved", org="LPP", title="Møte i Ekspertråd NKROP")
    # /status write opens the same form, pre-filled with what is stored.
    again = await harness.server.invoke(people["rep_lpp"], "status write", {}, guild=council.guild)
    await again.wait_response()
    assert again.modal is not None
    assert "Dagsseminar." in str(again.modal)

    # Several DMs in a row become one draft; nothing is stored until the member chooses.
    rio = people["rep_rio"]
    await harness.server.send_dm(rio, "Første del av nyheten.")
    await harness.server.send_dm(rio, "Andre del, med æøå.")
    await harness.server.wait_for(
        lambda: any(
            contains_message(m.content, "status.preview_received_joined", count=2) for m in harness.server.dms_to(rio)
        ),
        what="joined draft",
    )
    preview = await harness.latest_dm_with(rio, "council:status:draft:", 1)
    custom_id = next(c for c in preview.custom_ids() if c.endswith(":replace"))
    click = await harness.server.click(rio, preview, custom_id)
    [saved] = await click.wait_followups(1)
    assert contains_message(saved.content, "status.resolved_saved")
    assert preview.custom_ids() == []  # the buttons are gone from the preview
    shown = await harness.run(rio, council, "status show")
    assert "Første del av nyheten." in shown.content
    assert "Andre del, med æøå." in shown.content
    assert shown.ephemeral


async def test_refusals_stranger_too_long_and_secretary_submission(harness: Harness, council: Council, people):
    stranger = await harness.person(council, "Ukjent")
    await harness.server.send_dm(stranger, "Hei, her er nytt fra oss!")
    [reply] = await harness.wait_dms(stranger, 1)
    assert reply.content == t("nb", "status.dm_stranger")
    assert reply.custom_ids() == []

    too_long = await harness.run(council.secretary, council, "status submit", org="RIO", text="x" * 3500)
    assert too_long.content == t("nb", "status.too_long", length=3500, limit=3000)
    submitted = await harness.run(
        council.secretary, council, "status submit", org="BAR", text="Chatten er åpen hele jula.",
        source="mottatt på e-post",
    )  # fmt: skip
    assert "mottatt på e-post" in submitted.content


async def test_dm_sent_while_the_bot_was_down_is_taken_once(harness: Harness, council: Council, people):
    rio = people["rep_rio"]
    await harness.latest_dm_with(rio, "council:status:write:")
    await harness.outbox_drained()
    await harness.stop_bot()
    await harness.server.send_dm(rio, "Skrevet mens boten var nede.")
    await harness.start_bot()
    preview = await harness.latest_dm_with(rio, "council:status:draft:")
    assert "Skrevet mens boten var nede." in preview.content
    await harness.restart_bot()
    await harness.outbox_drained()
    previews = harness.dms_with_buttons(rio, "council:status:draft:")
    assert len(previews) == 1


async def test_minutes_draft_publish_once_amend_and_copies(harness: Harness, council: Council, people, clock):
    # LPP's representative cannot come; the deputy attends. BAR cannot come but sends a written status.
    for key, choice in [("rep_lpp", ":no"), ("rep_rio", ":yes"), ("rep_bar", ":no")]:
        await press(harness, people[key], await harness.latest_dm_with(people[key], "council:rsvp:"), choice)
    await press(harness, people["dep_lpp"], await harness.latest_dm_with(people["dep_lpp"], "council:rsvp:"), ":yes")
    await press(harness, people["dep_bar"], await harness.latest_dm_with(people["dep_bar"], "council:rsvp:"), ":no")
    await harness.run(
        council.secretary, council, "status submit", org="BAR", text="@everyone Chatten er åpen hele jula.",
        source="mottatt på e-post",
    )  # fmt: skip
    harness.server.close_dms(people["rep_rio"])
    clock.set(datetime(2026, 12, 2, 12, 30, tzinfo=UTC))
    await harness.run(council.secretary, council, "minutes note", item=2, text="165 deltakere i 6. runde.")
    await harness.run(council.secretary, council, "meeting next", when="onsdag 2. juni 2027 kl 10-15")
    drafted = await harness.run(council.secretary, council, "minutes draft")
    assert drafted.content == t("nb", "minutes.draft_done", version=1, number=1)
    await harness.outbox_drained()
    drafts = [m for m in harness.server.messages_in(council.secretary_channel) if "UTKAST" in m.content]
    assert drafts
    assert all(len(m.content) <= 2000 for m in harness.server.messages_in(council.secretary_channel))
    files = [a.filename for m in harness.server.messages_in(council.secretary_channel) for a in m.attachments]
    assert any(f.endswith(".md") for f in files)
    assert any(f.endswith(".docx") for f in files)

    harness.server.set_rate_limits(global_per_second=8)  # slow the copies so the restart lands mid-way
    published = await harness.run(council.secretary, council, "minutes publish")
    assert is_message(published.content, "minutes.published", number=1)
    await harness.restart_bot()
    harness.server.set_rate_limits()
    await harness.outbox_drained(timeout=30)
    again = await harness.run(council.secretary, council, "minutes publish")
    assert again.content == t("nb", "minutes.already_published", number=1)
    await harness.outbox_drained()

    def copies(user: User) -> int:
        return sum(1 for m in harness.server.dms_to(user) if any(a.filename.endswith(".docx") for a in m.attachments))

    for key in ("rep_lpp", "dep_lpp", "rep_bar", "dep_bar"):
        assert copies(people[key]) == 1, key
    assert copies(people["rep_rio"]) == 0  # closed DMs: flagged instead
    alerts = [m for m in harness.server.messages_in(council.secretary_channel) if "direktemeldinger" in m.content]
    assert any(f"<@{people['rep_rio'].id}>" in m.content for m in alerts)

    posted = [m for m in harness.server.messages_in(council.minutes_channel) if m.author.bot]
    text = "\n".join(m.content for m in posted)
    assert "# Møtereferat – Ekspertråd NKROP" in text
    assert "(vara)" in text
    assert "skriftlig innspill" in text
    assert "@everyone" not in text
    assert "165 deltakere i 6. runde." in text

    amended = await harness.run(council.secretary, council, "minutes amend", text="Ny leder er Bjørn Stensrud.")
    assert is_message(amended.content, "minutes.amended", number=1)
    await harness.outbox_drained()
    for key in ("rep_lpp", "dep_lpp", "rep_bar", "dep_bar"):
        assert copies(people[key]) == 2, key
    exported = await harness.run(council.secretary, council, "minutes export", format="md")
    [file] = exported.attachments
    assert "Tillegg til referatet" in file.data.decode()
