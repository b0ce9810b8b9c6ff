"""The outbox worker: sends the messages the bot owes, exactly once as far as Discord allows.

A background task started in ``setup_hook``. It waits until the bot is ready, re-queues rows the
previous process left mid-send, then loops: claim a batch of due rows, send each, mark it. It sleeps
until woken (:meth:`OutboxWorker.wake`, called whenever something is enqueued) or until
``outbox.idle_poll_seconds`` pass.

Nothing twice: each row is sent with a nonce derived from its id and ``enforce_nonce`` (discord.py's
``Messageable.send`` sets ``enforce_nonce`` whenever a nonce is given — see
``discord.http.handle_message_parameters``), so if the process dies between Discord accepting a
message and the row being marked sent, the resend within Discord's nonce window returns the
existing message instead of posting a copy.

Failures: Discord error 50007 (the member's DMs are closed) marks the member and alerts the secretary
channel once; other errors are retried with exponential backoff and given up after
``outbox.max_attempts`` with an alert. discord.py itself waits out rate limits (429).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import aiohttp
import discord

from bot.config import OutboxConfig
from bot.domain.outbox import AttachmentRef, ButtonStyle, OutboxRow, OutgoingMessage, TargetKind
from bot.domain.text import split_message
from bot.services.outbox import OutboxService

log = logging.getLogger(__name__)

CLOSED_DMS = 50007
"""Discord's "Cannot send messages to this user"."""

AttachmentResolver = Callable[[int, str], Awaitable[discord.File | None]]
"""``(guild_id, ref) -> File``: builds the file an :class:`AttachmentRef` of one kind points at.

``None`` means the file no longer exists (a document removed from the agenda since the message was
owed): the message goes without it rather than not at all."""

_STYLES = {
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.SECONDARY: discord.ButtonStyle.secondary,
    ButtonStyle.SUCCESS: discord.ButtonStyle.success,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}


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
        view.add_item(discord.ui.Button(label=spec.label, style=_STYLES[spec.style], custom_id=spec.custom_id))
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


class OutboxWorker:
    """Sends owed messages in the background.

    Args:
        client: the connected Discord client.
        service: the outbox service.
        config: batch size, idle poll interval and attempts.
    """

    def __init__(self, client: discord.Client, service: OutboxService, config: OutboxConfig) -> None:
        self.client = client
        self.service = service
        self.config = config
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._busy = False
        self._resolvers: dict[str, AttachmentResolver] = {}
        self.sent = 0

    def register_attachment(self, kind: str, resolver: AttachmentResolver) -> None:
        """Teach the worker how to build files of ``kind`` (e.g. the minutes feature registers "minutes")."""
        self._resolvers[kind] = resolver

    def wake(self) -> None:
        """Something was enqueued: look now instead of at the next poll."""
        self._wakeup.set()

    def start(self) -> None:
        """Start the background task."""
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="council-outbox-worker")

    @property
    def stopping(self) -> bool:
        """True once :meth:`stop` was called: no new rows are claimed."""
        return self._stopping

    async def stop(self, *, grace: float = 10.0) -> None:
        """Claim no new rows; let the message being sent be marked (at most ``grace`` seconds); stop."""
        self._stopping = True
        self._wakeup.set()
        task, self._task = self._task, None
        if task is None:
            return
        if self._busy:
            # Let the message being sent be marked, so it is not sent again after the restart.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), timeout=grace)
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run_once(self) -> int:
        """Claim one batch of due rows and send them; return how many were claimed."""
        self._wakeup.clear()
        if self._stopping:
            return 0
        self._busy = True
        try:
            rows = await self.service.claim_due(self.config.batch_size)
            for index, row in enumerate(rows):
                if self._stopping:
                    # Shutting down: the rest go back in the queue untried (the next start sends them).
                    await self.service.release_unattempted(rows[index:])
                    break
                await self._deliver(row)
        finally:
            self._busy = False
        return len(rows)

    async def _run(self) -> None:
        await self.client.wait_until_ready()
        try:
            await self.service.release_stale_claims()
        except Exception:  # the lapsed claims are picked up by the lease anyway
            log.exception("could not re-queue messages left mid-send")
        while not self._stopping:
            try:
                claimed = await self.run_once()
            except Exception:
                log.exception("outbox worker pass failed")
                claimed = 0
            if self._stopping:
                break
            if claimed >= self.config.batch_size:
                continue  # more may be waiting
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=self.config.idle_poll_seconds)

    async def _deliver(self, row: OutboxRow) -> None:
        try:
            message_id = await self._send(row)
        except discord.Forbidden as exc:
            if exc.code == CLOSED_DMS and row.target_kind is TargetKind.USER:
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
        """Send a row's message (split at 2,000 characters); return the last message's id."""
        destination = await self._destination(row)
        message = row.message
        parts = split_message(message.content) if message.content.strip() else [""]
        files = [f for ref in message.attachments if (f := await self._file(row.guild_id, ref)) is not None]
        # send()'s overloads cannot type optional view/files passed together; the values are checked here.
        send: Callable[..., Awaitable[discord.Message]] = destination.send
        last: discord.Message | None = None
        for index, part in enumerate(parts):
            final = index == len(parts) - 1
            kwargs: dict[str, object] = {}
            view = build_view(message) if final else None
            if view is not None:
                kwargs["view"] = view
            if final and files:
                kwargs["files"] = files
            last = await send(
                content=part or None, nonce=nonce_for(row, index), allowed_mentions=mentions_for(message), **kwargs
            )
        return last.id if last is not None else None

    async def _destination(self, row: OutboxRow) -> discord.abc.Messageable:
        if row.target_kind is TargetKind.USER:
            return await self.client.create_dm(discord.Object(id=row.target_id))
        channel = self.client.get_channel(row.target_id) or await self.client.fetch_channel(row.target_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise PermanentError(f"channel {row.target_id} cannot hold messages")
        return channel

    async def _file(self, guild_id: int, ref: AttachmentRef) -> discord.File | None:
        resolver = self._resolvers.get(ref.kind)
        if resolver is None:
            raise PermanentError(f"no resolver for attachment kind {ref.kind!r}")
        return await resolver(guild_id, ref.ref)
