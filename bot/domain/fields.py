"""Text fields members type into commands and forms: one rule for cleaning them and for their limits.

A :class:`TextField` declares a field once — its limit, the message keys of its refusals, and
whether it keeps line breaks — and every validator of a name, a title, a note or a comment is that
declaration applied. The rule:

* the text is cleaned: a one-line field folds runs of white space (line breaks included) into one
  space and drops control characters (:func:`clean_text`); a multi-line field folds white space
  within each line and keeps at most one blank line in a row (:func:`clean_lines`);
* a required field refuses empty text (``empty`` key); an optional one reads it as "none";
* text longer than the limit is refused (``too_long`` key, with ``limit``; a multi-line field also
  says the ``length``, too long to count by eye).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.domain.text import squeeze_blank_lines
from bot.errors import InvalidInput


def clean_text(value: str) -> str:
    """Strip, fold runs of white space and drop control characters from a one-line value."""
    value = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C" or ch in "\t\n ")
    return " ".join(value.split())


def clean_lines(value: str) -> str:
    """Fold white space within each line, keep line breaks, and at most one blank line in a row."""
    return "\n".join(squeeze_blank_lines(" ".join(line.split()) for line in value.replace("\r", "\n").split("\n")))


@dataclass(frozen=True, slots=True)
class TextField:
    """One kind of text a member types, with its limit and the keys of its refusals.

    Attributes:
        limit: the most characters the cleaned text may have.
        too_long: the message key when it has more (parameters ``limit``, and ``length`` when multi-line).
        empty: the message key when a required field is left empty; ``None`` when empty is allowed.
        multiline: the text keeps its line breaks (a decision, a comment) instead of being one line.
    """

    limit: int
    too_long: str
    empty: str | None = None
    multiline: bool = False

    def clean(self, value: str) -> str:
        """The cleaned text (``""`` for an empty field that allows it), or ``InvalidInput``."""
        return self._checked(self._cleaned(value))

    def optional(self, value: str | None) -> str | None:
        """The cleaned text, or ``None`` when nothing was given (no value, or only white space)."""
        if value is None:
            return None
        cleaned = self._cleaned(value)
        return self._checked(cleaned) if cleaned else None

    def _cleaned(self, value: str) -> str:
        return clean_lines(value) if self.multiline else clean_text(value)

    def _checked(self, cleaned: str) -> str:
        if not cleaned and self.empty is not None:
            raise InvalidInput(self.empty)
        if len(cleaned) > self.limit:
            length = {"length": len(cleaned)} if self.multiline else {}
            raise InvalidInput(self.too_long, limit=self.limit, **length)
        return cleaned
