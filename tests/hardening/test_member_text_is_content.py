"""Member text is content, not markup, and no message echoes a raw mention (issue 12, items 11 and 12)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.sandbox.harness import Council, Harness

RAW_MENTION = re.compile(r"@everyone|@here|<@&?!?\d+>")
MASKED_LINK = re.compile(r"(?<!\\)\]\(https://")
RAW_HTML = re.compile(r"(?<!\\)<(b|img|/b)\b")
LINK = "[Les det godkjente referatet her](https://phish.example/referat)"
STATUS = f"{LINK}\n<b>fet</b> <img src=x>\nOverskrift\n===\n-# liten tekst"


def bot_texts(harness: Harness) -> list[str]:
    """Everything the bot posted: channel messages, DMs (incl. copies) and interaction replies."""
    return [m.content for messages in harness.server.messages.values() for m in messages if m.author.bot]


async def test_member_markup_and_mentions_never_shape_or_ping(harness: Harness, council: Council, clock):
    rep = await harness.person(council, "Åse")
    await harness.run(council.secretary, council, "org add", name="Landsforeningen", short="LPP")
    await harness.run(council.secretary, council, "member assign", org="LPP", role="representative", user=rep)
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    await harness.run(council.secretary, council, "agenda add", title="@everyone <@&42> Nytt", lead="<@&42>")
    await harness.run(council.secretary, council, "meeting open")
    await harness.run(council.secretary, council, "status submit", org="LPP", text=STATUS)
    clock.set(datetime(2026, 12, 2, 12, 30, tzinfo=UTC))
    noted = await harness.run(council.secretary, council, "minutes note", item=2, text="@everyone <@&42> ble enige")
    assert "✅" in noted.content or "lagt" in noted.content.lower()
    replies = [noted.content]
    replies.append((await harness.run(council.secretary, council, "minutes publish")).content)
    amended = await harness.run(
        council.secretary, council, "minutes amend", text="@everyone <@&42> [se](https://x.example)"
    )
    replies.append(amended.content)
    await harness.outbox_drained()

    for text in [*replies, *bot_texts(harness)]:
        assert not RAW_MENTION.search(text), text
        assert not MASKED_LINK.search(text), text  # a masked link would hide where it leads
        assert not RAW_HTML.search(text), text
        assert "\n===" not in text
        assert "\n-# " not in text
    posted = "\n".join(m.content for m in harness.server.messages_in(council.minutes_channel))
    assert "https://phish.example/referat" in posted  # the URL itself is shown
    copies = [m for m in harness.server.dms_to(rep) if m.attachments]
    assert copies
    markdown = (
        (await harness.run(council.secretary, council, "minutes export", format="md")).attachments[0].data.decode()
    )
    assert not MASKED_LINK.search(markdown)
    assert not RAW_HTML.search(markdown)
    assert "\n===" not in markdown
    assert "https://phish.example/referat" in markdown
