"""Follow-through: owners told at publication, reminders before due dates, what other features show."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from bot.domain.dates import format_date
from bot.domain.meetings import Meeting, MeetingState
from bot.domain.memory import ActionItem, ApprovalNote, MinutesMemory, carried_forward
from bot.domain.outbox import OutboxItem, OutgoingMessage, Purpose, TargetKind
from bot.domain.roster import Council
from bot.domain.text import no_mentions
from bot.i18n import t
from bot.services.actions._base import MemoryBase, bullet
from bot.services.actions._results import DashboardMemory
from bot.services.lookup import people_names, require_council

log = logging.getLogger(__name__)


class MemoryFollowThrough(MemoryBase):
    """What publication owes, reminders, and the memory in the minutes, invitations and dashboard."""

    async def minutes_published(self, council: Council, meeting: Meeting) -> None:
        """Each owner gets one DM with their items of this meeting (inside the publishing transaction)."""
        guild_id = council.guild_id
        items = await self.repo.actions_for_meeting(guild_id, meeting.id)
        per_person: dict[int, list[ActionItem]] = defaultdict(list)
        for item in items:
            for user_id in await self._recipients(guild_id, item):
                per_person[user_id].append(item)
        when = format_date(meeting.start_at, council.tz, council.language)
        for user_id, mine in sorted(per_person.items()):
            lines = await self._lines(guild_id, mine)
            text = t(council.language, "memory.owner_dm", council=no_mentions(council.name), date=when)
            text += "\n" + "\n".join(bullet(line, council) for line in lines)
            await self.outbox.enqueue(
                guild_id,
                OutboxItem.dm(
                    f"actions:{meeting.id}:owner:{user_id}",
                    user_id,
                    OutgoingMessage(text),
                    Purpose.OTHER,
                    meeting_id=meeting.id,
                ),
            )

    async def run_due(self, now: datetime) -> int:
        """Send the one reminder before each open item's due date; return how many items were reminded.

        Each item is claimed (``due_reminded_at``) in the transaction that enqueues its reminder, so a
        restart never sends it twice; an item done in the meantime is skipped.
        """
        before = timedelta(days=self.config.action_due_days)
        reminded = 0
        for item in await self.repo.reminder_candidates(now, now + before):
            if not item.reminder_due(now, before):
                continue
            try:
                async with self.deps.db.transaction():
                    if not await self.repo.mark_reminded(item.guild_id, item.id, now):
                        continue
                    council = await self.deps.roster.get_council(item.guild_id)
                    if council is None:
                        continue
                    await self._remind(council, item)
                    reminded += 1
            except Exception:  # one bad item must not stop the others; it stays unclaimed
                log.exception("action item reminder %s of guild %s failed", item.id, item.guild_id)
        if reminded:
            log.info("action items: %d reminders", reminded)
        return reminded

    async def _remind(self, council: Council, item: ActionItem) -> None:
        [line] = await self._lines(council.guild_id, [item])
        text = t(council.language, "memory.due_reminder", number=item.number) + "\n" + bullet(line, council)
        recipients = await self._recipients(council.guild_id, item)
        if item.owner_org_id is None and item.owner_user_id is None:
            await self.outbox.enqueue(
                council.guild_id,
                OutboxItem(
                    f"action:{item.id}:due:channel",
                    TargetKind.CHANNEL,
                    council.secretary_channel_id,
                    OutgoingMessage(text),
                    Purpose.REMINDER,
                    item.meeting_id,
                ),
            )
        for user_id in recipients:
            await self.outbox.enqueue(
                council.guild_id,
                OutboxItem.dm(f"action:{item.id}:due:{user_id}", user_id, OutgoingMessage(text), Purpose.REMINDER),
            )

    # -- what other features show ----------------------------------------------------------------

    async def minutes_memory(self, council: Council, meeting: Meeting, *, draft: bool) -> MinutesMemory:
        """Decisions, action items, follow-ups, approval and circulation for the minutes of ``meeting``."""
        guild_id = council.guild_id
        decisions: dict[int, list[str]] = defaultdict(list)
        for d in await self.repo.decisions(guild_id, meeting.id):
            decisions[d.agenda_item_id].append(d.text)
        approvals: dict[int, ApprovalNote] = {}
        found = await self.repo.approval_item(guild_id, meeting.id)
        if found is not None:
            item_id, approved_meeting_id = found
            approved = await self.deps.meetings.get(guild_id, approved_meeting_id)
            approval = await self.repo.approval(guild_id, approved_meeting_id)
            if approved is not None:
                here = approval is not None and approval.meeting_id in (meeting.id, None)
                approvals[item_id] = ApprovalNote(
                    approved.start_at, approval.approved_at if approval and here else None
                )
        actions = await self._lines(guild_id, await self.repo.actions_for_meeting(guild_id, meeting.id))
        earlier = [m for m in await self.deps.meetings.list_all(guild_id) if m.start_at < meeting.start_at]
        earlier = [m for m in earlier if m.state is not MeetingState.CANCELLED]
        since = max((m.start_at for m in earlier), default=None)
        numbers = {m.id: m.number for m in earlier}
        carried = carried_forward(await self.repo.actions(guild_id), set(numbers), since)
        followups = await self._lines(guild_id, carried, numbers)
        approval = await self.repo.approval(guild_id, meeting.id)
        circulated = await self.repo.first_circulation(guild_id, meeting.id)
        return MinutesMemory(
            decisions={k: tuple(v) for k, v in decisions.items()},
            approvals=approvals,
            actions=tuple(actions),
            followups=tuple(followups),
            approved_on=approval.approved_at if approval else None,
            circulated_on=circulated.created_at if circulated and not draft else None,
        )

    async def invitation_extra(self, guild_id: int, meeting: Meeting) -> str:
        """The open action items from earlier meetings, for the invitation (empty when there are none)."""
        council = await require_council(self.deps.roster, guild_id)
        earlier = {m.id: m.number for m in await self.deps.meetings.list_all(guild_id) if m.start_at < meeting.start_at}
        items = [i for i in await self.repo.actions(guild_id, open_only=True) if i.meeting_id in earlier]
        if not items:
            return ""
        lines = await self._lines(guild_id, items, earlier)
        return (
            t(council.language, "memory.invitation_open_items")
            + "\n"
            + "\n".join(bullet(line, council) for line in lines)
        )

    async def dashboard(self, guild_id: int, meeting: Meeting) -> DashboardMemory:
        """Overdue action items of the council and the comments on this meeting's circulated draft."""
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        overdue = [i for i in await self.repo.actions(guild_id, open_only=True) if i.is_overdue(now)]
        names = await people_names(self.deps, council)
        orgs = {o.id: o for o in await self.deps.roster.list_orgs(guild_id, include_retired=True)}
        comments = tuple(
            (
                no_mentions(names.get(c.user_id, str(c.user_id))),
                no_mentions(orgs[c.org_id].short) if c.org_id in orgs else None,
                c,
            )
            for c in await self.repo.comments(guild_id, meeting.id)
        )
        return DashboardMemory(council, tuple(await self._lines(guild_id, overdue)), comments)
