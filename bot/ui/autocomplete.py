"""Autocomplete callbacks shared by cogs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.domain.dates import format_date

if TYPE_CHECKING:
    from bot.client import CouncilBot


async def org_autocomplete(
    interaction: discord.Interaction[CouncilBot], current: str
) -> list[app_commands.Choice[str]]:
    """Suggest organisations by short name (matching short name or full name)."""
    if interaction.guild_id is None:
        return []
    orgs = await interaction.client.services.roster.search_orgs(interaction.guild_id, current)
    return [app_commands.Choice(name=f"{org.short} – {org.name}"[:100], value=org.short) for org in orgs[:25]]


async def meeting_autocomplete(
    interaction: discord.Interaction[CouncilBot], current: str
) -> list[app_commands.Choice[int]]:
    """Suggest meetings by number or title, newest first."""
    if interaction.guild_id is None:
        return []
    bot = interaction.client
    council = await bot.services.roster.find_council(interaction.guild_id)
    if council is None:
        return []
    meetings = await bot.services.meetings.search(interaction.guild_id, current)
    return [
        app_commands.Choice(
            name=f"{m.number}. {m.title} – {format_date(m.start_at, council.tz, council.language)}"[:100],
            value=m.number,
        )
        for m in meetings[:25]
    ]


async def item_autocomplete(
    interaction: discord.Interaction[CouncilBot], current: str
) -> list[app_commands.Choice[int]]:
    """Suggest agenda items of the meeting chosen in the same command (or the next meeting)."""
    if interaction.guild_id is None:
        return []
    bot = interaction.client
    number = getattr(interaction.namespace, "meeting", None)
    items = await bot.services.agenda.items(interaction.guild_id, number if isinstance(number, int) else None)
    wanted = current.strip().casefold()
    return [
        app_commands.Choice(name=f"{item.position}. {item.title}"[:100], value=item.position)
        for item in items
        if not wanted or wanted in f"{item.position}. {item.title}".casefold()
    ][:25]


async def guest_autocomplete(
    interaction: discord.Interaction[CouncilBot], current: str
) -> list[app_commands.Choice[str]]:
    """Suggest the guests of the meeting chosen in the same command (for ``/meeting guest remove`` and leads)."""
    if interaction.guild_id is None:
        return []
    number = getattr(interaction.namespace, "meeting", None)
    guests = await interaction.client.services.meetings.guest_names(
        interaction.guild_id, number if isinstance(number, int) else None
    )
    wanted = current.strip().casefold()
    labels = [(f"{g.name} ({g.affiliation})" if g.affiliation else g.name, g.name) for g in guests]
    return [
        app_commands.Choice(name=label[:100], value=value[:100])
        for label, value in labels
        if not wanted or wanted in label.casefold()
    ][:25]
