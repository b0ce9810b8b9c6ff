"""Roster use cases: the council's setup, organisations, seats, registrations and CSV."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bot.domain.notices import registration_request
from bot.domain.outbox import OutboxItem, OutgoingMessage, Purpose, TargetKind
from bot.domain.roster import (
    Council,
    CsvProblem,
    Organisation,
    Person,
    RegistrationRequest,
    Role,
    RosterEntry,
    clean_text,
    format_roster_csv,
    nocase,
    parse_roster_csv,
    plan_seats,
    validate_council,
    validate_kind,
    validate_org_name,
    validate_short,
)
from bot.domain.text import no_mentions
from bot.errors import Conflict, InvalidInput, NotFound
from bot.i18n import t
from bot.services.deps import Deps
from bot.services.lookup import require_org
from bot.services.outbox import OutboxService

log = logging.getLogger(__name__)


SeatHook = Callable[[int, int], Awaitable[object]]
"""``(guild_id, org_id)``: something to do when a seat of the organisation changes hands."""


@dataclass(frozen=True, slots=True)
class AssignResult:
    """What an assignment changed."""

    org: Organisation
    role: Role
    person: Person
    previous: Person | None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Outcome of a CSV import: either counts, or the problems that stopped it."""

    added: int
    updated: int
    seats_changed: int
    problems: tuple[CsvProblem, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the import was applied."""
        return not self.problems


class RosterService:
    """Rules for the roster. Takes plain ids and strings; never sees a Discord object."""

    def __init__(
        self,
        deps: Deps,
        outbox: OutboxService | None = None,
        *,
        seat_hooks: Sequence[SeatHook] = (),
    ) -> None:
        """``seat_hooks`` run as ``hook(guild_id, org_id)`` in the same transaction whenever a seat changes hands.

        The meetings feature passes one so an open call follows the roster (the invitation moves).
        """
        self.deps = deps
        self.outbox = outbox
        self._seat_hooks = tuple(seat_hooks)

    async def _seats_changed(self, guild_id: int, org_id: int) -> None:
        for hook in self._seat_hooks:
            await hook(guild_id, org_id)

    # -- council ---------------------------------------------------------------------------------

    async def setup_council(
        self,
        guild_id: int,
        *,
        name: str,
        convener: str,
        minutes_channel_id: int,
        secretary_channel_id: int,
        secretary_role_id: int,
        language: str,
        timezone: str,
    ) -> Council:
        """Create or reconfigure the council of a server.

        The secretary role cannot be @everyone (its id is the server's): every member would then run
        secretary commands.
        """
        name, convener, lang, tz = validate_council(name, convener, language, timezone)
        if secretary_role_id == guild_id:
            raise InvalidInput("council.secretary_role_everyone")
        council = Council(
            guild_id, name, convener, minutes_channel_id, secretary_channel_id, secretary_role_id, lang, tz
        )
        async with self.deps.db.transaction():
            await self.deps.roster.upsert_council(council, self.deps.clock.now())
        return council

    async def find_council(self, guild_id: int) -> Council | None:
        """The council of a server, or ``None`` before setup."""
        return await self.deps.roster.get_council(guild_id)

    async def council(self, guild_id: int) -> Council:
        """The council of a server; raises ``NotFound`` before ``/council setup``."""
        council = await self.deps.roster.get_council(guild_id)
        if council is None:
            raise NotFound("council.not_configured")
        return council

    # -- organisations -----------------------------------------------------------------------------

    async def org(self, guild_id: int, short: str) -> Organisation:
        """An active organisation by short name; raises ``NotFound``."""
        return await require_org(self.deps.roster, guild_id, short)

    async def add_org(self, guild_id: int, name: str, short: str, kind: str = "other") -> Organisation:
        """Add an organisation; its short name must be unique among active organisations."""
        await self.council(guild_id)
        name, short, org_kind = validate_org_name(name), validate_short(short), validate_kind(kind)
        async with self.deps.db.transaction():
            if await self.deps.roster.get_org_by_short(guild_id, short) is not None:
                raise Conflict("roster.short_taken", short=short)
            return await self.deps.roster.insert_org(guild_id, name, short, org_kind, self.deps.clock.now())

    async def edit_org(
        self,
        guild_id: int,
        short: str,
        *,
        name: str | None = None,
        new_short: str | None = None,
        kind: str | None = None,
    ) -> Organisation:
        """Rename or re-classify an organisation."""
        async with self.deps.db.transaction():
            org = await self.org(guild_id, short)
            updated = Organisation(
                org.id,
                guild_id,
                validate_org_name(name) if name is not None else org.name,
                validate_short(new_short) if new_short is not None else org.short,
                validate_kind(kind) if kind is not None else org.kind,
                org.position,
            )
            renamed = updated.short.casefold() != org.short.casefold()
            if renamed and await self.deps.roster.get_org_by_short(guild_id, updated.short) is not None:
                raise Conflict("roster.short_taken", short=updated.short)
            await self.deps.roster.update_org(updated)
            return updated

    async def retire_org(self, guild_id: int, short: str) -> Organisation:
        """Retire an organisation: it leaves the roster, its history stays for old minutes."""
        async with self.deps.db.transaction():
            org = await self.org(guild_id, short)
            await self.deps.roster.retire_org(guild_id, org.id, self.deps.clock.now())
            return org

    async def search_orgs(self, guild_id: int, text: str) -> list[Organisation]:
        """Organisations for autocomplete."""
        return await self.deps.roster.search_orgs(guild_id, clean_text(text)[:40])

    # -- seats -----------------------------------------------------------------------------------

    async def assign(self, guild_id: int, short: str, role: Role, user_id: int, display_name: str) -> AssignResult:
        """Give a member an organisation's seat, ending the previous holder's term.

        The start is recorded, so the minutes can welcome members who are new since the last meeting.
        """
        person = Person(user_id, clean_text(display_name)[:100] or str(user_id))
        async with self.deps.db.transaction():
            org = await self.org(guild_id, short)
            seats = {s.role: s for s in await self.deps.roster.seats_for_org(guild_id, org.id)}
            current = seats.get(role)
            if current is not None and current.person.user_id == user_id:
                raise Conflict("roster.already_holds_seat", short=org.short)
            other = seats.get(Role.DEPUTY if role is Role.REPRESENTATIVE else Role.REPRESENTATIVE)
            if other is not None and other.person.user_id == user_id:
                raise Conflict("roster.same_person_both_seats")
            now = self.deps.clock.now()
            await self.deps.roster.remember_person(guild_id, person, now)
            if current is not None:
                await self.deps.roster.end_seat(guild_id, org.id, role, now)
            await self.deps.roster.insert_seat(guild_id, org.id, role, user_id, now)
            await self._seats_changed(guild_id, org.id)
        log.info("seat %s of org %s in guild %s assigned", role.value, org.id, guild_id)
        return AssignResult(org, role, person, current.person if current else None)

    async def unassign(self, guild_id: int, short: str, role: Role) -> Organisation:
        """Empty an organisation's seat."""
        async with self.deps.db.transaction():
            org = await self.org(guild_id, short)
            if not await self.deps.roster.end_seat(guild_id, org.id, role, self.deps.clock.now()):
                raise Conflict("roster.seat_empty", short=org.short)
            await self._seats_changed(guild_id, org.id)
            return org

    async def roster(self, guild_id: int) -> list[RosterEntry]:
        """The whole roster, in order."""
        await self.council(guild_id)
        return await self.deps.roster.roster(guild_id)

    # -- registrations ---------------------------------------------------------------------------

    async def request_registration(
        self, guild_id: int, short: str, role: Role, user_id: int, display_name: str
    ) -> tuple[RegistrationRequest, Organisation]:
        """A member asks for a seat; the secretary decides later, with the buttons sent to the secretary channel.

        The request and the message owed to the secretary channel are stored in one transaction; the
        outbox sends it (retried, with a nonce), so a failing send never loses the request's buttons.
        """
        async with self.deps.db.transaction():
            council = await self.council(guild_id)
            org = await self.org(guild_id, short)
            for seat in await self.deps.roster.seats_for_org(guild_id, org.id):
                if seat.person.user_id == user_id and seat.role is role:
                    raise Conflict("roster.already_holds_seat", short=org.short)
            if await self.deps.roster.pending_request(guild_id, org.id, role, user_id) is not None:
                raise Conflict("roster.request_pending", short=org.short)
            now = self.deps.clock.now()
            await self.deps.roster.remember_person(guild_id, Person(user_id, clean_text(display_name)[:100]), now)
            request_id = await self.deps.roster.insert_request(guild_id, org.id, role, user_id, now)
            request = await self.deps.roster.get_request(guild_id, request_id)
            assert request is not None  # noqa: S101 - just inserted in this transaction
            if self.outbox is not None:
                message = registration_request(council, request, org, display_name)
                item = OutboxItem(
                    f"registration-request:{request.id}",
                    TargetKind.CHANNEL,
                    council.secretary_channel_id,
                    message,
                    Purpose.OTHER,
                    org_id=org.id,
                )
                await self.outbox.enqueue(guild_id, item)
        return request, org

    async def decide_registration(
        self, guild_id: int, request_id: int, *, approve: bool, decided_by: int
    ) -> tuple[RegistrationRequest, Organisation, AssignResult | None]:
        """Approve (assigning the seat) or reject a pending request; deciding twice is refused."""
        async with self.deps.db.transaction():
            request = await self.deps.roster.get_request(guild_id, request_id)
            if request is None:
                raise NotFound("roster.request_not_found")
            org = await self.deps.roster.get_org(guild_id, request.org_id)
            if org is None or org.retired_at is not None:
                raise NotFound("roster.org_retired")
            if not await self.deps.roster.decide_request(
                guild_id, request_id, "approved" if approve else "rejected", decided_by, self.deps.clock.now()
            ):
                raise Conflict("roster.request_already_decided")
            result = None
            if approve:
                person = await self.deps.roster.get_person(guild_id, request.user_id)
                name = person.display_name if person else str(request.user_id)
                result = await self.assign(guild_id, org.short, request.role, request.user_id, name)
            await self._tell_requester(guild_id, request, org, approve=approve)
        return request, org, result

    async def _tell_requester(
        self, guild_id: int, request: RegistrationRequest, org: Organisation, *, approve: bool
    ) -> None:
        """DM the member the secretary's decision (through the outbox, in the deciding transaction)."""
        council = await self.deps.roster.get_council(guild_id)
        if self.outbox is None or council is None:
            return
        key = "roster.decision_dm_approved" if approve else "roster.decision_dm_rejected"
        text = t(
            council.language,
            key,
            role=t(council.language, f"roster.role_{request.role.value}"),
            org=no_mentions(org.label),
            council=no_mentions(council.name),
        )
        item = OutboxItem.dm(f"registration:{request.id}", request.user_id, OutgoingMessage(text), Purpose.OTHER)
        await self.outbox.enqueue(guild_id, item)

    # -- CSV -------------------------------------------------------------------------------------

    async def export_csv(self, guild_id: int) -> str:
        """The roster as CSV."""
        return format_roster_csv(await self.roster(guild_id))

    async def import_csv(self, guild_id: int, data: bytes) -> ImportResult:
        """Import a roster CSV: every row is applied, or none and every bad row is reported.

        The file is parsed and validated in a worker thread, with no transaction open; then one short
        transaction reads the roster, plans the changes in memory and writes them in a few bulk
        statements, so a 5,000-row import holds the database for a fraction of a second and clicks
        are answered meanwhile.
        """
        await self.council(guild_id)
        rows, problems = await asyncio.to_thread(parse_roster_csv, data)
        if problems:
            return ImportResult(0, 0, 0, tuple(problems))
        if not rows:
            raise InvalidInput("roster.csv_empty")
        now = self.deps.clock.now()
        async with self.deps.db.transaction():
            active = before = {nocase(o.short): o for o in await self.deps.roster.list_orgs(guild_id)}
            new = [(r.name, r.short, r.kind) for r in rows if nocase(r.short) not in active]
            changed = [
                Organisation(org.id, guild_id, r.name, org.short, r.kind, org.position)
                for r in rows
                if (org := active.get(nocase(r.short))) is not None and (org.name, org.kind) != (r.name, r.kind)
            ]
            await self.deps.roster.insert_orgs(guild_id, new, now)
            await self.deps.roster.update_orgs(changed)
            if new:
                org_ids = {
                    nocase(short): org_id
                    for short, org_id in (await self.deps.roster.org_ids_by_short(guild_id)).items()
                }
            else:
                org_ids = {key: org.id for key, org in active.items()}
            plan = plan_seats(rows, org_ids, await self.deps.roster.held_seats(guild_id))
            people = [p for r in rows for p in (r.representative, r.deputy) if p is not None]
            await self.deps.roster.remember_people(guild_id, people, now)
            await self.deps.roster.end_seats(guild_id, plan.ended, now)
            await self.deps.roster.insert_seats(guild_id, plan.assigned, now)
            # Invitations follow the seats (hooks); an organisation the import created has none yet.
            existed = {org.id for org in before.values()}
            for org_id in dict.fromkeys(org_id for org_id, _, _ in plan.assigned if org_id in existed):
                await self._seats_changed(guild_id, org_id)
        return ImportResult(len(new), len(changed), len(plan.assigned))
