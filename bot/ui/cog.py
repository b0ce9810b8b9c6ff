"""The base of every cog: the bot it belongs to, and the use cases it calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord.ext import commands

if TYPE_CHECKING:
    from bot.runtime.client import CouncilBot
    from bot.runtime.wiring import Services


class CouncilCog(commands.Cog):
    """A cog of council-bot: slash commands that call one use case of :attr:`services` and answer.

    A cog that is one command group derives from :class:`discord.ext.commands.GroupCog` as well
    (``class Minutes(CouncilCog, commands.GroupCog, group_name=...)``).
    """

    def __init__(self, bot: CouncilBot) -> None:
        self.bot = bot

    @property
    def services(self) -> Services:
        """The use cases, built once in ``setup_hook``."""
        return self.bot.services
