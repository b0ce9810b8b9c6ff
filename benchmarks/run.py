"""council-bot benchmarks against the sandbox with the real bot (``make bench``).

Scenarios (SPEC section 7, issue 8):

1. **Interaction latency** inside the bot: from the sandbox dispatching INTERACTION_CREATE to the
   bot's first callback arriving — for an RSVP button click in a DM and for ``/meeting dashboard`` —
   with 20 and with 1,000 organisations stored. The sandbox and the bot share one event loop on
   loopback, so the figure includes the gateway frame, discord.py's parsing, our handler and the
   HTTP callback. Discord allows 3 s; the target is p99 < 50 ms.
2. **A call to N members at Discord's rate limit on a real network** (:mod:`benchmarks.delivery`):
   the bot as its own process, 1,000 organisations stored, ``/meeting open`` to 500 members with the
   sandbox enforcing 50 requests/s and adding a round trip of 0 ms and of 100 ms to every request;
   a first call (no DM channel known) and a second (all known). Elapsed against the floor (target ≤
   1.1), 429s per 100 requests (target ≤ 1), p99 of RSVP clicks while the call goes out (target
   < 50 ms) and the bot process's own resident memory (target < 100 MB).
3. **Minutes compile and render** for 20, 200 and 2,000 organisations (a ~400-character status each):
   median time and peak allocated memory for compiling and for each output; the ratios between
   sizes show the growth (≈10 for linear).
4. **Resident memory** of the process running bot and sandbox with 1,000 organisations stored (and,
   in scenario 2, of the bot process alone).
5. **Event-loop stalls** (``benchmarks/stall.py``): the longest time the loop could not run while a
   200-organisation ``/minutes draft`` is compiled, rendered and posted, and while a 5,000-row
   ``/roster import`` is applied (target < 50 ms each).

Results go to ``<out>/results.json`` and ``<out>/results.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import delivery
from benchmarks.stall import loop_stalls
from bot.config import Config
from bot.domain.clock import FakeClock
from bot.domain.meetings import AgendaKind, MeetingFields
from bot.domain.minutes import (
    AgendaEntry,
    MinutesDocument,
    Participant,
    StatusParagraph,
)
from bot.domain.roster import Role
from bot.render import render_discord, render_docx, render_markdown
from bot.runtime.wiring import build_services
from bot.sandbox import Message, User
from bot.sandbox.harness import Council, Harness
from bot.storage.db import Database

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
STATUS = (
    "Vi har hatt et travelt halvår med mange nye brukere og flere samarbeidsprosjekter med kommunene. "
    "Lavterskeltilbudet er utvidet, og vi har startet en ny pårørendegruppe. Økonomien er stram, men "
    "stabil. Vi ønsker at rådet setter ROP-gruppen på dagsordenen når vaksiner og tjenester prioriteres, "
    "og vi deler gjerne erfaringene våre fra brukermedvirkning i FACT-team med de andre organisasjonene."
)


def rss_mib() -> float:
    """Resident memory of this process, MiB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


@dataclass
class World:
    """A council with ``n`` organisations whose representatives exist in the sandbox."""

    harness: Harness
    council: Council
    reps: list[User]


async def build_world(harness: Harness, n: int, clock: FakeClock) -> World:
    """Create the server and people in the sandbox, and the roster and a meeting in the bot's database."""
    council = await harness.create_council_server()
    reps = await harness.server.add_members(council.guild, "Representant", n)
    db = await Database.open(harness.database)
    services = build_services(db, clock, Config())
    await services.roster.setup_council(
        council.guild.id,
        name="Ekspertråd NKROP",
        convener="Morten A. Brodahl – NKROP",
        minutes_channel_id=council.minutes_channel.id,
        secretary_channel_id=council.secretary_channel.id,
        secretary_role_id=council.secretary_role.id,
        language="nb",
        timezone="Europe/Oslo",
    )
    for i, rep in enumerate(reps):
        await services.roster.add_org(council.guild.id, f"Organisasjon nummer {i}", f"ORG{i}", "user")
        await services.roster.assign(council.guild.id, f"ORG{i}", Role.REPRESENTATIVE, rep.id, rep.name)
    await services.meetings.create(
        council.guild.id, council.secretary.id, MeetingFields(when="2. desember 2026 kl 10-13")
    )
    await db.close()
    return World(harness, council, reps)


def invitation(harness: Harness, user: User) -> Message | None:
    for message in harness.server.dms_to(user):
        if any(c.startswith("council:rsvp:") for c in message.custom_ids()):
            return message
    return None


async def open_meeting(world: World, timeout: float) -> float:
    """``/meeting open`` and wait until every representative has the invitation; return seconds taken."""
    harness = world.harness
    started = time.perf_counter()
    handle = await harness.server.invoke(
        world.council.secretary, "meeting open", {}, guild=world.council.guild, channel=world.council.general
    )
    await handle.wait_done(30)
    await harness.server.wait_for(
        lambda: all(invitation(harness, r) is not None for r in world.reps), timeout=timeout, what="every invitation"
    )
    return time.perf_counter() - started


async def latency(orgs: int, samples: int, warmup: int) -> dict[str, Any]:
    """Scenario 1 (and 4 at 1,000 organisations)."""
    clock = FakeClock(START)
    with tempfile.TemporaryDirectory() as folder:
        async with Harness(Path(folder) / "bench.sqlite3", clock=clock) as harness:
            world = await build_world(harness, orgs, clock)
            await harness.start_bot()
            call_seconds = await open_meeting(world, timeout=600)
            await harness.outbox_drained(timeout=600)
            rsvp: list[float] = []
            for i in range(warmup + samples):
                rep = world.reps[i % len(world.reps)]
                message = invitation(harness, rep)
                assert message is not None
                answer = ("yes", "maybe")[i % 2]
                custom_id = next(c for c in message.custom_ids() if c.endswith(f":{answer}"))
                handle = await harness.server.click(rep, message, custom_id)
                await handle.wait_done(10)
                if i >= warmup and handle.responded_at is not None:
                    rsvp.append(handle.responded_at - handle.created)
            await harness.outbox_drained(timeout=600)
            dashboard: list[float] = []
            dashboard_full: list[float] = []
            board_samples = max(10, samples // 3)
            for i in range(warmup + board_samples):
                handle = await harness.server.invoke(
                    world.council.secretary,
                    "meeting dashboard",
                    {},
                    guild=world.council.guild,
                    channel=world.council.general,
                )
                await handle.wait_done(30)
                if i >= warmup and handle.responded_at is not None:
                    dashboard.append(handle.responded_at - handle.created)
                    dashboard_full.append(time.monotonic() - handle.created)
                await harness.outbox_drained(timeout=60)
            gc.collect()
            memory = rss_mib()
    return {
        "organisations": orgs,
        "rsvp_click": delivery.percentiles(rsvp),
        "dashboard": delivery.percentiles(dashboard),
        "dashboard_first_page": delivery.percentiles(dashboard_full),
        "open_unthrottled_s": round(call_seconds, 2),
        "rss_mib": memory,
    }


def minutes_document(orgs: int) -> MinutesDocument:
    """A synthetic set of minutes with ``orgs`` organisations, each attending with a status."""
    participants = tuple(Participant(f"Organisasjon {i}", f"ORG{i}", f"Person {i}", i % 5 == 0) for i in range(orgs))
    statuses = tuple(StatusParagraph(f"Organisasjon {i}", f"ORG{i}", STATUS, written=i % 7 == 0) for i in range(orgs))
    agenda = (
        AgendaEntry(1, "Hva skjer i organisasjonene?", AgendaKind.STATUS_ROUND, statuses=statuses),
        AgendaEntry(2, "Nytt fra NKROP", AgendaKind.ITEM, lead="Kari Nysveen", notes=("Notat fra møtet.",) * 5),
        AgendaEntry(3, "Eventuelt", AgendaKind.ANY_OTHER_BUSINESS),
    )
    return MinutesDocument(
        language="nb",
        council_name="Ekspertråd NKROP",
        title="Møte",
        start=START + timedelta(days=30),
        end=START + timedelta(days=30, hours=3),
        tz="Europe/Oslo",
        place="Zoom",
        convened_by="Morten A. Brodahl – NKROP",
        participants=participants,
        agenda=agenda,
        secretary_name="Hilde Austeng",
        signed_on=START,
        is_draft=False,
    )


def measure(fn: Any, repeats: int) -> tuple[float, float]:
    """Median seconds over ``repeats`` runs, and peak traced memory in MiB of one run."""
    fn()  # warm up: template compilation and imports are not what is measured
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / (1024 * 1024)


async def minutes_scaling(sizes: list[int], repeats: int) -> dict[str, Any]:
    """Scenario 3: compile (database → document) and render (document → md, Discord, docx)."""
    clock = FakeClock(START)
    rows: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"minutes-{size}.sqlite3"
            db = await Database.open(path)
            services = build_services(db, clock, Config())
            guild = 1
            await services.roster.setup_council(
                guild, name="Ekspertråd NKROP", convener="Morten A. Brodahl – NKROP", minutes_channel_id=2,
                secretary_channel_id=3, secretary_role_id=4, language="nb", timezone="Europe/Oslo",
            )  # fmt: skip
            for i in range(size):
                await services.roster.add_org(guild, f"Organisasjon {i}", f"ORG{i}")
                await services.roster.assign(guild, f"ORG{i}", Role.REPRESENTATIVE, 10**17 + i, f"Person {i}")
            await services.meetings.create(guild, 5, MeetingFields(when="2. desember 2026 kl 10-13"))
            await services.meetings.open(guild)
            for i in range(size):
                await services.status.submit_for(guild, f"ORG{i}", STATUS, secretary_id=5)
            compile_times = []
            for _ in range(repeats):
                started = time.perf_counter()
                await services.minutes.compile(guild, None, secretary_id=5, draft=True)
                compile_times.append(time.perf_counter() - started)
            await db.close()
            doc = minutes_document(size)
            md_s, md_mib = measure(lambda doc=doc: render_markdown(doc), repeats)
            dc_s, dc_mib = measure(lambda doc=doc: render_discord(doc), repeats)
            wx_s, wx_mib = measure(lambda doc=doc: render_docx(doc), max(1, repeats // 2))
            rows[str(size)] = {
                "compile_s": round(statistics.median(compile_times), 4),
                "markdown_s": round(md_s, 4),
                "discord_s": round(dc_s, 4),
                "docx_s": round(wx_s, 4),
                "markdown_peak_mib": round(md_mib, 2),
                "discord_peak_mib": round(dc_mib, 2),
                "docx_peak_mib": round(wx_mib, 2),
                "discord_messages": len(render_discord(doc)),
            }
    ratios = {}
    for small, large in itertools.pairwise(sizes):
        a, b = rows[str(small)], rows[str(large)]
        ratios[f"{large}/{small}"] = {
            key: round(b[key] / a[key], 2) if a[key] else None
            for key in ("compile_s", "markdown_s", "discord_s", "docx_s")
        }
    return {"sizes": rows, "growth_ratios": ratios}


def table(results: dict[str, Any]) -> str:
    """The Markdown summary."""
    lines = [
        f"Measured {results['date']} on {results['machine']} ({results['cpus']} CPUs, Python {results['python']}; "
        f"load average {results['load_average_at_start']} at the start, on cores shared with other work).",
        "",
        "| scenario | figure | value | target |",
        "| --- | --- | --- | --- |",
    ]
    for run in results["latency"]:
        n = run["organisations"]
        for name in ("rsvp_click", "dashboard", "dashboard_first_page"):
            p = run[name]
            target = "p99 < 50 ms" if n >= 1000 else ""
            lines.append(
                f"| {name.replace('_', ' ')}, {n} orgs | p50 / p99 / max (n={p['n']}) | "
                f"{p['p50_ms']} / {p['p99_ms']} / {p['max_ms']} ms | {target} |"
            )
        lines.append(f"| bot + sandbox process, {n} orgs | resident memory | {run['rss_mib']} MiB | |")
    for run in results["delivery"]:
        where = f"{run['members']} members, {run['rtt_ms']:g} ms RTT"
        for call in run["calls"]:
            which = "first call" if call["meeting"] == 1 else "second call (DM channels known)"
            clicks = call["click_latency"]
            lines += [
                f"| {which}, {where} | elapsed / floor ({call['dm_channels_unknown']} DM channels + "
                f"{call['members']} messages at {run['global_limit_per_s']:g}/s) | {call['elapsed_s']} s / "
                f"{call['floor_s']} s = **{call['ratio']}** | ≤ 1.1 |",
                f"| {which}, {where} | elapsed / all {call['requests']} requests at {run['global_limit_per_s']:g}/s "
                f"(incl. {call['membership_checks']} membership checks of the clicks) | {call['elapsed_s']} s / "
                f"{call['floor_all_s']} s = **{call['ratio_to_all_requests']}** | |",
                f"| {which}, {where} | 429s per 100 requests ({call['requests']} requests) | "
                f"{call['429_per_100_requests']} | ≤ 1 |",
                f"| {which}, {where} | RSVP click while it goes out: p50 / p99 / max (n={clicks['n']}) | "
                f"{clicks['p50_ms']} / {clicks['p99_ms']} / {clicks['max_ms']} ms | p99 < 50 ms |",
                f"| {which}, {where} | bot CPU during the call; machine load before / after | "
                f"{call['bot_cpu_s']} s; {call['load_before']} / {call['load_after']} | |",
            ]
        lines.append(
            f"| bot process alone, {run['organisations_stored']} orgs, after both calls ({run['rtt_ms']:g} ms) | "
            f"resident memory (peak) | {run['bot_rss_mib']} MiB ({run['bot_peak_rss_mib']} MiB) | < 100 MB |"
        )
    stalls = results["loop_stalls"]
    draft, imported = stalls["draft"], stalls["csv_import"]
    lines += [
        f"| /minutes draft, {draft['organisations']} orgs | longest event-loop stall (whole command "
        f"{draft['elapsed_ms'] / 1000:.2f} s) | {draft['longest_stall_ms']} ms | < 50 ms |",
        f"| /roster import, {imported['rows']} rows | longest event-loop stall (whole command "
        f"{imported['elapsed_ms'] / 1000:.2f} s) | {imported['longest_stall_ms']} ms | < 50 ms |",
    ]
    sizes = results["minutes"]["sizes"]
    for size, row in sizes.items():
        lines.append(
            f"| minutes, {size} orgs | compile / md / Discord / docx | {row['compile_s'] * 1000:.1f} / "
            f"{row['markdown_s'] * 1000:.1f} / {row['discord_s'] * 1000:.1f} / {row['docx_s'] * 1000:.1f} ms "
            f"(docx peak {row['docx_peak_mib']} MiB) | linear |"
        )
    for step, ratio in results["minutes"]["growth_ratios"].items():
        lines.append(
            f"| minutes growth {step} (×10 orgs) | compile / md / Discord / docx | "
            f"{ratio['compile_s']} / {ratio['markdown_s']} / {ratio['discord_s']} / {ratio['docx_s']} | ≈ 10 |"
        )
    return "\n".join(lines) + "\n"


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """All scenarios."""
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "latency": [],
    }
    for orgs in args.orgs:
        print(f"latency with {orgs} organisations …", flush=True)
        results["latency"].append(await latency(orgs, args.samples, args.warmup))
    results["delivery"] = []
    for rtt in args.rtt:
        print(f"call to {args.members} members at {args.rate:g} requests/s, {rtt:g} ms round trip …", flush=True)
        results["delivery"].append(
            await delivery.measure(args.stored, args.members, rtt, args.jitter if rtt else 0.0, args.rate)
        )
        print(f"  load average {os.getloadavg()[0]:.2f}", flush=True)
    print("minutes compile and render …", flush=True)
    results["minutes"] = await minutes_scaling(args.sizes, args.repeats)
    print(f"event-loop stalls: {args.stall_orgs}-organisation draft, {args.stall_rows}-row import …", flush=True)
    results["loop_stalls"] = await loop_stalls(args.stall_orgs, args.stall_rows, STATUS, START)
    return results


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.run``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="benchmarks/results")
    parser.add_argument("--orgs", type=int, nargs="+", default=[20, 1000])
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--members", type=int, default=500, help="call: members invited")
    parser.add_argument("--stored", type=int, default=1000, help="call: organisations stored")
    parser.add_argument("--rate", type=float, default=50.0, help="call: the sandbox's global limit, requests/s")
    parser.add_argument("--rtt", type=float, nargs="+", default=[0.0, 100.0], help="call: round trips, ms")
    parser.add_argument("--jitter", type=float, default=20.0, help="call: jitter of a round trip, ms")
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 2000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--stall-orgs", type=int, default=200)
    parser.add_argument("--stall-rows", type=int, default=5000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("discord").setLevel(logging.CRITICAL)
    results = asyncio.run(run(args))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    summary = table(results)
    (out / "results.md").write_text(summary, encoding="utf-8")
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
