"""Helpers for answering interactions the same way everywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import discord

from bot.domain.text import messages_for_discord
from bot.i18n import Language, as_language, t

if TYPE_CHECKING:
    from bot.runtime.client import CouncilBot

NO_MENTIONS = discord.AllowedMentions.none()


async def respond(
    interaction: discord.Interaction[CouncilBot],
    content: str | None = None,
    *,
    ephemeral: bool = True,
    embed: discord.Embed | None = None,
    files: list[discord.File] | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Send a reply, as the first response or as a follow-up when the interaction is already answered.

    Mentions are always disabled: the bot never pings anyone by accident.
    """
    kwargs: dict[str, Any] = {"ephemeral": ephemeral, "allowed_mentions": NO_MENTIONS}
    if content is not None:
        kwargs["content"] = content
    if embed is not None:
        kwargs["embed"] = embed
    if files:
        kwargs["files"] = files
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


async def acknowledge(interaction: discord.Interaction[CouncilBot]) -> None:
    """Acknowledge a command that takes a while: only the caller sees that the bot is thinking.

    Discord wants an answer within three seconds; after this, :func:`respond` sends the reply as a
    follow-up (ephemeral, like the acknowledgement) within fifteen minutes.
    """
    await interaction.response.defer(ephemeral=True, thinking=True)


async def send_long(interaction: discord.Interaction[CouncilBot], text: str, *, ephemeral: bool = True) -> None:
    """Reply with ``text`` split into as many messages as Discord's length limit needs (none empty)."""
    for part in messages_for_discord(text):
        await respond(interaction, part, ephemeral=ephemeral)


_LANGUAGE: Final = "council.language"
"""Where :func:`interaction_language` keeps its answer in ``Interaction.extras``."""


async def interaction_language(interaction: discord.Interaction[CouncilBot]) -> Language:
    """The language to answer in: the council's, else the user's Discord locale, else bokmål.

    Looked up once per interaction and kept on it, so a command, its checks and its error report
    share one database read.
    """
    cached = interaction.extras.get(_LANGUAGE)
    if isinstance(cached, str):
        return as_language(cached)
    if interaction.guild_id is not None:
        language = await interaction.client.language_for(interaction.guild_id)
    else:
        language = as_language(str(interaction.locale))
    interaction.extras[_LANGUAGE] = language
    return language


async def say(
    interaction: discord.Interaction[CouncilBot], key: str, /, *, ephemeral: bool = True, **params: Any
) -> None:
    """Reply with a catalogue message in the interaction's language."""
    language = await interaction_language(interaction)
    await respond(interaction, t(language, key, **params), ephemeral=ephemeral)
