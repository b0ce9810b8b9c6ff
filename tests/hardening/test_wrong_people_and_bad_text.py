"""Wrong people and bad text through the real bot: refused clearly, nothing changes, nothing pings."""

from __future__ import annotations

from typing import Any

import pytest
from discord import app_commands

from bot.i18n import t
from bot.runtime.client import CouncilBot
from bot.sandbox import UploadFile
from bot.sandbox.harness import Council, Harness
from tests.messages import is_unexpected_error


async def snapshot(bot: CouncilBot) -> dict[str, list[tuple[Any, ...]]]:
    tables = [r[0] for r in await bot.db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: [tuple(r) for r in await bot.db.fetchall(f"SELECT * FROM {t} ORDER BY rowid")] for t in tables}


def secretary_commands(bot: CouncilBot) -> list[app_commands.Command[Any, ..., Any]]:
    found = []
    for command in bot.tree.walk_commands():
        if isinstance(command, app_commands.Command) and any(
            "secretary_only" in getattr(check, "__qualname__", "") for check in command.checks
        ):
            found.append(command)
    return found


def sample_options(harness: Harness, council: Council, path: str, member: Any) -> dict[str, Any]:
    _, schema, _ = harness.server.find_command(path, council.guild)
    values: dict[int, Any] = {
        3: "LPP",
        4: 1,
        5: True,
        6: member,
        7: council.general,
        8: council.secretary_role,
        10: 1.0,
        11: UploadFile("roster.csv", b"short,name\nX,Y\n"),
    }
    options: dict[str, Any] = {}
    for option in schema:
        if not option.get("required"):
            continue
        if option.get("choices"):
            options[option["name"]] = option["choices"][0]["value"]
        else:
            options[option["name"]] = values[option["type"]]
    return options


async def test_every_secretary_command_refuses_a_member_and_changes_nothing(harness: Harness, council: Council):
    member = await harness.person(council, "Nysgjerrig medlem")
    await harness.run(council.secretary, council, "org add", name="Landsforeningen", short="LPP")
    await harness.run(council.secretary, council, "member assign", org="LPP", role="representative", user=member)
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13")
    bot = harness.bot
    assert bot is not None
    commands = secretary_commands(bot)
    assert len(commands) >= 20
    before = await snapshot(bot)
    for command in commands:
        path = command.qualified_name
        handle = await harness.run(member, council, path, **sample_options(harness, council, path, member))
        assert handle.ephemeral, path
        assert handle.content == t("nb", "errors.not_secretary"), (path, handle.content)
    assert await snapshot(bot) == before
    assert harness.server.messages_in(council.secretary_channel) == []


WEIRD = [
    "",
    " ",
    "x" * 5000,
    "\u0000\u0007kontroll\u001b[31m",
    "@everyone <@123456789012345678> <@&42> se her",
    "# Overskrift\n- punkt\n> sitat\n```kode```",
    "\u202eاجتماع المجلس\u202c",  # right-to-left with an override character
    "Møte 🎉🧠 med æøå ÆØÅ",
]


@pytest.mark.parametrize("text", WEIRD, ids=range(len(WEIRD)))
async def test_text_options_never_crash_or_ping(harness: Harness, council: Council, text: str):
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13")
    attempts = [
        ("org add", {"name": text or "x", "short": "OK1"}),
        ("org add", {"name": "Navn", "short": text[:20] or "x"}),
        ("agenda add", {"title": text or "x", "lead": text or "y"}),
        ("meeting edit", {"place": text[:200] or "x"}),
        ("meeting create", {"when": text[:100] or "x", "title": text[:150] or "x"}),
        ("minutes note", {"item": 1, "text": text[:4000] or "x"}),
        ("status submit", {"org": "OK1", "text": text[:4000] or "x", "source": text[:100] or "x"}),
    ]
    for path, options in attempts:
        # Discord's own client never sends more than an option's max_length: cut to it, as a member would see.
        _, schema, _ = harness.server.find_command(path, council.guild)
        limits = {o["name"]: o.get("max_length") for o in schema}
        options = {k: v[: limits[k]] if isinstance(v, str) and limits.get(k) else v for k, v in options.items()}
        handle = await harness.run(council.secretary, council, path, **options)
        assert handle.content, path
        assert not is_unexpected_error(handle.content), (path, handle.content)
        assert "@everyone" not in handle.content, path
        assert "<@123456789012345678>" not in handle.content, path
    shown = await harness.run(council.secretary, council, "agenda show")
    assert "@everyone" not in shown.content
    for message in harness.server.messages_in(council.secretary_channel):
        assert "@everyone" not in message.content


async def test_unknown_organisation_and_meeting_are_clear(harness: Harness, council: Council):
    handle = await harness.run(council.secretary, council, "member unassign", org="FINNES-IKKE", role="deputy")
    assert handle.content == t("nb", "roster.org_not_found", short="FINNES-IKKE")
    handle = await harness.run(council.secretary, council, "meeting open", meeting=99)
    assert handle.content == t("nb", "meetings.not_found", number=99)


async def test_commands_before_setup_point_to_setup(harness: Harness):
    fresh = await harness.create_council_server("Uoppsatt")
    handle = await harness.run(fresh.owner, fresh, "roster show")
    assert handle.content == t("nb", "council.not_configured")
    handle = await harness.run(fresh.owner, fresh, "meeting list")
    assert handle.content == t("nb", "council.not_configured")
