"""The slash commands as Discord receives them: reviewed in a golden file, translations included."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

import pytest
from discord import Locale, app_commands

from bot.config import Config
from bot.runtime.client import CouncilBot, extensions
from bot.ui.translator import CouncilTranslator


async def loaded_bot(translator: app_commands.Translator) -> CouncilBot:
    bot = CouncilBot(Config())
    await bot.tree.set_translator(translator)
    for name in extensions():
        await bot.load_extension(name)
    return bot


@pytest.fixture
async def bot() -> AsyncIterator[CouncilBot]:
    bot = await loaded_bot(CouncilTranslator())
    yield bot
    await bot.close()


async def test_the_synced_commands_are_the_reviewed_ones(bot: CouncilBot, golden: Callable[[str, str], None]) -> None:
    payload = await bot.command_payload()
    golden("commands.json", json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    assert len(payload) == len(bot.tree.get_commands())


class Changed(CouncilTranslator):
    """The same catalogues with one Norwegian text changed, as after an edit of ``commands*.toml``."""

    async def translate(
        self, string: app_commands.locale_str, locale: Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        text = await super().translate(string, locale, context)
        return f"{text} (ny)" if text is not None and string.message == "Where, e.g. Zoom or an address" else text


async def test_a_changed_translation_changes_what_is_synced(bot: CouncilBot) -> None:
    changed = await loaded_bot(Changed())
    try:
        before, after = await bot.command_payload(), await changed.command_payload()
    finally:
        await changed.close()
    assert before != after, "a new Norwegian text must give a new digest, or the bot never syncs it"
    assert json.dumps(before).count("(ny)") == 0 and json.dumps(after, ensure_ascii=False).count("(ny)") >= 1
