"""A member's RSVP click is answered within Discord's 3 seconds while the secretary imports 5,000 rows.

The import is parsed in a worker thread and written in one short transaction, so the click's own
write transaction is not queued behind it and the event loop stays free to answer.
"""

from __future__ import annotations

from bot.domain.roster import CSV_COLUMNS, CSV_MAX_ROWS
from bot.sandbox import UploadFile
from bot.sandbox.harness import Council, Harness

DISCORD_DEADLINE_SECONDS = 3.0


def big_roster_csv(rows: int) -> bytes:
    lines = [",".join(CSV_COLUMNS)]
    for i in range(rows):
        lines.append(f"I{i},Org {i},user,{400_000_000_000_000_000 + i},R{i},{500_000_000_000_000_000 + i},D{i}")
    return ("\n".join(lines) + "\n").encode()


async def test_rsvp_click_during_a_5000_row_import_is_answered_in_time(harness: Harness, council: Council):
    rep = await harness.person(council, "Åse")
    await harness.run(council.secretary, council, "org add", name="Landsforeningen", short="LPP")
    await harness.run(council.secretary, council, "member assign", org="LPP", role="representative", user=rep)
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13")
    await harness.run(council.secretary, council, "meeting open")
    invitation = await harness.latest_dm_with(rep, "council:rsvp:")
    yes = next(c for c in invitation.custom_ids() if c.endswith(":yes"))

    data = big_roster_csv(CSV_MAX_ROWS - 1)
    importing = await harness.server.invoke(
        council.secretary,
        "roster import",
        {"file": UploadFile("roster.csv", data)},
        guild=council.guild,
        channel=council.general,
    )
    await importing.wait_response(timeout=DISCORD_DEADLINE_SECONDS)  # deferred: "thinking…"
    # The member presses "Kommer" again and again for as long as the import runs: every click is
    # answered within Discord's deadline, whatever stage the import is at (download, parse, write).
    clicks = 0
    while importing.placeholder_pending:
        click = await harness.server.click(rep, invitation, yes)
        await click.wait_done(timeout=DISCORD_DEADLINE_SECONDS)
        assert click.responded_at is not None and click.responded_at - click.created < DISCORD_DEADLINE_SECONDS
        assert "Kommer" in click.content
        clicks += 1
    assert clicks >= 1, "at least one click must land while the import is being applied"
    await importing.wait_done(timeout=120)
    assert f"{CSV_MAX_ROWS - 1} nye organisasjoner" in importing.content
    shown = await harness.run(council.secretary, council, "roster show")
    assert f"({CSV_MAX_ROWS})" in shown.content and "**LPP**" in shown.content
