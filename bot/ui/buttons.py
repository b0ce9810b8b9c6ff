"""One base for the persistent buttons: parsing of the custom id, the refusal and the error path.

A button states its template (``council:…`` with named groups equal to its constructor's keyword
arguments), builds its :class:`discord.ui.Button`, and says what it does in :meth:`CouncilButton.run`.
The buttons that answer a question (confirm or cancel, approve or reject) derive from
:class:`AnswerButton`, which builds their template from the question and its answers, labels them and puts
the outcome in the question's place.
A button that only some people may press overrides :meth:`CouncilButton.allowed` and names the
catalogue message of its refusal in ``refusal``. discord.py only logs what a dynamic item raises (and
silently drops an exception raised while checking): here both reach the shared reporter of
:mod:`bot.ui.errors`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord

from bot.domain.outbox import ButtonStyle
from bot.i18n import Language, t
from bot.ui.errors import report_error
from bot.ui.respond import NO_MENTIONS, interaction_language, say

if TYPE_CHECKING:
    from bot.runtime.client import CouncilBot

_DIGITS = re.compile(r"[0-9]+")
BASE_TEMPLATE = r"council:(?!)"
"""The template of a base class: it matches no custom id (a base is never registered)."""


def discord_style(style: ButtonStyle) -> discord.ButtonStyle:
    """Discord's button style for one of the domain's (they go by Discord's names)."""
    return discord.ButtonStyle[style.value]


class CouncilButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BASE_TEMPLATE):
    """A persistent button whose state lives in its custom id and the database, never in memory.

    The base's own template matches nothing (it is never registered); each button gives its own.
    """

    where: ClassVar[str] = "button"
    """How the error log names the button."""
    refusal: ClassVar[str] = "errors.not_allowed"
    """The catalogue message shown (ephemerally) to someone :meth:`allowed` turns away."""

    def __init__(
        self, *, label: str, custom_id: str, style: discord.ButtonStyle = discord.ButtonStyle.secondary
    ) -> None:
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id))

    @classmethod
    async def from_custom_id(  # type: ignore[override]  # discord.py types the client loosely
        cls, interaction: discord.Interaction[CouncilBot], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom id: each named group is a keyword argument (digits as ``int``)."""
        params = {name: int(value) if _DIGITS.fullmatch(value) else value for name, value in match.groupdict().items()}
        build: Callable[..., Self] = cls  # each button takes its own keyword arguments
        return build(**params)

    async def allowed(self, interaction: discord.Interaction[CouncilBot]) -> bool:
        """Whether whoever pressed the button may use it (everyone, unless a button says otherwise)."""
        return True

    async def run(self, interaction: discord.Interaction[CouncilBot]) -> None:
        """What the button does."""
        raise NotImplementedError

    async def interaction_check(self, interaction: discord.Interaction[CouncilBot]) -> bool:  # type: ignore[override]  # discord.py types the client loosely
        """Refuse politely (ephemeral, in the council's language) instead of letting Discord show a failure."""
        try:
            if await self.allowed(interaction):
                return True
            await say(interaction, self.refusal)
        except Exception as exc:  # discord.py would swallow it silently
            await report_error(interaction, exc, where=f"{self.where} check")
        return False

    async def callback(self, interaction: discord.Interaction[CouncilBot]) -> None:  # type: ignore[override]  # discord.py types the client loosely
        """Run the button; any error takes the one error path."""
        try:
            await self.run(interaction)
        except Exception as exc:  # one error path for buttons too
            await report_error(interaction, exc, where=self.where)


class AnswerButton(CouncilButton, template=BASE_TEMPLATE):
    """One answer under a question asked with buttons; pressing it puts the outcome in the question's place.

    A button states its question and its answers as class parameters: ``question`` is the custom id up to
    the answer (a template with named groups), ``answers`` maps each answer to the catalogue key of its label
    and its style. The template is the question followed by ``:`` and one of the answers (the group
    ``answer``), so the answers are named once. The button says in :meth:`outcome` what the answer does.
    """

    answers: ClassVar[Mapping[str, tuple[str, ButtonStyle]]] = MappingProxyType({})
    """Each answer's label (a catalogue key) and style."""

    def __init_subclass__(cls, *, question: str, answers: Mapping[str, tuple[str, ButtonStyle]], **kwargs: Any) -> None:
        """Register the button under the template made of its question and answers."""
        choice = "|".join(re.escape(answer) for answer in answers)
        super().__init_subclass__(template=rf"{question}:(?P<answer>{choice})", **kwargs)
        cls.answers = MappingProxyType(dict(answers))

    def __init__(self, *, answer: str, custom_id: str, language: Language) -> None:
        key, style = self.answers[answer]
        super().__init__(label=t(language, key), style=discord_style(style), custom_id=custom_id)
        self.answer = answer

    async def outcome(self, interaction: discord.Interaction[CouncilBot], language: Language) -> str:
        """Do what the answer says; the text shown in place of the question."""
        raise NotImplementedError

    async def run(self, interaction: discord.Interaction[CouncilBot]) -> None:
        """Apply the answer and show the outcome where the question was, without the buttons."""
        text = await self.outcome(interaction, await interaction_language(interaction))
        await interaction.response.edit_message(content=text, view=None, allowed_mentions=NO_MENTIONS)
