"""``/org``, ``/member``, ``/register`` and ``/roster``: who represents whom."""

from __future__ import annotations

import io
from typing import Literal

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.client import CouncilBot
from bot.domain.notices import REGISTRATION_CUSTOM_ID
from bot.domain.roster import Role, RosterEntry
from bot.domain.text import no_mentions
from bot.i18n import DEFAULT_LANGUAGE, Language, t
from bot.ui.buttons import CouncilButton
from bot.ui.checks import caller_is_secretary, guild_id_of, secretary_only
from bot.ui.history_view import history_page
from bot.ui.options import (
    OrgShort,
)
from bot.ui.respond import NO_MENTIONS, interaction_language, respond, send_long

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


def roster_text(entries: list[RosterEntry], language: Language) -> str:
    """The roster as Discord Markdown, one block per organisation, gaps flagged."""
    if not entries:
        return t(language, "roster.empty")
    lines = [t(language, "roster.heading", count=len(entries))]
    gaps = 0
    for entry in entries:
        rep, dep = entry.representative, entry.deputy
        none = t(language, "roster.nobody")
        lines.append(
            t(
                language,
                "roster.entry",
                short=no_mentions(entry.org.short),
                name=no_mentions(entry.org.name),
                representative=no_mentions(rep.person.display_name) if rep else none,
                deputy=no_mentions(dep.person.display_name) if dep else none,
            )
        )
        if entry.gaps:
            gaps += 1
            missing = ", ".join(t(language, f"roster.role_{role.value}") for role in entry.gaps)
            lines.append(t(language, "roster.gap", missing=missing))
    lines.append(t(language, "roster.gap_summary", count=gaps) if gaps else t(language, "roster.no_gaps"))
    return "\n".join(lines)


class RegistrationButton(CouncilButton, template=r"council:reg:(?P<request_id>\d+):(?P<decision>approve|reject)"):
    """Approve or reject a ``/register`` request; posted in the secretary channel, survives restarts."""

    where = "registration button"
    refusal = "errors.not_secretary"

    def __init__(self, request_id: int, decision: str, language: Language = DEFAULT_LANGUAGE) -> None:
        approve = decision == "approve"
        super().__init__(
            label=t(language, "roster.approve" if approve else "roster.reject"),
            style=discord.ButtonStyle.success if approve else discord.ButtonStyle.danger,
            custom_id=REGISTRATION_CUSTOM_ID.format(request=request_id, decision=decision),
        )
        self.request_id = request_id
        self.decision = decision

    async def allowed(self, interaction: discord.Interaction[CouncilBot]) -> bool:
        """Only the secretary may decide; others get a polite refusal."""
        return await caller_is_secretary(interaction)

    async def run(self, interaction: discord.Interaction[CouncilBot]) -> None:
        """Apply the decision and update the request message."""
        guild_id = guild_id_of(interaction)
        language = await interaction_language(interaction)
        request, org, _result = await interaction.client.services.roster.decide_registration(
            guild_id, self.request_id, approve=self.decision == "approve", decided_by=interaction.user.id
        )
        key = "roster.request_approved" if self.decision == "approve" else "roster.request_rejected"
        text = t(
            language,
            key,
            user=f"<@{request.user_id}>",
            role=t(language, f"roster.role_{request.role.value}"),
            short=org.short,
            by=f"<@{interaction.user.id}>",
        )
        await interaction.response.edit_message(content=text, view=None, allowed_mentions=NO_MENTIONS)


class Roster(commands.Cog):
    """Organisations, seats and registrations."""

    org = app_commands.Group(name=_("org"), description=_("Member organisations"), guild_only=True)
    member = app_commands.Group(name=_("member"), description=_("Representatives and deputies"), guild_only=True)
    roster = app_commands.Group(name=_("roster"), description=_("The roster of the council"), guild_only=True)

    def __init__(self, bot: CouncilBot) -> None:
        self.bot = bot

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
        org = await self.bot.services.roster.add_org(guild_id, name, short, kind)
        language = await interaction_language(interaction)
        await respond(interaction, t(language, "roster.org_added", name=no_mentions(org.label)))

    @org.command(name=_("edit"), description=_("Rename or re-classify an organisation"))
    @app_commands.describe(
        org=_("The organisation"), name=_("New full name"), short=_("New short name"), kind=_("New kind")
    )
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
        updated = await self.bot.services.roster.edit_org(guild_id, org, name=name, new_short=short, kind=kind)
        language = await interaction_language(interaction)
        await respond(interaction, t(language, "roster.org_edited", name=no_mentions(updated.label)))

    @org.command(name=_("history"), description=_("An organisation's attendance and status across meetings"))
    @app_commands.describe(org=_("The organisation"))
    async def org_history(self, interaction: discord.Interaction[CouncilBot], org: OrgShort) -> None:
        content, view = await history_page(interaction, org, None, 1)
        await respond(interaction, content, view=view)

    @org.command(name=_("remove"), description=_("Retire an organisation (its history is kept)"))
    @app_commands.describe(org=_("The organisation"))
    @secretary_only()
    async def org_remove(self, interaction: discord.Interaction[CouncilBot], org: OrgShort) -> None:
        guild_id = guild_id_of(interaction)
        retired = await self.bot.services.roster.retire_org(guild_id, org)
        language = await interaction_language(interaction)
        await respond(interaction, t(language, "roster.org_removed", name=no_mentions(retired.label)))

    # -- /member ---------------------------------------------------------------------------------

    @member.command(name=_("assign"), description=_("Set an organisation's representative or deputy"))
    @app_commands.describe(org=_("The organisation"), role=_("Which seat"), user=_("The member"))
    @app_commands.choices(role=ROLE_CHOICES)
    @secretary_only()
    async def member_assign(
        self, interaction: discord.Interaction[CouncilBot], org: OrgShort, role: RoleName, user: discord.Member
    ) -> None:
        guild_id = guild_id_of(interaction)
        result = await self.bot.services.roster.assign(guild_id, org, Role(role), user.id, user.display_name)
        language = await interaction_language(interaction)
        key = "roster.assigned_replacing" if result.previous else "roster.assigned"
        await respond(
            interaction,
            t(
                language,
                key,
                user=f"<@{user.id}>",
                role=t(language, f"roster.role_{role}"),
                short=no_mentions(result.org.short),
                previous=no_mentions(result.previous.display_name) if result.previous else "",
            ),
        )

    @member.command(name=_("unassign"), description=_("Clear an organisation's representative or deputy"))
    @app_commands.describe(org=_("The organisation"), role=_("Which seat"))
    @app_commands.choices(role=ROLE_CHOICES)
    @secretary_only()
    async def member_unassign(
        self, interaction: discord.Interaction[CouncilBot], org: OrgShort, role: RoleName
    ) -> None:
        guild_id = guild_id_of(interaction)
        updated = await self.bot.services.roster.unassign(guild_id, org, Role(role))
        language = await interaction_language(interaction)
        await respond(
            interaction,
            t(language, "roster.unassigned", role=t(language, f"roster.role_{role}"), short=no_mentions(updated.short)),
        )

    # -- /register -------------------------------------------------------------------------------

    @app_commands.command(name=_("register"), description=_("Ask to become an organisation's representative or deputy"))
    @app_commands.describe(org=_("Your organisation"), role=_("Which seat"))
    @app_commands.choices(role=ROLE_CHOICES)
    @app_commands.guild_only()
    async def register(self, interaction: discord.Interaction[CouncilBot], org: OrgShort, role: RoleName) -> None:
        guild_id = guild_id_of(interaction)
        council = await self.bot.services.roster.council(guild_id)
        _, organisation = await self.bot.services.roster.request_registration(
            guild_id, org, Role(role), interaction.user.id, interaction.user.display_name
        )
        language = council.language
        await respond(interaction, t(language, "roster.request_sent", short=no_mentions(organisation.short)))

    # -- /roster ---------------------------------------------------------------------------------

    @roster.command(name=_("show"), description=_("Show the roster, flagging missing representatives and deputies"))
    async def roster_show(self, interaction: discord.Interaction[CouncilBot]) -> None:
        guild_id = guild_id_of(interaction)
        entries = await self.bot.services.roster.roster(guild_id)
        language = await interaction_language(interaction)
        await send_long(interaction, roster_text(entries, language))

    @roster.command(name=_("export"), description=_("Download the roster as a CSV file"))
    @secretary_only()
    async def roster_export(self, interaction: discord.Interaction[CouncilBot]) -> None:
        guild_id = guild_id_of(interaction)
        data = await self.bot.services.roster.export_csv(guild_id)
        language = await interaction_language(interaction)
        file = discord.File(io.BytesIO(data.encode("utf-8")), filename="roster.csv")
        await respond(interaction, t(language, "roster.exported"), files=[file])

    @roster.command(name=_("import"), description=_("Import the roster from a CSV file (all rows or none)"))
    @app_commands.describe(file=_("CSV with columns short,name,kind,representative_id,representative_name,..."))
    @secretary_only()
    async def roster_import(self, interaction: discord.Interaction[CouncilBot], file: discord.Attachment) -> None:
        guild_id = guild_id_of(interaction)
        language = await interaction_language(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read() if file.size <= 512 * 1024 else b"x" * (512 * 1024 + 1)
        result = await self.bot.services.roster.import_csv(guild_id, data)
        if result.ok:
            text = t(
                language, "roster.imported", added=result.added, updated=result.updated, seats=result.seats_changed
            )
        else:
            problems = [
                t(language, "roster.csv_line", line=p.line, problem=t(language, p.key, **p.params))
                for p in result.problems
            ]
            text = t(language, "roster.import_refused", count=len(problems)) + "\n" + "\n".join(problems)
        await send_long(interaction, no_mentions(text))


DYNAMIC_ITEMS = (RegistrationButton,)


async def setup(bot: CouncilBot) -> None:
    """Load the cog and register its persistent buttons."""
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(Roster(bot))
