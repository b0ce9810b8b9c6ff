"""Replies of ``/council setup`` and ``/council info``."""

from __future__ import annotations

from bot.domain.roster import Council
from bot.domain.text import no_mentions
from bot.i18n import locale_of, t


def info(council: Council) -> str:
    """The council's configuration, in its language."""
    return t(
        council.language,
        "council.info",
        name=no_mentions(council.name),
        convener=no_mentions(council.convener),
        minutes_channel=f"<#{council.minutes_channel_id}>",
        secretary_channel=f"<#{council.secretary_channel_id}>",
        secretary_role=f"<@&{council.secretary_role_id}>",
        language=locale_of(council.language).native,
        timezone=council.timezone,
    )


def setup_done(council: Council) -> str:
    """``/council setup``: what is configured now."""
    return t(council.language, "council.setup_done", info=info(council))
