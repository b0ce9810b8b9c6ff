"""Autocomplete callbacks shared by cogs."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands


async def org_autocomplete(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    """Suggest organisations by short name (matching short name or full name)."""
    if interaction.guild_id is None:
        return []
    orgs = await interaction.client.services.roster.search_orgs(interaction.guild_id, current)
    return [app_commands.Choice(name=f"{org.short} – {org.name}"[:100], value=org.short) for org in orgs[:25]]
