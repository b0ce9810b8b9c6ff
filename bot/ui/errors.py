"""The one error path for every interaction: slash commands, buttons and forms.

Expected failures (:class:`bot.errors.UserError`, failed checks, bad option values) become an
ephemeral message in the user's language. Anything else is a bug: it is logged with the command,
server and user ids (never message contents) and the user sees a short reference to quote.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.domain.text import no_mentions
from bot.errors import UserError
from bot.i18n import DEFAULT_LANGUAGE, t
from bot.ui.respond import interaction_language, respond

if TYPE_CHECKING:
    from bot.runtime.client import CouncilBot

log = logging.getLogger(__name__)


class SecretaryOnly(app_commands.CheckFailure):
    """Raised by the secretary check; shown as a polite refusal."""


class NotInServer(app_commands.CheckFailure):
    """A server command was used in a DM."""


def _unwrap(error: BaseException) -> BaseException:
    while isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError) and error.__cause__:
        if isinstance(error, app_commands.TransformerError) and not isinstance(error.__cause__, UserError):
            return error
        error = error.__cause__
    original = getattr(error, "original", None)
    return original if isinstance(original, BaseException) else error


async def report_error(interaction: discord.Interaction[CouncilBot], error: BaseException, *, where: str) -> None:
    """Answer the user for any exception raised while handling ``interaction``."""
    error = _unwrap(error)
    language = await _safe_language(interaction)
    if isinstance(error, UserError):
        # Parameters often echo what the user typed: never let them carry a live mention.
        params = {k: no_mentions(v) if isinstance(v, str) else v for k, v in error.params.items()}
        text = t(language, error.message_key, **params)
    elif isinstance(error, SecretaryOnly):
        text = t(language, "errors.not_secretary")
    elif isinstance(error, NotInServer):
        text = t(language, "errors.server_only")
    elif isinstance(error, app_commands.TransformerError):
        text = t(language, "errors.bad_option", value=str(error.value)[:100])
    elif isinstance(error, app_commands.CommandOnCooldown):
        text = t(language, "errors.cooldown", seconds=f"{error.retry_after:.0f}")
    elif isinstance(error, app_commands.CheckFailure):
        text = t(language, "errors.not_allowed")
    else:
        ref = secrets.token_hex(3)
        log.error(
            "unexpected error ref=%s in %s guild=%s user=%s",
            ref,
            where,
            interaction.guild_id,
            interaction.user.id,
            exc_info=error,
        )
        text = t(language, "errors.unexpected", ref=ref)
    try:
        await respond(interaction, text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not report an error to user %s in %s", interaction.user.id, where)


async def _safe_language(interaction: discord.Interaction[CouncilBot]) -> Any:
    try:
        return await interaction_language(interaction)
    except Exception:  # the database may be what failed
        log.exception("could not look up the language")
        return DEFAULT_LANGUAGE


class CouncilTree(app_commands.CommandTree["CouncilBot"]):
    """The command tree with the shared error handler."""

    async def on_error(self, interaction: discord.Interaction[CouncilBot], error: app_commands.AppCommandError) -> None:
        """Route every command error to :func:`report_error`."""
        name = interaction.command.qualified_name if interaction.command else "unknown command"
        await report_error(interaction, error, where=f"/{name}")
