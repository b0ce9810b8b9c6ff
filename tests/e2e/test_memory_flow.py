"""The council's memory through the real bot: decisions, action items and their follow-through,
circulation of the draft for comments, approval at the next meeting, and /org history."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.i18n import t
from bot.sandbox import Message, User
from bot.sandbox.harness import Council, Harness
from bot.ui.text import memory as memory_text
from tests.e2e.cast import ORGS_WITH_BAR, SEATS_WITH_BAR, call_the_december_meeting
from tests.messages import contains_message, is_message


def dms_containing(harness: Harness, user: User, text: str) -> list[Message]:
    return [m for m in harness.server.dms_to(user) if text in m.content]


def channel_text(harness: Harness, channel) -> str:
    return "\n".join(m.content for m in harness.server.messages_in(channel) if m.author.bot)


@pytest.fixture
async def people(harness: Harness, council: Council) -> dict[str, User]:
    people = await harness.seat(council, ORGS_WITH_BAR, SEATS_WITH_BAR)
    await call_the_december_meeting(harness, council)
    await harness.outbox_drained()
    return people


async def test_decision_and_actions_in_draft_owner_dm_at_publish_and_done(
    harness: Harness, council: Council, people, clock
):
    sec = council.secretary
    clock.set(datetime(2026, 12, 2, 12, 30, tzinfo=UTC))
    items = await harness.server.autocomplete(sec, "minutes decision", "item", {"item": 2}, guild=council.guild)
    assert [c["value"] for c in items] == [2]  # the agenda items of the meeting whose label has what was typed
    added = await harness.run(
        sec, council, "minutes decision", item=2, text="Alle må ha en vararepresentant – denne får kopi av referat"
    )
    assert is_message(added.content, "memory.decision_added", position=2, number=1)
    assert added.ephemeral
    typo = await harness.run(sec, council, "minutes decision", item=2, text="Feilført vedtak")
    assert is_message(typo.content, "memory.decision_added", position=2, number=1, text="Feilført vedtak")
    first = await harness.run(
        sec, council, "action add", text="Gi tips om foredragsholdere", org="LPP", due="15. desember"
    )
    assert "#1" in first.content
    assert "frist 15. desember 2026" in first.content
    second = await harness.run(sec, council, "action add", text="Skrive innspill til myndighetene")
    assert "#2" in second.content
    assert "sekretariatet" in second.content
    third = await harness.run(sec, council, "action add", text="Sjekke lokaler", user=people["rep_rio"], item=2)
    assert "#3" in third.content
    both = await harness.run(sec, council, "action add", text="Uklart", org="LPP", user=people["rep_rio"])
    assert both.content == t("nb", "memory.owner_both")
    bad_due = await harness.run(sec, council, "action add", text="Noe", due="blåbærsyltetøy")
    assert "#4" not in bad_due.content

    # The wrong decision is removed by its own command (autocomplete offers the meeting's decisions).
    typo_id = int(re.search(r"Vedtak nr\. (\d+)", typo.content)[1])
    choices = await harness.server.autocomplete(
        sec, "minutes decision-remove", "decision", {"decision": typo_id}, guild=council.guild
    )
    wrong = next(c["value"] for c in choices if "Feilført" in c["name"])
    removed = await harness.run(sec, council, "minutes decision-remove", decision=wrong)
    assert is_message(removed.content, "memory.decision_removed", id=wrong, position=2, number=1)

    drafted = await harness.run(sec, council, "minutes draft")
    assert drafted.content == t("nb", "minutes.draft_done", version=1, number=1)
    await harness.outbox_drained()
    draft = channel_text(harness, council.secretary_channel)
    assert "**Vedtak:**" in draft
    assert "Alle må ha en vararepresentant" in draft
    assert "Feilført" not in draft
    assert "## Vedtak i møtet" in draft
    assert "## Oppfølgingspunkter" in draft
    assert "#1 Gi tips om foredragsholdere (ansvarlig: LPP, frist 15. desember 2026)" in draft
    assert "#2 Skrive innspill til myndighetene (ansvarlig: sekretariatet)" in draft

    published = await harness.run(sec, council, "minutes publish")
    assert is_message(published.content, "minutes.published", number=1)
    await harness.restart_bot()
    await harness.outbox_drained()
    # One DM per owner with their items: LPP's representative (for the organisation) and Carl (in person).
    [lpp_dm] = dms_containing(harness, people["rep_lpp"], "Oppfølgingspunkter til deg")
    assert "#1 Gi tips om foredragsholdere" in lpp_dm.content
    assert "#3" not in lpp_dm.content
    [rio_dm] = dms_containing(harness, people["rep_rio"], "Oppfølgingspunkter til deg")
    assert "#3 Sjekke lokaler" in rio_dm.content
    assert dms_containing(harness, people["dep_lpp"], "Oppfølgingspunkter til deg") == []

    stranger = await harness.person(council, "Ukjent")
    refused = await harness.run(stranger, council, "action done", action=1)
    assert refused.content == t("nb", "memory.action_not_yours", number=1)
    other_owner = await harness.run(people["rep_rio"], council, "action done", action=1)
    assert other_owner.content == t("nb", "memory.action_not_yours", number=1)
    listed = await harness.run(stranger, council, "action list")
    assert "#1 Gi tips om foredragsholdere" in listed.content
    assert "åpen" in listed.content

    done = await harness.run(people["rep_lpp"], council, "action done", action=1, note="Sendt tre navn på e-post")
    assert contains_message(done.content, "memory.action_marked_done", number=1)
    again = await harness.run(people["rep_lpp"], council, "action done", action=1)
    assert again.content == t("nb", "memory.action_already_done", number=1)
    # The action option suggests open items only: #1 is done now, #3 is still open.
    closed = await harness.server.autocomplete(stranger, "action done", "action", {"action": 1}, guild=council.guild)
    assert closed == []
    suggested = await harness.server.autocomplete(stranger, "action done", "action", {"action": 3}, guild=council.guild)
    assert suggested == [{"name": "#3 Sjekke lokaler", "value": 3}]
    await harness.outbox_drained()
    assert "Sendt tre navn på e-post" in channel_text(harness, council.secretary_channel)
    open_now = await harness.run(stranger, council, "action list")
    assert "#1 " not in open_now.content
    everything = await harness.run(stranger, council, "action list", show="all")
    assert "#1 Gi tips om foredragsholdere" in everything.content
    assert "utført" in everything.content


async def test_due_date_reminder_once_across_a_restart(harness: Harness, council: Council, people, clock):
    sec = council.secretary
    clock.set(datetime(2026, 12, 2, 12, 30, tzinfo=UTC))
    await harness.run(sec, council, "action add", text="Sende rapporten", org="BAR", due="10. desember")
    await harness.run(sec, council, "action add", text="Ferdig før fristen", org="BAR", due="10. desember")
    await harness.run(sec, council, "minutes publish")
    await harness.outbox_drained()
    await harness.run(people["rep_bar"], council, "action done", action=2)

    assert harness.bot is not None
    clock.set(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))  # more than two days before: nothing yet
    await harness.bot.scheduler.run_once()
    await harness.outbox_drained()
    assert dms_containing(harness, people["rep_bar"], "Påminnelse") == []

    clock.set(datetime(2026, 12, 8, 23, 30, tzinfo=UTC))  # within two days of the due date
    await harness.bot.scheduler.run_once()
    await harness.outbox_drained()
    [reminder] = dms_containing(harness, people["rep_bar"], "Påminnelse")
    assert "#1 Sende rapporten" in reminder.content
    assert "#2" not in reminder.content  # done items are not reminded

    bot = await harness.restart_bot()
    await bot.scheduler.run_once()
    await harness.outbox_drained()
    assert len(dms_containing(harness, people["rep_bar"], "Påminnelse")) == 1

    clock.set(datetime(2026, 12, 11, 9, 0, tzinfo=UTC))  # overdue: on the dashboard
    board = await harness.run(sec, council, "meeting dashboard", meeting=1)
    assert contains_message(board.content, "memory.dashboard_overdue", count=1)
    assert "#1 Sende rapporten" in board.content


async def test_circulation_comment_reaches_the_secretary_and_closes(harness: Harness, council: Council, people, clock):
    sec = council.secretary
    clock.set(datetime(2026, 12, 2, 13, 30, tzinfo=UTC))
    await harness.run(sec, council, "minutes note", item=2, text="165 deltakere i 6. runde.")
    sent = await harness.run(sec, council, "minutes circulate", deadline="6. desember")
    assert is_message(sent.content, "memory.circulated_reply", version=1, number=1, count=5)
    message = await harness.latest_dm_with(people["dep_lpp"], "council:circulate:comment:")
    assert "165 deltakere" in message.content or any(
        "165 deltakere" in m.content for m in harness.server.dms_to(people["dep_lpp"])
    )
    assert any(a.filename.endswith(".docx") for m in harness.server.dms_to(people["dep_lpp"]) for a in m.attachments)

    opened = await harness.server.click(people["dep_lpp"], message, message.custom_ids()[0])
    await opened.wait_response()
    assert opened.modal is not None
    done = await harness.server.submit_modal(
        people["dep_lpp"], opened, {"council:circulate:form:text": "Tallet var 166, ikke 165. @everyone"}
    )
    await done.wait_done()
    assert "sendt til sekretæren" in done.content
    await harness.outbox_drained()
    posted = [m for m in harness.server.messages_in(council.secretary_channel) if "Kommentar til utkastet" in m.content]
    assert len(posted) == 1
    assert "Bjørn" in posted[0].content
    assert "LPP" in posted[0].content
    assert "Tallet var 166" in posted[0].content
    assert "@everyone" not in posted[0].content.replace("@\u200beveryone", "")
    board = await harness.run(sec, council, "meeting dashboard", meeting=1)
    assert contains_message(board.content, "memory.dashboard_comments", count=1)
    assert "Tallet var 166" in board.content

    # A stranger cannot comment; after the deadline (and across a restart) the button says comments are closed.
    stranger = await harness.person(council, "Ukjent")
    refused = await harness.server.click(stranger, message, message.custom_ids()[0])
    await refused.wait_done()
    assert refused.content == t("nb", "memory.comment_not_member")
    await harness.restart_bot()
    clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    closed = await harness.server.click(people["rep_rio"], message, message.custom_ids()[0])
    await closed.wait_done()
    assert closed.modal is None
    assert is_message(closed.content, "memory.comments_closed")

    await harness.run(sec, council, "minutes publish")
    await harness.outbox_drained()
    assert "sendt på høring til representanter og vara" in channel_text(harness, council.minutes_channel)


async def test_next_meeting_gets_the_approval_item_and_follow_up_then_history(
    harness: Harness, council: Council, people, clock, monkeypatch
):
    sec = council.secretary
    rsvp = await harness.latest_dm_with(people["rep_lpp"], "council:rsvp:")
    click = await harness.server.click(
        people["rep_lpp"], rsvp, next(c for c in rsvp.custom_ids() if c.endswith(":yes"))
    )
    await click.wait_done()
    await harness.run(sec, council, "status submit", org="LPP", text="Dagsseminar i november.")
    clock.set(datetime(2026, 12, 2, 12, 30, tzinfo=UTC))
    await harness.run(sec, council, "action add", text="Gi tips om foredragsholdere", org="LPP")
    await harness.run(sec, council, "action add", text="Skrive innspill til myndighetene")
    await harness.run(sec, council, "minutes publish")
    await harness.run(people["rep_lpp"], council, "action done", action=1, note="Tre navn sendt")

    await harness.run(sec, council, "meeting create", when="20. januar 2027 kl 10-13", place="Oslo")
    agenda = await harness.run(sec, council, "agenda show", meeting=2)
    assert "1. Godkjenning av referat fra forrige møte" in agenda.content
    assert "2. Hva skjer i organisasjonene?" in agenda.content
    await harness.run(sec, council, "meeting open", meeting=2)
    await harness.outbox_drained()
    invitation = harness.dms_with_buttons(people["rep_rio"], "council:rsvp:")[-1]
    assert t("nb", "memory.invitation_open_items") in invitation.content
    assert "#2 Skrive innspill til myndighetene" in invitation.content
    assert "#1 Gi tips" not in invitation.content  # done: not open any more

    clock.set(datetime(2027, 1, 20, 10, 15, tzinfo=UTC))
    approved = await harness.run(sec, council, "minutes approve")
    assert is_message(approved.content, "memory.approved_reply", number=1)
    again = await harness.run(sec, council, "minutes approve", meeting=1)
    assert again.content == t("nb", "memory.already_approved", number=1)
    await harness.outbox_drained()
    assert "Referatet fra møte 1 (2. desember 2026) er godkjent 20. januar 2027" in channel_text(
        harness, council.minutes_channel
    )
    exported = await harness.run(sec, council, "minutes export", format="md", meeting=1)
    [file] = exported.attachments
    assert "**Godkjent 20. januar 2027**" in file.data.decode()

    await harness.run(sec, council, "minutes draft", meeting=2)
    await harness.outbox_drained()
    draft = [m.content for m in harness.server.messages_in(council.secretary_channel) if "UTKAST" in m.content][-1]
    draft_all = channel_text(harness, council.secretary_channel)
    assert "UTKAST" in draft
    assert "## Oppfølging fra forrige møte" in draft_all
    assert "#1 Gi tips om foredragsholdere (ansvarlig: LPP) – utført 2. desember 2026: Tre navn sendt" in draft_all
    assert "#2 Skrive innspill til myndighetene (ansvarlig: sekretariatet) – åpen" in draft_all
    assert "Referatet fra møtet 2. desember 2026 ble godkjent." in draft_all

    history = await harness.run(people["rep_rio"], council, "org history", org="LPP")
    assert history.ephemeral
    assert "Historikk – Landsforeningen for pasienter og pårørende (LPP)" in history.content
    assert "**2.**" in history.content
    assert "**1.**" in history.content
    assert "til stede: Åse" in history.content
    assert "status sendt" in history.content
    assert "ikke svart" in history.content  # LPP did not answer for meeting 2
    assert history.content.index("**2.**") < history.content.index("**1.**")  # newest first

    # Long histories page: with one meeting per page, the button shows the older meeting in place.
    monkeypatch.setattr(memory_text, "HISTORY_PAGE", 1)
    paged = await harness.run(people["rep_rio"], council, "org history", org="LPP")
    assert "**2.**" in paged.content
    assert "**1.**" not in paged.content
    assert "(side 1 av 2)" in paged.content
    [forward] = paged.custom_ids()
    older = await harness.server.click(people["rep_rio"], paged.message, forward)
    await older.wait_done()
    assert "**1.**" in older.content
    assert "(side 2 av 2)" in older.content
    assert "Åpne oppfølgingspunkter" in older.content


async def test_in_english(harness: Harness, clock):
    council = await harness.create_council_server("Expert council")
    await harness.setup(council, language="en", name="Expert Council")
    rep = await harness.person(council, "Alice")
    await harness.run(council.secretary, council, "org add", name="Patients and Relatives", short="PR")
    await harness.run(council.secretary, council, "member assign", org="PR", role="representative", user=rep)
    created = await harness.run(council.secretary, council, "meeting create", when="2 December 2026 at 10-13")
    assert "✅" in created.content, created.content
    clock.set(datetime(2026, 12, 2, 12, 30, tzinfo=UTC))
    decided = await harness.run(council.secretary, council, "minutes decision", item=1, text="Everyone needs a deputy")
    assert "Decision no." in decided.content
    added = await harness.run(
        council.secretary, council, "action add", text="Suggest speakers", org="PR", due="15 December"
    )
    assert "due 15 December 2026" in added.content
    await harness.run(council.secretary, council, "minutes publish")
    await harness.outbox_drained()
    [dm] = dms_containing(harness, rep, "Action items for you")
    assert "#1 Suggest speakers" in dm.content
    posted = channel_text(harness, council.minutes_channel)
    assert "**Decision:**" in posted
    assert "## Action items" in posted
    refused = await harness.run(await harness.person(council, "Bob"), council, "action done", action=1)
    assert "Only the secretary or the owner" in refused.content
