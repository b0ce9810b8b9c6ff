"""``/minutes``: draft, note, publish, amend and export the minutes."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Literal

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.domain.notes import FIELD_MAX
from bot.i18n import t
from bot.runtime.client import CouncilBot
from bot.services.minutes import NotesForm
from bot.ui.checks import guild_id_of, person_of, secretary_only
from bot.ui.cog import CouncilCog
from bot.ui.forms import CouncilForm, form_route
from bot.ui.options import (
    ITEM_NUMBER,
    LATEST_MEETING,
    THE_DECISION,
    DecisionId,
    ItemNumber,
    MeetingNumber,
)
from bot.ui.respond import acknowledge, interaction_language, respond
from bot.ui.text import memory as memory_text
from bot.ui.text import minutes as minutes_text


class NotesModal(CouncilForm):
    """The ``/minutes edit`` form: an item's notes as they stand, in one field per 4,000 characters.

    The submit is handled by :meth:`Minutes.on_interaction` from the custom id (see :mod:`bot.ui.forms`).
    """

    def __init__(self, form: NotesForm, user_id: int) -> None:
        language = form.council.language
        super().__init__(
            title=t(language, "minutes.edit_title", position=form.item.position, title=form.item.title),
            # One custom id per opener: discord.py keeps one open form per id (two secretaries at once).
            custom_id=f"council:minutes:edit:{form.meeting.id}:{form.item.id}:{form.upto_id}:{user_id}",
            placeholder=t(language, "minutes.edit_placeholder"),
        )
        total = sum(1 for part in form.parts if not part.spare)
        for part in form.parts:
            if part.spare:
                label = t(language, "minutes.edit_label_spare", part=part.index + 1)
            elif total == 1:
                label = t(language, "minutes.edit_label")
            else:
                label = t(language, "minutes.edit_label_part", part=part.index + 1, total=total)
            field_id = f"council:minutes:edit:part:{part.index}"
            self.add_paragraph(field_id, label, FIELD_MAX, required=False, default=part.text or None)


EDIT_PART = re.compile(r"council:minutes:edit:part:([0-9]{1,3})")


@form_route(r"council:minutes:edit:([0-9]{1,19}):([0-9]{1,19}):([0-9]{1,19}):([0-9]{1,20})", where="minutes edit form")
async def submit_notes_form(
    interaction: discord.Interaction[CouncilBot], match: re.Match[str], values: Mapping[str, str]
) -> None:
    """Hand the parts of a submitted ``/minutes edit`` form to the service as typed, and answer."""
    meeting_id, item_id, upto_id = int(match.group(1)), int(match.group(2)), int(match.group(3))
    parts = sorted(
        (int(part.group(1)), value) for key, value in values.items() if (part := EDIT_PART.fullmatch(key)) is not None
    )
    result = await interaction.client.services.minutes.save_edit(
        guild_id_of(interaction), meeting_id, item_id, upto_id, [value for _, value in parts], interaction.user.id
    )
    await respond(interaction, minutes_text.notes_edited(result))


@app_commands.guild_only()
class Minutes(CouncilCog, commands.GroupCog, group_name=_("minutes"), group_description=_("The minutes of a meeting")):
    """Compiling, editing and publishing the minutes."""

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[CouncilBot]) -> None:
        """Every submitted ``/minutes edit`` form, by its custom id: also one opened before a restart."""
        await submit_notes_form.dispatch(interaction)

    @app_commands.command(name=_("draft"), description=_("Compile the minutes and post a new draft"))
    @app_commands.describe(meeting=LATEST_MEETING)
    @secretary_only()
    async def minutes_draft(
        self, interaction: discord.Interaction[CouncilBot], meeting: MeetingNumber | None = None
    ) -> None:
        await acknowledge(interaction)
        result = await self.services.minutes.draft(guild_id_of(interaction), person_of(interaction.user), meeting)
        await respond(interaction, minutes_text.draft_done(result))

    @app_commands.command(name=_("note"), description=_("Add notes from the meeting to an agenda item"))
    @app_commands.describe(
        item=ITEM_NUMBER,
        text=_("The notes"),
        meeting=LATEST_MEETING,
    )
    @secretary_only()
    async def minutes_note(
        self,
        interaction: discord.Interaction[CouncilBot],
        item: ItemNumber,
        text: app_commands.Range[str, 1, 4000],
        meeting: MeetingNumber | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        found, agenda_item = await self.services.minutes.add_note(guild_id, item, text, interaction.user.id, meeting)
        await respond(interaction, minutes_text.note_added(found, agenda_item, await interaction_language(interaction)))

    @app_commands.command(name=_("edit"), description=_("Edit an agenda item's notes in a form"))
    @app_commands.describe(
        item=ITEM_NUMBER,
        meeting=LATEST_MEETING,
    )
    @secretary_only()
    async def minutes_edit(
        self,
        interaction: discord.Interaction[CouncilBot],
        item: ItemNumber,
        meeting: MeetingNumber | None = None,
    ) -> None:
        form = await self.services.minutes.edit_form(guild_id_of(interaction), item, meeting)
        await interaction.response.send_modal(NotesModal(form, interaction.user.id))

    @app_commands.command(name=_("publish"), description=_("Publish the minutes and send copies to every member"))
    @app_commands.describe(meeting=LATEST_MEETING)
    @secretary_only()
    async def minutes_publish(
        self, interaction: discord.Interaction[CouncilBot], meeting: MeetingNumber | None = None
    ) -> None:
        await acknowledge(interaction)
        result = await self.services.minutes.publish(guild_id_of(interaction), person_of(interaction.user), meeting)
        await respond(interaction, minutes_text.published(result))

    @app_commands.command(name=_("amend"), description=_("Add a dated addendum to published minutes"))
    @app_commands.describe(text=_("The addendum"), meeting=LATEST_MEETING)
    @secretary_only()
    async def minutes_amend(
        self,
        interaction: discord.Interaction[CouncilBot],
        text: app_commands.Range[str, 1, 4000],
        meeting: MeetingNumber | None = None,
    ) -> None:
        await acknowledge(interaction)
        result = await self.services.minutes.amend(guild_id_of(interaction), text, person_of(interaction.user), meeting)
        await respond(interaction, minutes_text.published(result, amended=True))

    @app_commands.command(name=_("export"), description=_("Download the minutes as Markdown or Word"))
    @app_commands.describe(format=_("File format"), meeting=LATEST_MEETING)
    @app_commands.choices(
        format=[
            app_commands.Choice(name=_("Word (.docx)"), value="docx"),
            app_commands.Choice(name=_("Markdown (.md)"), value="md"),
        ]
    )
    @secretary_only()
    async def minutes_export(
        self,
        interaction: discord.Interaction[CouncilBot],
        format: Literal["md", "docx"] = "docx",
        meeting: MeetingNumber | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await acknowledge(interaction)
        name, data = await self.services.minutes.export(guild_id, format, meeting)
        language = await interaction_language(interaction)
        found = await self.services.meetings.get(guild_id, meeting, recent=True)
        file = discord.File(io.BytesIO(data), filename=name)
        await respond(interaction, minutes_text.exported(found.meeting, language), files=[file])

    @app_commands.command(name=_("decision"), description=_("Record a decision under an agenda item"))
    @app_commands.describe(item=ITEM_NUMBER, text=_("The decision"), meeting=LATEST_MEETING)
    @secretary_only()
    async def minutes_decision(
        self,
        interaction: discord.Interaction[CouncilBot],
        item: ItemNumber,
        text: app_commands.Range[str, 1, 2000],
        meeting: MeetingNumber | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        ref = await self.services.memory.add_decision(guild_id, item, text, interaction.user.id, meeting)
        await respond(interaction, memory_text.decision_added(ref, await interaction_language(interaction)))

    @app_commands.command(name=_("decision-edit"), description=_("Rewrite a recorded decision"))
    @app_commands.describe(decision=THE_DECISION, text=_("The new wording"), meeting=LATEST_MEETING)
    @secretary_only()
    async def minutes_decision_edit(
        self,
        interaction: discord.Interaction[CouncilBot],
        decision: DecisionId,
        text: app_commands.Range[str, 1, 2000],
        meeting: MeetingNumber | None = None,
    ) -> None:
        await self._change_decision(interaction, decision, text)

    @app_commands.command(name=_("decision-remove"), description=_("Remove a recorded decision"))
    @app_commands.describe(decision=THE_DECISION, meeting=LATEST_MEETING)
    @secretary_only()
    async def minutes_decision_remove(
        self,
        interaction: discord.Interaction[CouncilBot],
        decision: DecisionId,
        meeting: MeetingNumber | None = None,
    ) -> None:
        await self._change_decision(interaction, decision, None)

    async def _change_decision(
        self, interaction: discord.Interaction[CouncilBot], decision: int, text: str | None
    ) -> None:
        """Rewrite a decision (``None``: remove it) and say which one it was."""
        guild_id = guild_id_of(interaction)
        ref = await self.services.memory.decision(guild_id, decision)
        await self.services.memory.edit_decision(guild_id, decision, text)
        language = await interaction_language(interaction)
        await respond(interaction, memory_text.decision_changed(ref, text is None, language))

    @app_commands.command(
        name=_("circulate"), description=_("Send the draft to representatives and deputies for comments")
    )
    @app_commands.describe(deadline=_("Comments until, e.g. 10. desember"), meeting=LATEST_MEETING)
    @secretary_only()
    async def minutes_circulate(
        self,
        interaction: discord.Interaction[CouncilBot],
        deadline: app_commands.Range[str, 1, 100] | None = None,
        meeting: MeetingNumber | None = None,
    ) -> None:
        await acknowledge(interaction)
        result = await self.services.approval.circulate(
            guild_id_of(interaction), person_of(interaction.user), deadline, meeting
        )
        await respond(interaction, memory_text.circulated(result))

    @app_commands.command(name=_("approve"), description=_("Record that published minutes were approved"))
    @app_commands.describe(meeting=_("Meeting whose minutes were approved (default: the latest unapproved)"))
    @secretary_only()
    async def minutes_approve(
        self, interaction: discord.Interaction[CouncilBot], meeting: MeetingNumber | None = None
    ) -> None:
        await acknowledge(interaction)
        result = await self.services.approval.approve(guild_id_of(interaction), person_of(interaction.user), meeting)
        await respond(interaction, memory_text.approved(result))


async def setup(bot: CouncilBot) -> None:
    """Load the cog."""
    await bot.add_cog(Minutes(bot))
