"""Turning a :class:`~bot.domain.minutes.MinutesDocument` into Markdown, Discord messages and Word.

The parts: ``_safe`` makes every text field XML-safe and names the fields that were not; ``_templates``
holds the one Jinja2 environment and renders Markdown and Discord messages; ``_docx`` lays the minutes
out as a Word document with the primitives of ``_word`` (headings, lists, links, a template's styles).
Render reads domain objects only: it never imports services, storage or discord.
"""

from bot.render._docx import render_docx
from bot.render._safe import RenderError, unsafe_fields, xml_safe_document
from bot.render._templates import TEMPLATES_PACKAGE, environment, render_discord, render_markdown, render_template

__all__ = [
    "TEMPLATES_PACKAGE",
    "RenderError",
    "environment",
    "render_discord",
    "render_docx",
    "render_markdown",
    "render_template",
    "unsafe_fields",
    "xml_safe_document",
]
