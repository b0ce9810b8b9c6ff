"""The outbox worker: sends the messages the bot owes, exactly once as far as Discord allows.

A background task started in ``setup_hook``. It waits until the bot is ready, re-queues rows the
previous process left mid-send, then keeps a pipeline full: it claims due rows (at most
``outbox.batch_size`` in hand) and sends up to ``outbox.concurrency`` of them at the same time, each
marked as soon as it is done. It sleeps until woken (:meth:`OutboxWorker.wake`, called whenever
something is enqueued or a send finishes) or until ``outbox.idle_poll_seconds`` pass.

Order: the claim takes only the oldest unfinished row of each recipient (see
:meth:`~bot.storage.outbox_repo.OutboxRepo.claim_due`), so messages to one member go out strictly in
the order they were owed, and the parts of one long message are sent one after the other by one
task; only messages to different people overlap.

Pace: every request the worker makes takes a token from a client-side :class:`~bot.runtime.pacing.TokenBucket`
at ``outbox.requests_per_second`` (Discord's global 50/s), so a big call runs at the limit without a
storm of 429s. Per-route buckets still come from discord.py and Discord's headers, and discord.py
still waits out any 429 that gets through.

DM channels: a member's DM channel id is remembered in the database the first time it is opened,
and later DMs are sent straight to it (a partial messageable), one request per message instead of
two, across restarts. A remembered channel Discord no longer knows (10003) is forgotten and opened
again once.

Nothing twice: each row is sent with a nonce derived from its id and ``enforce_nonce`` (discord.py's
``Messageable.send`` sets ``enforce_nonce`` whenever a nonce is given — see
``discord.http.handle_message_parameters``), so if the process dies between Discord accepting a
message and the row being marked sent, the resend within Discord's nonce window returns the
existing message instead of posting a copy.

Failures: Discord error 50007 (the member's DMs are closed) marks the member and alerts the secretary
channel once; other errors are retried with exponential backoff and given up after
``outbox.max_attempts`` with an alert. Either way the other recipients are not held up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

import aiohttp
import discord

from bot.config import OutboxConfig
from bot.domain.outbox import AttachmentRef, OutboxRow, OutgoingMessage, TargetKind
from bot.domain.text import split_message
from bot.runtime.pacing import TokenBucket
from bot.runtime.passes import PassLoop
from bot.services.outbox import OutboxService
from bot.ui.buttons import discord_style

log = logging.getLogger(__name__)

CLOSED_DMS = 50007
"""Discord's "Cannot send messages to this user"."""
UNKNOWN_CHANNEL = 10003
"""Discord's "Unknown Channel"."""
RATE_LIMIT_ROUNDS = 10
"""How many times a message refused with 429 after discord.py's own retries is tried again at once."""
RETRY_AFTER_CAP = 60.0
STOP_GRACE_SECONDS = 10.0
"""How long :meth:`OutboxWorker.stop` lets the messages being sent finish."""

AttachmentResolver = Callable[[int, str], Awaitable[discord.File | None]]
"""``(guild_id, ref) -> File``: builds the file an :class:`AttachmentRef` of one kind points at.

``None`` means the file no longer exists (a document removed from the agenda since the message was
owed): the message goes without it rather than not at all."""


class PermanentError(Exception):
    """Sending this row cannot succeed by retrying (unknown attachment kind, missing channel)."""


def build_view(message: OutgoingMessage) -> discord.ui.View | None:
    """The message's buttons as components.

    The view only carries the components: it is stopped before sending so discord.py does not keep
    it per message. Clicks are routed by custom id to the registered persistent ``DynamicItem``s
    (e.g. ``RsvpButton``), which keeps them working after a restart.
    """
    if not message.buttons:
        return None
    view = discord.ui.View(timeout=None)
    for spec in message.buttons:
        view.add_item(discord.ui.Button(label=spec.label, style=discord_style(spec.style), custom_id=spec.custom_id))
    view.stop()
    return view


def mentions_for(message: OutgoingMessage) -> discord.AllowedMentions:
    """No pings, except the one member a secretary alert is about."""
    if message.mention_user_id is None:
        return discord.AllowedMentions.none()
    return discord.AllowedMentions(
        everyone=False, roles=False, replied_user=False, users=[discord.Object(id=message.mention_user_id)]
    )


def nonce_for(row: OutboxRow, part: int) -> str:
    """The nonce of part ``part`` of a row's message: the same on every attempt."""
    return row.nonce if part == 0 else f"{row.nonce}.{part}"


class OutboxWorker(PassLoop):
    """Sends owed messages in the background, several recipients at a time.

    Args:
        client: the connected Discord client.
        service: the outbox service.
        config: batch size, concurrency, pace, idle poll interval and attempts.
        pacer: the token bucket every request takes from (default: one at ``config.requests_per_second``).
    """

    def __init__(
        self,
        client: discord.Client,
        service: OutboxService,
        config: OutboxConfig,
        *,
        pacer: TokenBucket | None = None,
    ) -> None:
        super().__init__("council-outbox-worker", "outbox worker", log)
        self.client = client
        self.service = service
        self.config = config
        self.pacer = pacer or TokenBucket(config.requests_per_second)
        self._slots = asyncio.Semaphore(config.concurrency)
        self._in_hand: set[asyncio.Task[None]] = set()
        self._sending = 0
        self._resolvers: dict[str, AttachmentResolver] = {}
        self.sent = 0

    def register_attachment(self, kind: str, resolver: AttachmentResolver) -> None:
        """Teach the worker how to build files of ``kind`` (e.g. the minutes feature registers "minutes")."""
        self._resolvers[kind] = resolver

    @property
    def stopping(self) -> bool:
        """True once :meth:`stop` was called: no new rows are claimed."""
        return self._stopping

    async def stop(self, *, grace: float = STOP_GRACE_SECONDS) -> None:
        """Claim no new rows; let the messages being sent be marked (at most ``grace`` seconds); stop.

        Rows claimed but not yet tried go back in the queue with their attempt not counted; any still
        in hand when the grace runs out stay claimed, and the next start re-queues them.
        """
        task = self._begin_stop()
        pending = [t for t in (task, *self._in_hand) if t is not None]
        if self._in_hand:
            # Let the messages being sent be marked, so they are not sent again after the restart.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*map(asyncio.shield, pending)), timeout=grace)
        for pending_task in pending:
            if not pending_task.done():
                pending_task.cancel()
        for pending_task in pending:
            with contextlib.suppress(asyncio.CancelledError):
                await pending_task

    async def run_once(self) -> int:
        """Claim one batch of due rows and send them (up to ``concurrency`` at once); return how many were claimed."""
        self._wakeup.clear()
        if self._stopping:
            return 0
        rows = await self.service.claim_due(self.config.batch_size)
        await asyncio.gather(*(self._deliver_in_slot(row) for row in rows))
        return len(rows)

    async def _run(self) -> None:
        await self.client.wait_until_ready()
        try:
            await self.service.release_stale_claims()
        except Exception:  # the lapsed claims are picked up by the lease anyway
            log.exception("could not re-queue messages left mid-send")
        await self._passes(self._refill, self.config.idle_poll_seconds)

    async def _refill(self) -> None:
        """Claim more rows once at most half a batch is in hand, and start sending them."""
        room = self.config.batch_size - len(self._in_hand)
        if room < max(1, self.config.batch_size // 2):
            return  # enough in hand; a finished send wakes the loop again
        for row in await self.service.claim_due(room):
            task = asyncio.create_task(self._deliver_in_slot(row), name=f"council-outbox-{row.id}")
            self._in_hand.add(task)
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_hand.discard(task)
        self._wakeup.set()  # the recipient's next message may be claimable now, and there is room

    async def _deliver_in_slot(self, row: OutboxRow) -> None:
        async with self._slots:
            if self._stopping:
                # Shutting down: back in the queue untried (the next start sends it).
                await self.service.release_unattempted([row])
                return
            self._sending += 1
            try:
                await self._deliver(row)
            finally:
                self._sending -= 1

    async def _deliver(self, row: OutboxRow) -> None:
        try:
            message_id = await self._send(row)
        except discord.Forbidden as exc:
            if exc.code == CLOSED_DMS and row.item.target_kind is TargetKind.USER:
                await self.service.mark_closed_dms(row)
            else:
                await self.service.mark_failed(row, f"Forbidden {exc.code}")
        except discord.NotFound as exc:
            await self.service.mark_failed(row, f"NotFound {exc.code}", permanent=True)
        except discord.HTTPException as exc:
            await self.service.mark_failed(row, f"HTTP {exc.status} code {exc.code}", permanent=exc.status == 400)
        except PermanentError as exc:
            await self.service.mark_failed(row, str(exc), permanent=True)
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            await self.service.mark_failed(row, type(exc).__name__)
        except Exception as exc:  # a bug: keep the worker alive, retry later, log loudly
            log.exception("unexpected error sending outbox %s", row.id)
            await self.service.mark_failed(row, f"bug: {type(exc).__name__}")
        else:
            await self.service.mark_sent(row, message_id)
            self.sent += 1

    async def _send(self, row: OutboxRow) -> int | None:
        """Send a row's message (split at 2,000 characters); return the last message's id.

        A 429 that outlasts discord.py's own retries (a storm) is waited out here and the rest of the
        message sent, still in this task, so the recipient's order holds and the attempt is not lost
        to a backoff meant for real failures.
        """
        sent: list[discord.Message] = []
        for round_ in range(RATE_LIMIT_ROUNDS):
            try:
                return await self._send_rest(row, sent)
            except discord.HTTPException as exc:
                if exc.status != 429 or round_ == RATE_LIMIT_ROUNDS - 1:
                    raise
                await asyncio.sleep(_retry_after(exc))
        return None  # not reached: the last round raises

    async def _send_rest(self, row: OutboxRow, sent: list[discord.Message]) -> int | None:
        destination = await self._destination(row)
        try:
            return await self._post(destination, row, sent)
        except discord.NotFound as exc:
            if exc.code != UNKNOWN_CHANNEL or row.item.target_kind is not TargetKind.USER or row.dm_channel_id is None:
                raise
            # The remembered DM channel is gone: open it again (the nonces keep a resent part single).
            await self.service.forget_dm_channel(row.guild_id, row.item.target_id, row.dm_channel_id)
            row_now = replace(row, dm_channel_id=None)
            sent.clear()
            return await self._post(await self._open_dm(row_now), row_now, sent)

    async def _post(
        self, destination: discord.abc.Messageable, row: OutboxRow, sent: list[discord.Message]
    ) -> int | None:
        """Send the parts not in ``sent`` yet, appending each to it as Discord accepts it."""
        message = row.item.message
        parts = split_message(message.content) if message.content.strip() else [""]
        files = [f for ref in message.attachments if (f := await self._file(row.guild_id, ref)) is not None]
        # send()'s overloads cannot type optional view/files passed together; the values are checked here.
        send: Callable[..., Awaitable[discord.Message]] = destination.send
        last: discord.Message | None = sent[-1] if sent else None
        for index, part in enumerate(parts):
            if index < len(sent):
                continue
            final = index == len(parts) - 1
            kwargs: dict[str, object] = {}
            view = build_view(message) if final else None
            if view is not None:
                kwargs["view"] = view
            if final and files:
                kwargs["files"] = files
            await self.pacer.acquire()
            last = await send(
                content=part or None, nonce=nonce_for(row, index), allowed_mentions=mentions_for(message), **kwargs
            )
            sent.append(last)
        return last.id if last is not None else None

    async def _destination(self, row: OutboxRow) -> discord.abc.Messageable:
        if row.item.target_kind is TargetKind.USER:
            if row.dm_channel_id is not None:
                return self.client.get_partial_messageable(row.dm_channel_id, type=discord.ChannelType.private)
            return await self._open_dm(row)
        channel_id = row.item.target_id
        channel = self.client.get_channel(channel_id)
        if channel is None:
            await self.pacer.acquire()
            channel = await self.client.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise PermanentError(f"channel {channel_id} cannot hold messages")
        return channel

    async def _open_dm(self, row: OutboxRow) -> discord.abc.Messageable:
        """Open the member's DM channel (one request) and remember it for every later message."""
        user_id = row.item.target_id
        await self.pacer.acquire()
        channel = await self.client.create_dm(discord.Object(id=user_id))
        await self.service.remember_dm_channel(row.guild_id, user_id, channel.id)
        return channel

    async def _file(self, guild_id: int, ref: AttachmentRef) -> discord.File | None:
        resolver = self._resolvers.get(ref.kind)
        if resolver is None:
            raise PermanentError(f"no resolver for attachment kind {ref.kind!r}")
        return await resolver(guild_id, ref.ref)


def _retry_after(exc: discord.HTTPException) -> float:
    """Seconds a 429 asks to wait (``Retry-After``), 1 when it does not say, at most a minute."""
    headers = getattr(exc.response, "headers", None) or {}
    try:
        seconds = float(headers.get("Retry-After", 1.0))
    except (TypeError, ValueError):
        seconds = 1.0
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)
