"""The scheduler: processes due reminders and passed RSVP deadlines, once at start and then periodically.

Time comes from the injected clock, so tests move a fake clock and call :meth:`Scheduler.run_once`
instead of waiting. A failing pass is logged and the loop carries on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.domain.clock import Clock
from bot.runtime.passes import PassLoop
from bot.services.reminders import ReminderService, RunReport

log = logging.getLogger(__name__)


class Scheduler(PassLoop):
    """Runs :meth:`ReminderService.run_due` every ``interval`` seconds, or sooner when woken.

    Args:
        reminders: the reminder service.
        clock: the time source.
        interval: seconds between passes (``reminders.scheduler_interval_seconds``).
    """

    def __init__(self, reminders: ReminderService, clock: Clock, interval: float) -> None:
        super().__init__("council-scheduler", "scheduler", log)
        self.reminders = reminders
        self.clock = clock
        self.interval = interval
        self._lock = asyncio.Lock()
        self._jobs: list[Callable[[datetime], Awaitable[object]]] = []

    def add_job(self, job: Callable[[datetime], Awaitable[object]]) -> None:
        """Also run ``job(now)`` on every pass (e.g. reminders before action items' due dates)."""
        self._jobs.append(job)

    async def run_once(self) -> RunReport:
        """Process everything due now (one pass at a time)."""
        async with self._lock:
            report = await self.reminders.run_due(self.clock.now())
            for job in self._jobs:
                try:
                    await job(self.clock.now())
                except Exception:  # one failing job must not stop the reminders of the next pass
                    log.exception("scheduler job failed")
            return report

    async def stop(self, *, grace: float = 10.0) -> None:
        """Stop the loop; a pass in progress may finish first (at most ``grace`` seconds, then it is cancelled)."""
        task = self._begin_stop()
        if task is None:
            return
        if self._lock.locked():
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(task), timeout=grace)
        if not task.done():
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self) -> None:
        # The first pass catches up on anything missed while the bot was down.
        await self._passes(self.run_once, self.interval)
