"""``/action``: action items with owners and due dates; the comment button under a circulated draft."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.domain.memory import COMMENT_MAX, comment_custom_id
from bot.i18n import DEFAULT_LANGUAGE, t
from bot.runtime.client import CouncilBot
from bot.ui.buttons import CouncilButton
from bot.ui.checks import caller_is_secretary, guild_id_of, person_of, secretary_only
from bot.ui.cog import CouncilCog
from bot.ui.forms import CouncilForm, form_route
from bot.ui.history_view import HistoryPageButton
from bot.ui.options import (
    ITEM_NUMBER,
    LATEST_MEETING,
    ActionNumber,
    ItemNumber,
    MeetingNumber,
    OrgText,
)
from bot.ui.respond import respond, send_long
from bot.ui.text import memory as memory_text


class CommentModal(CouncilForm):
    """The comment form under a circulated draft.

    One custom id per opener (two members commenting at once never share a form); the submit is
    handled by :meth:`Actions.on_interaction` from the custom id, so it is answered after a restart too.
    """

    def __init__(self, circulation_id: int, user_id: int, title: str, label: str) -> None:
        super().__init__(title=title, custom_id=f"council:circulate:form:{circulation_id}:{user_id}")
        self.add_paragraph("council:circulate:form:text", label, COMMENT_MAX, required=True)


@form_route(r"council:circulate:form:([0-9]{1,19}):([0-9]{1,20})", where="comment form")
async def submit_comment_form(
    interaction: discord.Interaction[CouncilBot], match: re.Match[str], values: Mapping[str, str]
) -> None:
    """Hand a submitted comment to the service as typed, and answer."""
    text = values.get("council:circulate:form:text", "")
    target = await interaction.client.services.approval.comment(int(match.group(1)), interaction.user.id, text)
    await respond(interaction, memory_text.comment_saved(target))


class CommentButton(CouncilButton, template=r"council:circulate:comment:(?P<circulation_id>\d+)"):
    """«Kommenter» under a circulated draft: opens the comment form until the deadline; survives restarts."""

    where = "comment button"

    def __init__(self, circulation_id: int) -> None:
        super().__init__(
            label=t(DEFAULT_LANGUAGE, "memory.comment_button"),
            style=discord.ButtonStyle.primary,
            custom_id=comment_custom_id(circulation_id),
        )
        self.circulation_id = circulation_id

    async def run(self, interaction: discord.Interaction[CouncilBot]) -> None:
        """Open the form, or say that comments are closed."""
        services = interaction.client.services
        target = await services.approval.comment_target(self.circulation_id, interaction.user.id)
        lang = target.council.language
        await interaction.response.send_modal(
            CommentModal(
                self.circulation_id,
                interaction.user.id,
                t(lang, "memory.comment_form_title", number=target.meeting.number),
                t(lang, "memory.comment_form_label"),
            )
        )


@app_commands.guild_only()
class Actions(
    CouncilCog, commands.GroupCog, group_name=_("action"), group_description=_("Action items from the meetings")
):
    """Action items: who does what by when."""

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[CouncilBot]) -> None:
        """Every submitted comment form, by its custom id: also one opened before a restart."""
        await submit_comment_form.dispatch(interaction)

    @app_commands.command(name=_("add"), description=_("Record an action item"))
    @app_commands.describe(
        text=_("What is to be done"),
        org=_("The organisation that answers for it"),
        user=_("The person who answers for it"),
        due=_("Due date, e.g. 15. januar"),
        item=ITEM_NUMBER,
        meeting=LATEST_MEETING,
    )
    @secretary_only()
    async def action_add(
        self,
        interaction: discord.Interaction[CouncilBot],
        text: app_commands.Range[str, 1, 1000],
        org: OrgText | None = None,
        user: discord.Member | None = None,
        due: app_commands.Range[str, 1, 100] | None = None,
        item: ItemNumber | None = None,
        meeting: MeetingNumber | None = None,
    ) -> None:
        result = await self.services.memory.add_action(
            guild_id_of(interaction),
            text,
            interaction.user.id,
            org=org,
            user=person_of(user) if user is not None else None,
            due=due,
            item=item,
            number=meeting,
        )
        await respond(interaction, memory_text.action_added(result))

    @app_commands.command(name=_("list"), description=_("Show the action items"))
    @app_commands.describe(show=_("Open items only, or all"))
    @app_commands.choices(
        show=[
            app_commands.Choice(name=_("Open items"), value="open"),
            app_commands.Choice(name=_("All items"), value="all"),
        ]
    )
    async def action_list(
        self, interaction: discord.Interaction[CouncilBot], show: Literal["open", "all"] = "open"
    ) -> None:
        found = await self.services.memory.list_actions(guild_id_of(interaction), show)
        await send_long(interaction, memory_text.action_list(found))

    @app_commands.command(name=_("done"), description=_("Mark an action item done"))
    @app_commands.describe(action=_("Action item number"), note=_("What was done"))
    async def action_done(
        self,
        interaction: discord.Interaction[CouncilBot],
        action: ActionNumber,
        note: app_commands.Range[str, 1, 500] | None = None,
    ) -> None:
        result = await self.services.memory.done(
            guild_id_of(interaction),
            action,
            interaction.user.id,
            is_secretary=await caller_is_secretary(interaction),
            note=note,
        )
        await respond(interaction, memory_text.action_done(result))


DYNAMIC_ITEMS = (CommentButton, HistoryPageButton)


async def setup(bot: CouncilBot) -> None:
    """Load the cog and register the persistent buttons."""
    await bot.add_cog(Actions(bot))
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
