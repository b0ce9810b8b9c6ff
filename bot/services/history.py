"""``/org history``: an organisation's record across meetings.

Who attended (representative, vara), apologies ("forfall") or no answer, whether the status was sent,
and the organisation's open action items.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.attendance import Outcome
from bot.domain.memory import ActionLine, HistoryEntry, Presence, action_line
from bot.domain.minutes import _attendees
from bot.domain.roster import Council, Organisation
from bot.domain.text import no_mentions
from bot.errors import NotFound
from bot.services.deps import Deps
from bot.services.hooks import NoStatusLookup, StatusLookup
from bot.services.lookup import people_names, require_council
from bot.storage.memory_repo import MemoryRepo


@dataclass(frozen=True, slots=True)
class OrgHistory:
    """An organisation's attendance, statuses and open action items, newest meeting first."""

    council: Council
    org: Organisation
    entries: tuple[HistoryEntry, ...]
    open_actions: tuple[ActionLine, ...]


@dataclass(eq=False)
class HistoryService:
    """Reads an organisation's record; changes nothing."""

    deps: Deps
    repo: MemoryRepo
    status: StatusLookup = field(default_factory=NoStatusLookup)

    async def org_history(self, guild_id: int, short: str | None = None, *, org_id: int | None = None) -> OrgHistory:
        """The record of the organisation with short name ``short`` or id ``org_id`` (retired ones too)."""
        council = await require_council(self.deps.roster, guild_id)
        orgs = await self.deps.roster.list_orgs(guild_id, include_retired=True)
        wanted = " ".join((short or "").split())
        matches = [o for o in orgs if o.id == org_id or (short is not None and o.short.casefold() == wanted.casefold())]
        if not matches:
            raise NotFound("roster.org_not_found", short=wanted[:40] or str(org_id))
        org = next((o for o in matches if o.retired_at is None), matches[-1])
        names = await people_names(self.deps, council)
        now = self.deps.clock.now()
        entries: list[HistoryEntry] = []
        for meeting in reversed(await self.deps.meetings.list_all(guild_id)):
            if meeting.is_cancelled or not meeting.has_started(now):
                continue
            inv = await self.deps.invitations.for_org(guild_id, meeting.id, org.id)
            if inv is None:
                continue
            people = _attendees(inv)
            sent = org.id in await self.status.orgs_with_status(guild_id, meeting.id)
            if people:
                role = inv.attended_role if inv.attended else inv.outcome
                presence = {
                    Outcome.BOTH: Presence.BOTH,
                    Outcome.DEPUTY: Presence.DEPUTY,
                }.get(role or Outcome.REPRESENTATIVE, Presence.REPRESENTATIVE)
                who = tuple(no_mentions(names.get(u, "?")) for u, _deputy in people if u is not None)
            else:
                answered = inv.attended is False or inv.state.representative is not None or inv.state.deputy is not None
                presence = Presence.APOLOGY if answered else Presence.NO_ANSWER
                who = ()
            entries.append(HistoryEntry(meeting.number, meeting.start_at, presence, who, sent))
        numbers = {m.id: m.number for m in await self.deps.meetings.list_all(guild_id)}
        orgs_by_id = {o.id: o for o in orgs}
        open_items = [i for i in await self.repo.actions(guild_id, open_only=True) if i.owner_org_id == org.id]
        lines = tuple(action_line(i, orgs_by_id, names, numbers.get(i.meeting_id)) for i in open_items)
        return OrgHistory(council, org, tuple(entries), lines)
