"""Word primitives on python-docx: headings, lists with their own numbering, rich text and links.

When a ``[minutes] docx_template`` lacks a style, the writer falls back to plain paragraphs.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as WordParagraph

from bot.domain import richtext


def new_document(template: Path | None) -> WordDocument:
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


def has_style(word: WordDocument, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> bool:
    return any(style.name == name and style.type == kind for style in word.styles)


class Writer:
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
