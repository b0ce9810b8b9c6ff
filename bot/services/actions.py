"""The council's memory: decisions under agenda items, action items and their follow-through.

Decisions and action items are recorded until the minutes are published. At publication each owner
gets one DM with their items; before an item's due date its owner is reminded once (the scheduler
calls :meth:`MemoryService.run_due`); owners or the secretary mark items done. Open items carry
forward into the next meeting's invitation and minutes ("Oppfølging fra forrige møte").
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.config import RemindersConfig
from bot.domain.clock import Clock
from bot.domain.dates import format_date, parse_deadline
from bot.domain.meetings import AgendaItem, Meeting, MeetingState
from bot.domain.memory import (
    ActionItem,
    ActionLine,
    ApprovalNote,
    MinutesMemory,
    action_line,
    carried_forward,
    validate_action,
    validate_decision,
    validate_note,
)
from bot.domain.outbox import OutboxItem, OutgoingMessage, Purpose, TargetKind
from bot.domain.roster import Council, Organisation, Person, Role
from bot.domain.text import no_mentions
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.i18n import Language, reading_order, t
from bot.services.lookup import require_council, resolve_meeting
from bot.services.outbox import OutboxService
from bot.storage.db import Database
from bot.storage.invitation_repo import InvitationRepo
from bot.storage.meeting_repo import MeetingRepo
from bot.storage.memory_repo import Comment, MemoryRepo
from bot.storage.minutes_repo import MinutesRepo
from bot.storage.privacy_repo import ANONYMOUS
from bot.storage.roster_repo import RosterRepo

log = logging.getLogger(__name__)

Show = Literal["open", "all"]


@dataclass(frozen=True, slots=True)
class DecisionRef:
    """A decision with the agenda item it sits under, for replies and autocomplete."""

    id: int
    meeting: Meeting
    item: AgendaItem
    text: str


@dataclass(frozen=True, slots=True)
class ActionResult:
    """An action item as recorded or changed, ready to describe to the secretary."""

    council: Council
    meeting: Meeting
    item: ActionItem
    line: ActionLine


@dataclass(frozen=True, slots=True)
class ActionList:
    """``/action list``."""

    council: Council
    show: Show
    lines: tuple[ActionLine, ...]
    now: datetime


@dataclass(frozen=True, slots=True)
class DashboardMemory:
    """What the dashboard shows from the memory: overdue items and comments on a circulated draft."""

    council: Council
    overdue: tuple[ActionLine, ...]
    comments: tuple[tuple[str, str | None, Comment], ...]  # (person, org short, comment)


class MemoryService:
    """Decisions, action items and their follow-through. Plain ids in, plain values out."""

    def __init__(
        self,
        db: Database,
        repo: MemoryRepo,
        meetings: MeetingRepo,
        minutes: MinutesRepo,
        invitations: InvitationRepo,
        roster: RosterRepo,
        outbox: OutboxService,
        clock: Clock,
        config: RemindersConfig | None = None,
    ) -> None:
        self.db = db
        self.repo = repo
        self.meetings = meetings
        self.minutes = minutes
        self.invitations = invitations
        self.roster = roster
        self.outbox = outbox
        self.clock = clock
        self.config = config or RemindersConfig()

    # -- decisions -------------------------------------------------------------------------------

    async def add_decision(
        self, guild_id: int, position: int, text: str, author_id: int, number: int | None = None
    ) -> DecisionRef:
        """Record a decision ("Vedtak") under an agenda item, until the minutes are published."""
        cleaned = validate_decision(text)
        async with self.db.transaction():
            meeting = await self._editable_meeting(guild_id, number)
            item = await self._item(meeting, position)
            decision_id = await self.repo.add_decision(
                guild_id, meeting.id, item.id, cleaned, author_id, self.clock.now()
            )
        return DecisionRef(decision_id, meeting, item, cleaned)

    async def decisions(self, guild_id: int, number: int | None = None) -> list[DecisionRef]:
        """A meeting's decisions with their items (for autocomplete and listing)."""
        meeting = await resolve_meeting(self.meetings, guild_id, number, self.clock.now(), recent=True)
        items = {i.id: i for i in await self.meetings.agenda(guild_id, meeting.id)}
        return [
            DecisionRef(d.id, meeting, items[d.agenda_item_id], d.text)
            for d in await self.repo.decisions(guild_id, meeting.id)
            if d.agenda_item_id in items
        ]

    async def edit_decision(self, guild_id: int, decision_id: int, text: str | None) -> DecisionRef | None:
        """Rewrite a decision, or remove it when ``text`` is None; refused once the minutes are published."""
        cleaned = validate_decision(text) if text is not None else None
        async with self.db.transaction():
            ref = await self._decision(guild_id, decision_id)
            if await self.minutes.published_at(guild_id, ref.meeting.id) is not None:
                raise Conflict("minutes.already_published_use_amend", number=ref.meeting.number)
            if cleaned is None:
                await self.repo.delete_decision(guild_id, decision_id)
                return None
            await self.repo.update_decision(guild_id, decision_id, cleaned, self.clock.now())
        return DecisionRef(ref.id, ref.meeting, ref.item, cleaned)

    async def decision(self, guild_id: int, decision_id: int) -> DecisionRef:
        """One decision by id; ``NotFound`` otherwise."""
        return await self._decision(guild_id, decision_id)

    async def _decision(self, guild_id: int, decision_id: int) -> DecisionRef:
        found = await self.repo.get_decision(guild_id, decision_id)
        meeting = await self.meetings.get(guild_id, found.meeting_id) if found else None
        if found is None or meeting is None:
            raise NotFound("memory.decision_not_found", decision=decision_id)
        items = {i.id: i for i in await self.meetings.agenda(guild_id, meeting.id)}
        if found.agenda_item_id not in items:
            raise NotFound("memory.decision_not_found", decision=decision_id)
        return DecisionRef(found.id, meeting, items[found.agenda_item_id], found.text)

    # -- action items ----------------------------------------------------------------------------

    async def add_action(
        self,
        guild_id: int,
        text: str,
        by: int,
        *,
        org: str | None = None,
        user: Person | None = None,
        due: str | None = None,
        item: int | None = None,
        number: int | None = None,
    ) -> ActionResult:
        """Record an action item. Owner: an organisation, a person, or neither (the secretariat)."""
        cleaned = validate_action(text)
        if org is not None and user is not None:
            raise InvalidInput("memory.owner_both")
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        due_at = parse_deadline(due, now=now, tz=council.tz, languages=reading_order(council.language)) if due else None
        async with self.db.transaction():
            meeting = await self._editable_meeting(guild_id, number)
            agenda_item = await self._item(meeting, item) if item is not None else None
            owner_org = await self._org(guild_id, org) if org is not None else None
            if user is not None:
                await self.roster.remember_person(guild_id, user, now)
            stored = await self.repo.add_action(
                guild_id,
                meeting.id,
                text=cleaned,
                item_id=agenda_item.id if agenda_item else None,
                owner_org_id=owner_org.id if owner_org else None,
                owner_user_id=user.user_id if user else None,
                due_at=due_at,
                created_by=by,
                now=now,
            )
        return await self._result(council, meeting, stored)

    async def list_actions(self, guild_id: int, show: Show = "open") -> ActionList:
        """The council's action items: open ones, or all."""
        council = await require_council(self.roster, guild_id)
        items = await self.repo.actions(guild_id, open_only=show == "open")
        lines = await self._lines(guild_id, items)
        return ActionList(council, show, tuple(lines), self.clock.now())

    async def done(
        self, guild_id: int, number: int, user_id: int, *, is_secretary: bool, note: str | None = None
    ) -> ActionResult:
        """Mark an item done: by the secretary or the owner (an organisation's representative); others refused."""
        cleaned = validate_note(note)
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        async with self.db.transaction():
            found = await self.repo.get_action(guild_id, number)
            if found is None:
                raise NotFound("memory.action_not_found", number=number)
            if not is_secretary and user_id not in await self._answerable(guild_id, found):
                raise NotAllowed("memory.action_not_yours", number=number)
            if not await self.repo.mark_done(guild_id, found.id, user_id, cleaned, now):
                raise Conflict("memory.action_already_done", number=number)
            updated = await self.repo.get_action(guild_id, number)
            assert updated is not None  # noqa: S101 - just written in this transaction
            meeting = await self.meetings.get(guild_id, updated.meeting_id)
            assert meeting is not None  # noqa: S101 - action items reference their meeting
            result = await self._result(council, meeting, updated)
            if not is_secretary:
                names = await self.invitations.names(guild_id)
                text = t(
                    council.language,
                    "memory.done_notice",
                    number=number,
                    text=no_mentions(updated.text),
                    person=no_mentions(names.get(user_id, str(user_id))),
                    note=no_mentions(cleaned) if cleaned else "–",
                )
                await self.outbox.enqueue(
                    guild_id,
                    OutboxItem(
                        f"action:{updated.id}:done",
                        TargetKind.CHANNEL,
                        council.secretary_channel_id,
                        OutgoingMessage(text),
                        Purpose.OTHER,
                        meeting.id,
                    ),
                )
        return result

    async def search_actions(self, guild_id: int, text: str, *, open_only: bool) -> list[ActionItem]:
        """Action items for autocomplete."""
        needle = text.strip().casefold().lstrip("#")
        items = await self.repo.actions(guild_id, open_only=open_only)
        return [i for i in items if not needle or needle in str(i.number) or needle in i.text.casefold()][:25]

    # -- follow-through --------------------------------------------------------------------------

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
            text += "\n" + "\n".join(_bullet(line, council) for line in lines)
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
                async with self.db.transaction():
                    if not await self.repo.mark_reminded(item.guild_id, item.id, now):
                        continue
                    council = await self.roster.get_council(item.guild_id)
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
        text = t(council.language, "memory.due_reminder", number=item.number) + "\n" + _bullet(line, council)
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
            approved = await self.meetings.get(guild_id, approved_meeting_id)
            approval = await self.repo.approval(guild_id, approved_meeting_id)
            if approved is not None:
                here = approval is not None and approval.meeting_id in (meeting.id, None)
                approvals[item_id] = ApprovalNote(
                    approved.start_at, approval.approved_at if approval and here else None
                )
        actions = await self._lines(guild_id, await self.repo.actions_for_meeting(guild_id, meeting.id))
        earlier = [m for m in await self.meetings.list_all(guild_id) if m.start_at < meeting.start_at]
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
        council = await require_council(self.roster, guild_id)
        earlier = {m.id: m.number for m in await self.meetings.list_all(guild_id) if m.start_at < meeting.start_at}
        items = [i for i in await self.repo.actions(guild_id, open_only=True) if i.meeting_id in earlier]
        if not items:
            return ""
        lines = await self._lines(guild_id, items, earlier)
        return (
            t(council.language, "memory.invitation_open_items")
            + "\n"
            + "\n".join(_bullet(line, council) for line in lines)
        )

    async def dashboard(self, guild_id: int, meeting: Meeting) -> DashboardMemory:
        """Overdue action items of the council and the comments on this meeting's circulated draft."""
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        overdue = [i for i in await self.repo.actions(guild_id, open_only=True) if i.is_overdue(now)]
        names = await self.invitations.names(guild_id)
        names[ANONYMOUS] = t(council.language, "privacy.anonymous")
        orgs = {o.id: o for o in await self.roster.list_orgs(guild_id, include_retired=True)}
        comments = tuple(
            (
                no_mentions(names.get(c.user_id, str(c.user_id))),
                no_mentions(orgs[c.org_id].short) if c.org_id in orgs else None,
                c,
            )
            for c in await self.repo.comments(guild_id, meeting.id)
        )
        return DashboardMemory(council, tuple(await self._lines(guild_id, overdue)), comments)

    # -- internals -------------------------------------------------------------------------------

    async def _editable_meeting(self, guild_id: int, number: int | None) -> Meeting:
        now = self.clock.now()
        meeting = await resolve_meeting(self.meetings, guild_id, number, now, recent=True)
        if number is None and await self.minutes.published_at(guild_id, meeting.id) is not None:
            # The last meeting is done with: the secretary is preparing the next one.
            meeting = await self.meetings.first_not_ended(guild_id, now) or meeting
        if meeting.state is MeetingState.CANCELLED:
            raise Conflict("minutes.cancelled", number=meeting.number)
        if await self.minutes.published_at(guild_id, meeting.id) is not None:
            raise Conflict("minutes.already_published_use_amend", number=meeting.number)
        return meeting

    async def _item(self, meeting: Meeting, position: int) -> AgendaItem:
        found = next(
            (i for i in await self.meetings.agenda(meeting.guild_id, meeting.id) if i.position == position), None
        )
        if found is None:
            raise NotFound("minutes.item_not_found", position=position, number=meeting.number)
        return found

    async def _org(self, guild_id: int, short: str) -> Organisation:
        org = await self.roster.get_org_by_short(guild_id, " ".join(short.split()))
        if org is None:
            raise NotFound("roster.org_not_found", short=" ".join(short.split())[:40])
        return org

    async def _recipients(self, guild_id: int, item: ActionItem) -> list[int]:
        """Who is told about an item: the person, or the organisation's representative (else its deputy)."""
        if item.owner_user_id is not None:
            return [] if item.owner_user_id == ANONYMOUS else [item.owner_user_id]
        if item.owner_org_id is None:
            return []
        seats = {s.role: s.person.user_id for s in await self.roster.seats_for_org(guild_id, item.owner_org_id)}
        chosen = seats.get(Role.REPRESENTATIVE) or seats.get(Role.DEPUTY)
        return [chosen] if chosen else []

    async def _answerable(self, guild_id: int, item: ActionItem) -> set[int]:
        """Who may mark an item done besides the secretary: the owner, or the organisation's seat holders."""
        if item.owner_user_id is not None:
            return {item.owner_user_id} - {ANONYMOUS}
        if item.owner_org_id is None:
            return set()
        return {s.person.user_id for s in await self.roster.seats_for_org(guild_id, item.owner_org_id)}

    async def _lines(
        self, guild_id: int, items: list[ActionItem], numbers: dict[int, int] | None = None
    ) -> list[ActionLine]:
        council = await require_council(self.roster, guild_id)
        orgs = {o.id: o for o in await self.roster.list_orgs(guild_id, include_retired=True)}
        names = await self.invitations.names(guild_id)
        names[ANONYMOUS] = t(council.language, "privacy.anonymous")
        if numbers is None:
            numbers = {m.id: m.number for m in await self.meetings.list_all(guild_id)}
        return [action_line(i, orgs, names, numbers.get(i.meeting_id)) for i in items]

    async def _result(self, council: Council, meeting: Meeting, item: ActionItem) -> ActionResult:
        [line] = await self._lines(council.guild_id, [item], {meeting.id: meeting.number})
        return ActionResult(council, meeting, item, line)


def _bullet(line: ActionLine, council: Council) -> str:
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
