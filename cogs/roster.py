"""``/org``, ``/member``, ``/register`` and ``/roster``: who represents whom."""

from __future__ import annotations

import io
from typing import Literal

import discord
from discord import app_commands
from discord.app_commands import locale_str as _

from bot.domain.notices import REGISTRATION_ANSWERS, REGISTRATION_CUSTOM_ID
from bot.domain.roster import Role
from bot.i18n import DEFAULT_LANGUAGE, Language, t
from bot.runtime.client import CouncilBot
from bot.ui.buttons import AnswerButton
from bot.ui.checks import caller_is_secretary, guild_id_of, secretary_only
from bot.ui.cog import CouncilCog
from bot.ui.history_view import history_page
from bot.ui.options import SEAT, THE_ORG, OrgShort
from bot.ui.respond import acknowledge, interaction_language, respond, send_long
from bot.ui.text import roster as roster_text

KIND_CHOICES = [
    app_commands.Choice(name=_("user organisation"), value="user"),
    app_commands.Choice(name=_("relatives' organisation"), value="relatives"),
    app_commands.Choice(name=_("professional body"), value="professional"),
    app_commands.Choice(name=_("service"), value="service"),
    app_commands.Choice(name=_("other"), value="other"),
]
ROLE_CHOICES = [
    app_commands.Choice(name=_("representative"), value="representative"),
    app_commands.Choice(name=_("deputy"), value="deputy"),
]
Kind = Literal["user", "relatives", "professional", "service", "other"]
RoleName = Literal["representative", "deputy"]


class RegistrationButton(
    AnswerButton,
    question=r"council:reg:(?P<request_id>\d+)",
    answers=REGISTRATION_ANSWERS,
):
    """Approve or reject a ``/register`` request; posted in the secretary channel, survives restarts."""

    where = "registration button"
    refusal = "errors.not_secretary"

    def __init__(self, request_id: int, answer: str, language: Language = DEFAULT_LANGUAGE) -> None:
        custom_id = REGISTRATION_CUSTOM_ID.format(request=request_id, decision=answer)
        super().__init__(answer=answer, custom_id=custom_id, language=language)
        self.request_id = request_id

    async def allowed(self, interaction: discord.Interaction[CouncilBot]) -> bool:
        """Only the secretary may decide; others get a polite refusal."""
        return await caller_is_secretary(interaction)

    async def outcome(self, interaction: discord.Interaction[CouncilBot], language: Language) -> str:
        """Apply the decision; the request message then says who decided what."""
        approved = self.answer == "approve"
        request, org, _result = await interaction.client.services.roster.decide_registration(
            guild_id_of(interaction), self.request_id, approve=approved, decided_by=interaction.user.id
        )
        return roster_text.request_decided(request, org, interaction.user.id, approved=approved, language=language)


class Roster(CouncilCog):
    """Organisations, seats and registrations."""

    org = app_commands.Group(name=_("org"), description=_("Member organisations"), guild_only=True)
    member = app_commands.Group(name=_("member"), description=_("Representatives and deputies"), guild_only=True)
    roster = app_commands.Group(name=_("roster"), description=_("The roster of the council"), guild_only=True)

    # -- /org ----------------------------------------------------------------------------------

    @org.command(name=_("add"), description=_("Add a member organisation"))
    @app_commands.describe(name=_("Full name"), short=_("Short name, e.g. LPP"), kind=_("Kind of organisation"))
    @app_commands.choices(kind=KIND_CHOICES)
    @secretary_only()
    async def org_add(
        self,
        interaction: discord.Interaction[CouncilBot],
        name: app_commands.Range[str, 1, 100],
        short: app_commands.Range[str, 1, 20],
        kind: Kind = "other",
    ) -> None:
        guild_id = guild_id_of(interaction)
        org = await self.services.roster.add_org(guild_id, name, short, kind)
        await respond(interaction, roster_text.org_changed(org, "added", await interaction_language(interaction)))

    @org.command(name=_("edit"), description=_("Rename or re-classify an organisation"))
    @app_commands.describe(org=THE_ORG, name=_("New full name"), short=_("New short name"), kind=_("New kind"))
    @app_commands.choices(kind=KIND_CHOICES)
    @secretary_only()
    async def org_edit(
        self,
        interaction: discord.Interaction[CouncilBot],
        org: OrgShort,
        name: app_commands.Range[str, 1, 100] | None = None,
        short: app_commands.Range[str, 1, 20] | None = None,
        kind: Kind | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        updated = await self.services.roster.edit_org(guild_id, org, name=name, new_short=short, kind=kind)
        await respond(interaction, roster_text.org_changed(updated, "edited", await interaction_language(interaction)))

    @org.command(name=_("history"), description=_("An organisation's attendance and status across meetings"))
    @app_commands.describe(org=THE_ORG)
    async def org_history(self, interaction: discord.Interaction[CouncilBot], org: OrgShort) -> None:
        content, view = await history_page(interaction, org, None, 1)
        await respond(interaction, content, view=view)

    @org.command(name=_("remove"), description=_("Retire an organisation (its history is kept)"))
    @app_commands.describe(org=THE_ORG)
    @secretary_only()
    async def org_remove(self, interaction: discord.Interaction[CouncilBot], org: OrgShort) -> None:
        guild_id = guild_id_of(interaction)
        retired = await self.services.roster.retire_org(guild_id, org)
        await respond(interaction, roster_text.org_changed(retired, "removed", await interaction_language(interaction)))

    # -- /member ---------------------------------------------------------------------------------

    @member.command(name=_("assign"), description=_("Set an organisation's representative or deputy"))
    @app_commands.describe(org=THE_ORG, role=SEAT, user=_("The member"))
    @app_commands.choices(role=ROLE_CHOICES)
    @secretary_only()
    async def member_assign(
        self, interaction: discord.Interaction[CouncilBot], org: OrgShort, role: RoleName, user: discord.Member
    ) -> None:
        guild_id = guild_id_of(interaction)
        result = await self.services.roster.assign(guild_id, org, Role(role), user.id, user.display_name)
        language = await interaction_language(interaction)
        await respond(interaction, roster_text.assigned(result, Role(role), user.id, language))

    @member.command(name=_("unassign"), description=_("Clear an organisation's representative or deputy"))
    @app_commands.describe(org=THE_ORG, role=SEAT)
    @app_commands.choices(role=ROLE_CHOICES)
    @secretary_only()
    async def member_unassign(
        self, interaction: discord.Interaction[CouncilBot], org: OrgShort, role: RoleName
    ) -> None:
        guild_id = guild_id_of(interaction)
        updated = await self.services.roster.unassign(guild_id, org, Role(role))
        await respond(interaction, roster_text.unassigned(updated, Role(role), await interaction_language(interaction)))

    # -- /register -------------------------------------------------------------------------------

    @app_commands.command(name=_("register"), description=_("Ask to become an organisation's representative or deputy"))
    @app_commands.describe(org=_("Your organisation"), role=SEAT)
    @app_commands.choices(role=ROLE_CHOICES)
    @app_commands.guild_only()
    async def register(self, interaction: discord.Interaction[CouncilBot], org: OrgShort, role: RoleName) -> None:
        guild_id = guild_id_of(interaction)
        council = await self.services.roster.council(guild_id)
        _, organisation = await self.services.roster.request_registration(
            guild_id, org, Role(role), interaction.user.id, interaction.user.display_name
        )
        await respond(interaction, roster_text.request_sent(organisation, council.language))

    # -- /roster ---------------------------------------------------------------------------------

    @roster.command(name=_("show"), description=_("Show the roster, flagging missing representatives and deputies"))
    async def roster_show(self, interaction: discord.Interaction[CouncilBot]) -> None:
        guild_id = guild_id_of(interaction)
        entries = await self.services.roster.roster(guild_id)
        language = await interaction_language(interaction)
        await send_long(interaction, roster_text.roster(entries, language))

    @roster.command(name=_("export"), description=_("Download the roster as a CSV file"))
    @secretary_only()
    async def roster_export(self, interaction: discord.Interaction[CouncilBot]) -> None:
        guild_id = guild_id_of(interaction)
        data = await self.services.roster.export_csv(guild_id)
        language = await interaction_language(interaction)
        file = discord.File(io.BytesIO(data.encode("utf-8")), filename="roster.csv")
        await respond(interaction, t(language, "roster.exported"), files=[file])

    @roster.command(name=_("import"), description=_("Import the roster from a CSV file (all rows or none)"))
    @app_commands.describe(file=_("CSV with columns short,name,kind,representative_id,representative_name,..."))
    @secretary_only()
    async def roster_import(self, interaction: discord.Interaction[CouncilBot], file: discord.Attachment) -> None:
        guild_id = guild_id_of(interaction)
        language = await interaction_language(interaction)
        await acknowledge(interaction)
        data = await file.read() if file.size <= 512 * 1024 else b"x" * (512 * 1024 + 1)
        result = await self.services.roster.import_csv(guild_id, data)
        await send_long(interaction, roster_text.imported(result, language))


DYNAMIC_ITEMS = (RegistrationButton,)


async def setup(bot: CouncilBot) -> None:
    """Load the cog and register its persistent buttons."""
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(Roster(bot))
