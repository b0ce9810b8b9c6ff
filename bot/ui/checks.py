"""Checks shared by cogs, and who and where an interaction is as the services take it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands

from bot.domain.roster import Person, is_secretary
from bot.ui.errors import NotInServer, SecretaryOnly

if TYPE_CHECKING:
    from bot.runtime.client import CouncilBot

T = TypeVar("T")


async def caller_is_secretary(interaction: discord.Interaction[CouncilBot]) -> bool:
    """Whether the caller has Manage Server or the council's secretary role."""
    if interaction.guild_id is None or not isinstance(interaction.user, discord.Member):
        return False
    council = await interaction.client.services.roster.find_council(interaction.guild_id)
    roles = frozenset(role.id for role in interaction.user.roles)
    return is_secretary(council, roles, manage_guild=interaction.user.guild_permissions.manage_guild)


def secretary_only() -> Callable[[T], T]:
    """App-command check: refuse anyone who is not the council's secretary."""

    async def predicate(interaction: discord.Interaction[CouncilBot]) -> bool:
        if interaction.guild_id is None:
            raise NotInServer
        if not await caller_is_secretary(interaction):
            raise SecretaryOnly
        return True

    return app_commands.check(predicate)


def guild_id_of(interaction: discord.Interaction[CouncilBot]) -> int:
    """The server id of a server-only command (guild_only commands always have one)."""
    if interaction.guild_id is None:
        raise NotInServer
    return interaction.guild_id


def person_of(user: discord.User | discord.Member) -> Person:
    """A Discord user as the services record people: id and the name shown in this server."""
    return Person(user.id, user.display_name)
