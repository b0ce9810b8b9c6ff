"""The bot: wires configuration, storage, services and cogs together."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any, Final

import discord
import yarl
from discord.ext import commands

from bot.config import Config
from bot.domain.clock import Clock, SystemClock
from bot.i18n import Language, as_language
from bot.services.roster import RosterService
from bot.storage.db import Database
from bot.storage.roster_repo import RosterRepo
from bot.ui.errors import CouncilTree
from bot.ui.translator import CouncilTranslator

log = logging.getLogger(__name__)

EXTENSIONS: Final = ("cogs.council", "cogs.roster")


@dataclass(frozen=True, slots=True)
class Services:
    """Every use case, built once in ``setup_hook``; cogs read ``bot.services.<name>``."""

    roster: RosterService


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

    @property
    def db(self) -> Database:
        """The open database (available from ``setup_hook`` on)."""
        if self._db is None:
            raise RuntimeError("the database is not open yet")
        return self._db

    @property
    def services(self) -> Services:
        """The use cases (available from ``setup_hook`` on)."""
        if self._services is None:
            raise RuntimeError("services are not built yet")
        return self._services

    async def setup_hook(self) -> None:
        """Open the database, build services, load cogs, register persistent buttons, sync commands."""
        self._db = await Database.open(self.config.database.path)
        self._services = build_services(self._db, self.clock)
        await self.tree.set_translator(CouncilTranslator())
        for name in EXTENSIONS:
            await self.load_extension(name)
        if self.config.discord.sync_commands:
            await self.sync_commands_if_changed()

    async def sync_commands_if_changed(self) -> bool:
        """Sync the command tree with Discord only when its definition changed since the last sync."""
        payload = [command.to_dict(self.tree) for command in self.tree.get_commands()]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        key = f"commands_hash:{self.application_id}"
        row = await self.db.fetchone("SELECT value FROM bot_state WHERE key = ?", (key,))
        if row is not None and row[0] == digest:
            log.info("slash commands unchanged; not syncing")
            return False
        await self.tree.sync()
        async with self.db.transaction():
            await self.db.execute(
                "INSERT INTO bot_state (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, digest),
            )
        log.info("synced %d slash commands", len(payload))
        return True

    async def language_for(self, guild_id: int) -> Language:
        """The language a server's council uses (the configured default before setup)."""
        council = await self.services.roster.find_council(guild_id)
        return council.language if council else as_language(self.config.defaults.language)

    async def on_ready(self) -> None:
        """Log that the bot is connected (ids only)."""
        log.info("connected as %s to %d servers", self.user.id if self.user else "?", len(self.guilds))

    async def close(self) -> None:
        """Stop background work, then close the Discord connection and the database."""
        await super().close()
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """Log errors in event handlers without their arguments (which may hold message contents)."""
        log.exception("error in event %s", event_method)


def build_services(db: Database, clock: Clock) -> Services:
    """Wire repositories into services."""
    roster_repo = RosterRepo(db)
    return Services(roster=RosterService(db, roster_repo, clock))
