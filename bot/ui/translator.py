"""Slash-command localisation: Norwegian names and descriptions for Discord's ``no`` locale.

The English command text in the cogs is the source; ``bot/locales/nb/commands.toml`` maps each
English string to its Norwegian form.
"""

from __future__ import annotations

from discord import Locale, app_commands

from bot.i18n import catalogue


class CouncilTranslator(app_commands.Translator):
    """Looks command strings up in the ``commands`` catalogue."""

    async def translate(
        self, string: app_commands.locale_str, locale: Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        """Return the Norwegian text for the ``no`` locale, ``None`` (untranslated) otherwise."""
        if locale is not Locale.norwegian:
            return None
        return catalogue("nb").get(f"commands.{string.message}")
