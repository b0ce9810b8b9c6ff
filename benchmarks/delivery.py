"""A call to N members at Discord's rate limit, over a simulated network, with the bot as its own process.

What is measured (SPEC §7 "On a real network", issue 14): the bot runs as ``council-bot run`` in a
process of its own against the sandbox in this process, with ``orgs`` organisations stored of which
``members`` have a representative. The sandbox adds a round trip of ``rtt_ms`` (± ``jitter_ms``) to
every REST request — half before the request is counted against the rate limits, half before the
answer — and enforces Discord's global limit of ``rate`` requests/s in fixed one-second windows.

Two calls, one after the other:

1. ``/meeting open`` for the first meeting: no DM channel is known yet, so each member costs a DM
   channel plus the invitation. Floor = (members whose DM channel is unknown + messages) / rate.
2. ``/meeting open`` for the second meeting: every DM channel is remembered, so the floor halves.

The clock runs from dispatching the command until the last invitation exists in the sandbox. While a
call goes out, members who already have their invitation click an RSVP button one after the other;
their interaction latency (the sandbox dispatching INTERACTION_CREATE to the bot's first callback
leaving the bot) shows whether the sends starve interactions (target p99 < 50 ms). Reported too: 429s
per 100 requests (target ≤ 1), requests by route, and the bot process's own resident memory (VmRSS,
and its peak VmHWM) after both calls (target < 100 MB with 1,000 organisations stored).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.domain.clock import SystemClock
from bot.domain.meetings import MeetingFields
from bot.domain.roster import Role
from bot.runtime.wiring import build_services
from bot.sandbox import SandboxServer, User
from bot.sandbox.events import MANAGE_EVENTS
from bot.sandbox.harness import TOKEN
from bot.sandbox.limits import INTERACTION_ROUTES
from bot.sandbox.state import MANAGE_GUILD, Channel, Guild
from bot.storage.db import Database

ROOT = Path(__file__).resolve().parents[1]
DM_CHANNEL_ROUTE = "POST /users/@me/channels"
MESSAGE_ROUTE = "POST /channels/{channel}/messages"
MEMBER_ROUTE = "GET /guilds/{guild}/members/{user_id}"
"""The membership check behind every button press in a DM (issue 12): a request the clicks add to the call."""
CLICKS_PER_S = 5.0
"""How fast members answer while the call goes out: a busy evening, not all 500 in the same seconds. Each
click costs one membership request against the same global limit, so clicking as fast as the sandbox
answers would measure the clicks, not the call."""
MEETINGS = ("2. desember 2027 kl 10-13", "3. desember 2027 kl 10-13")
"""Far enough ahead that no deadline or reminder falls due while the benchmark runs on the real clock."""


def percentiles(seconds: list[float]) -> dict[str, float]:
    """n, p50/p95/p99/max in milliseconds (nearest rank); every benchmark reports latencies this way."""
    ordered = sorted(seconds)
    if not ordered:
        return {"n": 0, "p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}

    def rank(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, max(0, int(q * len(ordered) + 0.999999) - 1))] * 1000, 2)

    return {
        "n": len(ordered),
        "p50_ms": rank(0.5),
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def process_memory(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of process ``pid`` in MiB (Linux)."""
    found: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = round(int(rest.split()[0]) / 1024, 1)
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) process ``pid`` has used so far, in seconds (Linux)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    """The machine's 1-minute load average (other work on the shared cores makes figures noisy)."""
    return round(os.getloadavg()[0], 2)


@dataclass
class World:
    """The sandbox's side of the council."""

    guild: Guild
    secretary: User
    general: Channel
    members: list[User]
    dm_channels: list[int] = field(default_factory=list)


async def build_world(server: SandboxServer, bot: User, database: Path, orgs: int, members: int) -> World:
    """People in the sandbox; council, ``orgs`` organisations (``members`` with a representative), two meetings."""
    owner = server.create_user("Eier")
    guild = await server.create_guild("Rådet", owner)
    # A bot set up as the README says, so the call also creates the meeting's scheduled event.
    await server.set_roles(guild, bot, [await server.create_role(guild, "council-bot", MANAGE_EVENTS)])
    role = await server.create_role(guild, "Sekretær", MANAGE_GUILD)
    secretary = server.create_user("Sekretær")
    await server.add_member(guild, secretary, roles=[role])
    general = await server.create_text_channel(guild, "generelt")
    people = await server.add_members(guild, "Representant", members)
    db = await Database.open(database)
    services = build_services(db, SystemClock(), Config())
    async with db.transaction():  # one transaction: the services' own ones join it, so seeding takes seconds
        await services.roster.setup_council(
            guild.id, name="Ekspertråd NKROP", convener="Leder", minutes_channel_id=general.id,
            secretary_channel_id=general.id, secretary_role_id=role.id, language="nb", timezone="Europe/Oslo",
        )  # fmt: skip
        for i in range(orgs):
            await services.roster.add_org(guild.id, f"Organisasjon nummer {i}", f"ORG{i}", "user")
            if i < members:
                await services.roster.assign(guild.id, f"ORG{i}", Role.REPRESENTATIVE, people[i].id, people[i].name)
        for when in MEETINGS:
            await services.meetings.create(guild.id, secretary.id, MeetingFields(when=when))
    await db.close()
    # The sandbox's DM channels exist from the start (the bot still has to open each one to learn its id).
    world = World(guild, secretary, general, people)
    world.dm_channels = [server.dm_channel(person).id for person in people]
    return world


class Delivered:
    """Predicate for ``wait_for``: every member has at least ``at_least`` DMs; stamps when that happened."""

    def __init__(self, server: SandboxServer, world: World, at_least: int) -> None:
        self.server = server
        self.remaining = set(world.dm_channels)
        self.at_least = at_least
        self.total = len(self.remaining)
        self.first_at: float | None = None
        self.done_at: float | None = None

    def __call__(self) -> bool:
        messages = self.server.messages
        self.remaining = {c for c in self.remaining if len(messages.get(c, ())) < self.at_least}
        if self.first_at is None and len(self.remaining) < self.total:
            self.first_at = time.perf_counter()
        if not self.remaining and self.done_at is None:
            self.done_at = time.perf_counter()
        return not self.remaining


async def click_while(server: SandboxServer, world: World, call: int, done: asyncio.Event) -> list[float]:
    """Members click an RSVP button on this call's invitation as it arrives, at most ``CLICKS_PER_S``, until done."""
    samples: list[float] = []
    loop = asyncio.get_running_loop()
    next_click = loop.time()
    for person, channel in zip(world.members, world.dm_channels, strict=True):
        await asyncio.sleep(max(0.0, next_click - loop.time()))  # the members' pace, not a wait for the bot
        next_click = loop.time() + 1 / CLICKS_PER_S
        while len(server.messages.get(channel, ())) < call:
            if done.is_set():
                return samples
            await server.wait_changed(0.05)
        if done.is_set():
            break
        message = server.messages[channel][call - 1]
        answer = ("yes", "maybe")[len(samples) % 2]
        custom_id = next(c for c in message.custom_ids() if c.startswith("council:rsvp:") and c.endswith(answer))
        handle = await server.click(person, message, custom_id)
        await handle.wait_done(10)
        if handle.responded_at is not None:
            samples.append(handle.responded_at - handle.created)
    return samples


async def settle(server: SandboxServer, quiet: float = 1.0, timeout: float = 30.0) -> None:
    """Wait until the bot has been quiet for ``quiet`` seconds: its start-up work is not part of a call."""
    deadline = time.monotonic() + timeout
    while await server.wait_changed(quiet) and time.monotonic() < deadline:
        pass


def config_text(server: SandboxServer, database: Path, pace: float | None) -> str:
    """The bot's configuration: the sandbox's URLs, the database, the outbox's own pace (default: the bot's)."""
    outbox = f"[outbox]\nrequests_per_second = {pace}\n" if pace is not None else ""
    return f"""[discord]
api_base_url = "{server.api_base_url}"
gateway_url = "{server.gateway_url}"
guild_ready_timeout = 0.05
[database]
path = "{database}"
{outbox}[reminders]
scheduler_interval_seconds = 3600.0
[logging]
level = "ERROR"
"""


async def one_call(
    server: SandboxServer, world: World, database: Path, number: int, rate: float, timeout: float, pid: int
) -> dict[str, Any]:
    """``/meeting open`` for meeting ``number`` while members click; figures against the floor."""
    db = await Database.open(database)
    try:
        row = await db.fetchone("SELECT count(*) FROM dm_channels")
        known = int(row[0]) if row else 0
    finally:
        await db.close()
    stats = server.stats
    before = (stats.requests, stats.rate_limited, dict(stats.by_route))
    load = load_average()
    cpu_before = cpu_seconds(pid)
    watch = Delivered(server, world, at_least=number)
    done = asyncio.Event()
    started = time.perf_counter()
    handle = await server.invoke(world.secretary, "meeting open", {"meeting": number}, guild=world.guild,
                                 channel=world.general)  # fmt: skip
    clicks = asyncio.create_task(click_while(server, world, number, done))
    try:
        await server.wait_for(watch, timeout=timeout, what=f"call {number}: every invitation")
    finally:
        done.set()
        samples = await clicks
    await handle.wait_done(30)
    assert watch.done_at is not None
    elapsed = watch.done_at - started
    bot_cpu = cpu_seconds(pid) - cpu_before
    limited = stats.rate_limited - before[1]
    routes = {k: v - before[2].get(k, 0) for k, v in stats.by_route.items() if v != before[2].get(k, 0)}
    # Interaction responses (the clicks, the command's answer) do not count against the global limit.
    requests = sum(v for k, v in routes.items() if not k.startswith(INTERACTION_ROUTES))
    members = len(world.members)
    unknown = members - known
    floor = (unknown + members) / rate
    return {
        "meeting": number,
        "members": members,
        "dm_channels_unknown": unknown,
        "first_invitation_s": round((watch.first_at or watch.done_at) - started, 2),
        "elapsed_s": round(elapsed, 2),
        "floor_s": round(floor, 2),
        "ratio": round(elapsed / floor, 3),
        "membership_checks": routes.get(MEMBER_ROUTE, 0),
        # What the limit forces for everything the bot sent meanwhile, the clicks' membership checks included.
        "floor_all_s": round(requests / rate, 2),
        "ratio_to_all_requests": round(elapsed / max(requests / rate, 1e-9), 3),
        "requests": requests,
        "responses_429": limited,
        "429_per_100_requests": round(100 * limited / max(1, requests), 2),
        "dm_channel_opens": routes.get(DM_CHANNEL_ROUTE, 0),
        "message_posts": routes.get(MESSAGE_ROUTE, 0),
        "dm_messages": sum(len(server.messages.get(c, ())) for c in world.dm_channels) - members * (number - 1),
        "max_requests_in_flight": stats.max_in_flight,
        "click_latency": percentiles(samples),
        "bot_cpu_s": round(bot_cpu, 2),
        "load_before": load,
        "load_after": load_average(),
    }


async def measure(
    orgs: int, members: int, rtt_ms: float, jitter_ms: float, rate: float, pace: float | None = None
) -> dict[str, Any]:
    """Both calls at one round trip; the bot process's memory at the end.

    ``rate`` is the sandbox's global limit (Discord's 50/s); ``pace`` the bot's own
    ``outbox.requests_per_second`` (default: the bot's default).
    """
    server = SandboxServer()
    await server.start()
    account = server.register_bot(TOKEN)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        world = await build_world(server, account.user, database, orgs, members)
        config = Path(folder) / "config.toml"
        config.write_text(config_text(server, database, pace), encoding="utf-8")
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", "--config", str(config), cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": TOKEN},
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            await server.wait_for(lambda: bool(server.commands), timeout=60, what="the bot's commands")
            await server.wait_for(lambda: bool(server.sessions), timeout=60, what="the bot to connect")
            await settle(server)
            server.set_latency(rtt_ms, jitter_ms)
            server.set_rate_limits(global_per_second=rate)
            server.stats.max_in_flight = 0
            calls = [await one_call(server, world, database, n, rate, timeout=600, pid=bot.pid) for n in (1, 2)]
            memory = process_memory(bot.pid)
        finally:
            bot.terminate()
            await bot.wait()
            await server.stop()
    return {
        "organisations_stored": orgs,
        "members": members,
        "rtt_ms": rtt_ms,
        "jitter_ms": jitter_ms,
        "global_limit_per_s": rate,
        "bot_pace_per_s": pace if pace is not None else Config().outbox.requests_per_second,
        "calls": calls,
        "bot_rss_mib": memory.get("VmRSS", 0.0),
        "bot_peak_rss_mib": memory.get("VmHWM", 0.0),
    }
