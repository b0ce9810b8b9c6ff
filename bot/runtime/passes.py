"""The background loop the outbox worker and the scheduler share: passes, woken early or after an interval.

A pass runs at start, then again whenever :meth:`PassLoop.wake` is called or the interval has passed,
until a stop begins. A failing pass is logged and the loop carries on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable


class PassLoop(ABC):
    """A named background task that runs passes (see the module).

    Args:
        task_name: the asyncio task's name.
        what: what runs, for the log line of a failed pass ("scheduler" → "scheduler pass failed").
        log: the logger of the module that runs it.
    """

    def __init__(self, task_name: str, what: str, log: logging.Logger) -> None:
        self._task_name = task_name
        self._what = what
        self._log = log
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self) -> None:
        """Something is due (or may be): run a pass now instead of at the end of the interval."""
        self._wakeup.set()

    def start(self) -> None:
        """Start the background task (again after a stop; once while it runs)."""
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name=self._task_name)

    def _begin_stop(self) -> asyncio.Task[None] | None:
        """Let no new pass begin and wake the loop to see it; return the task (if started) for the caller to end."""
        self._stopping = True
        self._wakeup.set()
        task, self._task = self._task, None
        return task

    @abstractmethod
    async def _run(self) -> None:
        """The background task: whatever comes first, then :meth:`_passes`."""

    async def _passes(self, one_pass: Callable[[], Awaitable[object]], interval: float) -> None:
        """Run ``one_pass`` until a stop begins, waiting between passes until woken or ``interval`` seconds passed."""
        while not self._stopping:
            self._wakeup.clear()
            try:
                await one_pass()
            except Exception:
                self._log.exception("%s pass failed", self._what)
            if self._stopping:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=interval)
