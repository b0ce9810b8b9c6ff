"""Turning a :class:`~bot.domain.minutes.MinutesDocument` into Markdown, Discord messages and Word.

One Jinja2 environment over ``templates/<language>/``, loaded through the package ``bot.templates``
(the folder ships inside the wheel), never through a path in the source tree. Autoescape is off because the output is
Markdown; member text goes through the explicit ``md`` filter (mentions neutralised, Markdown that
could break the structure escaped) — templates never print member text raw.
"""

from __future__ import annotations

import dataclasses
import io
from functools import cache
from pathlib import Path
from typing import Any, Final

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as WordParagraph
from jinja2 import Environment, PackageLoader, StrictUndefined

from bot.domain import richtext
from bot.domain.dates import When, format_date, format_datetime, format_when
from bot.domain.memory import ActionLine, ApprovalNote
from bot.domain.minutes import MinutesDocument
from bot.domain.text import md_escape, messages_for_discord, no_mentions, xml_safe
from bot.errors import InvalidInput
from bot.i18n import as_language, locale_of, t

TEMPLATES_PACKAGE: Final = "bot.templates"
"""The top-level ``templates/`` folder, shipped in the wheel as this package (see pyproject.toml)."""


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
    doc = xml_safe_document(doc)
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


def render_docx(doc: MinutesDocument, template: Path | None = None) -> bytes:
    """The minutes as a Word document: real headings, lists, numbered lists and the agenda as a table.

    With ``template`` (``[minutes] docx_template``) the document is built on that file: its page
    setup, header, footer and styles are kept and only its body text is replaced. Every text field is
    made XML-safe first; should Word still refuse a piece of text, the error names the field it came
    from instead of failing the minutes anonymously.
    """
    try:
        return _render_docx(xml_safe_document(doc), template)
    except ValueError as exc:
        raise RenderError(unsafe_fields(doc)) from exc


def _render_docx(doc: MinutesDocument, template: Path | None) -> bytes:
    lang = as_language(doc.language)
    context = _context(doc)

    def label(key: str, **params: Any) -> str:
        return t(lang, f"minutes.{key}", **params)

    word = _new_document(template)
    writer = _Writer(word)
    word.core_properties.title = label("title", council=doc.council_name)
    word.core_properties.language = locale_of(lang).docx
    if doc.is_draft:
        banner = word.add_paragraph()
        banner.add_run(label("draft_banner", version=doc.draft_version or 1)).bold = True
    writer.heading(label("title", council=doc.council_name), 0)
    if doc.title and doc.title != doc.council_name:
        word.add_paragraph().add_run(doc.title).italic = True
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

    writer.heading(label("participants"), 1)
    for p in doc.participants:
        marks = [label("deputy_mark")] if p.is_deputy else []
        if p.is_substitute:
            marks.append(label("substitute_mark"))
        text = p.org_label + (f" – {p.person_name}" if p.person_name else "") + "".join(f" {m}" for m in marks)
        writer.bullet(text)
    if not doc.participants:
        word.add_paragraph(label("none"))
    if doc.guests:
        word.add_paragraph().add_run(label("guests") + ":").bold = True
        for guest in doc.guests:
            writer.bullet(guest.label)

    writer.heading(label("absences"), 1)
    for a in doc.absences:
        # Being listed here already says "forfall"; only a missing answer is worth saying.
        suffix = f" ({label('reason_no_answer')})" if a.reason.value == "no_answer" else ""
        writer.bullet(a.org_label + suffix)
    if not doc.absences:
        word.add_paragraph(label("none"))

    if doc.new_members:
        writer.heading(label("new_members"), 1)
        for m in doc.new_members:
            writer.bullet(f"{m.person_name} – {m.org_short} ({label('role_' + m.role)})")

    writer.heading(label("agenda"), 1)
    table = word.add_table(rows=1, cols=3)
    if _has_style(word, "Table Grid", WD_STYLE_TYPE.TABLE):
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
        writer.heading(label("followups"), 1)
        for line in doc.followups:
            writer.bullet(_action(line, lang, doc.tz, markdown=False, followup=True))

    for item in doc.agenda:
        heading = f"{item.number}. {item.title}" + (f" ({label('led_by')} {item.lead})" if item.lead else "")
        writer.heading(heading, 1)
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
            paragraph.add_run(" – " + status.text)  # member text: plain content, never structure
        if item.kind == "status_round" and not item.statuses:
            word.add_paragraph(label("no_statuses"))
        if item.notes:
            writer.heading(label("notes"), 2)
            for note in item.notes:
                writer.blocks(richtext.parse(note))
        if item.approval is not None:
            word.add_paragraph(_approval(item.approval, lang, doc.tz))
        if item.decisions:
            writer.heading(label("decision_mark"), 2)
            for decision in item.decisions:
                writer.bullet(decision)

    if doc.decisions:
        writer.heading(label("decisions"), 1)
        for d in doc.decisions:
            writer.bullet(f"{d.item_number}. {d.item_title}: {d.text}")
    if doc.actions:
        writer.heading(label("actions"), 1)
        for line in doc.actions:
            writer.bullet(_action(line, lang, doc.tz, markdown=False))

    writer.heading(label("next_meeting"), 1)
    if doc.next_meeting:
        for key, value in (("time", doc.next_meeting), ("place", doc.next_meeting_place)):
            if value:
                paragraph = word.add_paragraph()
                paragraph.add_run(label(key) + ": ").bold = True
                paragraph.add_run(value)
        if doc.next_meeting_note:
            word.add_paragraph(doc.next_meeting_note)
    else:
        word.add_paragraph(label("next_meeting_none"))
    if context["signed_on"] or doc.secretary_name:
        word.add_paragraph("\n".join(x for x in (context["signed_on"], doc.secretary_name) if x))
    if doc.addenda:
        writer.heading(label("addenda"), 1)
        for added_on, text in context["addenda"]:
            paragraph = writer.bullet("")
            paragraph.add_run(f"{added_on}: ").bold = True
            paragraph.add_run(text)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _new_document(template: Path | None) -> WordDocument:
    """A blank document, or the template with its body emptied (section, header and footer kept)."""
    if template is None:
        word = Document()
        style = word.styles["Normal"]
        style.font.name = "Calibri"
        style.font.size = Pt(11)
        return word
    word = Document(str(template))
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # the last section's page setup, header and footer stay
            body.remove(child)
    return word


def _has_style(word: WordDocument, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> bool:
    return any(style.name == name and style.type == kind for style in word.styles)


class _Writer:
    """Adds headings, lists and rich text to a document, falling back when a template lacks a style."""

    def __init__(self, word: WordDocument) -> None:
        self.word = word
        self.styles = {s.name for s in word.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}

    def heading(self, text: str, level: int) -> WordParagraph:
        name = "Title" if level == 0 else f"Heading {level}"
        if name in self.styles:
            return self.word.add_paragraph(text, style=name)
        paragraph = self.word.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(20 if level == 0 else 16 - 2 * level)
        return paragraph

    def bullet(self, text: str, level: int = 0) -> WordParagraph:
        return self._list_paragraph("List Bullet", level, None, text)

    def _list_paragraph(self, base: str, level: int, marker: str | None, text: str = "") -> WordParagraph:
        name = base if level == 0 else f"{base} {level + 1}"
        if name in self.styles:
            return self.word.add_paragraph(text, style=name)
        if base in self.styles:
            return self.word.add_paragraph(text, style=base)
        # No list style in the template: a plain paragraph with the marker typed out.
        return self.word.add_paragraph(("    " * level) + (marker or "•") + " " + text)

    def blocks(self, blocks: tuple[richtext.Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, richtext.Heading):
                paragraph = (
                    self.word.add_paragraph(style="Heading 3")
                    if "Heading 3" in self.styles
                    else self.word.add_paragraph()
                )
                self.runs(paragraph, block.runs, bold="Heading 3" not in self.styles)
            elif isinstance(block, richtext.Paragraph):
                paragraph = self.word.add_paragraph()
                for index, line in enumerate(block.lines):
                    if index:
                        paragraph.add_run().add_break()
                    self.runs(paragraph, line)
            else:
                self.list_block(block, 0)

    def list_block(self, block: richtext.ListBlock, level: int) -> None:
        base = "List Number" if block.ordered else "List Bullet"
        numbering = self._restart(base, level, block.start) if block.ordered else None
        for offset, item in enumerate(block.items):
            marker = f"{block.start + offset}." if block.ordered else "•"
            paragraph = self._list_paragraph(base, level, marker)
            if numbering is not None:
                num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = numbering[1]
                num_pr.get_or_add_numId().val = numbering[0]
            self.runs(paragraph, item.runs)
            for child in item.children:
                self.list_block(child, min(level + 1, 2))

    def _restart(self, base: str, level: int, start: int) -> tuple[int, int] | None:
        """A fresh numbering instance for one list, so each numbered list starts at its own first number.

        Word numbers every "List Number" paragraph of a document as one list unless a paragraph
        points at its own numbering instance (``w:num``) with a start override.
        """
        name = base if level == 0 else f"{base} {level + 1}"
        if name not in self.styles:
            return None
        style = self.word.styles[name]
        p_pr = style.element.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is None or num_pr.numId is None:
            return None
        try:
            numbering = self.word.part.numbering_part.element
            abstract_id = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
        except (KeyError, AttributeError, NotImplementedError):
            return None
        num = numbering.add_num(abstract_id)
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        num.add_lvlOverride(ilvl=ilvl).add_startOverride(start)
        return int(num.numId), int(ilvl)

    def runs(self, paragraph: WordParagraph, runs: richtext.Runs, *, bold: bool = False) -> None:
        for run in runs:
            if run.kind == "link" and run.url:
                _hyperlink(paragraph, run.text, run.url)
                continue
            added = paragraph.add_run(run.text)
            added.bold = bold or run.kind == "bold" or None
            added.italic = run.kind == "italic" or None


def _hyperlink(paragraph: WordParagraph, text: str, url: str) -> None:
    """A real, clickable link (python-docx has no API for adding one)."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(color)
    props.append(underline)
    run.append(props)
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)
