"""What a graceful shutdown waits for, and what it cancels at once.

:meth:`~bot.runtime.client.CouncilBot.close` lets the work members started finish (bounded by
``SHUTDOWN_GRACE_SECONDS``), cancels the background reads the next start repeats, and refuses new work.
Tasks are recognised by name: discord.py names its handler tasks, and the bot names its own.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Final

from bot.services.status import PICKUP_TASK

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS: Final = 10.0
"""How long a shutdown waits for the interactions in hand, the message being sent and a scheduler pass."""

IN_FLIGHT_TASKS: Final = (
    "CommandTree-invoker",  # discord.py: a slash command or autocomplete being handled
    "discord-ui-",  # discord.py: a button, select or form (persistent DynamicItems included)
    "discord.py: ",  # discord.py: an event listener (DM replies, on_ready)
    "council-refuse-",  # the polite refusals sent while shutting down
)
"""Names of the tasks that handle what members did: a shutdown lets them finish (bounded)."""

RESTARTABLE_TASKS: Final = (PICKUP_TASK,)
"""Background reads that the next start repeats from where they stopped: cancelled at once by a shutdown."""

GATED_EVENTS: Final = ("INTERACTION_CREATE", "MESSAGE_CREATE")
"""Gateway events that start new work; ignored once a shutdown began (DMs are read back at the next start)."""


async def cancel_restartable(grace: float) -> None:
    """Cancel the background reads that the next start repeats (DM pickup), waiting at most ``grace``."""
    tasks = [t for t in asyncio.all_tasks() if not t.done() and t.get_name().startswith(RESTARTABLE_TASKS)]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=grace)


async def wait_for_handlers(grace: float) -> None:
    """Wait until no handler task is left (new ones may start from handlers); cancel the rest at ``grace``."""
    deadline = time.monotonic() + grace
    current = asyncio.current_task()
    while True:
        pending = [
            task
            for task in asyncio.all_tasks()
            if task is not current and not task.done() and task.get_name().startswith(IN_FLIGHT_TASKS)
        ]
        if not pending:
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            log.warning("shutdown: %d handler(s) still running after %.0f s; cancelling them", len(pending), grace)
            for task in pending:
                task.cancel()
            await asyncio.wait(pending, timeout=1)
            return
        await asyncio.wait(pending, timeout=remaining)
