"""Export → import through the bot is faithful; a bad id is a row problem, not a crash (issue 12, items 7, 9)."""

from __future__ import annotations

from bot.sandbox import UploadFile
from bot.sandbox.harness import Council, Harness

NAMES = {"RPH": 'Rådet for "psykisk helse", Oslo', "AD": 'Foreningen "Åpen dør"', "F12": "=1+2 Forening"}


async def test_the_bots_own_export_imports_back_unchanged(harness: Harness, council: Council):
    for short, name in NAMES.items():
        await harness.run(council.secretary, council, "org add", name=name, short=short)
    first = (await harness.run(council.secretary, council, "roster export")).attachments[0].data
    imported = await harness.run(council.secretary, council, "roster import", file=UploadFile("r.csv", first))
    assert "✅" in imported.content, imported.content
    second = (await harness.run(council.secretary, council, "roster export")).attachments[0].data
    assert second == first
    bot = harness.bot
    assert bot is not None
    rows = await bot.db.fetchall("SELECT short, name FROM organisations WHERE retired_at IS NULL")
    assert {row["short"]: row["name"] for row in rows} == NAMES


async def test_ids_that_are_not_discord_ids_are_reported_by_row(harness: Harness, council: Council):
    data = "short,name,representative_id,deputy_id\nLPP,LPP,99999999999999999999,\nRIO,RIO,,²²²²²²²²²²²²²²²²\n"
    refused = await harness.run(council.secretary, council, "roster import", file=UploadFile("r.csv", data.encode()))
    assert "Ingenting ble importert. 2 feil" in refused.content
    assert "Linje 2" in refused.content
    assert "Linje 3" in refused.content
    assert "gikk galt" not in refused.content.lower()
