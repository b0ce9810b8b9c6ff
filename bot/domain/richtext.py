"""The secretary's structured text: paragraphs, numbered and bulleted lists, sub-headings and links.

Notes on agenda items are written by the secretary the way minutes are written in Word: numbered
points ("1) Opplæringsprogram …" or "1. …"), bullets ("- …", "* …", "• …"), sub-points indented
under a point, sub-headings ("## Ansatte i tjenesten") and links (a bare ``https://`` address or
``[text](https://…)``), plus ``**bold**`` and ``*italic*``. :func:`parse` turns such text into
blocks; :func:`to_markdown` writes them as Markdown for the ``.md`` file and for Discord (``1)``
becomes ``1.``, which both understand, and the first number is kept), and ``bot.render`` writes the
same blocks as real Word lists. Mentions are neutralised in every run of text.

Member-written text (statuses) never goes through here: it stays plain content (see
:func:`bot.domain.text.md_escape`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final, Literal

from bot.domain.text import no_mentions

RunKind = Literal["text", "bold", "italic", "link"]


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of inline text: plain, bold, italic, or a link to ``url``."""

    text: str
    kind: RunKind = "text"
    url: str | None = None


Runs = tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph; each line break the secretary typed inside it is kept."""

    lines: tuple[Runs, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """A sub-heading inside an item's notes."""

    runs: Runs


@dataclass(frozen=True, slots=True)
class ListItem:
    """One point of a list, with its sub-points."""

    runs: Runs
    children: tuple[ListBlock, ...] = ()


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A numbered (``ordered``, starting at ``start``) or bulleted list."""

    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1


Block = Paragraph | Heading | ListBlock

_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_ORDERED = re.compile(r"^(?P<indent> *)(?P<number>\d{1,4})[.)]\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^(?P<indent> *)[-*•]\s+(?P<text>\S.*)$")
_SUB_INDENT: Final = 2
_URL = r"https?://[^\s<>()\[\]]+(?:\([^\s<>()]*\)[^\s<>()\[\]]*)*"
_INLINE = re.compile(
    r"\[(?P<label>[^\]\n]+)\]\((?P<target>https?://[^\s)]+)\)"
    r"|<(?P<angled>https?://[^\s>]+)>"
    r"|(?P<url>" + _URL + r")"
    r"|\*\*(?P<bold>[^*\n]+?)\*\*"
    r"|(?<![\w*])\*(?P<star>[^*\s](?:[^*\n]*[^*\s])?)\*(?![\w*])"
    r"|(?<![\w_])_(?P<under>[^_\s](?:[^_\n]*[^_\s])?)_(?![\w_])"
)
_TRAILING_PUNCTUATION = ".,;:!?'\""


def parse_inline(text: str) -> Runs:
    """Split one line of text into plain, bold, italic and link runs (mentions neutralised)."""
    runs: list[Run] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            runs.append(Run(no_mentions(text[position : match.start()])))
        if match["label"] is not None:
            runs.append(Run(no_mentions(match["label"]), "link", match["target"]))
        elif match["angled"] is not None:
            runs.append(Run(match["angled"], "link", match["angled"]))
        elif match["url"] is not None:
            url = match["url"]
            trimmed = url.rstrip(_TRAILING_PUNCTUATION)
            runs.append(Run(trimmed, "link", trimmed))
            if trimmed != url:
                runs.append(Run(url[len(trimmed) :]))
        elif match["bold"] is not None:
            runs.append(Run(no_mentions(match["bold"]), "bold"))
        else:
            runs.append(Run(no_mentions(match["star"] or match["under"] or ""), "italic"))
        position = match.end()
    if position < len(text):
        runs.append(Run(no_mentions(text[position:])))
    return _merge(runs)


def _merge(runs: list[Run]) -> Runs:
    merged: list[Run] = []
    for run in runs:
        if merged and run.kind == "text" and merged[-1].kind == "text":
            merged[-1] = Run(merged[-1].text + run.text)
        elif run.text:
            merged.append(run)
    return tuple(merged)


# -- parsing blocks --------------------------------------------------------------------------------


@dataclass
class _Item:
    text: str
    children: list[_List] = field(default_factory=list)


@dataclass
class _List:
    ordered: bool
    start: int
    items: list[_Item] = field(default_factory=list)


def parse(text: str) -> tuple[Block, ...]:
    """Read the secretary's text into blocks.

    A blank line ends a paragraph. A line that starts with ``1)``, ``1.``, ``-``, ``*`` or ``•``
    (then a space) is a list point; indented by two or more spaces it is a sub-point of the point
    above. Lines that follow a point without a blank line continue it (text pasted from a PDF or
    Word wraps like that). Points of the same kind separated by blank lines stay one list.
    """
    blocks: list[Block | _List] = []
    paragraph: list[str] = []
    current: _List | None = None
    after_blank = False

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append(Paragraph(tuple(parse_inline(line) for line in paragraph)))
            paragraph.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n"):
        line = raw.rstrip()
        if not line.strip():
            flush_paragraph()
            after_blank = True
            continue
        heading = _HEADING.match(line)
        marker = _ORDERED.match(line) or _BULLET.match(line)
        if heading:
            flush_paragraph()
            current = None
            blocks.append(Heading(parse_inline(heading["text"])))
        elif marker:
            flush_paragraph()
            ordered = "number" in marker.groupdict()
            number = int(marker["number"]) if ordered else 1
            nested = len(marker["indent"]) >= _SUB_INDENT and current is not None and bool(current.items)
            if nested and current is not None:
                parent = current.items[-1]
                if parent.children and parent.children[-1].ordered == ordered:
                    parent.children[-1].items.append(_Item(marker["text"].strip()))
                else:
                    parent.children.append(_List(ordered, number, [_Item(marker["text"].strip())]))
            elif current is not None and current.ordered == ordered:
                current.items.append(_Item(marker["text"].strip()))
            else:
                current = _List(ordered, number, [_Item(marker["text"].strip())])
                blocks.append(current)
        elif current is not None and (not after_blank or raw.startswith(" " * _SUB_INDENT)):
            last = current.items[-1]
            while last.children:
                last = last.children[-1].items[-1]
            last.text = f"{last.text} {line.strip()}"
        else:
            current = None
            paragraph.append(line.strip())
        after_blank = False
    flush_paragraph()
    return tuple(_freeze(b) if isinstance(b, _List) else b for b in blocks)


def _freeze(block: _List) -> ListBlock:
    return ListBlock(
        block.ordered,
        tuple(ListItem(parse_inline(i.text), tuple(_freeze(c) for c in i.children)) for i in block.items),
        block.start,
    )


# -- Markdown ----------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_~|\[\]<>])")
_LINE_START = re.compile(r"^(#{1,6}\s|>|[-+*]\s|=+\s*$|-{3,}|\d+[.)]\s)")


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_runs(runs: Runs) -> str:
    out: list[str] = []
    for run in runs:
        if run.kind == "link" and run.url:
            out.append(f"<{run.url}>" if run.text == run.url else f"[{_md_text(run.text)}]({run.url})")
        elif run.kind == "bold":
            out.append(f"**{_md_text(run.text)}**")
        elif run.kind == "italic":
            out.append(f"*{_md_text(run.text)}*")
        else:
            out.append(_md_text(run.text))
    return "".join(out)


def _guard_start(line: str) -> str:
    r"""A paragraph line that would start a Markdown block gets its marker escaped (``1\)``, ``\>``)."""
    match = _LINE_START.match(line)
    if not match:
        return line
    marker = match.group(1)
    digits = re.match(r"\d+", marker)
    if digits:  # escape the punctuation after the number: "\1)" would show the backslash
        end = digits.end()
        return f"{line[:end]}\\{line[end:]}"
    return f"\\{line}"


def _md_list(block: ListBlock, indent: str, lines: list[str]) -> None:
    for offset, item in enumerate(block.items):
        marker = f"{block.start + offset}. " if block.ordered else "- "
        lines.append(f"{indent}{marker}{_md_runs(item.runs)}")
        for child in item.children:
            _md_list(child, indent + " " * len(marker), lines)


def to_markdown(blocks: tuple[Block, ...], *, line_break: str = "  \n", heading: str = "###") -> str:
    r"""The blocks as Markdown: blank lines between blocks, tight lists, ``1.`` numbering.

    ``line_break`` joins the lines of a paragraph (``"  \\n"`` for Markdown files, ``"\\n"`` for
    Discord, which keeps line breaks as typed).
    """
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"{heading} {_md_runs(block.runs)}")
        elif isinstance(block, Paragraph):
            parts.append(line_break.join(_guard_start(_md_runs(line)) for line in block.lines))
        else:
            lines: list[str] = []
            _md_list(block, "", lines)
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


def plain(runs: Runs) -> str:
    """The text of runs without any formatting (for Word runs and tests)."""
    return "".join(run.text for run in runs)
