"""Assertions against the message catalogue instead of copied sentences.

``t("nb", key, **params)`` is the exact text when every parameter is known. When a test does not care
about some parameters (a date the test did not choose, a long agenda), :func:`is_message` checks that the
text *is* that catalogue message: its fixed parts in order, the known parameters filled in, any text for
the others. A changed sentence in the catalogue then changes the expectation with it, and a reply that is
a different message (or fallback text) fails.
"""

from __future__ import annotations

import re
from string import Formatter

from bot.i18n import LANGUAGES, Language, catalogue

__all__ = ["contains_message", "is_message", "is_unexpected_error", "message_pattern"]


def message_pattern(language: Language, key: str, /, **known: object) -> re.Pattern[str]:
    """The catalogue message ``key`` as a regular expression; unknown placeholders match any text."""
    parts: list[str] = []
    for literal, field, spec, conversion in Formatter().parse(catalogue(language)[key]):
        parts.append(re.escape(literal))
        if field is None:
            continue
        if field in known:
            value = format(known[field], spec or "") if not conversion else str(known[field])
            parts.append(re.escape(value))
        else:
            parts.append(".*?")
    return re.compile("".join(parts), re.DOTALL)


def is_message(text: str, key: str, /, language: Language = "nb", **known: object) -> bool:
    """Whether ``text`` is exactly the catalogue message ``key`` (known parameters as given)."""
    return message_pattern(language, key, **known).fullmatch(text) is not None


def contains_message(text: str, key: str, /, language: Language = "nb", **known: object) -> bool:
    """Whether the catalogue message ``key`` appears somewhere in ``text`` (a part of a longer reply)."""
    return message_pattern(language, key, **known).search(text) is not None


def is_unexpected_error(text: str) -> bool:
    """Whether ``text`` is the error handler's "something went wrong (reference …)" in any language."""
    return any(contains_message(text, "errors.unexpected", language) for language in LANGUAGES)
