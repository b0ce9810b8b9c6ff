"""Meetings, the call and the deputy substitution through the real bot, the way members answer by DM."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import t
from bot.sandbox import Message, User
from bot.sandbox.harness import Council, Harness
from tests.e2e.cast import ORGS_WITH_MH, SEATS_WITH_MH
from tests.messages import contains_message, is_message


def rsvp_dms(harness: Harness, user: User) -> list[Message]:
    return harness.dms_with_buttons(user, "council:rsvp:")


async def wait_invitations(harness: Harness, user: User, count: int = 1) -> Message:
    """Wait until ``user`` has ``count`` DMs with RSVP buttons (invitation, call-up); return the latest."""
    return await harness.latest_dm_with(user, "council:rsvp:", count)


async def answer(harness: Harness, user: User, choice: str) -> str:
    message = await wait_invitations(harness, user)
    return (await harness.press(user, message, f":{choice}")).content


@pytest.fixture
async def people(harness: Harness, council: Council) -> dict[str, User]:
    return await harness.seat(council, ORGS_WITH_MH, SEATS_WITH_MH)


async def open_meeting(harness: Harness, council: Council) -> None:
    created = await harness.run(
        council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom"
    )
    assert "onsdag 2. desember 2026 kl. 10.00–13.00" in created.content
    opened = await harness.run(council.secretary, council, "meeting open")
    assert contains_message(opened.content, "meetings.opened", number=1, orgs=3)


async def test_bad_dates_are_refused_and_nothing_is_stored(harness: Harness, council: Council):
    for when, needle in [("en gang i blant", "2. juni 2027 kl 10-15"), ("1. januar 2020 kl 10", "allerede vært")]:
        handle = await harness.run(council.secretary, council, "meeting create", when=when)
        assert needle in handle.content
        assert handle.ephemeral
    listed = await harness.run(council.secretary, council, "meeting list")
    assert listed.content == t("nb", "meetings.list_empty")


async def test_call_and_whole_substitution_table(harness: Harness, council: Council, people, clock):
    await open_meeting(harness, council)
    for key in ("rep_lpp", "rep_rio", "rep_mh"):
        message = await wait_invitations(harness, people[key])
        assert is_message(message.content, "meetings.invitation")
        assert "Hva skjer i organisasjonene?" in message.content
        labels = [c.split(":")[-1] for c in message.custom_ids() if c.startswith("council:rsvp:")]
        assert labels == ["yes", "no", "maybe"]
    assert harness.server.dms_to(people["dep_lpp"]) == []

    # The representative declines: the deputy is called up at once, with the same buttons.
    await answer(harness, people["rep_lpp"], "no")
    call_up = await wait_invitations(harness, people["dep_lpp"])
    assert is_message(
        call_up.content, "meetings.callup_declined", org="Landsforeningen for pasienter og pårørende (LPP)"
    )
    await answer(harness, people["dep_lpp"], "yes")
    # The representative can come after all: the deputy is released.
    await answer(harness, people["rep_lpp"], "yes")
    await harness.server.wait_for(
        lambda: any(is_message(m.content, "meetings.release") for m in harness.server.dms_to(people["dep_lpp"])),
        what="release",
    )
    # RIO has no deputy: declining flags it to the secretary.
    await answer(harness, people["rep_rio"], "no")
    alerts = await harness.wait_channel(council.secretary_channel, 1)
    assert is_message(alerts[0].content, "meetings.alert_no_deputy_declined", org="RIO", number=1)
    # MH's representative stays silent past the deadline: the deputy is called up, and declines -> Forfall.
    clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    assert harness.bot is not None
    await harness.bot.scheduler.run_once()
    assert is_message((await wait_invitations(harness, people["dep_mh"])).content, "meetings.callup_deadline")
    await answer(harness, people["dep_mh"], "no")
    board = await harness.run(council.secretary, council, "meeting dashboard")
    assert "LPP" in board.content
    assert "MH" in board.content
    assert board.ephemeral
    # Once the meeting has started, answers are refused with a clear message.
    clock.set(datetime(2026, 12, 2, 9, 30, tzinfo=UTC))
    late = await answer(harness, people["rep_rio"], "yes")
    assert late == t("nb", "rsvp.meeting_started")


async def test_stranger_clicking_a_forwarded_invitation_is_refused(harness: Harness, council: Council, people):
    await open_meeting(harness, council)
    message = await wait_invitations(harness, people["rep_rio"])
    stranger = await harness.person(council, "Ukjent")
    handle = await harness.server.click(stranger, message, message.custom_ids()[0])
    await handle.wait_done()
    assert handle.ephemeral
    assert handle.content
    assert not is_message(handle.content, "errors.unexpected")


async def test_reminders_once_per_offset_even_across_a_restart(harness: Harness, council: Council, people, clock):
    await open_meeting(harness, council)
    await answer(harness, people["rep_lpp"], "yes")
    await harness.outbox_drained()
    counts = {key: len(harness.server.dms_to(people[key])) for key in ("rep_lpp", "rep_rio", "rep_mh")}
    clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))  # between the 48 h reminder and the RSVP deadline
    assert harness.bot is not None
    await harness.bot.scheduler.run_once()
    await harness.outbox_drained()
    await harness.bot.scheduler.run_once()
    await harness.restart_bot()
    assert harness.bot is not None
    await harness.bot.scheduler.run_once()
    await harness.outbox_drained()

    def reminders(key: str) -> int:
        return sum("Påminnelse" in m.content and "kommer" in m.content for m in harness.server.dms_to(people[key]))

    assert reminders("rep_lpp") == 0  # answered
    assert reminders("rep_rio") == 1
    assert reminders("rep_mh") == 1
    assert len(harness.server.dms_to(people["rep_lpp"])) >= counts["rep_lpp"]


async def test_closed_dms_are_flagged_to_the_secretary(harness: Harness, council: Council, people):
    harness.server.close_dms(people["rep_rio"])
    await open_meeting(harness, council)
    alerts = await harness.wait_channel(council.secretary_channel, 1)
    closed = [
        m for m in alerts if is_message(m.content, "meetings.alert_closed_dms", user=f"<@{people['rep_rio'].id}>")
    ]
    assert closed
    alert = closed[0]
    assert alert.allowed_mentions is not None
    assert [str(u) for u in alert.allowed_mentions.get("users", [])] == [str(people["rep_rio"].id)]
    await harness.outbox_drained()
    board = await harness.run(council.secretary, council, "meeting dashboard")
    assert "RIO" in board.content


async def test_changes_and_cancellation_reach_every_invitee(harness: Harness, council: Council, people):
    await open_meeting(harness, council)
    await harness.outbox_drained()
    edited = await harness.run(council.secretary, council, "meeting edit", place="Sagatun, Hamar")
    assert "Sagatun, Hamar" in edited.content
    for key in ("rep_lpp", "rep_rio", "rep_mh"):
        await harness.server.wait_for(
            lambda key=key: any(
                contains_message(m.content, "meetings.change_place", place="Sagatun, Hamar")
                for m in harness.server.dms_to(people[key])
            ),
            what="change notice",
        )
    cancelled = await harness.run(council.secretary, council, "meeting cancel", reason="Sykdom")
    assert cancelled.content.splitlines() == [
        t("nb", "meetings.cancel_done", number=1, title="Møte i Ekspertråd NKROP"),
        t("nb", "meetings.invitees_told", count=3),
    ]
    for key in ("rep_lpp", "rep_rio", "rep_mh"):
        await harness.server.wait_for(
            lambda key=key: any(
                contains_message(m.content, "meetings.cancel_notice") for m in harness.server.dms_to(people[key])
            ),
            what="cancel notice",
        )


async def test_rsvp_command_and_agenda(harness: Harness, council: Council, people, clock):
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13")
    added = await harness.run(
        council.secretary, council, "agenda add", title="Nytt fra NKROP", lead="Kari Nysveen", deputy_interest=True
    )
    assert "Nytt fra NKROP" in added.content
    shown = await harness.run(people["rep_rio"], council, "agenda show")
    assert shown.content.index("Hva skjer i organisasjonene?") < shown.content.index("Nytt fra NKROP")
    assert shown.content.index("Nytt fra NKROP") < shown.content.index("Eventuelt")
    await harness.run(council.secretary, council, "meeting open")
    # With an item of special interest to deputies, the deputies are invited too.
    await wait_invitations(harness, people["dep_lpp"])
    replied = await harness.run(people["rep_rio"], council, "rsvp", answer="maybe", note="Avhenger av tog")
    assert replied.ephemeral
    assert t("nb", "meetings.answer_maybe") in replied.content
    clock.advance(timedelta(days=1))
    reminded = await harness.run(council.secretary, council, "meeting remind")
    assert reminded.content
    assert not is_message(reminded.content, "errors.unexpected")
