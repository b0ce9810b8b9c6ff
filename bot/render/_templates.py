"""Markdown and Discord messages from the minutes templates.

One Jinja2 environment over ``templates/<language>/``, loaded through the package ``bot.templates``
(the folder ships inside the wheel), never through a path in the source tree. Autoescape is off because the output is
Markdown; member text goes through the explicit ``md`` filter (mentions neutralised, Markdown that
could break the structure escaped) — templates never print member text raw.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot.domain import richtext
from bot.domain.dates import When, format_date, format_datetime, format_when
from bot.domain.memory import ActionLine, ApprovalNote
from bot.domain.minutes import MinutesDocument
from bot.domain.text import md_escape, messages_for_discord, no_mentions
from bot.i18n import as_language, t
from bot.render._safe import xml_safe_document

TEMPLATES_PACKAGE: Final = "bot.templates"
"""The top-level ``templates/`` folder, shipped in the wheel as this package (see pyproject.toml)."""


def _md(value: object) -> str:
    """Member text inside a paragraph: no mentions, no structure-breaking Markdown."""
    return md_escape(no_mentions(str(value)))


def _md_line(value: object) -> str:
    """Member text on one line (a name, a title): also no emphasis and no line breaks."""
    return md_escape(no_mentions(" ".join(str(value).split())), inline=True)


def _notes_md(value: object) -> str:
    """The secretary's structured notes as Markdown (lists, sub-headings, links kept)."""
    return richtext.to_markdown(richtext.parse(str(value)))


def _notes_discord(value: object) -> str:
    """The secretary's structured notes as Discord Markdown (line breaks as typed)."""
    return richtext.to_markdown(richtext.parse(str(value)), line_break="\n")


@cache
def environment() -> Environment:
    """The shared Jinja2 environment."""
    env = Environment(
        loader=PackageLoader(TEMPLATES_PACKAGE, ""),
        undefined=StrictUndefined,
        autoescape=False,  # noqa: S701 - Markdown output; member text is escaped by the md filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md
    env.filters["md_line"] = _md_line
    env.filters["notes_md"] = _notes_md
    env.filters["notes_discord"] = _notes_discord
    env.filters["no_mentions"] = no_mentions
    return env


def render_template(language: str, name: str, **context: Any) -> str:
    """Render ``templates/<language>/<name>`` with ``context``."""
    return environment().get_template(f"{as_language(language)}/{name}").render(**context)


def action_line(line: ActionLine, language: str, tz: str, *, markdown: bool, followup: bool = False) -> str:
    """An action item in one line: number, what, owner and due date; for follow-ups also its state."""
    lang = as_language(language)
    text = _md(line.text) if markdown else line.text
    owner = line.owner or t(lang, "minutes.secretariat")
    owner = _md_line(owner) if markdown else owner
    parts = [t(lang, "minutes.action_owner", owner=owner)]
    if line.due is not None:
        parts.append(t(lang, "minutes.action_due", date=format_date(line.due, tz, lang)))
    result = f"#{line.number} {text} ({', '.join(parts)})"
    if not followup:
        return result
    if not line.done:
        return f"{result} – {t(lang, 'minutes.action_open')}"
    done = t(lang, "minutes.action_done", date=format_date(line.done_on, tz, lang)) if line.done_on else ""
    note = (_md(line.note) if markdown else line.note) if line.note else ""
    return f"{result} – {done}" + (f": {note}" if note else "")


def approval_line(note: ApprovalNote, language: str, tz: str) -> str:
    lang = as_language(language)
    key = "minutes.approval_done" if note.approved_on else "minutes.approval_pending"
    return t(lang, key, date=format_date(note.approves_meeting_start, tz, lang))


def context_of(doc: MinutesDocument) -> dict[str, Any]:
    doc = xml_safe_document(doc)
    lang = as_language(doc.language)
    return {
        "doc": doc,
        "fmt_date": lambda dt: format_date(dt, doc.tz, lang),
        "action_md": lambda line: action_line(line, lang, doc.tz, markdown=True),
        "followup_md": lambda line: action_line(line, lang, doc.tz, markdown=True, followup=True),
        "approval_text": lambda note: approval_line(note, lang, doc.tz),
        "when": format_when(When(doc.start, doc.end), doc.tz, lang),
        "signed_on": format_date(doc.signed_on, doc.tz, lang) if doc.signed_on else None,
        "addenda": [(format_date(a.added_on, doc.tz, lang), a.text) for a in doc.addenda],
        "fmt_datetime": lambda dt: format_datetime(dt, doc.tz, lang),
    }


def render_markdown(doc: MinutesDocument) -> str:
    """The complete minutes as a Markdown document."""
    return render_template(doc.language, "minutes.md.j2", **context_of(doc))


def render_discord(doc: MinutesDocument) -> list[str]:
    """The minutes as Discord messages: Discord Markdown, each at most 2,000 characters, in order."""
    return messages_for_discord(render_template(doc.language, "minutes.discord.j2", **context_of(doc)))
