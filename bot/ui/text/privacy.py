"""Replies of ``/privacy mydata`` and ``/privacy forget``."""

from __future__ import annotations

from bot.i18n import Language, t


def mydata(records: int, language: Language) -> str:
    """``/privacy mydata``: the file is attached."""
    return t(language, "privacy.mydata", records=records)


def forget_outcome(*, confirmed: bool, changed: bool, language: Language) -> str:
    """What the confirm / cancel button of ``/privacy forget`` did."""
    if not confirmed:
        return t(language, "privacy.cancelled")
    return t(language, "privacy.forgotten" if changed else "privacy.nothing_to_forget")
