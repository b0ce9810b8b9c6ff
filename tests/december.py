"""The council and the December 2026 meeting that unit tests of messages and calendar files build on."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.domain.meetings import Meeting, MeetingState
from bot.domain.roster import Council
from bot.i18n import Language


def council(language: Language = "nb") -> Council:
    """Council 1 (Ekspertråd NKROP) in Oslo's time zone."""
    return Council(1, "Ekspertråd NKROP", "Morten A. Brodahl – NKROP", 2, 3, 4, language, "Europe/Oslo")


def december_meeting(title: str, place: str, **changes: Any) -> Meeting:
    """Meeting 5 (number 3): 2 December 2026, 10–13 in Oslo, open, answers by 25 and statuses by 29 November."""
    return Meeting(
        5,
        1,
        3,
        title,
        place,
        datetime(2026, 12, 2, 9, tzinfo=UTC),
        datetime(2026, 12, 2, 12, tzinfo=UTC),
        datetime(2026, 11, 25, 22, 59, tzinfo=UTC),
        datetime(2026, 11, 29, 22, 59, tzinfo=UTC),
        MeetingState.OPEN,
        1,
        datetime(2026, 11, 1, tzinfo=UTC),
        **changes,
    )
