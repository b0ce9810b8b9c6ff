"""Reading statuses: ``/status show``, the history, the minutes' status round, the dashboard."""

from __future__ import annotations

from bot.domain.minutes import StatusEntry
from bot.domain.roster import Person
from bot.domain.status import StatusDraft, StatusVersion
from bot.errors import NotAllowed, NotFound
from bot.services.lookup import require_council, resolve_meeting
from bot.services.status._base import StatusBase
from bot.services.status._results import ShowEntry, ShowResult


class StatusReading(StatusBase):
    """What is stored, for people and for the other features."""

    async def show(self, guild_id: int, user_id: int, number: int | None = None) -> ShowResult:
        """What is stored for the caller's organisations: the current text, its author and time."""
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        try:
            meeting = await self._meeting_for_writing(guild_id, number, now)
        except NotFound:
            if number is not None:
                raise
            meeting = await resolve_meeting(self.deps.meetings, guild_id, None, now, recent=True)
        orgs = await self._member_orgs(guild_id, meeting.id, user_id)
        if not orgs:
            raise NotAllowed("status.not_member")
        entries = []
        for org in orgs:
            role, _invitation, _seat = await self._role_for(guild_id, meeting.id, org.id, user_id)
            current = await self.repo.current(guild_id, meeting.id, org.id)
            author = None
            if current is not None:
                author = await self.deps.roster.get_person(guild_id, current.author_id) or Person(
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
        published = await self.minutes.published_at(guild_id, meeting.id) is not None
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
