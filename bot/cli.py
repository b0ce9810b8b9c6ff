"""The ``council-bot`` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import Config, load_config, resolve_config_path, token_from_env
from bot.errors import ConfigError, UserError
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from bot.logging_setup import configure_logging
from bot.storage.db import Database, DatabaseError

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="council-bot", description="Run an advisory council through Discord.")
    commands = parser.add_subparsers(dest="command", required=True)

    def with_config(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--config", help="TOML file (default: $COUNCIL_BOT_CONFIG or ./config.toml)")
        return p

    with_config(commands.add_parser("run", help="connect to Discord and serve"))
    with_config(commands.add_parser("check-config", help="validate the configuration file"))
    demo = commands.add_parser("demo", help="a whole council cycle on a local Discord-compatible server")
    demo.add_argument("--out", default="demo-output", help="folder for the minutes (default: demo-output)")
    demo.add_argument("--language", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="the council's language")
    db = with_config(commands.add_parser("db", help="database maintenance"))
    db_commands = db.add_subparsers(dest="db_command", required=True)
    migrate = db_commands.add_parser("migrate", help="apply pending migrations")
    migrate.add_argument("--dry-run", action="store_true", help="print the pending SQL, change nothing")
    backup = db_commands.add_parser("backup", help="write a consistent copy of the live database")
    backup.add_argument("path")
    db_commands.add_parser("check", help="integrity and schema check")
    minutes = with_config(commands.add_parser("minutes", help="the minutes, offline from the database"))
    minutes_commands = minutes.add_subparsers(dest="minutes_command", required=True)
    render = minutes_commands.add_parser("render", help="write a meeting's minutes to a file")
    render.add_argument("--guild", type=int, required=True, help="the Discord server id")
    render.add_argument("--meeting", type=int, required=True, help="the meeting number")
    render.add_argument("--format", choices=("md", "docx"), default="md")
    render.add_argument("--out", help="output file (default: the document's own name in this folder)")
    return parser


def _config(path: str | None) -> Config:
    return load_config(resolve_config_path(path))


async def _db_command(config: Config, args: argparse.Namespace) -> int:
    path = config.database.path
    if args.db_command == "migrate":
        db = await Database.open(path, migrate=False)
        try:
            pending = await db.pending_migrations()
            if args.dry_run:
                for migration in pending:
                    print(f"-- {migration.name}\n{migration.sql}")  # noqa: T201
                print(f"{len(pending)} pending migration(s)")  # noqa: T201
                return 0
            applied = await db.migrate()
            print(f"applied {len(applied)} migration(s); schema version {await db.user_version()}")  # noqa: T201
            return 0
        finally:
            await db.close()
    if args.db_command == "backup":
        if not path.exists():
            raise DatabaseError(f"no database at {path}")
        db = await Database.open(path, migrate=False)
        try:
            await db.backup(args.path)
        finally:
            await db.close()
        print(f"backup written to {args.path}")  # noqa: T201
        return 0
    if not path.exists():
        raise DatabaseError(f"no database at {path}")
    db = await Database.open(path, migrate=False)
    try:
        problems = await db.integrity_check()
    finally:
        await db.close()
    for problem in problems:
        print(f"problem: {problem}")  # noqa: T201
    print("ok" if not problems else f"{len(problems)} problem(s)")  # noqa: T201
    return 0 if not problems else 1


async def _minutes_command(config: Config, args: argparse.Namespace) -> int:
    from bot.domain.clock import SystemClock
    from bot.runtime.wiring import build_services

    if not config.database.path.exists():
        raise DatabaseError(f"no database at {config.database.path}")
    db = await Database.open(config.database.path)
    try:
        services = build_services(db, SystemClock(), config)
        name, data = await services.minutes.export(args.guild, args.format, args.meeting)
    finally:
        await db.close()
    target = Path(args.out or name)
    target.write_bytes(data)  # noqa: ASYNC240 - a one-shot CLI, nothing else runs
    print(f"wrote {target} ({len(data)} bytes)")  # noqa: T201
    return 0


class StartupError(Exception):
    """The bot cannot start (wrong token, Discord unreachable): one clear line, exit code 2."""


async def _run(config: Config) -> int:
    """Serve until SIGTERM or SIGINT, then shut down gracefully and return 0."""
    import aiohttp
    import discord

    from bot.runtime.client import CouncilBot

    token = token_from_env()
    configure_logging(config.logging.level, secrets=[token])
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    bot = CouncilBot(config)
    try:
        async with bot:
            serving = asyncio.create_task(bot.start(token), name="council-bot")
            stopping = asyncio.create_task(stop.wait(), name="council-stop-signal")
            await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if stopping.done():
                log.info("stop signal received")
                await bot.close()
            else:
                stopping.cancel()
            await serving
    except discord.LoginFailure:
        raise StartupError(
            f"Discord refused the token (401 Unauthorized) at {config.discord.api_base_url}:"
            " check DISCORD_TOKEN or the token file"
        ) from None
    except discord.PrivilegedIntentsRequired:
        raise StartupError("Discord refused the connection: the bot asks for an intent it is not granted") from None
    except (aiohttp.ClientError, OSError, TimeoutError, discord.GatewayNotFound) as exc:
        reason = str(exc) or type(exc).__name__
        raise StartupError(f"cannot reach Discord at {config.discord.api_base_url}: {reason}") from None
    except discord.HTTPException as exc:
        raise StartupError(f"Discord answered {exc.status} at start: {exc.text or exc}") from None
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code. Errors are one clear line, not a traceback."""
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from bot.demo import main as demo_main

        return demo_main(args.out, args.language)
    try:
        config = _config(args.config)
        if args.command == "check-config":
            print(f"configuration ok: {resolve_config_path(args.config)}")  # noqa: T201
            return 0
        if args.command == "db":
            return asyncio.run(_db_command(config, args))
        if args.command == "minutes":
            return asyncio.run(_minutes_command(config, args))
        return asyncio.run(_run(config))
    except (ConfigError, DatabaseError, StartupError) as exc:
        print(f"council-bot: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    except UserError as exc:
        print(f"council-bot: {t(DEFAULT_LANGUAGE, exc.message_key, **exc.params)}", file=sys.stderr)  # noqa: T201
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
