"""``council-bot demo``: a whole council cycle on a local Discord-compatible server, with no account.

It starts the sandbox in-process, runs the real bot against it, and plays the December 2020 meeting of
the expert council (seed 000) with simulated members: setup, the roster by CSV import, a meeting with its
agenda (the status round's theme question, an item's background text and a slide deck attached), the call
with a calendar file and a Discord scheduled event, representatives declining so their deputies are
called up (one deputy declines too), status updates by form and by plain DM reply, a written status from
an absent organisation, a submission received by e-mail, reminders, attendance (with a named substitute),
the host's staff as guests, notes (the host's 3,600-character report written in the /minutes edit form),
the next meeting with its place and a remark (created by /meeting next), the draft, and the publication
with a copy to every representative and deputy. The bot's clock is simulated, so weeks pass in a second.
It prints one line per step and ends by naming the files it wrote (the minutes as Markdown and Word, and
the meeting's ``.ics`` as members received it).

The parts: ``_council`` (who and what the demo plays) and ``_script`` (the steps).
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.demo._council import HOST_REPORT, ORGS, SLIDES, START, THEME
from bot.demo._script import Demo
from bot.domain.clock import FakeClock
from bot.i18n import as_language, t
from bot.sandbox.harness import Harness

__all__ = ["HOST_REPORT", "ORGS", "SLIDES", "THEME", "main", "run_demo"]


async def run_demo(out: Path, language: str = "nb", say: Callable[[str], None] = print) -> tuple[Path, Path, Path]:
    """Run the demo; return the Markdown, Word and calendar files it wrote."""
    clock = FakeClock(START)
    with tempfile.TemporaryDirectory(prefix="council-demo-") as folder:
        async with Harness(Path(folder) / "demo.sqlite3", clock=clock) as harness:
            say(t(as_language(language), "demo.started", url=harness.server.base_url))
            await harness.start_bot()
            return await Demo(harness, clock, language, say).run(out)


def main(out: str, language: str) -> int:
    """Entry point for ``council-bot demo``."""
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("discord").setLevel(logging.CRITICAL)
    started = time.monotonic()
    md, docx, ics = asyncio.run(run_demo(Path(out), language, lambda line: print(f"• {line}", flush=True)))  # noqa: T201
    done = t(as_language(language), "demo.done", seconds=f"{time.monotonic() - started:.1f}")
    print(f"\n{done}\n  {md}\n  {docx}\n  {ics}")  # noqa: T201
    return 0
