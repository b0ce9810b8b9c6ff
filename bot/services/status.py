"""Status updates: what each organisation has been doing, for the round "Hva skjer i organisasjonene?".

Members write their organisation's status in a form (``/status write`` or the "Skriv status" button
under the invitation, call-up or reminder DM) or simply answer that DM; the secretary enters
statuses received by e-mail with their source.
Every save is kept as a version; the latest is the current status, editable until the minutes are
published.

A DM is matched to a member by their seats, to the meeting that is collecting statuses, and held as a
pending draft (messages in a row are joined) until the member keeps the stored status, replaces it or
appends to it. Nothing at all is stored for people who are not on any council's roster. A per-user
cursor, advanced in the transaction that stores the draft, makes sure each DM is taken once, also
when DMs sent while the bot was offline are read back.

:class:`StatusService` is also the :class:`~bot.services.hooks.StatusLookup` of the dashboard and the
reminders, and a :class:`~bot.services.hooks.MeetingOpenedHook` that starts reading back the invitees'
DM replies in the same transaction as the invitations (the invitation itself asks for the status).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.config import LimitsConfig
from bot.domain.attendance import Invitation
from bot.domain.clock import Clock
from bot.domain.meetings import Meeting
from bot.domain.minutes import StatusEntry
from bot.domain.roster import Council, Organisation, Person, Role, clean_text
from bot.domain.status import (
    Author,
    DraftAction,
    StatusDraft,
    StatusVersion,
    Via,
    apply_draft,
    is_collecting,
    join_draft,
    parse_action,
    resolved_state,
    snowflake_at,
    validate_source,
    validate_status,
    writer_role,
)
from bot.domain.text import no_mentions
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.i18n import Language, t
from bot.services.lookup import require_council, resolve_meeting
from bot.services.membership import MembershipService
from bot.services.outbox import OutboxService
from bot.storage.db import Database
from bot.storage.invitation_repo import InvitationRepo
from bot.storage.meeting_repo import MeetingRepo
from bot.storage.roster_repo import RosterRepo
from bot.storage.status_repo import StatusRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StatusTarget:
    """A meeting and organisation a member may write the status for, with what is stored now."""

    council: Council
    meeting: Meeting
    org: Organisation
    role: Author
    current: StatusVersion | None = None


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What a save did.

    Attributes:
        version: the current version after the save.
        previous: the version before it, if any.
        changed: ``False`` when the text was the same as the stored one (no new version).
    """

    council: Council
    meeting: Meeting
    org: Organisation
    version: StatusVersion
    previous: StatusVersion | None
    changed: bool
    changed_meanwhile: StatusVersion | None = None
    """Saved by someone else after the writer opened the form (their text was replaced; both are kept)."""


@dataclass(frozen=True, slots=True)
class DraftPreview:
    """A DM was taken into a pending draft: show it back with keep/replace/append buttons.

    Attributes:
        draft: the pending draft (several messages in a row are joined into it).
        current: the status stored now, if any.
        others: other organisations or meetings the member could write for (named in the reply).
    """

    council: Council
    meeting: Meeting
    org: Organisation
    draft: StatusDraft
    current: StatusVersion | None
    others: tuple[StatusTarget, ...] = ()


@dataclass(frozen=True, slots=True)
class DmRefusal:
    """A DM that was not taken; ``key`` and ``params`` say why.

    ``language`` is the council's, or ``None`` for a stranger no council knows (answer in bokmål
    with an English line).
    """

    key: str
    params: dict[str, Any]
    language: Language | None


@dataclass(frozen=True, slots=True)
class ResolveResult:
    """What a keep/replace/append button did.

    Attributes:
        draft: the draft, now resolved.
        version: the current status after the decision (``None`` when there is none).
        saved: whether a new version was stored.
    """

    council: Council
    meeting: Meeting
    org: Organisation
    draft: StatusDraft
    action: DraftAction
    version: StatusVersion | None
    saved: bool


@dataclass(frozen=True, slots=True)
class ShowEntry:
    """One organisation in ``/status show``."""

    org: Organisation
    role: Author | None
    current: StatusVersion | None
    versions: int
    author: Person | None
    pending_draft: StatusDraft | None = None


@dataclass(frozen=True, slots=True)
class ShowResult:
    """``/status show``: what is stored for the caller's organisations."""

    council: Council
    meeting: Meeting
    entries: tuple[ShowEntry, ...]
    published: bool


class StatusService:
    """Status updates of a council's organisations. Takes plain ids and strings; never a Discord object.

    Args:
        db: the database.
        repo: status versions, drafts and DM cursors.
        meetings: meetings.
        invitations: who was invited for each organisation, and whether the deputy attends.
        roster: councils, organisations and seats.
        outbox: where replies to members' DMs are enqueued.
        clock: the time source.
        limits: ``status_max_chars``.
    """

    def __init__(
        self,
        db: Database,
        repo: StatusRepo,
        meetings: MeetingRepo,
        invitations: InvitationRepo,
        roster: RosterRepo,
        outbox: OutboxService,
        clock: Clock,
        limits: LimitsConfig | None = None,
    ) -> None:
        self.db = db
        self.repo = repo
        self.meetings = meetings
        self.invitations = invitations
        self.roster = roster
        self.outbox = outbox
        self.clock = clock
        self.limit = (limits or LimitsConfig()).status_max_chars
        self.membership: MembershipService | None = None

    async def _require_member(self, guild_id: int, user_id: int) -> None:
        """Buttons, forms and DMs work from anywhere: someone who left the server may not act here."""
        if self.membership is not None:
            await self.membership.require_member(guild_id, user_id)

    # -- which meeting ---------------------------------------------------------------------------

    async def collecting_meetings(self, guild_id: int, now: datetime | None = None) -> list[Meeting]:
        """Meetings collecting statuses: opened, not cancelled, unpublished, starting today or later."""
        council = await self.roster.get_council(guild_id)
        if council is None:
            return []
        moment = now or self.clock.now()
        return [
            meeting
            for meeting in await self.meetings.list_all(guild_id)
            if meeting.is_open
            and is_collecting(meeting, await self.repo.published_at(guild_id, meeting.id), moment, council.tz)
        ]

    async def _meeting_for_writing(self, guild_id: int, number: int | None, now: datetime) -> Meeting:
        """The meeting a status command means.

        The one given, else the first collecting one, else the latest opened meeting whose minutes are
        not yet published (news can come in after the day).
        """
        if number is not None:
            meeting = await self.meetings.get_by_number(guild_id, number)
            if meeting is None:
                raise NotFound("status.meeting_not_found", number=number)
            return meeting
        collecting = await self.collecting_meetings(guild_id, now)
        if collecting:
            return collecting[0]
        for meeting in reversed(await self.meetings.list_all(guild_id)):
            if meeting.is_open and await self.repo.published_at(guild_id, meeting.id) is None:
                return meeting
        raise NotFound("status.no_meeting")

    async def _check_editable(self, meeting: Meeting) -> None:
        if meeting.is_cancelled:
            raise Conflict("status.meeting_cancelled", number=meeting.number)
        if await self.repo.published_at(meeting.guild_id, meeting.id) is not None:
            raise Conflict("status.published", number=meeting.number)

    # -- who writes ------------------------------------------------------------------------------

    async def _member_orgs(self, guild_id: int, meeting_id: int, user_id: int) -> list[Organisation]:
        """Active organisations the member holds a seat in now or was invited for."""
        ids = {seat.org_id for seat in await self.roster.seats_of_user(guild_id, user_id)}
        ids |= {inv.org_id for inv in await self.invitations.for_user(guild_id, meeting_id, user_id)}
        orgs = [await self.roster.get_org(guild_id, org_id) for org_id in ids]
        return sorted(
            (org for org in orgs if org is not None and org.retired_at is None), key=lambda o: (o.position, o.id)
        )

    async def _role_for(
        self, guild_id: int, meeting_id: int, org_id: int, user_id: int
    ) -> tuple[Author | None, Invitation | None, Role | None]:
        invitation = await self.invitations.for_org(guild_id, meeting_id, org_id)
        seat = next(
            (s.role for s in await self.roster.seats_of_user(guild_id, user_id) if s.org_id == org_id),
            None,
        )
        return writer_role(user_id, invitation, seat), invitation, seat

    async def _require_role(self, guild_id: int, meeting: Meeting, org: Organisation, user_id: int) -> Author:
        role, invitation, seat = await self._role_for(guild_id, meeting.id, org.id, user_id)
        if role is not None:
            return role
        if seat is Role.DEPUTY or (invitation is not None and invitation.deputy_id == user_id):
            raise NotAllowed("status.deputy_not_attending", org=org.short)
        raise NotAllowed("status.not_for_org", org=org.short)

    async def _org(self, guild_id: int, org_id: int) -> Organisation:
        org = await self.roster.get_org(guild_id, org_id)
        if org is None or org.retired_at is not None:
            raise NotFound("status.org_gone")
        return org

    # -- forms and commands ----------------------------------------------------------------------

    async def targets(self, guild_id: int, user_id: int, number: int | None = None) -> list[StatusTarget]:
        """What ``/status write`` may open: each organisation the caller may write for, with its text."""
        council = await require_council(self.roster, guild_id)
        meeting = await self._meeting_for_writing(guild_id, number, self.clock.now())
        await self._check_editable(meeting)
        orgs = await self._member_orgs(guild_id, meeting.id, user_id)
        if not orgs:
            raise NotAllowed("status.not_member")
        targets: list[StatusTarget] = []
        for org in orgs:
            role, _invitation, _seat = await self._role_for(guild_id, meeting.id, org.id, user_id)
            if role is not None:
                current = await self.repo.current(guild_id, meeting.id, org.id)
                targets.append(StatusTarget(council, meeting, org, role, current))
        if not targets:
            raise NotAllowed("status.deputy_not_attending", org=", ".join(org.short for org in orgs))
        return sorted(targets, key=lambda target: target.role is not Author.REPRESENTATIVE)

    async def form_target(self, meeting_id: int, org_id: int, user_id: int) -> StatusTarget:
        """The "Skriv status" button was pressed (in a DM, so the server comes from the meeting)."""
        guild_id = await self.meetings.guild_of(meeting_id)
        if guild_id is None:
            raise NotFound("status.meeting_gone")
        council = await require_council(self.roster, guild_id)
        await self._require_member(guild_id, user_id)
        meeting = await self.meetings.get(guild_id, meeting_id)
        if meeting is None:
            raise NotFound("status.meeting_gone")
        await self._check_editable(meeting)
        org = await self._org(guild_id, org_id)
        role = await self._require_role(guild_id, meeting, org, user_id)
        return StatusTarget(council, meeting, org, role, await self.repo.current(guild_id, meeting.id, org.id))

    async def write_form(
        self, meeting_id: int, org_id: int, user_id: int, text: str, base_version: int | None = None
    ) -> WriteResult:
        """A status form was submitted; the server comes from the meeting (forms are opened from DMs too).

        ``base_version`` is the version the form was opened on (0: none). When someone saved since,
        the text is still saved — nothing a member wrote is lost — and the result carries the version
        it replaced, so the writer sees both.
        """
        guild_id = await self.meetings.guild_of(meeting_id)
        if guild_id is None:
            raise NotFound("status.meeting_gone")
        await self._require_member(guild_id, user_id)
        return await self.write(guild_id, meeting_id, org_id, user_id, text, base_version=base_version)

    async def write(
        self,
        guild_id: int,
        meeting_id: int,
        org_id: int,
        user_id: int,
        text: str,
        *,
        via: Via = Via.FORM,
        base_version: int | None = None,
    ) -> WriteResult:
        """Save a member's status for their organisation as a new version.

        Raises:
            InvalidInput: empty or too long (nothing is stored).
            NotAllowed: the member does not write for the organisation (or is a deputy who does not attend).
            Conflict: the meeting is cancelled or its minutes are published.
        """
        cleaned = validate_status(text, self.limit)
        council = await require_council(self.roster, guild_id)
        async with self.db.transaction():
            meeting = await self.meetings.get(guild_id, meeting_id)
            if meeting is None:
                raise NotFound("status.meeting_gone")
            await self._check_editable(meeting)
            org = await self._org(guild_id, org_id)
            role = await self._require_role(guild_id, meeting, org, user_id)
            result = await self._save(council, meeting, org, cleaned, user_id, role, via, None)
        previous = result.previous
        if base_version is not None and previous is not None and previous.version > base_version and result.changed:
            return replace(result, changed_meanwhile=previous)
        return result

    async def submit_for(
        self,
        guild_id: int,
        org: str,
        text: str,
        *,
        secretary_id: int,
        source: str | None = None,
        number: int | None = None,
    ) -> WriteResult:
        """The secretary enters a status on an organisation's behalf (e.g. received by e-mail).

        Args:
            guild_id: the server.
            org: the organisation's short name.
            text: the status as received.
            secretary_id: who entered it.
            source: where it came from; default "mottatt på e-post" in the council's language.
            number: the meeting (default: the one collecting statuses).
        """
        council = await require_council(self.roster, guild_id)
        cleaned = validate_status(text, self.limit)
        where = validate_source(source, t(council.language, "status.default_source"))
        async with self.db.transaction():
            meeting = await self._meeting_for_writing(guild_id, number, self.clock.now())
            await self._check_editable(meeting)
            organisation = await self.roster.get_org_by_short(guild_id, clean_text(org))
            if organisation is None:
                raise NotFound("roster.org_not_found", short=clean_text(org)[:40])
            return await self._save(
                council, meeting, organisation, cleaned, secretary_id, Author.SECRETARY, Via.COMMAND, where
            )

    async def _save(
        self,
        council: Council,
        meeting: Meeting,
        org: Organisation,
        text: str,
        author_id: int,
        role: Author,
        via: Via,
        source: str | None,
    ) -> WriteResult:
        """Store a version unless it repeats the current one (inside the caller's transaction)."""
        previous = await self.repo.current(meeting.guild_id, meeting.id, org.id)
        if previous is not None and (previous.text, previous.source, previous.author_role) == (text, source, role):
            return WriteResult(council, meeting, org, previous, previous, changed=False)
        version = await self.repo.add_version(
            meeting.guild_id,
            meeting.id,
            org.id,
            text=text,
            author_id=author_id,
            author_role=role,
            via=via,
            source=source,
            now=self.clock.now(),
        )
        log.info(
            "status v%d of org %s for meeting %s in guild %s saved by %s (%s)",
            version.version,
            org.id,
            meeting.id,
            meeting.guild_id,
            role.value,
            via.value,
        )
        return WriteResult(council, meeting, org, version, previous, changed=True)

    # -- reading ---------------------------------------------------------------------------------

    async def show(self, guild_id: int, user_id: int, number: int | None = None) -> ShowResult:
        """What is stored for the caller's organisations: the current text, its author and time."""
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        try:
            meeting = await self._meeting_for_writing(guild_id, number, now)
        except NotFound:
            if number is not None:
                raise
            meeting = await resolve_meeting(self.meetings, guild_id, None, now, recent=True)
        orgs = await self._member_orgs(guild_id, meeting.id, user_id)
        if not orgs:
            raise NotAllowed("status.not_member")
        entries = []
        for org in orgs:
            role, _invitation, _seat = await self._role_for(guild_id, meeting.id, org.id, user_id)
            current = await self.repo.current(guild_id, meeting.id, org.id)
            author = None
            if current is not None:
                author = await self.roster.get_person(guild_id, current.author_id) or Person(
                    current.author_id, str(current.author_id)
                )
            entries.append(
                ShowEntry(
                    org=org,
                    role=role,
                    current=current,
                    versions=await self.repo.count_versions(guild_id, meeting.id, org.id),
                    author=author,
                    pending_draft=await self.repo.pending_draft(guild_id, meeting.id, org.id, user_id),
                )
            )
        published = await self.repo.published_at(guild_id, meeting.id) is not None
        return ShowResult(council, meeting, tuple(entries), published)

    async def history(self, guild_id: int, meeting_id: int, org_id: int) -> list[StatusVersion]:
        """Every version of an organisation's status for a meeting, oldest first."""
        return await self.repo.history(guild_id, meeting_id, org_id)

    async def statuses(self, guild_id: int, meeting_id: int) -> list[StatusVersion]:
        """The current status of each organisation that sent one, in roster order (for the minutes)."""
        return await self.repo.current_for_meeting(guild_id, meeting_id)

    async def statuses_for_minutes(self, guild_id: int, meeting_id: int) -> list[StatusEntry]:
        """The current status of each organisation, as the minutes need it (the ``StatusSource`` seam).

        Whether a status is a written submission ("skriftlig innspill") follows from attendance,
        which the minutes compute; a secretary's entry carries its source.
        """
        return [
            StatusEntry(org_id=s.org_id, text=s.text, source=s.source, author_id=s.author_id)
            for s in await self.repo.current_for_meeting(guild_id, meeting_id)
        ]

    async def pending_drafts(self, guild_id: int, meeting_id: int) -> list[StatusDraft]:
        """DM drafts nobody has decided on yet (e.g. to flag on the dashboard)."""
        return await self.repo.pending_drafts(guild_id, meeting_id)

    async def orgs_with_status(self, guild_id: int, meeting_id: int) -> set[int]:
        """The organisations that have a status for the meeting (the ``StatusLookup`` seam)."""
        return await self.repo.orgs_with_status(guild_id, meeting_id)

    # -- replies to the call ------------------------------------------------------------------------

    async def track_replies(self, guild_id: int, meeting_id: int) -> int:
        """Read back DM replies of everyone in a meeting's invitations, also those sent while offline.

        The organisation's status is asked for in the invitation or call-up itself (its "Skriv status"
        button, or a plain reply), so nothing is sent here: each person gets a DM cursor starting at
        the time of the call. Idempotent; called when the meeting opens and when a deputy is called
        up. Returns how many people were new.
        """
        async with self.db.transaction():
            meeting = await self.meetings.get(guild_id, meeting_id)
            if meeting is None:
                return 0
            return await self._track_replies(meeting)

    async def track_all_replies(self) -> int:
        """After a restart: make sure everyone in the meetings collecting statuses is read back."""
        count = 0
        for guild_id in await self.roster.guild_ids():
            for meeting in await self.collecting_meetings(guild_id):
                count += await self.track_replies(guild_id, meeting.id)
        return count

    async def meeting_opened(self, guild_id: int, meeting: Meeting, invitations: Sequence[Invitation]) -> None:
        """The ``MeetingOpenedHook``: replies are tracked from the same transaction as the invitations."""
        await self._track_replies(meeting)

    async def _track_replies(self, meeting: Meeting) -> int:
        now = self.clock.now()
        if not meeting.is_open or meeting.has_started(now):
            return 0
        if await self.repo.published_at(meeting.guild_id, meeting.id) is not None:
            return 0
        people = [
            user_id
            for invitation in await self.invitations.for_meeting(meeting.guild_id, meeting.id)
            # invited_at is empty for rows made only to record attendance: those were never called.
            if invitation.invited_at is not None
            for user_id in (invitation.representative_id, invitation.deputy_id)
            if user_id is not None
        ]
        return await self.repo.ensure_cursors(people, snowflake_at(now), now)

    # -- DMs -------------------------------------------------------------------------------------

    async def receive_dm(
        self, user_id: int, message_id: int, text: str, now: datetime
    ) -> DraftPreview | DmRefusal | None:
        """Take a member's DM as (part of) a pending status draft.

        Args:
            user_id: the sender.
            message_id: the DM's id; a message at or before the sender's cursor was taken already.
            text: the message as written.
            now: when the message was sent (decides which meeting is collecting).

        Returns:
            A preview to show with keep/replace/append buttons; a refusal to explain (not a member,
            no meeting collecting, a deputy who does not attend, bad text); or ``None`` when the
            message was taken before (answer nothing).
        """
        # Servers the sender has left are asked about before the transaction (a REST call each).
        cursor = await self.repo.cursor(user_id)
        left: set[int] = set()
        if self.membership is not None and (cursor is None or message_id > cursor):
            for guild_id in await self.repo.guilds_of_member(user_id):
                if await self.membership.has_left(guild_id, user_id):
                    left.add(guild_id)
        async with self.db.transaction():
            cursor = await self.repo.cursor(user_id)
            if cursor is not None and message_id <= cursor:
                return None
            known = await self.repo.guilds_of_member(user_id)
            guilds = [guild_id for guild_id in known if guild_id not in left]
            if known and not guilds:
                await self.repo.advance_cursor(user_id, message_id, self.clock.now())
                council = await self.roster.get_council(known[0])
                language = council.language if council else None
                return DmRefusal("membership.left", {"council": no_mentions(council.name) if council else ""}, language)
            if not guilds:
                # Not on any roster: store nothing at all, not even that they wrote.
                return DmRefusal("status.dm_stranger", {}, await self._stranger_language(user_id))
            found = await self._dm_target(user_id, guilds, now)
            await self.repo.advance_cursor(user_id, message_id, self.clock.now())
            if isinstance(found, DmRefusal):
                return found
            target, others = found
            meeting, org = target.meeting, target.org
            pending = await self.repo.pending_draft(meeting.guild_id, meeting.id, org.id, user_id)
            try:
                draft_text = (
                    join_draft(pending.text, text, self.limit) if pending else validate_status(text, self.limit)
                )
            except InvalidInput as exc:
                # The cursor still moves: the refusal is answered once, not again after every restart.
                return DmRefusal(exc.message_key, dict(exc.params), target.council.language)
            if pending is not None:
                draft = await self.repo.extend_draft(meeting.guild_id, pending.id, draft_text, message_id, now)
            else:
                draft = await self.repo.insert_draft(
                    meeting.guild_id,
                    meeting.id,
                    org.id,
                    user_id=user_id,
                    author_role=target.role,
                    text=draft_text,
                    message_id=message_id,
                    now=now,
                )
            current = await self.repo.current(meeting.guild_id, meeting.id, org.id)
        log.info("status draft %s (%d messages) for org %s meeting %s", draft.id, draft.messages, org.id, meeting.id)
        return DraftPreview(target.council, meeting, org, draft, current, others)

    async def _dm_target(
        self, user_id: int, guilds: list[int], now: datetime
    ) -> tuple[StatusTarget, tuple[StatusTarget, ...]] | DmRefusal:
        """Which meeting and organisation a member's DM is for; the earliest meeting, representative seats first."""
        writable: list[StatusTarget] = []
        blocked: list[tuple[Council, Meeting, Organisation]] = []
        first: Council | None = None
        for guild_id in guilds:
            council = await self.roster.get_council(guild_id)
            if council is None:
                continue
            first = first or council
            for meeting in await self.collecting_meetings(guild_id, now):
                for org in await self._member_orgs(guild_id, meeting.id, user_id):
                    role, _invitation, _seat = await self._role_for(guild_id, meeting.id, org.id, user_id)
                    if role is None:
                        blocked.append((council, meeting, org))
                    else:
                        writable.append(StatusTarget(council, meeting, org, role))
        if writable:
            writable.sort(key=lambda s: (s.meeting.start_at, s.role is not Author.REPRESENTATIVE, s.org.position))
            return writable[0], tuple(writable[1:])
        if blocked:
            council, meeting, org = blocked[0]
            return DmRefusal(
                "status.dm_deputy_not_attending", {"org": org.short, "title": meeting.title}, council.language
            )
        return DmRefusal("status.dm_no_meeting", {}, first.language if first else None)

    async def _stranger_language(self, user_id: int) -> Language | None:
        """A council that knows the person's name, else the only council this bot serves, else none."""
        for guild_id in await self.repo.guilds_knowing(user_id):
            council = await self.roster.get_council(guild_id)
            if council is not None:
                return council.language
        guilds = await self.roster.guild_ids()
        if len(guilds) == 1:
            council = await self.roster.get_council(guilds[0])
            return council.language if council else None
        return None

    async def resolve_draft(self, draft_id: int, user_id: int, action: str) -> ResolveResult:
        """Keep the stored status, replace it with the draft, or append the draft to it.

        Raises:
            NotFound: no such draft.
            NotAllowed: not the draft's author, or a deputy who no longer attends.
            Conflict: already decided, or the minutes are published.
            InvalidInput: appending would pass the limit (the draft stays pending).
        """
        parsed = parse_action(action)
        guild_id = await self.repo.guild_of_draft(draft_id)
        if guild_id is None:
            raise NotFound("status.draft_not_found")
        council = await require_council(self.roster, guild_id)
        await self._require_member(guild_id, user_id)
        now = self.clock.now()
        async with self.db.transaction():
            draft = await self.repo.get_draft(guild_id, draft_id)
            if draft is None:
                raise NotFound("status.draft_not_found")
            if draft.user_id != user_id:
                raise NotAllowed("status.draft_not_yours")
            if not draft.is_pending:
                raise Conflict("status.draft_already_resolved")
            meeting = await self.meetings.get(guild_id, draft.meeting_id)
            if meeting is None:
                raise NotFound("status.meeting_gone")
            await self._check_editable(meeting)
            org = await self._org(guild_id, draft.org_id)
            role = await self._require_role(guild_id, meeting, org, user_id)
            current = await self.repo.current(guild_id, meeting.id, org.id)
            text = apply_draft(current.text if current else None, draft.text, parsed, self.limit)
            version, saved = current, False
            if text is not None:
                result = await self._save(council, meeting, org, text, user_id, role, Via.DM, None)
                version, saved = result.version, result.changed
            state = resolved_state(parsed)
            if not await self.repo.resolve_draft(
                guild_id, draft.id, state, version.id if saved and version else None, now
            ):
                raise Conflict("status.draft_already_resolved")
        return ResolveResult(
            council, meeting, org, replace(draft, state=state, resolved_at=now), parsed, version, saved
        )

    async def dm_cursor(self, user_id: int) -> int | None:
        """The newest DM message id taken from ``user_id`` (``None``: nothing to read back for them)."""
        return await self.repo.cursor(user_id)

    async def dm_cursors(self) -> list[tuple[int, int]]:
        """``(user id, last message id taken)`` for every member whose DMs are read back after downtime."""
        return await self.repo.cursors()
