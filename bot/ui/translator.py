"""Slash-command localisation: Norwegian names and descriptions for Discord's ``no`` locale.

The English command text in the cogs is the source; ``bot/locales/nb/commands*.toml`` (one file per
feature) map each English string to its Norwegian form.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from discord import Locale, app_commands

from bot.i18n import catalogue


@cache
def command_translations() -> Mapping[str, str]:
    """English command text -> Norwegian, merged from every ``commands*.toml`` catalogue."""
    return {
        key.split(".", 1)[1]: value
        for key, value in catalogue("nb").items()
        if key.split(".", 1)[0].startswith("commands")
    }


class CouncilTranslator(app_commands.Translator):
    """Looks command strings up in the ``commands`` catalogue."""

    async def translate(
        self, string: app_commands.locale_str, locale: Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        """Return the Norwegian text for the ``no`` locale, ``None`` (untranslated) otherwise."""
        if locale is not Locale.norwegian:
            return None
        return command_translations().get(string.message)
