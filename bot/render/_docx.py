"""The minutes laid out as a Word document: real headings, lists, numbered lists and the agenda as a table."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx.enum.style import WD_STYLE_TYPE

from bot.domain import richtext
from bot.domain.meetings import AgendaKind
from bot.domain.minutes import MinutesDocument
from bot.i18n import as_language, locale_of, t
from bot.render._safe import RenderError, unsafe_fields, xml_safe_document
from bot.render._templates import action_line, approval_line, context_of
from bot.render._word import Writer, has_style, new_document


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
    context = context_of(doc)

    def label(key: str, **params: Any) -> str:
        return t(lang, f"minutes.{key}", **params)

    word = new_document(template)
    writer = Writer(word)
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
    if has_style(word, "Table Grid", WD_STYLE_TYPE.TABLE):
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
            writer.bullet(action_line(line, lang, doc.tz, markdown=False, followup=True))

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
        if item.kind is AgendaKind.STATUS_ROUND and not item.statuses:
            word.add_paragraph(label("no_statuses"))
        if item.notes:
            writer.heading(label("notes"), 2)
            for note in item.notes:
                writer.blocks(richtext.parse(note))
        if item.approval is not None:
            word.add_paragraph(approval_line(item.approval, lang, doc.tz))
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
            writer.bullet(action_line(line, lang, doc.tz, markdown=False))

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
