"""Notes on agenda items as the secretary edits them: cleaning, and the parts of the edit form.

Discord's form fields hold at most 4,000 characters and a form has at most five fields. An item's
notes are shown as one text; when that text is longer than one field it is cut into parts at
paragraph boundaries (else line boundaries), one field each, and a spare field says where to
continue. Saving joins the parts again.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final

from bot.domain.text import split_message, squeeze_blank_lines
from bot.errors import InvalidInput

FIELD_MAX: Final = 4000
"""Discord's limit for one text input."""
FORM_FIELDS: Final = 5
"""Discord's limit of inputs on one form."""
SPARE_ROOM: Final = 1000
"""A spare field is offered when the last part has less room left than this."""


def clean_notes(text: str) -> str:
    """Drop control characters and trailing spaces; keep line breaks, blank lines and indentation.

    Indentation matters: a point indented under another is its sub-point.
    """
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n"):
        line = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C")
        body = " ".join(line.split())
        indent = len(line) - len(line.lstrip(" "))
        lines.append(" " * indent + body if body else "")
    return "\n".join(squeeze_blank_lines(lines))


def validate_notes(text: str, limit: int) -> str:
    """Cleaned notes, or ``InvalidInput`` when empty or longer than ``limit``."""
    cleaned = clean_notes(text)
    if not cleaned.strip():
        raise InvalidInput("minutes.text_empty")
    if len(cleaned) > limit:
        raise InvalidInput("minutes.text_too_long", limit=limit, length=len(cleaned))
    return cleaned


@dataclass(frozen=True, slots=True)
class FormPart:
    """One field of the edit form: its text and whether it is the spare field to continue in."""

    index: int
    text: str
    spare: bool = False


def form_parts(notes: list[str], field_max: int = FIELD_MAX) -> tuple[FormPart, ...]:
    """The notes of an item as the fields of the edit form.

    The notes are joined with blank lines and cut into parts of at most ``field_max`` characters.
    A spare empty field follows when there is room for one and the last part is nearly full.

    Raises:
        InvalidInput: the notes need more than the five fields a form can hold.
    """
    text = "\n\n".join(n.strip() for n in notes if n.strip())
    pieces = [p.strip("\n") for p in split_message(text, field_max)] if text else [""]
    pieces = [p for p in pieces if p.strip()] or [""]
    if len(pieces) > FORM_FIELDS:
        raise InvalidInput("minutes.edit_too_long", length=len(text), limit=FORM_FIELDS * field_max)
    parts = [FormPart(i, p) for i, p in enumerate(pieces)]
    if len(parts) < FORM_FIELDS and len(pieces[-1]) > field_max - SPARE_ROOM:
        parts.append(FormPart(len(parts), "", spare=True))
    return tuple(parts)


def join_parts(parts: list[str]) -> str:
    """The text of the submitted form: its non-empty parts, in order, separated by a blank line."""
    return "\n\n".join(p.strip("\n") for p in parts if p.strip())
