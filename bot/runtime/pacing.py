"""Client-side pacing of REST requests to Discord's global rate limit.

Discord allows a bot about 50 requests per second in total (interaction responses excepted) and
answers the rest with 429. discord.py learns per-route buckets from Discord's headers, but the global
limit is not announced: it only shows as 429s after the fact. Every request the bot makes on its own
initiative takes a slot from one :class:`TokenBucket` first, so a call to hundreds of members runs at
the limit instead of discovering it again in every one-second window.

Requests made while a person waits for an answer (the membership check behind a button press) take
the *priority* lane: they get the next free slot ahead of every queued outbox send, so a call going
out never makes a member's click wait behind hundreds of invitations, and they still count against
the same limit, so they cause no 429s of their own.

The bucket runs on the event loop's monotonic time, not on the injected business ``Clock``: it paces
real requests, and a test's fake clock standing still must not stall them.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable


class TokenBucket:
    """At most ``rate`` acquisitions per second, with bursts of at most ``burst``.

    Kept as a schedule of slots (the "generic cell rate algorithm" form of a token bucket): each
    acquisition takes the next slot, ``1/rate`` after the previous one, so waking up a little late
    from ``asyncio.sleep`` does not push every later slot back — on a busy machine that drift alone
    would cost several percent of the rate. Slots are handed out only when they are due, by one
    dispatcher task, first to the priority queue and then to the ordinary one, each first come, first
    served; nobody holds a slot in the future that a priority caller would have to wait behind.

    Args:
        rate: tokens per second; ``0`` turns pacing off (``acquire`` returns at once).
        burst: the most acquisitions that may happen back to back after a quiet spell. ``1`` spaces
            requests evenly, which keeps them clear of the edges of Discord's fixed one-second windows.
        clock: monotonic seconds (tests may pass their own).
    """

    def __init__(self, rate: float, burst: int = 1, *, clock: Callable[[], float] = time.monotonic) -> None:
        if rate < 0 or burst < 1:
            raise ValueError("rate must be >= 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._next = clock()
        self._queues: tuple[deque[asyncio.Future[None]], deque[asyncio.Future[None]]] = (deque(), deque())
        self._dispatcher: asyncio.Task[None] | None = None
        self.waited = 0.0
        """Total seconds callers spent waiting for a slot (for benchmarks)."""

    async def acquire(self, *, priority: bool = False) -> None:
        """Wait for the next free slot and take it; ``priority`` callers are served before the others."""
        if not self.rate:
            return
        asked = self._clock()
        if not any(self._queues) and self._take_due_slot(asked):
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queues[0 if priority else 1].append(waiter)
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.create_task(self._dispatch(), name="council-pacer")
        await waiter  # a cancelled waiter is skipped by the dispatcher
        self.waited += self._clock() - asked

    def _take_due_slot(self, now: float) -> bool:
        """Take the next slot if it is due now (no await in between: atomic on the event loop)."""
        interval = 1 / self.rate
        slot = max(self._next, now - (self.burst - 1) * interval)
        if slot > now:
            return False
        self._next = slot + interval
        return True

    def _pop_waiter(self) -> asyncio.Future[None] | None:
        for queue in self._queues:
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    return waiter
        return None

    async def _dispatch(self) -> None:
        """Hand each slot, when it is due, to the first waiter of the highest queue."""
        while any(self._queues):
            now = self._clock()
            if not self._take_due_slot(now):
                await asyncio.sleep(self._next - now)
                continue
            waiter = self._pop_waiter()
            if waiter is None:
                self._next -= 1 / self.rate  # every waiter gave up: the slot stays free
                return
            waiter.set_result(None)
