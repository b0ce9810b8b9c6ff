"""``/rsvp`` and the persistent RSVP buttons under invitations and call-ups."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _

from bot.domain.attendance import Answer
from bot.domain.notices import answer_label, rsvp_custom_id
from bot.i18n import DEFAULT_LANGUAGE, Language
from bot.runtime.client import CouncilBot
from bot.ui.buttons import CouncilButton
from bot.ui.checks import guild_id_of
from bot.ui.cog import CouncilCog
from bot.ui.options import ANSWER_CHOICES, NEXT_MEETING, AnswerName, MeetingNumber
from bot.ui.respond import respond
from bot.ui.text import meetings as meeting_text

_BUTTON_STYLES = {
    Answer.YES: discord.ButtonStyle.success,
    Answer.NO: discord.ButtonStyle.danger,
    Answer.MAYBE: discord.ButtonStyle.secondary,
}


class RsvpButton(
    CouncilButton,
    template=r"council:rsvp:(?P<meeting_id>\d+):(?P<org_id>\d+):(?P<answer>yes|no|maybe)",
):
    """Kommer / Kan ikke (vara stiller) / Usikker under an invitation or call-up; survives restarts."""

    where = "rsvp button"

    def __init__(self, meeting_id: int, org_id: int, answer: str, language: Language = DEFAULT_LANGUAGE) -> None:
        parsed = Answer(answer)
        super().__init__(
            label=answer_label(parsed, language),
            style=_BUTTON_STYLES[parsed],
            custom_id=rsvp_custom_id(meeting_id, org_id, parsed),
        )
        self.meeting_id = meeting_id
        self.org_id = org_id
        self.answer = answer

    async def run(self, interaction: discord.Interaction[CouncilBot]) -> None:
        """Record the answer of whoever pressed it (they must be in the invitation)."""
        result = await interaction.client.services.rsvp.answer_button(
            self.meeting_id, self.org_id, interaction.user.id, self.answer
        )
        await respond(interaction, meeting_text.rsvp([result]))


class Rsvp(CouncilCog):
    """Members' answers to invitations."""

    @app_commands.command(name=_("rsvp"), description=_("Answer whether you attend a meeting"))
    @app_commands.describe(
        answer=_("Your answer"),
        note=_("A short note for the secretary, e.g. arriving after lunch"),
        meeting=NEXT_MEETING,
    )
    @app_commands.choices(answer=ANSWER_CHOICES)
    @app_commands.guild_only()
    async def rsvp(
        self,
        interaction: discord.Interaction[CouncilBot],
        answer: AnswerName,
        note: app_commands.Range[str, 1, 300] | None = None,
        meeting: MeetingNumber | None = None,
    ) -> None:
        results = await self.services.rsvp.answer(
            guild_id_of(interaction), interaction.user.id, answer, meeting_number=meeting, note=note
        )
        await respond(interaction, meeting_text.rsvp(results))


DYNAMIC_ITEMS = (RsvpButton,)


async def setup(bot: CouncilBot) -> None:
    """Load the cog and register its persistent buttons."""
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(Rsvp(bot))
