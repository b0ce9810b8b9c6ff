"""``/meeting``: create, change, open and follow up a meeting; ``/meeting guest``."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.app_commands import locale_str as _

from bot.domain.meetings import MeetingFields
from bot.runtime.client import CouncilBot
from bot.ui.checks import guild_id_of, person_of, secretary_only
from bot.ui.cog import CouncilCog
from bot.ui.options import (
    ANSWER_CHOICES,
    GUEST,
    LATEST_MEETING,
    NEXT_MEETING,
    THE_ORG,
    AnswerName,
    GuestName,
    MeetingNumber,
    MeetingPlace,
    OrgShort,
)
from bot.ui.respond import acknowledge, interaction_language, respond, send_long
from bot.ui.text import meetings as meeting_text
from bot.ui.text import memory as memory_text


class Meetings(CouncilCog):
    """Meetings: their time and place, invitations, attendance and guests."""

    meeting = app_commands.Group(name=_("meeting"), description=_("Council meetings"), guild_only=True)
    guest = app_commands.Group(
        name=_("guest"), description=_("Participants who are not representatives or deputies"), parent=meeting
    )

    # -- /meeting --------------------------------------------------------------------------------

    @meeting.command(name=_("create"), description=_("Create a meeting"))
    @app_commands.describe(
        when=_("Date and time, e.g. 2. juni 2027 kl 10-15"),
        place=_("Where, e.g. Zoom or an address"),
        title=_("Title of the meeting"),
        rsvp_deadline=_("Answer by, e.g. 26. mai 2027 (default: a week before)"),
        status_deadline=_("Status updates by (default: three days before)"),
    )
    @secretary_only()
    async def meeting_create(
        self,
        interaction: discord.Interaction[CouncilBot],
        when: app_commands.Range[str, 1, 100],
        place: MeetingPlace | None = None,
        title: app_commands.Range[str, 1, 150] | None = None,
        rsvp_deadline: app_commands.Range[str, 1, 100] | None = None,
        status_deadline: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        details = await self.services.meetings.create(
            guild_id_of(interaction),
            interaction.user.id,
            MeetingFields(when, place, title, rsvp_deadline, status_deadline),
        )
        await send_long(interaction, meeting_text.created(details))

    @meeting.command(name=_("edit"), description=_("Change a meeting; invitees are told of a new time or place"))
    @app_commands.describe(
        meeting=NEXT_MEETING,
        when=_("New date and time"),
        place=_("New place"),
        title=_("New title"),
        rsvp_deadline=_("New RSVP deadline"),
        status_deadline=_("New status deadline"),
    )
    @secretary_only()
    async def meeting_edit(
        self,
        interaction: discord.Interaction[CouncilBot],
        meeting: MeetingNumber | None = None,
        when: app_commands.Range[str, 1, 100] | None = None,
        place: MeetingPlace | None = None,
        title: app_commands.Range[str, 1, 150] | None = None,
        rsvp_deadline: app_commands.Range[str, 1, 100] | None = None,
        status_deadline: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        fields = MeetingFields(when, place, title, rsvp_deadline, status_deadline)
        result = await self.services.meetings.edit(guild_id_of(interaction), fields, number=meeting)
        await send_long(interaction, meeting_text.edited(result))

    @meeting.command(name=_("cancel"), description=_("Cancel a meeting; invitees are told"))
    @app_commands.describe(meeting=NEXT_MEETING, reason=_("Why, told to invitees"))
    @secretary_only()
    async def meeting_cancel(
        self,
        interaction: discord.Interaction[CouncilBot],
        meeting: MeetingNumber | None = None,
        reason: app_commands.Range[str, 1, 500] | None = None,
    ) -> None:
        result = await self.services.meetings.cancel(guild_id_of(interaction), meeting, reason)
        await respond(interaction, meeting_text.cancelled(result))

    @meeting.command(name=_("list"), description=_("Upcoming and past meetings"))
    async def meeting_list(self, interaction: discord.Interaction[CouncilBot]) -> None:
        result = await self.services.meetings.list_meetings(guild_id_of(interaction))
        await send_long(interaction, meeting_text.meeting_list(result))

    @meeting.command(name=_("open"), description=_("Send the invitations and status prompts"))
    @app_commands.describe(meeting=NEXT_MEETING)
    @secretary_only()
    async def meeting_open(
        self, interaction: discord.Interaction[CouncilBot], meeting: MeetingNumber | None = None
    ) -> None:
        await acknowledge(interaction)
        result = await self.services.meetings.open(guild_id_of(interaction), meeting)
        await send_long(interaction, meeting_text.opened(result))

    @meeting.command(name=_("dashboard"), description=_("Who was asked, who answered what, and status received"))
    @app_commands.describe(meeting=NEXT_MEETING)
    @secretary_only()
    async def meeting_dashboard(
        self, interaction: discord.Interaction[CouncilBot], meeting: MeetingNumber | None = None
    ) -> None:
        # With a large roster the board takes tens of milliseconds and many messages: acknowledge first.
        await acknowledge(interaction)
        guild_id = guild_id_of(interaction)
        board = await self.services.meetings.dashboard(guild_id, meeting)
        extra = memory_text.dashboard_extra(await self.services.memory.dashboard(guild_id, board.details.meeting))
        await send_long(interaction, meeting_text.dashboard(board) + (f"\n\n{extra}" if extra else ""))

    @meeting.command(name=_("remind"), description=_("Remind everyone who has not answered, now"))
    @app_commands.describe(meeting=NEXT_MEETING)
    @secretary_only()
    async def meeting_remind(
        self, interaction: discord.Interaction[CouncilBot], meeting: MeetingNumber | None = None
    ) -> None:
        guild_id = guild_id_of(interaction)
        result = await self.services.meetings.remind_now(guild_id, meeting)
        await respond(interaction, meeting_text.reminded(result, await interaction_language(interaction)))

    @meeting.command(name=_("attendance"), description=_("Record whether an organisation actually attended"))
    @app_commands.describe(
        org=THE_ORG,
        present=_("Did the organisation attend? (with whoever answered yes)"),
        substitute=_("Name of someone else who attended for the organisation"),
        meeting=LATEST_MEETING,
    )
    @secretary_only()
    async def meeting_attendance(
        self,
        interaction: discord.Interaction[CouncilBot],
        org: OrgShort,
        present: bool,
        substitute: app_commands.Range[str, 1, 100] | None = None,
        meeting: MeetingNumber | None = None,
    ) -> None:
        result = await self.services.meetings.record_attendance(
            guild_id_of(interaction), org, present, interaction.user.id, meeting, substitute=substitute
        )
        await respond(interaction, meeting_text.attendance(result))

    @meeting.command(
        name=_("next"), description=_("Set the proposed next meeting, for the minutes; it is created (not opened)")
    )
    @app_commands.describe(
        when=_("Date and time, e.g. onsdag 2. juni 2027 kl 10-15 – møtested kommer"),
        place=_('Where (or write "på <place>" in when)'),
        note=_("A remark, e.g. møtested kommer (or after a dash in when)"),
        meeting=LATEST_MEETING,
    )
    @secretary_only()
    async def meeting_next(
        self,
        interaction: discord.Interaction[CouncilBot],
        when: app_commands.Range[str, 1, 200],
        place: MeetingPlace | None = None,
        note: app_commands.Range[str, 1, 300] | None = None,
        meeting: MeetingNumber | None = None,
    ) -> None:
        result = await self.services.meetings.set_next(
            guild_id_of(interaction), when, meeting, place=place, note=note, by=interaction.user.id
        )
        await respond(interaction, meeting_text.next_meeting(result))

    @meeting.command(name=_("rsvp"), description=_("Record an answer received by e-mail or phone"))
    @app_commands.describe(
        org=THE_ORG,
        answer=_("The answer"),
        role=_("Whose answer (default: the representative)"),
        note=_("A short note, e.g. sent by e-mail"),
        meeting=NEXT_MEETING,
    )
    @app_commands.choices(
        answer=ANSWER_CHOICES,
        role=[
            app_commands.Choice(name=_("Representative"), value="representative"),
            app_commands.Choice(name=_("Deputy"), value="deputy"),
        ],
    )
    @secretary_only()
    async def meeting_rsvp(
        self,
        interaction: discord.Interaction[CouncilBot],
        org: OrgShort,
        answer: AnswerName,
        role: Literal["representative", "deputy"] | None = None,
        note: app_commands.Range[str, 1, 300] | None = None,
        meeting: MeetingNumber | None = None,
    ) -> None:
        result = await self.services.rsvp.record(
            guild_id_of(interaction),
            person_of(interaction.user),
            org,
            answer,
            role=role,
            note=note,
            meeting_number=meeting,
        )
        await respond(interaction, meeting_text.rsvp_recorded(result))

    # -- /meeting guest --------------------------------------------------------------------------

    @guest.command(name=_("add"), description=_("Add a guest, presenter or host staff member to the minutes"))
    @app_commands.describe(
        name=GUEST,
        affiliation=_("Where they come from, e.g. NKROP"),
        meeting=LATEST_MEETING,
    )
    @secretary_only()
    async def guest_add(
        self,
        interaction: discord.Interaction[CouncilBot],
        name: app_commands.Range[str, 1, 100],
        affiliation: app_commands.Range[str, 1, 150] | None = None,
        meeting: MeetingNumber | None = None,
    ) -> None:
        result = await self.services.meetings.add_guest(
            guild_id_of(interaction), name, affiliation, interaction.user.id, meeting
        )
        await respond(interaction, meeting_text.guests_changed(result, removed=False))

    @guest.command(name=_("remove"), description=_("Remove a guest from the minutes"))
    @app_commands.describe(name=GUEST, meeting=LATEST_MEETING)
    @secretary_only()
    async def guest_remove(
        self,
        interaction: discord.Interaction[CouncilBot],
        name: GuestName,
        meeting: MeetingNumber | None = None,
    ) -> None:
        result = await self.services.meetings.remove_guest(guild_id_of(interaction), name, meeting)
        await respond(interaction, meeting_text.guests_changed(result, removed=True))


async def setup(bot: CouncilBot) -> None:
    """Load the cog."""
    await bot.add_cog(Meetings(bot))
