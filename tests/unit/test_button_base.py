"""The base of every persistent button: parsing, the polite refusal, and the one error path.

discord.py swallows an exception raised in a DynamicItem's ``interaction_check`` (the press just
fails) and only logs one raised in its callback; these tests hold the base to answering the member
in every case. The interaction is a small fake we own: it records what would be sent.
"""

from __future__ import annotations

import logging
import re
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.domain.outbox import ButtonStyle
from bot.errors import NotFound
from bot.i18n import t
from bot.ui.buttons import CouncilButton, discord_style


class FakeResponse:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def is_done(self) -> bool:
        return bool(self.sent)

    async def send_message(self, **kwargs: Any) -> None:
        self.sent.append(kwargs)


class FakeClient:
    def __init__(self) -> None:
        self.lookups = 0

    async def language_for(self, guild_id: int) -> str:
        self.lookups += 1
        return "en"


class FakeInteraction:
    def __init__(self) -> None:
        self.response = FakeResponse()
        self.client = FakeClient()
        self.guild_id = 42
        self.user = SimpleNamespace(id=7)
        self.extras: dict[str, Any] = {}
        self.locale = discord.Locale.norwegian
        self.command = None


class ProbeButton(CouncilButton, template=r"council:probe:(?P<thing_id>\d+):(?P<mode>ok|refuse|crash|missing)"):
    where = "probe button"
    refusal = "errors.not_secretary"

    def __init__(self, thing_id: int, mode: str) -> None:
        super().__init__(label="probe", custom_id=f"council:probe:{thing_id}:{mode}")
        self.thing_id = thing_id
        self.mode = mode
        self.ran = False

    async def allowed(self, interaction: Any) -> bool:
        if self.mode == "crash":
            raise RuntimeError("the check broke")
        return self.mode != "refuse"

    async def run(self, interaction: Any) -> None:
        if self.mode == "missing":
            raise NotFound("errors.server_only")
        self.ran = True


async def _rebuilt(custom_id: str) -> ProbeButton:
    match = ProbeButton.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None
    return await ProbeButton.from_custom_id(FakeInteraction(), discord.ui.Button(), match)


async def test_the_custom_id_becomes_keyword_arguments_with_digits_as_int():
    button = await _rebuilt("council:probe:123456789012345678901:ok")
    assert button.thing_id == 123456789012345678901
    assert button.mode == "ok"
    assert button.item.custom_id == "council:probe:123456789012345678901:ok"


async def test_a_refused_member_is_told_why_ephemerally_and_nothing_runs():
    button, interaction = await _rebuilt("council:probe:1:refuse"), FakeInteraction()
    assert await button.interaction_check(interaction) is False
    [sent] = interaction.response.sent
    assert sent["content"] == t("en", "errors.not_secretary")
    assert sent["ephemeral"] is True
    assert not button.ran


async def test_an_error_raised_while_checking_reaches_the_reporter(caplog: pytest.LogCaptureFixture):
    button, interaction = await _rebuilt("council:probe:1:crash"), FakeInteraction()
    with caplog.at_level(logging.ERROR):
        assert await button.interaction_check(interaction) is False
    [sent] = interaction.response.sent
    ref = re.search(r"ref=(\w+) in probe button check", caplog.text)
    assert ref is not None, caplog.text
    assert sent["content"] == t("en", "errors.unexpected", ref=ref.group(1))
    assert sent["ephemeral"] is True


async def test_an_expected_error_in_the_callback_is_shown_in_the_councils_language():
    button, interaction = await _rebuilt("council:probe:1:missing"), FakeInteraction()
    assert await button.interaction_check(interaction) is True
    await button.callback(interaction)
    [sent] = interaction.response.sent
    assert sent["content"] == t("en", "errors.server_only")
    assert interaction.client.lookups == 1  # the language is looked up once per interaction


async def test_an_allowed_press_runs_the_button():
    button, interaction = await _rebuilt("council:probe:1:ok"), FakeInteraction()
    assert await button.interaction_check(interaction) is True
    await button.callback(interaction)
    assert button.ran
    assert interaction.response.sent == []


@pytest.mark.parametrize("style", list(ButtonStyle))
def test_every_domain_button_style_is_discords_style_of_that_name(style: ButtonStyle) -> None:
    # One mapping serves the answer buttons and the buttons of messages the outbox sends.
    assert discord_style(style) is getattr(discord.ButtonStyle, style.value)
