"""Text that members wrote, made safe for Discord and for the minutes; and message splitting.

* :func:`no_mentions` makes sure text can never ping anyone, even if it is later sent with mentions
  allowed: ``@everyone``, ``@here`` and ``<@id>``/``<@!id>``/``<@&id>`` get a zero-width space after
  the ``@``, so Discord shows them as plain text.
* :func:`md_escape` keeps Markdown a member typed from changing the document's structure: a status
  stays inside its paragraph (no headings, lists, quotes, code blocks or rules of its own).
* :func:`xml_safe` drops the characters Word (XML 1.0) cannot hold: C0 controls other than tab and
  line breaks, lone surrogates and the non-characters U+FFFE/U+FFFF. Every piece of text that reaches
  the ``.docx`` goes through it, so one odd character can never block the minutes.
* :func:`split_message` cuts long text into messages of at most 2,000 characters at paragraph
  boundaries, else line boundaries, else white space — never inside a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

DISCORD_LIMIT: Final = 2000
ZWSP: Final = "\u200b"

_MASS_MENTION = re.compile(r"@(everyone|here)\b", re.IGNORECASE)
_ID_MENTION = re.compile(r"<(@[!&]?|#)(\d+)>")
# Markdown that starts a block when it opens a line: headings, quotes, lists, code fences, rules, tables.
_BLOCK_START = re.compile(r"^(\s*)(#{1,6}\s|>|[-*+]\s|\d+[.)]\s|```|~~~|-{3,}|_{3,}|\*{3,}|\|)")
_INLINE = re.compile(r"([\\`*_~|])")
_BRACKET = re.compile(r"(?<!\\)([\[\]])")
_DIGITS = re.compile(r"\d+")
# Setext heading underlines (``===`` / ``---`` under a line) and Discord's ``-#`` subtext.
_UNDERLINE = re.compile(r"^(\s*)(=+|-+)\s*$")
_SUBTEXT = re.compile(r"^(\s*)(-#)")
# Raw HTML (a tag, comment or declaration); mentions (``<@…>``, ``<#…>``) are not tags.
_HTML = re.compile(r"<(?=[A-Za-z/!?])")
# Not allowed in XML 1.0 (python-docx refuses them): C0 controls except tab/LF/CR, surrogates, FFFE/FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML document (a ``.docx``) cannot contain."""
    return _NOT_XML.sub("", text)


def no_mentions(text: str) -> str:
    """Neutralise every mention in ``text`` (mass mentions, users, roles, channels)."""
    text = _MASS_MENTION.sub(lambda m: f"@{ZWSP}{m.group(1)}", text)
    return _ID_MENTION.sub(lambda m: f"<{m.group(1)[0]}{ZWSP}{m.group(1)[1:]}{m.group(2)}>", text)


def md_escape(text: str, *, inline: bool = False) -> str:
    r"""Escape the Markdown in member text so it cannot break the document around it.

    Block syntax at the start of a line is escaped (``\\#``, ``\\-``, ``\\>`` …); with
    ``inline=True`` emphasis, code and spoiler characters are escaped too. Blank lines inside the
    text are folded so a status stays one paragraph block; Norwegian letters are untouched.
    """
    lines = []
    text = xml_safe(text)
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _INLINE.sub(r"\\\1", raw) if inline else raw.replace("```", "\\`\\`\\`")
        # A masked link ("[text](url)") in member text stays text: the bracket is escaped.
        line = _BRACKET.sub(r"\\\1", line)
        line = _HTML.sub(r"\\<", line)
        match = _BLOCK_START.match(line) or _UNDERLINE.match(line) or _SUBTEXT.match(line)
        if match:
            indent, marker = match.group(1), match.group(2)
            digits = _DIGITS.match(marker)
            if digits:  # "1)" -> "1\)": a backslash before a digit is not an escape and would show
                marker = f"{marker[: digits.end()]}\\{marker[digits.end() :]}"
                line = f"{indent}{marker}{line[match.end() :]}"
            else:
                line = f"{indent}\\{marker}{line[match.end() :]}"
        lines.append(line.rstrip())
    return "\n".join(squeeze_blank_lines(lines))


def squeeze_blank_lines(lines: Iterable[str]) -> list[str]:
    """``lines`` with at most one blank line in a row and none at the start or the end."""
    kept: list[str] = []
    after_blank = True  # the start counts as a blank line, so leading blank lines go
    for line in lines:
        blank = not line or line.isspace()
        if blank and after_blank:
            continue
        kept.append(line)
        after_blank = blank
    if kept and after_blank:
        kept.pop()  # the one blank line left at the end
    return kept


def _cut_point(text: str, start: int, end: int) -> int:
    """The best place to end a part inside ``text[start:end]`` (an index > start), never mid-word."""
    window = text[start:end]
    # Prefer a paragraph boundary that does not leave a heading alone at the end of a part.
    index = window.rfind("\n\n")
    while index > 0:
        previous = window.rfind("\n\n", 0, index)
        block = window[previous + 2 if previous >= 0 else 0 : index].strip()
        if not block.startswith("#") or "\n" in block:
            return start + index + 2
        index = previous
    for separator in ("\n\n", "\n", " "):
        index = window.rfind(separator)
        if index > 0:
            return start + index + len(separator)
    for separator in ("\n", " "):  # a separator right at the start still beats cutting a word
        if window.startswith(separator):
            return start + len(separator)
    return end  # one "word" longer than the limit: the only case that is cut hard


def split_message(text: str, limit: int = DISCORD_LIMIT) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` characters, in order.

    ``"".join(parts) == text``: each part keeps the separators it was cut after, so callers may
    strip a part for sending. Cuts fall at a blank line when one fits, else at a line break, else at
    a space; only a single word longer than ``limit`` is cut inside.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    parts: list[str] = []
    start = 0
    while len(text) - start > limit:
        cut = _cut_point(text, start, start + limit)
        parts.append(text[start:cut])
        start = cut
    if start < len(text) or not parts:
        parts.append(text[start:])
    return [part for part in parts if part] or [""]


def messages_for_discord(text: str, limit: int = DISCORD_LIMIT) -> list[str]:
    """Parts ready to send: split, stripped, empty ones dropped."""
    return [part.strip() for part in split_message(text, limit) if part.strip()]
