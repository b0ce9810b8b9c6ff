"""Every message the meeting features send exists in both languages and carries its facts."""

from __future__ import annotations

import pytest

from bot.domain.attendance import Answer, CallUpReason
from bot.domain.meetings import AgendaItem, AgendaKind
from bot.domain.notices import (
    MeetingContext,
    any_other_business_title,
    call_up,
    cancel_notice,
    change_notice,
    invitation,
    no_deputy_alert,
    purpose_name,
    release,
    reminder,
    rsvp_reminder,
    status_reminder,
    status_round_title,
)
from bot.domain.outbox import OutgoingMessage, Purpose
from bot.domain.roster import Organisation, OrgKind, Role
from tests.december import council as december_council
from tests.december import december_meeting


def context(language: str, *, place: str = "Zoom") -> MeetingContext:
    council = december_council(language)
    meeting = december_meeting("Desembermøtet <@&42>", place, cancel_reason="Sykdom")
    agenda = [
        AgendaItem(1, 1, 5, 1, AgendaKind.STATUS_ROUND, status_round_title(council.language)),
        AgendaItem(2, 1, 5, 2, AgendaKind.ITEM, "ROP-tjenesten @everyone", "Lars Lien", True),
        AgendaItem(3, 1, 5, 3, AgendaKind.ANY_OTHER_BUSINESS, any_other_business_title(council.language)),
    ]
    return MeetingContext(council, meeting, agenda)


ORG = Organisation(7, 1, "Landsforeningen for pasienter og pårørende", "LPP", OrgKind.RELATIVES, 1)


def every_message(ctx: MeetingContext) -> list[OutgoingMessage]:
    return [
        invitation(ctx, ORG, Role.REPRESENTATIVE, alongside=False),
        invitation(ctx, ORG, Role.REPRESENTATIVE, alongside=False, has_deputy=False),
        invitation(ctx, ORG, Role.DEPUTY, alongside=True),
        invitation(ctx, ORG, Role.DEPUTY, alongside=False),
        call_up(ctx, ORG, CallUpReason.DECLINED),
        call_up(ctx, ORG, CallUpReason.DEADLINE),
        release(ctx, ORG),
        rsvp_reminder(ctx, ORG, None, late=False),
        rsvp_reminder(ctx, ORG, Answer.MAYBE, late=True),
        status_reminder(ctx, ORG),
        change_notice(ctx, ORG, old_when="før", old_place="Oslo"),
        change_notice(ctx, ORG, old_when=None, old_place=""),
        cancel_notice(ctx),
        no_deputy_alert(ctx, ORG, deadline_passed=False),
        no_deputy_alert(ctx, ORG, deadline_passed=True),
    ]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_message_is_translated_and_safe(language):
    for message in every_message(context(language)):
        assert "meetings." not in message.content, message.content
        assert "{" not in message.content, message.content
        assert "<@&42>" not in message.content and "@everyone" not in message.content
        assert len(message.content) < 2000
    for purpose in Purpose:
        assert not purpose_name(purpose, language).startswith("meetings.")


def test_invitation_holds_the_meeting_facts_the_rsvp_buttons_and_the_status_button():
    message = invitation(context("nb"), ORG, Role.REPRESENTATIVE, alongside=False)
    for fact in (
        "Landsforeningen for pasienter og pårørende (LPP)",
        "onsdag 2. desember 2026 kl. 10.00–13.00",
        "Zoom",
        "Morten A. Brodahl – NKROP",
        "1. Hva skjer i organisasjonene?",
        "ledes av Lars Lien",
        "3. Eventuelt",
        "onsdag 25. november 2026 kl. 23.59",
        "Skriv status",
        "svar på denne meldingen",
    ):
        assert fact in message.content
    assert [(b.label, b.custom_id) for b in message.buttons] == [
        ("Kommer", "council:rsvp:5:7:yes"),
        ("Kan ikke (vara stiller)", "council:rsvp:5:7:no"),
        ("Usikker", "council:rsvp:5:7:maybe"),
        ("Skriv status", "council:status:write:5:7"),
    ]
    english = invitation(context("en"), ORG, Role.REPRESENTATIVE, alongside=False)
    assert [b.label for b in english.buttons] == [
        "Attending",
        "Can't come (deputy attends)",
        "Not sure",
        "Write status",
    ]


def test_call_up_asks_for_the_answer_and_the_status_in_one_message():
    message = call_up(context("nb"), ORG, CallUpReason.DECLINED)
    assert [b.custom_id for b in message.buttons][-1] == "council:status:write:5:7"
    assert "svar på denne meldingen" in message.content


def test_one_reminder_per_person_holds_everything_they_owe():
    both = reminder(context("nb"), ORG, rsvp=True, current=None, status=True, late=False)
    assert "Vi har ikke fått svar" in both.content and "organisasjonens nytt" in both.content
    assert [b.custom_id for b in both.buttons] == [
        "council:rsvp:5:7:yes", "council:rsvp:5:7:no", "council:rsvp:5:7:maybe", "council:status:write:5:7",
    ]  # fmt: skip
    assert [b.custom_id for b in status_reminder(context("nb"), ORG).buttons] == ["council:status:write:5:7"]
    assert len(rsvp_reminder(context("nb"), ORG, None, late=False).buttons) == 3
    with pytest.raises(ValueError, match="remind"):
        reminder(context("nb"), ORG, rsvp=False, status=False, late=False)


def test_unknown_place_is_said_plainly():
    message = invitation(context("nb", place=""), ORG, Role.REPRESENTATIVE, alongside=False)
    assert "**Sted:** ikke avklart ennå" in message.content
