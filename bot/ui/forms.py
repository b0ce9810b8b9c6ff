"""Submitted forms handled by their custom id, so no submit is lost.

discord.py keeps an open form (``Modal``) in memory under its custom id only: a form open while the
bot restarts is dropped when submitted, and two people with a form of the same custom id collide.
council-bot's forms therefore carry everything needed in a custom id unique per opener, and their
submits are read from the raw interaction (:func:`form_values`) by a listener, before and after a
restart alike.
"""

from __future__ import annotations

from typing import Any

import discord


def form_values(interaction: discord.Interaction[Any]) -> dict[str, str]:
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


def submitted_form_id(interaction: discord.Interaction[Any]) -> str | None:
    """The custom id of a submitted form, or ``None`` for any other interaction."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return None
    data: Any = interaction.data or {}
    custom_id = data.get("custom_id")
    return custom_id if isinstance(custom_id, str) else None
