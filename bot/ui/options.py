"""Reusable slash-command option types: each carries its Discord type, its bounds and its autocomplete.

``meeting: MeetingNumber | None = None`` is the meeting option of every command: an integer from 1,
suggested by number or title. Leaving it out means "the default meeting", which the service picks
(the next meeting, or for minutes and attendance the latest one); the option's description says which
(:data:`NEXT_MEETING`, :data:`LATEST_MEETING`, :data:`STATUS_MEETING`). ``org: OrgShort`` is an
organisation by short name with suggestions; ``item: ItemNumber`` an agenda item of the meeting chosen
in the same command. (RoboDanny's time transformers are the model: the type carries its own parsing
and suggestions, so a command states only its parameters.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal

import discord
from discord import app_commands
from discord.app_commands import locale_str as _

from bot.domain.dates import format_date

if TYPE_CHECKING:
    from bot.runtime.client import CouncilBot

NEXT_MEETING: Final = _("Meeting number (default: the next meeting)")
LATEST_MEETING: Final = _("Meeting number (default: the latest meeting)")
STATUS_MEETING: Final = _("Meeting number (default: the one collecting statuses)")
AUTOCOMPLETE_MAX: Final = 25
"""Discord shows at most 25 suggestions."""


def _matching(labels: list[tuple[str, Any]], current: str) -> list[app_commands.Choice[Any]]:
    """Suggestions whose label contains what was typed so far (case-insensitive), at most 25."""
    wanted = current.strip().casefold()
    return [
        app_commands.Choice(name=label[:100], value=value)
        for label, value in labels
        if not wanted or wanted in label.casefold()
    ][:AUTOCOMPLETE_MAX]


def chosen_meeting(interaction: discord.Interaction[CouncilBot]) -> int | None:
    """The meeting number typed in the same command so far (``None``: the default meeting)."""
    number = getattr(interaction.namespace, "meeting", None)
    return number if isinstance(number, int) else None


class _NumberOption(app_commands.Transformer["CouncilBot"]):
    """An integer option from 1 to ``most``, passed on as given (the service says when nothing has that number)."""

    most: int = 1_000_000

    @property
    def type(self) -> discord.AppCommandOptionType:
        """An integer option."""
        return discord.AppCommandOptionType.integer

    @property
    def min_value(self) -> int:
        """Numbered from 1."""
        return 1

    @property
    def max_value(self) -> int:
        """The largest number accepted."""
        return self.most

    async def transform(self, interaction: discord.Interaction[CouncilBot], value: Any, /) -> int:
        """The number as given."""
        return int(value)


class MeetingOption(_NumberOption):
    """A meeting by its number, suggested by number or title, newest first."""

    async def autocomplete(  # type: ignore[override]  # an int option suggests int choices
        self, interaction: discord.Interaction[CouncilBot], value: int | str, /
    ) -> list[app_commands.Choice[int]]:
        """Suggest meetings by number or title, newest first."""
        if interaction.guild_id is None:
            return []
        services = interaction.client.services
        council = await services.roster.find_council(interaction.guild_id)
        if council is None:
            return []
        meetings = await services.meetings.search(interaction.guild_id, str(value))
        return [
            app_commands.Choice(
                name=f"{m.number}. {m.title} – {format_date(m.start_at, council.tz, council.language)}"[:100],
                value=m.number,
            )
            for m in meetings[:AUTOCOMPLETE_MAX]
        ]


class OrgOption(app_commands.Transformer["CouncilBot"]):
    """An organisation by short name, suggested by short or full name (optionally bounded in length)."""

    def __init__(self, max_length: int | None = None) -> None:
        self._max_length = max_length

    @property
    def min_value(self) -> int | None:
        """At least one character when bounded."""
        return None if self._max_length is None else 1

    @property
    def max_value(self) -> int | None:
        """The longest text accepted, if bounded."""
        return self._max_length

    async def transform(self, interaction: discord.Interaction[CouncilBot], value: Any, /) -> str:
        """The text as typed (the service resolves short or full name)."""
        return str(value)

    async def autocomplete(  # type: ignore[override]  # a string option suggests string choices
        self, interaction: discord.Interaction[CouncilBot], value: int | str, /
    ) -> list[app_commands.Choice[str]]:
        """Suggest organisations by short name (matching short name or full name)."""
        if interaction.guild_id is None:
            return []
        orgs = await interaction.client.services.roster.search_orgs(interaction.guild_id, str(value))
        return [
            app_commands.Choice(name=f"{org.short} – {org.name}"[:100], value=org.short)
            for org in orgs[:AUTOCOMPLETE_MAX]
        ]


class ItemOption(_NumberOption):
    """An agenda item by its number, suggested from the meeting chosen in the same command."""

    most = 100

    async def autocomplete(  # type: ignore[override]  # an int option suggests int choices
        self, interaction: discord.Interaction[CouncilBot], value: int | str, /
    ) -> list[app_commands.Choice[int]]:
        """Suggest agenda items of the meeting chosen in the same command (or the next meeting)."""
        if interaction.guild_id is None:
            return []
        items = await interaction.client.services.agenda.items(interaction.guild_id, chosen_meeting(interaction))
        return _matching([(f"{item.position}. {item.title}", item.position) for item in items], str(value))


MeetingNumber = app_commands.Transform[int, MeetingOption]
OrgShort = app_commands.Transform[str, OrgOption]
OrgText = app_commands.Transform[str, OrgOption(max_length=100)]
"""An organisation typed in free text of at most 100 characters (``/action add``), with the same suggestions."""
ItemNumber = app_commands.Transform[int, ItemOption]
AnswerName = Literal["yes", "no", "maybe"]
ANSWER_CHOICES: Final = [
    app_commands.Choice(name=_("Attending"), value="yes"),
    app_commands.Choice(name=_("Can't come (deputy attends)"), value="no"),
    app_commands.Choice(name=_("Not sure"), value="maybe"),
]
"""The answers of ``/rsvp`` and ``/meeting rsvp``."""
ItemPosition = app_commands.Range[int, 1, 100]
"""A place on the agenda (no suggestions: any number up to the agenda's length)."""


async def guest_autocomplete(
    interaction: discord.Interaction[CouncilBot], current: str
) -> list[app_commands.Choice[str]]:
    """Suggest the guests of the meeting chosen in the same command (for ``/meeting guest remove`` and leads)."""
    if interaction.guild_id is None:
        return []
    guests = await interaction.client.services.meetings.guest_names(interaction.guild_id, chosen_meeting(interaction))
    labels = [(f"{g.name} ({g.affiliation})" if g.affiliation else g.name, g.name[:100]) for g in guests]
    return _matching(labels, current)
