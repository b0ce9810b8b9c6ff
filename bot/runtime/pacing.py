"""Client-side pacing of REST requests to Discord's global rate limit.

Discord allows a bot about 50 requests per second in total (interaction responses excepted) and
answers the rest with 429. discord.py learns per-route buckets from Discord's headers, but the global
limit is not announced: it only shows as 429s after the fact. The outbox worker therefore takes a
token from a :class:`TokenBucket` before each request it makes, so a call to hundreds of members
runs at the limit instead of discovering it again in every one-second window.

The bucket runs on the event loop's monotonic time, not on the injected business ``Clock``: it paces
real requests, and a test's fake clock standing still must not stall them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class TokenBucket:
    """At most ``rate`` acquisitions per second, with bursts of at most ``burst``; first come, first served.

    Kept as a schedule of slots (the "generic cell rate algorithm" form of a token bucket): each
    acquisition takes the next slot, ``1/rate`` after the previous one, so waking up a little late
    from ``asyncio.sleep`` does not push every later slot back — on a busy machine that drift alone
    would cost several percent of the rate.

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
        self._lock = asyncio.Lock()
        self.waited = 0.0
        """Total seconds callers spent waiting for a slot (for benchmarks)."""

    async def acquire(self) -> None:
        """Wait for the next free slot and take it."""
        if not self.rate:
            return
        interval = 1 / self.rate
        async with self._lock:  # one waiter at a time keeps the order of arrival
            now = self._clock()
            slot = max(self._next, now - (self.burst - 1) * interval)
            self._next = slot + interval
            wait = slot - now
            if wait > 0:
                self.waited += wait
                await asyncio.sleep(wait)
