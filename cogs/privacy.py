"""``/privacy mydata`` and ``/privacy forget``."""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.domain.outbox import ButtonStyle
from bot.i18n import DEFAULT_LANGUAGE, Language, t
from bot.runtime.client import CouncilBot
from bot.ui.buttons import AnswerButton
from bot.ui.checks import guild_id_of
from bot.ui.cog import CouncilCog
from bot.ui.respond import interaction_language, respond
from bot.ui.text import privacy as privacy_text


class ForgetButton(
    AnswerButton,
    question=r"council:privacy:forget:(?P<user_id>\d+)",
    answers={
        "confirm": ("privacy.confirm", ButtonStyle.DANGER),
        "cancel": ("privacy.cancel", ButtonStyle.SECONDARY),
    },
):
    """Confirm or cancel ``/privacy forget``; only the person it is about may press it."""

    where = "privacy forget button"
    refusal = "privacy.not_yours"

    def __init__(self, user_id: int, answer: str, language: Language = DEFAULT_LANGUAGE) -> None:
        super().__init__(answer=answer, custom_id=f"council:privacy:forget:{user_id}:{answer}", language=language)
        self.user_id = user_id

    async def allowed(self, interaction: discord.Interaction[CouncilBot]) -> bool:
        """Only the person whose data it is may confirm."""
        return interaction.user.id == self.user_id and interaction.guild_id is not None

    async def outcome(self, interaction: discord.Interaction[CouncilBot], language: Language) -> str:
        """Erase (or not), and say so."""
        confirmed = self.answer == "confirm"
        guild_id = guild_id_of(interaction)
        changed = confirmed and bool(await interaction.client.services.privacy.forget(guild_id, self.user_id))
        return privacy_text.forget_outcome(confirmed=confirmed, changed=changed, language=language)


class Privacy(
    CouncilCog, commands.GroupCog, group_name=_("privacy"), group_description=_("What the council stores about you")
):
    """Members' own data."""

    @app_commands.command(name=_("mydata"), description=_("Download everything stored about you, as a file"))
    @app_commands.guild_only()
    async def privacy_mydata(self, interaction: discord.Interaction[CouncilBot]) -> None:
        guild_id = guild_id_of(interaction)
        data = await self.services.privacy.my_data(guild_id, interaction.user.id)
        language = await interaction_language(interaction)
        file = discord.File(io.BytesIO(data.document), filename="council-bot-mydata.json")
        await respond(interaction, privacy_text.mydata(data.records, language), files=[file])

    @app_commands.command(name=_("forget"), description=_("Erase your personal data (asks first)"))
    @app_commands.guild_only()
    async def privacy_forget(self, interaction: discord.Interaction[CouncilBot]) -> None:
        language = await interaction_language(interaction)
        view = discord.ui.View(timeout=None)
        view.add_item(ForgetButton(interaction.user.id, "confirm", language))
        view.add_item(ForgetButton(interaction.user.id, "cancel", language))
        await respond(interaction, t(language, "privacy.forget_question"), view=view)


DYNAMIC_ITEMS = (ForgetButton,)


async def setup(bot: CouncilBot) -> None:
    """Load the cog and register its persistent buttons."""
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(Privacy(bot))
