"""``/agenda``: the items of a meeting, their leads and their documents."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _

from bot.domain.meetings import AgendaItemFields
from bot.runtime.client import CouncilBot
from bot.ui.checks import guild_id_of, secretary_only
from bot.ui.cog import CouncilCog
from bot.ui.options import (
    AGENDA_ITEM,
    NEXT_MEETING,
    ItemDetails,
    ItemLead,
    ItemNumber,
    ItemPosition,
    ItemTitle,
    MeetingNumber,
)
from bot.ui.respond import acknowledge, send_long
from bot.ui.text import meetings as meeting_text


async def _download(file: discord.Attachment) -> bytes:
    """Fetch an uploaded file; Discord's refusal becomes the ``OSError`` the service reports clearly."""
    try:
        return await file.read()
    except discord.HTTPException as exc:
        raise OSError(f"download failed: HTTP {exc.status}") from exc


class Agenda(CouncilCog):
    """Agenda items of the meetings."""

    agenda = app_commands.Group(name=_("agenda"), description=_("The agenda of a meeting"), guild_only=True)

    @agenda.command(name=_("add"), description=_("Add an agenda item (before Any other business)"))
    @app_commands.describe(
        title=_("The topic"),
        lead=_("Who leads the item"),
        deputy_interest=_("Of special interest to deputies (they are invited too)"),
        details=_("Background text or a question to the council; for the status round, its theme"),
        meeting=NEXT_MEETING,
    )
    @secretary_only()
    async def agenda_add(
        self,
        interaction: discord.Interaction[CouncilBot],
        title: ItemTitle,
        lead: ItemLead | None = None,
        deputy_interest: bool = False,
        details: ItemDetails | None = None,
        meeting: MeetingNumber | None = None,
    ) -> None:
        fields = AgendaItemFields(title, lead, deputy_interest, details)
        change = await self.services.agenda.add(guild_id_of(interaction), fields, number=meeting)
        await send_long(interaction, meeting_text.agenda_changed(change, "item_added"))

    @agenda.command(name=_("edit"), description=_("Change an agenda item"))
    @app_commands.describe(
        item=AGENDA_ITEM,
        title=_("New topic"),
        lead=_("Who leads the item (- clears it)"),
        deputy_interest=_("Of special interest to deputies"),
        details=_("Background text; for the status round, its theme question (- clears it)"),
        meeting=NEXT_MEETING,
    )
    @secretary_only()
    async def agenda_edit(
        self,
        interaction: discord.Interaction[CouncilBot],
        item: ItemNumber,
        title: ItemTitle | None = None,
        lead: ItemLead | None = None,
        deputy_interest: bool | None = None,
        details: ItemDetails | None = None,
        meeting: MeetingNumber | None = None,
    ) -> None:
        fields = AgendaItemFields(title, lead, deputy_interest, details)
        change = await self.services.agenda.edit(guild_id_of(interaction), item, fields, number=meeting)
        await send_long(interaction, meeting_text.agenda_changed(change, "item_edited"))

    @agenda.command(name=_("attach"), description=_("Attach a document to an agenda item; it goes with the invitation"))
    @app_commands.describe(
        item=AGENDA_ITEM,
        file=_("PDF, slides or a Word document"),
        meeting=NEXT_MEETING,
    )
    @secretary_only()
    async def agenda_attach(
        self,
        interaction: discord.Interaction[CouncilBot],
        item: ItemNumber,
        file: discord.Attachment,
        meeting: MeetingNumber | None = None,
    ) -> None:
        await acknowledge(interaction)
        result = await self.services.agenda.attach(
            guild_id_of(interaction),
            item,
            filename=file.filename,
            size=file.size,
            load=lambda: _download(file),
            number=meeting,
        )
        await send_long(interaction, meeting_text.document_attached(result))

    @agenda.command(name=_("move"), description=_("Move an agenda item"))
    @app_commands.describe(
        item=AGENDA_ITEM,
        position=_("Its new number on the agenda"),
        meeting=NEXT_MEETING,
    )
    @secretary_only()
    async def agenda_move(
        self,
        interaction: discord.Interaction[CouncilBot],
        item: ItemNumber,
        position: ItemPosition,
        meeting: MeetingNumber | None = None,
    ) -> None:
        change = await self.services.agenda.move(guild_id_of(interaction), item, position, number=meeting)
        await send_long(interaction, meeting_text.agenda_changed(change, "item_moved"))

    @agenda.command(name=_("remove"), description=_("Remove an agenda item"))
    @app_commands.describe(item=AGENDA_ITEM, meeting=NEXT_MEETING)
    @secretary_only()
    async def agenda_remove(
        self, interaction: discord.Interaction[CouncilBot], item: ItemNumber, meeting: MeetingNumber | None = None
    ) -> None:
        change = await self.services.agenda.remove(guild_id_of(interaction), item, number=meeting)
        await send_long(interaction, meeting_text.agenda_changed(change, "item_removed"))

    @agenda.command(name=_("show"), description=_("Show the agenda of a meeting"))
    @app_commands.describe(meeting=NEXT_MEETING)
    async def agenda_show(
        self, interaction: discord.Interaction[CouncilBot], meeting: MeetingNumber | None = None
    ) -> None:
        details = await self.services.agenda.show(guild_id_of(interaction), meeting)
        await send_long(interaction, meeting_text.summary(details) + "\n\n" + meeting_text.agenda_text(details))


async def setup(bot: CouncilBot) -> None:
    """Load the cog."""
    await bot.add_cog(Agenda(bot))
