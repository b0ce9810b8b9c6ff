"""What the parts of the memory service share."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.config import RemindersConfig
from bot.domain.dates import format_date
from bot.domain.meetings import Meeting, MeetingState
from bot.domain.memory import ActionItem, ActionLine, action_line
from bot.domain.roster import ERASED_ID, Council, Role
from bot.domain.text import no_mentions
from bot.errors import Conflict
from bot.i18n import Language, t
from bot.services.actions._results import ActionResult
from bot.services.deps import Deps
from bot.services.lookup import check_unpublished, people_names, require_council, resolve_meeting
from bot.services.outbox import OutboxService
from bot.storage.memory_repo import MemoryRepo
from bot.storage.minutes_repo import MinutesRepo


@dataclass(eq=False)
class MemoryBase:
    """The memory service's dependencies and the helpers its parts share."""

    deps: Deps
    repo: MemoryRepo
    minutes: MinutesRepo
    outbox: OutboxService
    config: RemindersConfig = field(default_factory=RemindersConfig)

    async def _editable_meeting(self, guild_id: int, number: int | None) -> Meeting:
        now = self.deps.clock.now()
        meeting = await resolve_meeting(self.deps.meetings, guild_id, number, now, recent=True)
        if number is None and await self.minutes.published_at(guild_id, meeting.id) is not None:
            # The last meeting is done with: the secretary is preparing the next one.
            meeting = await self.deps.meetings.first_not_ended(guild_id, now) or meeting
        if meeting.state is MeetingState.CANCELLED:
            raise Conflict("minutes.cancelled", number=meeting.number)
        check_unpublished(meeting, await self.minutes.published_at(guild_id, meeting.id))
        return meeting

    async def _recipients(self, guild_id: int, item: ActionItem) -> list[int]:
        """Who is told about an item: the person, or the organisation's representative (else its deputy)."""
        if item.owner_user_id is not None:
            return [] if item.owner_user_id == ERASED_ID else [item.owner_user_id]
        if item.owner_org_id is None:
            return []
        seats = {s.role: s.person.user_id for s in await self.deps.roster.seats_for_org(guild_id, item.owner_org_id)}
        chosen = seats.get(Role.REPRESENTATIVE) or seats.get(Role.DEPUTY)
        return [chosen] if chosen else []

    async def _answerable(self, guild_id: int, item: ActionItem) -> set[int]:
        """Who may mark an item done besides the secretary: the owner, or the organisation's seat holders."""
        if item.owner_user_id is not None:
            return {item.owner_user_id} - {ERASED_ID}
        if item.owner_org_id is None:
            return set()
        return {s.person.user_id for s in await self.deps.roster.seats_for_org(guild_id, item.owner_org_id)}

    async def _lines(
        self, guild_id: int, items: list[ActionItem], numbers: dict[int, int] | None = None
    ) -> list[ActionLine]:
        council = await require_council(self.deps.roster, guild_id)
        orgs = {o.id: o for o in await self.deps.roster.list_orgs(guild_id, include_retired=True)}
        names = await people_names(self.deps, council)
        if numbers is None:
            numbers = {m.id: m.number for m in await self.deps.meetings.list_all(guild_id)}
        return [action_line(i, orgs, names, numbers.get(i.meeting_id)) for i in items]

    async def _result(self, council: Council, meeting: Meeting, item: ActionItem) -> ActionResult:
        [line] = await self._lines(council.guild_id, [item], {meeting.id: meeting.number})
        return ActionResult(council, meeting, item, line)


def bullet(line: ActionLine, council: Council) -> str:
    """One item as a bullet line for DMs: ``- #3 text (LPP, frist 15. desember 2026)``."""
    return "- " + describe(line, council.language, council.tz.key)


def describe(line: ActionLine, language: Language, tz: str) -> str:
    """An item in one line of plain text: number, what, owner, due date, state."""
    owner = line.owner or t(language, "memory.secretariat")
    parts = [owner]
    if line.due is not None:
        parts.append(t(language, "memory.due_on", date=format_date(line.due, tz, language)))
    text = f"#{line.number} {no_mentions(line.text)} ({', '.join(parts)})"
    if line.done:
        done = t(language, "memory.state_done", date=format_date(line.done_on, tz, language)) if line.done_on else ""
        text += f" – {done}"
        if line.note:
            text += f": {no_mentions(line.note)}"
    return text
