"""The bot: wires configuration, storage, services and cogs together."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import hashlib
import json
import logging
import pkgutil
import time
from collections.abc import Callable
from typing import Any, TypeVar

import aiohttp
import discord
import yarl
from discord.ext import commands

import cogs
from bot.config import Config
from bot.domain.clock import Clock, SystemClock
from bot.i18n import Language, as_language, t
from bot.runtime.attachments import register_attachments
from bot.runtime.outbox_worker import OutboxWorker
from bot.runtime.pacing import TokenBucket
from bot.runtime.scheduled_events import DiscordEventPort
from bot.runtime.scheduler import Scheduler
from bot.runtime.shutdown import GATED_EVENTS, SHUTDOWN_GRACE_SECONDS, cancel_restartable, wait_for_handlers
from bot.runtime.wiring import Services, build_services
from bot.storage.db import Database
from bot.storage.state_repo import BotStateRepo
from bot.ui.errors import CouncilTree
from bot.ui.membership import DiscordMembers
from bot.ui.translator import CouncilTranslator

log = logging.getLogger(__name__)

T = TypeVar("T")


def extensions() -> list[str]:
    """Every public module of the ``cogs`` package, in name order: a new cog is loaded by existing.

    A module whose name starts with ``_`` holds helpers shared by cogs and is not an extension.
    """
    found = pkgutil.iter_modules(cogs.__path__)
    return sorted(f"cogs.{m.name}" for m in found if not m.ispkg and not m.name.startswith("_"))


def _after_setup(part: T | None, missing: str) -> T:
    """``part`` of the bot that ``setup_hook`` makes; RuntimeError(``missing``) when asked for before it."""
    if part is None:
        raise RuntimeError(missing)
    return part


def point_at(config: Config) -> None:
    """Send discord.py's REST and gateway traffic to the configured URLs (Discord or a compatible server)."""
    discord.http.Route.BASE = config.discord.api_base_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.discord.gateway_url)


def intents() -> discord.Intents:
    """Only what the bot needs: servers and direct messages (DM content needs no privileged intent)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.dm_messages = True
    return wanted


class CouncilBot(commands.Bot):
    """council-bot's Discord client.

    Args:
        config: the validated configuration.
        clock: the time source (a fake one in tests and the demo).
    """

    def __init__(self, config: Config, *, clock: Clock | None = None) -> None:
        point_at(config)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            tree_cls=CouncilTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=config.discord.guild_ready_timeout,
        )
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self._db: Database | None = None
        self._services: Services | None = None
        self._outbox_worker: OutboxWorker | None = None
        # The bot's own pace for requests that count against Discord's global limit (outbox sends,
        # reading back DMs); interaction responses are not paced, Discord does not count them.
        self.pacer = TokenBucket(config.outbox.requests_per_second)
        self._scheduler: Scheduler | None = None
        self._draining = False
        self._closing = False
        self._gate_events()

    def _gate_events(self) -> None:
        """Route new interactions and messages through :meth:`_admit`, which closes during a shutdown.

        discord.py parses gateway events through ``ConnectionState.parsers``; wrapping the two that
        start new work is the one place where nothing new can slip in once :meth:`close` began.
        """
        parsers: dict[str, Callable[[Any], None]] = self._connection.parsers
        for event in GATED_EVENTS:
            parsers[event] = functools.partial(self._admit, event, parsers[event])

    def _admit(self, event: str, parse: Callable[[Any], None], data: Any) -> None:
        if not self._draining:
            parse(data)
            return
        if event == "INTERACTION_CREATE" and data.get("type") in (2, 3, 5):
            interaction: discord.Interaction[CouncilBot] = discord.Interaction(data=data, state=self._connection)
            asyncio.create_task(self._refuse(interaction), name=f"council-refuse-{interaction.id}")  # noqa: RUF006 - awaited by close() by name

    async def _refuse(self, interaction: discord.Interaction[CouncilBot]) -> None:
        """Answer an interaction that arrived during shutdown: try again in a moment (the user's language)."""
        with contextlib.suppress(discord.HTTPException, aiohttp.ClientError, OSError):
            text = t(as_language(str(interaction.locale)), "errors.restarting")
            await interaction.response.send_message(text, ephemeral=True)

    def stop_taking_work(self) -> None:
        """First step of a shutdown: new interactions are told to retry from now on; DMs are read back later."""
        self._draining = True

    @property
    def draining(self) -> bool:
        """True once a shutdown began: no new interactions, messages or outbox rows are taken."""
        return self._draining

    @property
    def db(self) -> Database:
        """The open database (available from ``setup_hook`` on)."""
        return _after_setup(self._db, "the database is not open yet")

    @property
    def services(self) -> Services:
        """The use cases (available from ``setup_hook`` on)."""
        return _after_setup(self._services, "services are not built yet")

    async def setup_hook(self) -> None:
        """Open the database, build services, load cogs, register persistent buttons, sync commands."""
        self._db = await Database.open(self.config.database.path)
        self._services = build_services(self._db, self.clock, self.config, members=DiscordMembers(self))
        await self.tree.set_translator(CouncilTranslator())
        for name in extensions():
            await self.load_extension(name)
        if self.config.discord.sync_commands:
            await self.sync_commands_if_changed()
        # Owed DMs go out once the bot is ready (the worker waits for it); reminders catch up at once.
        self._outbox_worker = OutboxWorker(self, self._services.outbox, self.config.outbox, pacer=self.pacer)
        self._services.outbox.set_notify(self._outbox_worker.wake)
        register_attachments(self._outbox_worker, self._services)
        self._outbox_worker.start()
        self._scheduler = Scheduler(
            self._services.reminders, self.clock, self.config.reminders.scheduler_interval_seconds
        )
        self._scheduler.add_job(self._services.memory.run_due)
        events, port = self._services.events, DiscordEventPort(self)
        self._scheduler.add_job(lambda _now: events.sync(port))
        events.set_notify(self._scheduler.wake)
        self._scheduler.start()
        # Everything loaded so far (discord.py, the cogs, catalogues, templates) lives as long as the
        # process: move it out of the garbage collector's view, so a full collection triggered by a
        # big import or render scans only what was made since, instead of pausing the loop for tens
        # of milliseconds (benchmarks/stall.py). Objects freed by reference counting are still freed;
        # close() gives the rest back to the collector.
        gc.freeze()

    async def command_payload(self) -> list[dict[str, Any]]:
        """The command tree exactly as ``tree.sync()`` sends it: names and descriptions in every language."""
        commands, translator = self.tree.get_commands(), self.tree.translator
        if translator is None:
            return [command.to_dict(self.tree) for command in commands]
        return [await command.get_translated_payload(self.tree, translator) for command in commands]

    async def sync_commands_if_changed(self) -> bool:
        """Sync the command tree with Discord only when what it sends changed since the last sync.

        The digest covers the translations too, so a changed catalogue text reaches Discord.
        """
        payload = await self.command_payload()
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        key = f"commands_hash:{self.application_id}"
        state = BotStateRepo(self.db)
        if await state.get(key) == digest:
            log.info("slash commands unchanged; not syncing")
            return False
        await self.tree.sync()
        await state.put(key, digest)
        log.info("synced %d slash commands", len(payload))
        return True

    async def language_for(self, guild_id: int) -> Language:
        """The language a server's council uses (the configured default before setup)."""
        council = await self.services.roster.find_council(guild_id)
        return council.language if council else as_language(self.config.defaults.language)

    async def on_ready(self) -> None:
        """Log that the bot is connected (ids only)."""
        log.info("connected as %s to %d servers", self.user.id if self.user else "?", len(self.guilds))

    @property
    def outbox_worker(self) -> OutboxWorker:
        """The background sender of owed messages (available from ``setup_hook`` on)."""
        return _after_setup(self._outbox_worker, "the outbox worker is not started yet")

    @property
    def scheduler(self) -> Scheduler:
        """The reminder scheduler (available from ``setup_hook`` on); tests call ``run_once()``."""
        return _after_setup(self._scheduler, "the scheduler is not started yet")

    async def close(self) -> None:
        """Shut down gracefully, then close the Discord connection and the database.

        No new interactions or DMs are taken (each new interaction is told to try again in a
        moment), the outbox worker claims no new rows and the message being sent is marked, the
        interactions in hand finish and the scheduler's pass ends, all within
        ``SHUTDOWN_GRACE_SECONDS``; whatever is still running then is cancelled. Then the gateway,
        the HTTP session and the database are closed.
        """
        first, self._closing = not self._closing, True
        self.stop_taking_work()
        if first and self._services is not None:  # something was started (not a failed login)
            started = time.monotonic()
            log.info("shutting down: finishing the work in hand")
            await cancel_restartable(SHUTDOWN_GRACE_SECONDS)
            background: list[Any] = [wait_for_handlers(SHUTDOWN_GRACE_SECONDS)]
            if self._outbox_worker is not None:
                background.append(self._outbox_worker.stop(grace=SHUTDOWN_GRACE_SECONDS))
            if self._scheduler is not None:
                background.append(self._scheduler.stop(grace=SHUTDOWN_GRACE_SECONDS))
            await asyncio.gather(*background)
            log.info("shut down the work in hand in %.1f s", time.monotonic() - started)
        await super().close()
        if self._db is not None:
            await self._db.close()
            self._db = None
        gc.unfreeze()

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """Log errors in event handlers without their arguments (which may hold message contents)."""
        log.exception("error in event %s", event_method)
