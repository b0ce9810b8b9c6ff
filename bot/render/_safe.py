"""Text Word cannot take: made XML-safe field by field, and named when it still fails."""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.domain.minutes import MinutesDocument
from bot.domain.text import xml_safe
from bot.errors import InvalidInput


class RenderError(InvalidInput):
    """Word could not take a piece of text; ``fields`` names where it came from (e.g. a status of LPP)."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__("minutes.render_failed", fields=", ".join(fields[:5]) or "?")
        self.fields = fields


def _walk(value: Any, path: str, clean: bool, found: list[str]) -> Any:
    """``value`` with every string made XML-safe (``clean``), noting the paths of strings that were not."""
    if type(value) is str:  # enums (StrEnum) are codes, not text
        safe = xml_safe(value)
        if safe != value:
            found.append(path)
        return safe if clean else value
    if isinstance(value, tuple | list):
        items = [_walk(v, f"{path}[{i}]", clean, found) for i, v in enumerate(value)]
        if not clean:
            return value
        return tuple(items) if isinstance(value, tuple) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        label = getattr(value, "org_short", None) or getattr(value, "title", None)
        here = f"{path} ({label})" if label and not isinstance(value, MinutesDocument) else path
        changes = {
            f.name: _walk(getattr(value, f.name), f"{here}.{f.name}", clean, found) for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes) if clean else value
    return value


def xml_safe_document(doc: MinutesDocument) -> MinutesDocument:
    """The document with every text field (statuses, notes, names, titles, places, addenda…) XML-safe."""
    cleaned: MinutesDocument = _walk(doc, "minutes", True, [])
    return cleaned


def unsafe_fields(doc: MinutesDocument) -> list[str]:
    """Where the document holds text Word cannot take, e.g. ``minutes.agenda[0].statuses[1].text (LPP)``."""
    found: list[str] = []
    _walk(doc, "minutes", False, found)
    return found
