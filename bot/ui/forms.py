"""Submitted forms handled by their custom id, so no submit is lost.

discord.py keeps an open form (``Modal``) in memory under its custom id only: a form open while the
bot restarts is dropped when submitted, and two people with a form of the same custom id collide.
council-bot's forms therefore carry everything needed in a custom id unique per opener, and their
submits are read from the raw interaction (:func:`form_values`) by a listener, before and after a
restart alike. A :class:`FormRoute` ties a custom-id pattern to its handler and to the one error path;
a form itself is a :class:`CouncilForm` of paragraph fields.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

import discord

from bot.ui.errors import report_error

if TYPE_CHECKING:
    from bot.runtime.client import CouncilBot


FORM_TIMEOUT: Final = 3600.0
"""Seconds discord.py keeps an open form in memory; its submit is handled by custom id in any case."""
TITLE_MAX: Final = 45
"""Discord's limit on a form's title and on a field's label."""
PLACEHOLDER_MAX: Final = 100
"""Discord's limit on a field's placeholder."""


class CouncilForm(discord.ui.Modal):
    """A form of paragraph fields, answered by the :class:`FormRoute` of its custom id, not by this object.

    Its texts come from the catalogues, so the title, labels and placeholder are cut to what Discord accepts.

    Args:
        title: the form's title.
        custom_id: names the form and its opener (``council:…``), for its :class:`FormRoute`.
        placeholder: the hint shown in each field while it is empty, if any.
    """

    def __init__(self, *, title: str, custom_id: str, placeholder: str | None = None) -> None:
        super().__init__(title=title[:TITLE_MAX], custom_id=custom_id, timeout=FORM_TIMEOUT)
        self.placeholder = None if placeholder is None else placeholder[:PLACEHOLDER_MAX]

    def add_paragraph(
        self, custom_id: str, label: str, max_length: int, *, required: bool, default: str | None = None
    ) -> None:
        """Add a multi-line text field, pre-filled with ``default``."""
        field: discord.ui.TextInput[CouncilForm] = discord.ui.TextInput(
            label=label[:TITLE_MAX],
            custom_id=custom_id,
            style=discord.TextStyle.paragraph,
            placeholder=self.placeholder,
            default=default,
            max_length=max_length,
            required=required,
        )
        self.add_item(field)


def form_values(interaction: discord.Interaction[CouncilBot]) -> dict[str, str]:
    """The text fields of a submitted form by custom id (action rows and labels both understood)."""
    data: Any = interaction.data or {}
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if isinstance(node.get("custom_id"), str) and isinstance(node.get("value"), str):
                found[node["custom_id"]] = node["value"]
            walk(node.get("components"))
            walk(node.get("component"))

    walk(data.get("components"))
    return found


def submitted_form_id(interaction: discord.Interaction[CouncilBot]) -> str | None:
    """The custom id of a submitted form, or ``None`` for any other interaction."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return None
    data: Any = interaction.data or {}
    custom_id = data.get("custom_id")
    return custom_id if isinstance(custom_id, str) else None


FormHandler = Callable[["discord.Interaction[CouncilBot]", re.Match[str], Mapping[str, str]], Awaitable[None]]
"""Handles one submitted form: the interaction, the match of its custom id, its text fields by custom id."""


class FormRoute:
    """One kind of submitted form: the pattern of its custom ids and what to do with it."""

    def __init__(self, pattern: str, handler: FormHandler, *, where: str) -> None:
        self.pattern = re.compile(pattern)
        self.handler = handler
        self.where = where

    async def dispatch(self, interaction: discord.Interaction[CouncilBot]) -> bool:
        """Handle ``interaction`` if it submits a form of this kind; any error takes the one error path."""
        match = self.pattern.fullmatch(submitted_form_id(interaction) or "")
        if match is None:
            return False
        try:
            await self.handler(interaction, match, form_values(interaction))
        except Exception as exc:  # the one error path, for forms too
            await report_error(interaction, exc, where=self.where)
        return True


def form_route(pattern: str, *, where: str) -> Callable[[FormHandler], FormRoute]:
    """Decorator: route submitted forms whose custom id matches ``pattern`` to the decorated handler."""

    def wrap(handler: FormHandler) -> FormRoute:
        return FormRoute(pattern, handler, where=where)

    return wrap
