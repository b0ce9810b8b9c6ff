"""Writing a status: the form, ``/status write`` and ``/status submit``."""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.domain.status import Author, Via, validate_source, validate_status
from bot.errors import NotAllowed, NotFound
from bot.i18n import t
from bot.services.lookup import require_council, require_org
from bot.services.status._base import StatusBase
from bot.services.status._results import StatusSlot, StatusTarget, WriteResult

log = logging.getLogger(__name__)


class StatusWriting(StatusBase):
    """Forms and commands that store a status version."""

    async def targets(self, guild_id: int, user_id: int, number: int | None = None) -> list[StatusTarget]:
        """What ``/status write`` may open: each organisation the caller may write for, with its text."""
        council = await require_council(self.deps.roster, guild_id)
        meeting = await self._meeting_for_writing(guild_id, number, self.deps.clock.now())
        await self._check_editable(meeting)
        orgs = await self._member_orgs(guild_id, meeting.id, user_id)
        if not orgs:
            raise NotAllowed("status.not_member")
        targets: list[StatusTarget] = []
        for org in orgs:
            role, _invitation, _seat = await self._role_for(guild_id, meeting.id, org.id, user_id)
            if role is not None:
                current = await self.repo.current(guild_id, meeting.id, org.id)
                targets.append(StatusTarget(StatusSlot(council, meeting, org), role, current))
        if not targets:
            raise NotAllowed("status.deputy_not_attending", org=", ".join(org.short for org in orgs))
        return sorted(targets, key=lambda target: target.role is not Author.REPRESENTATIVE)

    async def form_target(self, meeting_id: int, org_id: int, user_id: int) -> StatusTarget:
        """The "Skriv status" button was pressed (in a DM, so the server comes from the meeting)."""
        guild_id = await self.deps.meetings.guild_of(meeting_id)
        if guild_id is None:
            raise NotFound("status.meeting_gone")
        council = await require_council(self.deps.roster, guild_id)
        await self._require_member(guild_id, user_id)
        meeting, org, role = await self._writable(guild_id, meeting_id, org_id, user_id)
        current = await self.repo.current(guild_id, meeting.id, org.id)
        return StatusTarget(StatusSlot(council, meeting, org), role, current)

    async def write_form(
        self, meeting_id: int, org_id: int, user_id: int, text: str, base_version: int | None = None
    ) -> WriteResult:
        """A status form was submitted; the server comes from the meeting (forms are opened from DMs too).

        ``base_version`` is the version the form was opened on (0: none). When someone saved since,
        the text is still saved — nothing a member wrote is lost — and the result carries the version
        it replaced, so the writer sees both.
        """
        guild_id = await self.deps.meetings.guild_of(meeting_id)
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
        council = await require_council(self.deps.roster, guild_id)
        async with self.deps.db.transaction():
            meeting, org, role = await self._writable(guild_id, meeting_id, org_id, user_id)
            result = await self._save(StatusSlot(council, meeting, org), cleaned, user_id, role, via, None)
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
        council = await require_council(self.deps.roster, guild_id)
        cleaned = validate_status(text, self.limit)
        where = validate_source(source, t(council.language, "status.default_source"))
        async with self.deps.db.transaction():
            meeting = await self._meeting_for_writing(guild_id, number, self.deps.clock.now())
            await self._check_editable(meeting)
            organisation = await require_org(self.deps.roster, guild_id, org)
            slot = StatusSlot(council, meeting, organisation)
            return await self._save(slot, cleaned, secretary_id, Author.SECRETARY, Via.COMMAND, where)

    async def _save(
        self, slot: StatusSlot, text: str, author_id: int, role: Author, via: Via, source: str | None
    ) -> WriteResult:
        """Store a version unless it repeats the current one (inside the caller's transaction)."""
        meeting, org = slot.meeting, slot.org
        previous = await self.repo.current(meeting.guild_id, meeting.id, org.id)
        if previous is not None and (previous.text, previous.source, previous.author_role) == (text, source, role):
            return WriteResult(slot, previous, previous, changed=False)
        version = await self.repo.add_version(
            meeting.guild_id,
            meeting.id,
            org.id,
            text=text,
            author_id=author_id,
            author_role=role,
            via=via,
            source=source,
            now=self.deps.clock.now(),
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
        return WriteResult(slot, version, previous, changed=True)
