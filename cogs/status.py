"""``/status``, the status form, its persistent buttons, and status updates sent as plain DMs."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.domain.notices import write_custom_id
from bot.domain.status import (
    FORM_TEXT_ID,
    STATUS_FORM_MAX,
    DraftAction,
    draft_custom_id,
    form_custom_id,
    parse_form_custom_id,
)
from bot.errors import NotFound
from bot.i18n import DEFAULT_LANGUAGE, Language, t
from bot.runtime.client import CouncilBot
from bot.services.status import DraftPreview, StatusTarget
from bot.ui.buttons import CouncilButton
from bot.ui.checks import guild_id_of, secretary_only
from bot.ui.cog import CouncilCog
from bot.ui.dms import DiscordDmChannel, DiscordDms, incoming
from bot.ui.forms import CouncilForm, form_route
from bot.ui.options import (
    STATUS_MEETING,
    THE_ORG,
    MeetingNumber,
    OrgShort,
)
from bot.ui.respond import respond, send_long
from bot.ui.text import status as status_text

log = logging.getLogger(__name__)


class StatusModal(CouncilForm):
    """The status form: one paragraph field, pre-filled with the stored text for editing.

    Its custom id names the opener and the version it was opened on (:func:`form_custom_id`), so two
    writers never share one form. The submit is handled by :meth:`Status.on_interaction` from the
    custom id alone — before and after a restart alike — not by this object.
    """

    def __init__(self, target: StatusTarget, user_id: int) -> None:
        language = target.slot.council.language
        base = target.current.version if target.current else 0
        super().__init__(
            title=t(language, "status.form_title", org=target.slot.org.short),
            custom_id=form_custom_id(target.slot.meeting.id, target.slot.org.id, user_id, base),
            placeholder=t(language, "status.form_placeholder"),
        )
        current = target.current.text if target.current else None
        self.add_paragraph(
            FORM_TEXT_ID, t(language, "status.form_label"), STATUS_FORM_MAX, required=True, default=current
        )


@form_route(r"council:status:form:.*", where="status form")
async def submit_status_form(
    interaction: discord.Interaction[CouncilBot], match: re.Match[str], values: Mapping[str, str]
) -> None:
    """Hand a submitted status form to the service as typed, and answer with what is stored."""
    parsed = parse_form_custom_id(match.group(0))
    text = values.get(FORM_TEXT_ID)
    if parsed is None or text is None:
        raise NotFound("status.form_gone")
    meeting_id, org_id, _opener, base = parsed
    result = await interaction.client.services.status.write_form(meeting_id, org_id, interaction.user.id, text, base)
    await send_long(interaction, status_text.write_result(result))


class StatusWriteButton(CouncilButton, template=r"council:status:write:(?P<meeting_id>\d+):(?P<org_id>\d+)"):
    """«Skriv status» under the invitation, call-up or reminder DM (or a choice of ``/status write``).

    Opens the form; survives restarts.
    """

    where = "status write button"

    def __init__(
        self, meeting_id: int, org_id: int, label: str | None = None, language: Language = DEFAULT_LANGUAGE
    ) -> None:
        super().__init__(
            label=label or t(language, "status.button_write"),
            style=discord.ButtonStyle.primary,
            custom_id=write_custom_id(meeting_id, org_id),
        )
        self.meeting_id = meeting_id
        self.org_id = org_id

    async def run(self, interaction: discord.Interaction[CouncilBot]) -> None:
        """Open the form for whoever pressed it, if they write for the organisation."""
        services = interaction.client.services
        target = await services.status.form_target(self.meeting_id, self.org_id, interaction.user.id)
        await interaction.response.send_modal(StatusModal(target, interaction.user.id))


class StatusDraftButton(
    CouncilButton, template=r"council:status:draft:(?P<draft_id>\d+):(?P<action>keep|replace|append)"
):
    """Keep / replace / append under the preview of a DM draft. Survives restarts."""

    where = "status draft button"

    def __init__(self, draft_id: int, action: str, label: str | None = None) -> None:
        parsed = DraftAction(action)
        style = discord.ButtonStyle.success if parsed is DraftAction.REPLACE else discord.ButtonStyle.secondary
        super().__init__(label=label or parsed.value, style=style, custom_id=draft_custom_id(draft_id, parsed))
        self.draft_id = draft_id
        self.action = action

    async def run(self, interaction: discord.Interaction[CouncilBot]) -> None:
        """Apply the choice, take the buttons off the preview, and show what is stored now."""
        services = interaction.client.services
        result = await services.status.resolve_draft(self.draft_id, interaction.user.id, self.action)
        await interaction.response.edit_message(view=None)
        await send_long(interaction, status_text.resolve_result(result), ephemeral=False)


def draft_view(preview: DraftPreview) -> discord.ui.View:
    """The keep/replace/append buttons of a DM preview.

    Stopped before sending: clicks are routed by custom id to the registered ``StatusDraftButton``.
    """
    view = discord.ui.View(timeout=None)
    language = preview.slot.council.language
    has_current = preview.current is not None
    for action in status_text.draft_actions(preview):
        label = status_text.draft_label(action, has_current=has_current, language=language)
        view.add_item(StatusDraftButton(preview.draft.id, action.value, label))
    view.stop()
    return view


class Status(CouncilCog):
    """Status updates for the round "Hva skjer i organisasjonene?"."""

    status = app_commands.Group(
        name=_("status"), description=_("Your organisation's news for the status round"), guild_only=True
    )

    def __init__(self, bot: CouncilBot) -> None:
        super().__init__(bot)
        self.dms = DiscordDms(bot, draft_view)

    async def cog_unload(self) -> None:
        """Stop reading back DMs."""
        self.services.dm_intake.stop()

    # -- /status ---------------------------------------------------------------------------------

    @status.command(name=_("write"), description=_("Write or edit your organisation's status (opens a form)"))
    @app_commands.describe(meeting=STATUS_MEETING)
    async def status_write(
        self, interaction: discord.Interaction[CouncilBot], meeting: MeetingNumber | None = None
    ) -> None:
        targets = await self.services.status.targets(guild_id_of(interaction), interaction.user.id, meeting)
        if len(targets) == 1:
            await interaction.response.send_modal(StatusModal(targets[0], interaction.user.id))
            return
        first = targets[0]
        view = discord.ui.View(timeout=None)
        for target in targets[:25]:
            view.add_item(
                StatusWriteButton(target.slot.meeting.id, target.slot.org.id, label=target.slot.org.short[:80])
            )
        view.stop()
        text = t(first.slot.council.language, "status.choose_org", number=first.slot.meeting.number)
        await respond(interaction, text, view=view)

    @status.command(name=_("show"), description=_("Show what is stored for your organisation"))
    @app_commands.describe(meeting=STATUS_MEETING)
    async def status_show(
        self, interaction: discord.Interaction[CouncilBot], meeting: MeetingNumber | None = None
    ) -> None:
        result = await self.services.status.show(guild_id_of(interaction), interaction.user.id, meeting)
        await send_long(interaction, status_text.show(result))

    @status.command(
        name=_("submit"), description=_("Enter a status on an organisation's behalf, e.g. received by e-mail")
    )
    @app_commands.describe(
        org=THE_ORG,
        text=_("The status as received"),
        source=_("Where it came from (default: received by e-mail)"),
        meeting=STATUS_MEETING,
    )
    @secretary_only()
    async def status_submit(
        self,
        interaction: discord.Interaction[CouncilBot],
        org: OrgShort,
        text: app_commands.Range[str, 1, STATUS_FORM_MAX],
        source: app_commands.Range[str, 1, 200] | None = None,
        meeting: MeetingNumber | None = None,
    ) -> None:
        result = await self.services.status.submit_for(
            guild_id_of(interaction), org, text, secretary_id=interaction.user.id, source=source, number=meeting
        )
        await send_long(interaction, status_text.write_result(result, submitted=True))

    # -- forms -------------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[CouncilBot]) -> None:
        """Every submitted status form, by its custom id: also one opened before a restart."""
        await submit_status_form.dispatch(interaction)

    # -- DMs -------------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """A DM from a person: take it as a status draft (after any older DMs not yet taken)."""
        if message.guild is not None or message.author.bot or not isinstance(message.channel, discord.DMChannel):
            return
        await self.handle_dm(message)

    async def handle_dm(self, message: discord.Message) -> None:
        """Take one DM from a person, after any older ones from them not yet taken."""
        channel = DiscordDmChannel(message.channel, message.author.id, draft_view)
        await self.services.dm_intake.take_live(channel, incoming(message))

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Read back DMs sent while the bot was away (everyone in a meeting collecting statuses)."""
        self.services.dm_intake.reconnected(self.dms)

    @commands.Cog.listener()
    async def on_resumed(self) -> None:
        """After a gateway resume, DMs may have been missed too."""
        self.services.dm_intake.reconnected(self.dms)


DYNAMIC_ITEMS = (StatusWriteButton, StatusDraftButton)


async def setup(bot: CouncilBot) -> None:
    """Load the cog and register its persistent buttons."""
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(Status(bot))
