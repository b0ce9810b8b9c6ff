"""Drafts, publication, addenda and the files of the minutes."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.domain.dates import format_date, format_when
from bot.domain.meetings import Meeting
from bot.domain.minutes import Addendum, MinutesDocument, compile_minutes
from bot.domain.notes import validate_notes
from bot.domain.outbox import OutboxItem, OutgoingMessage, Purpose, TargetKind
from bot.domain.roster import Council, Person
from bot.domain.text import md_escape, no_mentions
from bot.errors import Conflict, NotFound
from bot.i18n import t
from bot.services.lookup import council_meeting, require_council
from bot.services.minutes._archive import DRAFT_ATTEMPTS, DraftRacedError, content, filename, refs
from bot.services.minutes._base import MinutesBase
from bot.services.minutes._results import Format, MinutesResult


class MinutesPublishing(MinutesBase):
    """Drafts, publication with copies to every seat holder, addenda and files."""

    async def compile(
        self, guild_id: int, number: int | None, *, secretary_id: int | None, draft: bool, version: int | None = None
    ) -> MinutesDocument:
        """Read everything the minutes need and compile the document (nothing is stored)."""
        council, meeting = await council_meeting(self.deps, guild_id, number, recent=True)
        data = await self.archive.input(council, meeting, secretary_id=secretary_id, draft=draft, version=version)
        return await asyncio.to_thread(compile_minutes, data)

    # -- drafts and publication ------------------------------------------------------------------

    async def draft(self, guild_id: int, by: Person, number: int | None = None) -> MinutesResult:
        """Compile a new draft version, store it, and post it to the secretary channel (via the outbox)."""
        council = await require_council(self.deps.roster, guild_id)
        async with self.deps.db.transaction():
            await self.deps.roster.remember_person(guild_id, by, self.deps.clock.now())
        for attempt in range(1, DRAFT_ATTEMPTS + 1):
            try:
                return await self._draft_once(council, by, number)
            except DraftRacedError:
                if attempt == DRAFT_ATTEMPTS:
                    raise Conflict("minutes.draft_busy") from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _draft_once(self, council: Council, by: Person, number: int | None) -> MinutesResult:
        guild_id = council.guild_id
        meeting, _ = await self._meeting_for_minutes(guild_id, number)
        latest = await self.repo.latest(guild_id, meeting.id, "draft")
        version = (latest.version if latest else 0) + 1
        rendered = await self.archive.render(council, meeting, secretary_id=by.user_id, draft=True, version=version)
        header = t(council.language, "minutes.draft_posted_header", version=version, number=meeting.number)
        body = header + "\n\n" + "\n\n".join(rendered.discord)
        async with self.deps.db.transaction():
            latest = await self.repo.latest(guild_id, meeting.id, "draft")
            if (latest.version if latest else 0) + 1 != version:
                raise DraftRacedError
            stored = await self.archive.store(council, meeting, rendered, "draft", by.user_id, self.deps.clock.now())
            message = OutgoingMessage(body, attachments=refs(stored))
            await self.outbox.enqueue(
                guild_id,
                OutboxItem(
                    f"minutes:{meeting.id}:draft:{stored.version}",
                    TargetKind.CHANNEL,
                    council.secretary_channel_id,
                    message,
                    Purpose.OTHER,
                    meeting.id,
                ),
            )
        return MinutesResult(council, meeting, stored)

    async def publish(self, guild_id: int, by: Person, number: int | None = None) -> MinutesResult:
        """Publish: post the final minutes to the minutes channel and DM a copy to every seat holder.

        Publishing twice is refused, so copies never go out twice; everything owed is enqueued in the
        same transaction as the publication.
        """
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        meeting, published = await self._meeting_for_minutes(guild_id, number)
        if meeting.start_at > now:
            raise Conflict("minutes.not_started", number=meeting.number)
        if published is not None:
            raise Conflict("minutes.already_published", number=meeting.number)
        async with self.deps.db.transaction():
            await self.deps.roster.remember_person(guild_id, by, now)
        rendered = await self.archive.render(council, meeting, secretary_id=by.user_id, draft=False, version=None)
        async with self.deps.db.transaction():
            if not await self.repo.set_published(guild_id, meeting.id, now):
                raise Conflict("minutes.already_published", number=meeting.number)
            stored = await self.archive.store(council, meeting, rendered, "published", by.user_id, now)
            channel_post = OutgoingMessage("\n\n".join(rendered.discord), attachments=refs(stored))
            await self.outbox.enqueue(
                guild_id,
                OutboxItem(
                    f"minutes:{meeting.id}:published:channel",
                    TargetKind.CHANNEL,
                    council.minutes_channel_id,
                    channel_post,
                    Purpose.OTHER,
                    meeting.id,
                ),
            )
            copy = OutgoingMessage(
                t(
                    council.language,
                    "minutes.copy_dm",
                    council=no_mentions(council.name),
                    when=format_when(meeting.when, council.tz, council.language),
                ),
                attachments=refs(stored),
            )
            copies = await self._copy_to_seat_holders(guild_id, meeting, copy, f"minutes:{meeting.id}:published")
            for hook in self.publish_hooks:
                await hook.minutes_published(council, meeting)
        return MinutesResult(council, meeting, stored, copies)

    async def amend(self, guild_id: int, text: str, by: Person, number: int | None = None) -> MinutesResult:
        """Add a dated addendum after publication; post it and copy it like the minutes."""
        cleaned = validate_notes(text, self.limits.note_max_chars)
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        meeting, published = await self._meeting_for_minutes(guild_id, number)
        if published is None:
            raise Conflict("minutes.not_published", number=meeting.number)
        async with self.deps.db.transaction():
            await self.deps.roster.remember_person(guild_id, by, now)
        # The new version is rendered with the addendum before anything is stored; then one transaction
        # keeps the addendum, the version and the messages owed together.
        data = await self.archive.input(council, meeting, secretary_id=by.user_id, draft=False, version=None)
        data = replace(data, addenda=(*data.addenda, Addendum(now, cleaned)))
        rendered = await self.archive.render_input(data)
        async with self.deps.db.transaction():
            addendum_id = await self.repo.add_addendum(guild_id, meeting.id, cleaned, by.user_id, now)
            stored = await self.archive.store(council, meeting, rendered, "published", by.user_id, now)
            date = format_date(now, council.tz, council.language)
            post = OutgoingMessage(
                t(
                    council.language,
                    "minutes.addendum_post",
                    number=meeting.number,
                    date=date,
                    text=md_escape(no_mentions(cleaned)),
                ),
                attachments=refs(stored),
            )
            await self.outbox.enqueue(
                guild_id,
                OutboxItem(
                    f"minutes:{meeting.id}:addendum:{addendum_id}:channel",
                    TargetKind.CHANNEL,
                    council.minutes_channel_id,
                    post,
                    Purpose.OTHER,
                    meeting.id,
                ),
            )
            copies = await self._copy_to_seat_holders(
                guild_id, meeting, post, f"minutes:{meeting.id}:addendum:{addendum_id}"
            )
        return MinutesResult(council, meeting, stored, copies)

    # -- files -----------------------------------------------------------------------------------

    async def export(self, guild_id: int, fmt: Format, number: int | None = None) -> tuple[str, bytes]:
        """The published minutes (latest version with addenda), else a fresh unsaved draft, as a file."""
        council, meeting = await council_meeting(self.deps, guild_id, number, recent=True)
        stored = await self.repo.latest(guild_id, meeting.id, "published")
        if stored is not None:
            return filename(council, meeting, stored, fmt), content(stored, fmt)
        data = await self.archive.input(council, meeting, secretary_id=None, draft=True, version=None)
        name = filename(council, meeting, None, fmt)
        return name, await self.archive.export(data, fmt)

    async def attachment(self, guild_id: int, ref: str) -> tuple[str, bytes]:
        """Resolve an outbox attachment reference ``"<version id>:<md|docx>"`` into a file."""
        version_id, _, fmt = ref.partition(":")
        if fmt not in ("md", "docx") or not (version_id.isascii() and version_id.isdigit()):
            raise NotFound("minutes.file_missing")
        stored = await self.repo.get_version(guild_id, int(version_id))
        council = await self.deps.roster.get_council(guild_id)
        meeting = await self.deps.meetings.get(guild_id, stored.meeting_id) if stored else None
        if stored is None or council is None or meeting is None:
            raise NotFound("minutes.file_missing")
        return filename(council, meeting, stored, fmt), content(stored, "docx" if fmt == "docx" else "md")

    # -- internals -------------------------------------------------------------------------------

    async def _copy_to_seat_holders(self, guild_id: int, meeting: Meeting, message: OutgoingMessage, key: str) -> int:
        """DM every current representative and deputy once (a person with two seats gets one copy)."""
        people = sorted({seat.person.user_id for seat in await self.deps.roster.current_seats(guild_id)})
        sent = 0
        for user_id in people:
            item = OutboxItem.dm(f"{key}:{user_id}", user_id, message, Purpose.MINUTES_COPY, meeting_id=meeting.id)
            if await self.outbox.enqueue(guild_id, item) is not None:
                sent += 1
        return sent
