"""One base for the persistent buttons: parsing of the custom id, the refusal and the error path.

A button states its template (``council:…`` with named groups equal to its constructor's keyword
arguments), builds its :class:`discord.ui.Button`, and says what it does in :meth:`CouncilButton.run`.
A button that only some people may press overrides :meth:`CouncilButton.allowed` and names the
catalogue message of its refusal in ``refusal``. discord.py only logs what a dynamic item raises (and
silently drops an exception raised while checking): here both reach the shared reporter of
:mod:`bot.ui.errors`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord

from bot.ui.errors import report_error
from bot.ui.respond import say

if TYPE_CHECKING:
    from bot.runtime.client import CouncilBot

_DIGITS = re.compile(r"[0-9]+")


class CouncilButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"council:(?!)"):
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
