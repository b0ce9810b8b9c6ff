"""Turning a :class:`~bot.domain.minutes.MinutesDocument` into Markdown, Discord messages and Word.

One Jinja2 environment over ``templates/<language>/``. Autoescape is off because the output is
Markdown; member text goes through the explicit ``md`` filter (mentions neutralised, Markdown that
could break the structure escaped) — templates never print member text raw.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any, Final

from docx import Document
from docx.shared import Pt
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.domain.dates import When, format_date, format_datetime, format_when
from bot.domain.memory import ActionLine, ApprovalNote
from bot.domain.minutes import MinutesDocument
from bot.domain.text import md_escape, messages_for_discord, no_mentions
from bot.i18n import as_language, t

TEMPLATES_DIR: Final = Path(__file__).resolve().parent.parent / "templates"


def _md(value: object) -> str:
    """Member text inside a paragraph: no mentions, no structure-breaking Markdown."""
    return md_escape(no_mentions(str(value)))


def _md_line(value: object) -> str:
    """Member text on one line (a name, a title): also no emphasis and no line breaks."""
    return md_escape(no_mentions(" ".join(str(value).split())), inline=True)


@cache
def environment() -> Environment:
    """The shared Jinja2 environment."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        undefined=StrictUndefined,
        autoescape=False,  # noqa: S701 - Markdown output; member text is escaped by the md filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md
    env.filters["md_line"] = _md_line
    env.filters["no_mentions"] = no_mentions
    return env


def render_template(language: str, name: str, **context: Any) -> str:
    """Render ``templates/<language>/<name>`` with ``context``."""
    return environment().get_template(f"{as_language(language)}/{name}").render(**context)


def _action(line: ActionLine, language: str, tz: str, *, markdown: bool, followup: bool = False) -> str:
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


def _approval(note: ApprovalNote, language: str, tz: str) -> str:
    lang = as_language(language)
    key = "minutes.approval_done" if note.approved_on else "minutes.approval_pending"
    return t(lang, key, date=format_date(note.approves_meeting_start, tz, lang))


def _context(doc: MinutesDocument) -> dict[str, Any]:
    lang = as_language(doc.language)
    return {
        "doc": doc,
        "fmt_date": lambda dt: format_date(dt, doc.tz, lang),
        "action_md": lambda line: _action(line, lang, doc.tz, markdown=True),
        "followup_md": lambda line: _action(line, lang, doc.tz, markdown=True, followup=True),
        "approval_text": lambda note: _approval(note, lang, doc.tz),
        "when": format_when(When(doc.start, doc.end), doc.tz, lang),
        "signed_on": format_date(doc.signed_on, doc.tz, lang) if doc.signed_on else None,
        "addenda": [(format_date(a.added_on, doc.tz, lang), a.text) for a in doc.addenda],
        "fmt_datetime": lambda dt: format_datetime(dt, doc.tz, lang),
    }


def render_markdown(doc: MinutesDocument) -> str:
    """The complete minutes as a Markdown document."""
    return render_template(doc.language, "minutes.md.j2", **_context(doc))


def render_discord(doc: MinutesDocument) -> list[str]:
    """The minutes as Discord messages: Discord Markdown, each at most 2,000 characters, in order."""
    return messages_for_discord(render_template(doc.language, "minutes.discord.j2", **_context(doc)))


def render_docx(doc: MinutesDocument) -> bytes:
    """The minutes as a Word document with real headings, bullet lists and the agenda as a table."""
    lang = as_language(doc.language)
    context = _context(doc)

    def label(key: str, **params: Any) -> str:
        return t(lang, f"minutes.{key}", **params)

    word = Document()
    word.core_properties.title = label("title", council=doc.council_name)
    word.core_properties.language = "nb-NO" if lang == "nb" else "en-GB"
    style = word.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    if doc.is_draft:
        banner = word.add_paragraph()
        banner.add_run(label("draft_banner", version=doc.draft_version or 1)).bold = True
    word.add_heading(label("title", council=doc.council_name), level=0)
    if doc.title and doc.title != doc.council_name:
        word.add_paragraph(doc.title).runs[0].italic = True
    for key, value in (
        ("time", context["when"]),
        ("place", doc.place or label("place_none")),
        ("convened_by", doc.convened_by),
    ):
        paragraph = word.add_paragraph()
        paragraph.add_run(label(key) + ": ").bold = True
        paragraph.add_run(value)
    if doc.approved_on:
        word.add_paragraph().add_run(label("approved_on", date=context["fmt_date"](doc.approved_on))).bold = True
    if doc.circulated_on:
        word.add_paragraph(label("circulated_on", date=context["fmt_date"](doc.circulated_on))).runs[0].italic = True

    word.add_heading(label("participants"), level=1)
    for p in doc.participants:
        text = (
            p.org_label
            + (f" – {p.person_name}" if p.person_name else "")
            + (f" {label('deputy_mark')}" if p.is_deputy else "")
        )
        word.add_paragraph(text, style="List Bullet")
    if not doc.participants:
        word.add_paragraph(label("none"))

    word.add_heading(label("absences"), level=1)
    for a in doc.absences:
        word.add_paragraph(f"{a.org_label} ({label('reason_' + a.reason.value)})", style="List Bullet")
    if not doc.absences:
        word.add_paragraph(label("none"))

    if doc.new_members:
        word.add_heading(label("new_members"), level=1)
        for m in doc.new_members:
            word.add_paragraph(f"{m.person_name} – {m.org_short} ({label('role_' + m.role)})", style="List Bullet")

    word.add_heading(label("agenda"), level=1)
    table = word.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, (label("col_number"), label("col_topic"), label("col_lead")), strict=True
    ):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for item in doc.agenda:
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = str(item.number), item.title, item.lead or ""

    if doc.followups:
        word.add_heading(label("followups"), level=1)
        for line in doc.followups:
            word.add_paragraph(_action(line, lang, doc.tz, markdown=False, followup=True), style="List Bullet")

    for item in doc.agenda:
        heading = f"{item.number}. {item.title}" + (f" ({label('led_by')} {item.lead})" if item.lead else "")
        word.add_heading(heading, level=1)
        if item.details:
            word.add_paragraph().add_run(item.details).italic = True
        for status in item.statuses:
            paragraph = word.add_paragraph()
            paragraph.add_run(status.org_short).bold = True
            extra = []
            if status.written:
                extra.append(label("written"))
            if status.source:
                extra.append(status.source)
            if extra:
                paragraph.add_run(f" ({', '.join(extra)})").italic = True
            paragraph.add_run(" – " + status.text)
        if item.kind == "status_round" and not item.statuses:
            word.add_paragraph(label("no_statuses"))
        if item.notes:
            word.add_heading(label("notes"), level=2)
            for note in item.notes:
                word.add_paragraph(note, style="List Bullet")
        if item.approval is not None:
            word.add_paragraph(_approval(item.approval, lang, doc.tz))
        if item.decisions:
            word.add_heading(label("decision_mark"), level=2)
            for decision in item.decisions:
                word.add_paragraph(decision, style="List Bullet")

    if doc.decisions:
        word.add_heading(label("decisions"), level=1)
        for d in doc.decisions:
            word.add_paragraph(f"{d.item_number}. {d.item_title}: {d.text}", style="List Bullet")
    if doc.actions:
        word.add_heading(label("actions"), level=1)
        for line in doc.actions:
            word.add_paragraph(_action(line, lang, doc.tz, markdown=False), style="List Bullet")

    word.add_heading(label("next_meeting"), level=1)
    word.add_paragraph(doc.next_meeting or label("next_meeting_none"))
    if context["signed_on"] or doc.secretary_name:
        word.add_paragraph("\n".join(x for x in (context["signed_on"], doc.secretary_name) if x))
    if doc.addenda:
        word.add_heading(label("addenda"), level=1)
        for added_on, text in context["addenda"]:
            paragraph = word.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{added_on}: ").bold = True
            paragraph.add_run(text)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
