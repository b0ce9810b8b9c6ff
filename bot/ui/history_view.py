"""``/org history`` as pages with previous/next buttons (registered by ``cogs.actions``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.ui.buttons import CouncilButton
from bot.ui.checks import guild_id_of
from bot.ui.text import memory as memory_text

if TYPE_CHECKING:
    from bot.runtime.client import CouncilBot


class HistoryPageButton(CouncilButton, template=r"council:orghistory:(?P<org_id>\d+):(?P<page>\d+)"):
    """Previous / next page of ``/org history`` (the history is read again; nothing is kept in memory)."""

    where = "history page button"

    def __init__(self, org_id: int, page: int, label: str = "›") -> None:
        super().__init__(label=label, custom_id=f"council:orghistory:{org_id}:{page}")
        self.org_id = org_id
        self.page = page

    async def run(self, interaction: discord.Interaction[CouncilBot]) -> None:
        """Show the page asked for in place of the current one."""
        content, view = await history_page(interaction, None, self.org_id, self.page)
        await interaction.response.edit_message(content=content, view=view)


async def history_page(
    interaction: discord.Interaction[CouncilBot], short: str | None, org_id: int | None, page: int
) -> tuple[str, discord.ui.View | None]:
    """One page of an organisation's history, with buttons to the neighbouring pages."""
    services = interaction.client.services
    found = await services.history.org_history(guild_id_of(interaction), short, org_id=org_id)
    pages = memory_text.history_pages(found)
    index = min(max(page, 1), len(pages))
    if len(pages) == 1:
        return pages[0], None
    view = discord.ui.View(timeout=None)
    if index > 1:
        view.add_item(HistoryPageButton(found.org.id, index - 1, "‹"))
    if index < len(pages):
        view.add_item(HistoryPageButton(found.org.id, index + 1, "›"))
    return pages[index - 1], view
