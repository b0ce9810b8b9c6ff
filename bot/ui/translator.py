"""Slash-command localisation: command names and descriptions in every language of the table.

The English command text in the cogs is the source; ``bot/locales/<code>/commands*.toml`` (one file per
feature) map each English string to its form in that language, shown to the Discord locales that the
language's row of :data:`bot.i18n.LOCALES` names.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from discord import Locale, app_commands

from bot.i18n import DEFAULT_LANGUAGE, LOCALES, Language, catalogue


@cache
def command_translations(language: Language = DEFAULT_LANGUAGE) -> Mapping[str, str]:
    """English command text -> ``language``, merged from its ``commands*.toml`` catalogues."""
    return {
        key.split(".", 1)[1]: value
        for key, value in catalogue(language).items()
        if key.split(".", 1)[0].startswith("commands")
    }


@cache
def _language_of(locale: Locale) -> Language | None:
    return next((row.code for row in LOCALES.values() if locale.value in row.discord), None)


class CouncilTranslator(app_commands.Translator):
    """Looks command strings up in the ``commands`` catalogues of the language Discord asks for."""

    async def translate(
        self, string: app_commands.locale_str, locale: Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        """The text in the language whose row names ``locale``; ``None`` (the English source) otherwise."""
        language = _language_of(locale)
        if language is None:
            return None
        return command_translations(language).get(string.message)
