"""``/council setup`` and ``/council info``."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.i18n import LOCALES
from bot.runtime.client import CouncilBot
from bot.ui.checks import guild_id_of, secretary_only
from bot.ui.cog import CouncilCog
from bot.ui.respond import respond
from bot.ui.text import council as council_text


@app_commands.guild_only()
class Councils(
    CouncilCog, commands.GroupCog, group_name=_("council"), group_description=_("The council of this server")
):
    """Council configuration."""

    @app_commands.command(name=_("setup"), description=_("Configure this server's council"))
    @app_commands.describe(
        name=_("The council's name, e.g. Ekspertråd NKROP"),
        convener=_("Who convenes the meetings, e.g. Morten A. Brodahl – NKROP"),
        minutes_channel=_("Channel where published minutes are posted"),
        secretary_channel=_("Channel for drafts, approvals and warnings"),
        secretary_role=_("Role allowed to run secretary commands"),
        language=_("Language of the bot's messages and the minutes"),
        timezone=_("IANA time zone, e.g. Europe/Oslo"),
    )
    @app_commands.choices(language=[app_commands.Choice(name=_(row.name), value=row.code) for row in LOCALES.values()])
    @secretary_only()
    async def council_setup(
        self,
        interaction: discord.Interaction[CouncilBot],
        name: app_commands.Range[str, 1, 100],
        convener: app_commands.Range[str, 1, 100],
        minutes_channel: discord.TextChannel,
        secretary_channel: discord.TextChannel,
        secretary_role: discord.Role,
        language: str | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        existing = await self.services.roster.find_council(guild_id)
        council = await self.services.roster.setup_council(
            guild_id,
            name=name,
            convener=convener,
            minutes_channel_id=minutes_channel.id,
            secretary_channel_id=secretary_channel.id,
            secretary_role_id=secretary_role.id,
            language=language or (existing.language if existing else self.bot.config.defaults.language),
            timezone=timezone or (existing.timezone if existing else self.bot.config.defaults.timezone),
        )
        await respond(interaction, council_text.setup_done(council))

    @app_commands.command(name=_("info"), description=_("Show this server's council configuration"))
    async def council_info(self, interaction: discord.Interaction[CouncilBot]) -> None:
        council = await self.services.roster.council(guild_id_of(interaction))
        await respond(interaction, council_text.info(council))


async def setup(bot: CouncilBot) -> None:
    """Load the cog."""
    await bot.add_cog(Councils(bot))
