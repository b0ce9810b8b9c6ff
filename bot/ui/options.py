"""Reusable slash-command option types: each carries its Discord type, its bounds and its suggestions.

``meeting: MeetingNumber | None = None`` is the meeting option of every command: an integer from 1,
suggested by number or title. Leaving it out means "the default meeting", which the service picks
(the next meeting, or for minutes and attendance the latest one); the option's description says which
(:data:`NEXT_MEETING`, :data:`LATEST_MEETING`, :data:`STATUS_MEETING`). ``org: OrgShort`` is an
organisation by short name with suggestions; ``item: ItemNumber`` an agenda item of the meeting chosen
in the same command. (RoboDanny's time transformers are the model: the type carries its own parsing
and suggestions, so a command states only its parameters.) Every option type is a :class:`NumberOption`
or a :class:`TextOption` with its bounds and the function its suggestions come from (``_meetings``,
``_orgs``, …); the shared part (outside a server none, labels cut to 100 characters, at most 25) is
done once, in :meth:`_Suggested.autocomplete`.

The descriptions of options that recur across commands stand here once, so the same option reads the
same everywhere (the English text is also the key of its translations, see :mod:`bot.ui.translator`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Final, Literal

import discord
from discord import app_commands
from discord.app_commands import locale_str as _

from bot.domain.dates import format_date
from bot.domain.guests import GUEST_NAME_MAX
from bot.domain.meetings import DETAILS_MAX, LEAD_MAX, PLACE_MAX, TITLE_MAX

if TYPE_CHECKING:
    from bot.runtime.client import CouncilBot

NEXT_MEETING: Final = _("Meeting number (default: the next meeting)")
LATEST_MEETING: Final = _("Meeting number (default: the latest meeting)")
STATUS_MEETING: Final = _("Meeting number (default: the one collecting statuses)")
THE_ORG: Final = _("The organisation")
SEAT: Final = _("Which seat")
AGENDA_ITEM: Final = _("The agenda item")
"""``item`` in the ``/agenda`` commands."""
ITEM_NUMBER: Final = _("Agenda item number")
"""``item`` in the commands that record what was said or decided under an item (``/minutes``, ``/action``)."""
THE_DECISION: Final = _("The decision")
GUEST: Final = _("The person's name")
AUTOCOMPLETE_MAX: Final = 25
"""Discord shows at most 25 suggestions."""

Labelled = list[tuple[str, Any]]
"""Suggestions as ``(label, value)`` pairs, best first."""
Suggest = Callable[["discord.Interaction[CouncilBot]", int, str], Awaitable[Labelled]]
"""Where an option's suggestions come from: ``(interaction, guild_id, typed so far) -> labelled values``."""


def _choices(labelled: Iterable[tuple[str, Any]]) -> list[app_commands.Choice[Any]]:
    """Suggestions from ``(label, value)`` pairs: labels cut to Discord's 100 characters, at most 25."""
    choices = [app_commands.Choice(name=label[:100], value=value) for label, value in labelled]
    return choices[:AUTOCOMPLETE_MAX]


def _containing(labelled: Iterable[tuple[str, Any]], typed: str) -> list[tuple[str, Any]]:
    """The pairs whose label contains what was typed so far (case-insensitive); all when nothing was typed."""
    wanted = typed.strip().casefold()
    return [(label, value) for label, value in labelled if not wanted or wanted in label.casefold()]


def chosen_meeting(interaction: discord.Interaction[CouncilBot]) -> int | None:
    """The meeting number typed in the same command so far (``None``: the default meeting)."""
    number = getattr(interaction.namespace, "meeting", None)
    return number if isinstance(number, int) else None


async def _meetings(interaction: discord.Interaction[CouncilBot], guild_id: int, typed: str) -> Labelled:
    """Meetings whose number or title matches, newest first, with their date."""
    services = interaction.client.services
    council = await services.roster.find_council(guild_id)
    if council is None:
        return []
    meetings = await services.meetings.search(guild_id, typed)
    return [
        (f"{m.number}. {m.title} – {format_date(m.start_at, council.tz, council.language)}", m.number) for m in meetings
    ]


async def _orgs(interaction: discord.Interaction[CouncilBot], guild_id: int, typed: str) -> Labelled:
    """Organisations whose short name or full name matches."""
    orgs = await interaction.client.services.roster.search_orgs(guild_id, typed)
    return [(f"{org.short} – {org.name}", org.short) for org in orgs]


async def _agenda_items(interaction: discord.Interaction[CouncilBot], guild_id: int, typed: str) -> Labelled:
    """Agenda items of the meeting chosen in the same command (or the next meeting)."""
    items = await interaction.client.services.agenda.items(guild_id, chosen_meeting(interaction))
    return _containing([(f"{item.position}. {item.title}", item.position) for item in items], typed)


async def _guests(interaction: discord.Interaction[CouncilBot], guild_id: int, typed: str) -> Labelled:
    """Guests of the meeting chosen in the same command, with where they come from."""
    guests = await interaction.client.services.meetings.guest_names(guild_id, chosen_meeting(interaction))
    labels = [(f"{g.name} ({g.affiliation})" if g.affiliation else g.name, g.name[:100]) for g in guests]
    return _containing(labels, typed)


async def _open_actions(interaction: discord.Interaction[CouncilBot], guild_id: int, typed: str) -> Labelled:
    """Open action items whose number or text matches."""
    items = await interaction.client.services.memory.search_actions(guild_id, typed, open_only=True)
    return [(f"#{i.number} {i.text}", i.number) for i in items]


async def _decisions(interaction: discord.Interaction[CouncilBot], guild_id: int, typed: str) -> Labelled:
    """Decisions of the meeting chosen in the same command (or the latest), by id, wording or item title."""
    refs = await interaction.client.services.memory.decisions(guild_id, chosen_meeting(interaction))
    wanted = typed.strip().casefold()
    return [
        (f"{r.item.position}. {r.item.title}: {r.text}", r.id)
        for r in refs
        if not wanted or wanted == str(r.id) or wanted in r.text.casefold() or wanted in r.item.title.casefold()
    ]


class _Suggested(app_commands.Transformer["CouncilBot"]):
    """An option whose suggestions come from the council's data, by the function it is built with."""

    def __init__(self, suggest: Suggest) -> None:
        self._suggest = suggest

    async def autocomplete(
        self, interaction: discord.Interaction[CouncilBot], value: int | float | str, /
    ) -> list[app_commands.Choice[Any]]:
        """Up to 25 suggestions for what was typed so far; none outside a server."""
        if interaction.guild_id is None:
            return []
        return _choices(await self._suggest(interaction, interaction.guild_id, str(value)))


class NumberOption(_Suggested):
    """An integer option from 1 to ``most``, passed on as given (the service says when nothing has that number)."""

    def __init__(self, suggest: Suggest, *, most: int = 1_000_000) -> None:
        super().__init__(suggest)
        self._most = most

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
        return self._most

    async def transform(self, interaction: discord.Interaction[CouncilBot], value: Any, /) -> int:
        """The number as given."""
        return int(value)


class TextOption(_Suggested):
    """A text option, optionally bounded in length, passed on as typed (the service cleans and checks it)."""

    def __init__(self, suggest: Suggest, *, max_length: int | None = None) -> None:
        super().__init__(suggest)
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
        """The text as typed."""
        return str(value)


MeetingNumber = app_commands.Transform[int, NumberOption(_meetings)]
OrgShort = app_commands.Transform[str, TextOption(_orgs)]
OrgText = app_commands.Transform[str, TextOption(_orgs, max_length=100)]
"""An organisation typed in free text of at most 100 characters (``/action add``), with the same suggestions."""
ItemNumber = app_commands.Transform[int, NumberOption(_agenda_items, most=100)]
GuestName = app_commands.Transform[str, TextOption(_guests, max_length=GUEST_NAME_MAX)]
"""A person's name in free text, with the guests of the meeting chosen in the same command suggested."""
ActionNumber = app_commands.Transform[int, NumberOption(_open_actions)]
DecisionId = app_commands.Transform[int, NumberOption(_decisions, most=1_000_000_000)]
AnswerName = Literal["yes", "no", "maybe"]
ANSWER_CHOICES: Final = [
    app_commands.Choice(name=_("Attending"), value="yes"),
    app_commands.Choice(name=_("Can't come (deputy attends)"), value="no"),
    app_commands.Choice(name=_("Not sure"), value="maybe"),
]
"""The answers of ``/rsvp`` and ``/meeting rsvp``."""
MeetingPlace = app_commands.Range[str, 1, PLACE_MAX]
"""Where a meeting is (``/meeting create``, ``edit`` and ``next``), bounded as the service checks it."""
ItemPosition = app_commands.Range[int, 1, 100]
"""A place on the agenda (no suggestions: any number up to the agenda's length)."""
ItemTitle = app_commands.Range[str, 1, TITLE_MAX]
"""An agenda item's topic (``/agenda add`` and ``edit`` take the same fields, bounded as the service checks them)."""
ItemLead = app_commands.Transform[str, TextOption(_guests, max_length=LEAD_MAX)]
"""Who leads an agenda item: anyone, by name, with the guests of the meeting suggested."""
ItemDetails = app_commands.Range[str, 1, DETAILS_MAX]
"""An item's background text, or for the status round its theme question."""
