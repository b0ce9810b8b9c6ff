"""Replies of the status feature, as Discord Markdown (pure functions of the service's results).

Text a member wrote is always shown inside a quote block, with its mentions neutralised and its
Markdown kept from breaking out of the quote.
"""

from __future__ import annotations

from typing import Final

from bot.domain.dates import format_short
from bot.domain.roster import Council
from bot.domain.status import Author, DraftAction, StatusVersion
from bot.domain.text import ZWSP, md_escape, no_mentions
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Language, t
from bot.services.status import DmRefusal, DraftPreview, ResolveResult, ShowResult, WriteResult

CURRENT_PREVIEW_MAX: Final = 600
"""How much of the stored status a DM preview repeats; the member's own new text is shown in full."""
QUOTE_LINE_MAX: Final = 1900
"""Quoted lines are wrapped below Discord's 2,000 characters, so a long reply is split between lines
and every part keeps its ``> `` (a cut inside a line would drop the rest out of the quote)."""


def quote(text: str, *, limit: int | None = None, language: Language = DEFAULT_LANGUAGE) -> str:
    """Member text as a Discord quote block, safe: no pings, no Markdown escaping the quote."""
    if limit is not None and len(text) > limit:
        cut = text[:limit].rsplit(None, 1)[0] if " " in text[:limit] else text[:limit]
        text = f"{cut} {t(language, 'status.shortened')}"
    lines = [part for line in md_escape(no_mentions(text)).split("\n") for part in _wrap(line, QUOTE_LINE_MAX)]
    # An empty "> " line ends the quote in Discord; a zero-width space keeps the paragraph break inside it.
    return "\n".join(f"> {line}" if line.strip() else f"> {ZWSP}" for line in lines)


def _wrap(line: str, width: int) -> list[str]:
    """Cut a line longer than ``width`` at spaces (inside a word only when it has none)."""
    parts: list[str] = []
    while len(line) > width:
        cut = line.rfind(" ", 0, width + 1)
        cut = cut if cut > 0 else width
        parts.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    parts.append(line)
    return parts


def _role(author: Author, language: Language) -> str:
    return t(language, f"status.role_{author.value}")


def _stamp(version: StatusVersion, council: Council) -> str:
    return format_short(version.created_at, council.tz, council.language)


def draft_actions(preview: DraftPreview) -> tuple[DraftAction, ...]:
    """The buttons under a preview: save/discard for a first status, else replace/append/keep."""
    if preview.current is None:
        return (DraftAction.REPLACE, DraftAction.KEEP)
    return (DraftAction.REPLACE, DraftAction.APPEND, DraftAction.KEEP)


def draft_label(action: DraftAction, *, has_current: bool, language: Language) -> str:
    """A button label; with nothing stored yet, "replace" reads "save" and "keep" reads "don't save"."""
    if not has_current:
        return t(language, "status.button_save" if action is DraftAction.REPLACE else "status.button_discard")
    return t(language, f"status.button_{action.value}")


def draft_preview(preview: DraftPreview) -> str:
    """The answer to a DM: the draft quoted back, what is stored, and what the buttons do."""
    lang = preview.slot.council.language
    org = no_mentions(preview.slot.org.short)
    draft = preview.draft
    lines = [
        t(lang, "status.preview_heading", org=org, title=no_mentions(preview.slot.meeting.title)),
        t(lang, "status.preview_received_joined", count=draft.messages)
        if draft.messages > 1
        else t(lang, "status.preview_received"),
        quote(draft.text),
        "",
    ]
    current = preview.current
    if current is None:
        lines.append(t(lang, "status.preview_ask_new", org=org))
    else:
        author = f"<@{current.author_id}>"
        if current.by_secretary:
            author = f"{_role(Author.SECRETARY, lang)}, {no_mentions(current.source or '')}"
        lines += [
            t(lang, "status.preview_current", org=org, author=author, when=_stamp(current, preview.slot.council)),
            quote(current.text, limit=CURRENT_PREVIEW_MAX, language=lang),
            "",
            t(lang, "status.preview_ask_existing"),
        ]
    lines.append(t(lang, "status.preview_more"))
    if preview.others:
        names = sorted({no_mentions(other.slot.org.short) for other in preview.others})
        lines.append(t(lang, "status.preview_others", orgs=", ".join(names)))
    return "\n".join(lines)


def dm_refusal(refusal: DmRefusal) -> str:
    """Why a DM was not taken; a stranger no council knows gets the default language, with a line in each other one."""
    if refusal.language is None:
        others = [f"-# {t(code, refusal.key, **refusal.params)}" for code in LANGUAGES if code != DEFAULT_LANGUAGE]
        return "\n".join([t(DEFAULT_LANGUAGE, refusal.key, **refusal.params), *others])
    return t(refusal.language, refusal.key, **refusal.params)


def write_result(result: WriteResult, *, submitted: bool = False) -> str:
    """The answer to the form or ``/status submit``: the stored text, quoted."""
    lang = result.slot.council.language
    org = no_mentions(result.slot.org.short)
    title = no_mentions(result.slot.meeting.title)
    if not result.changed:
        return t(lang, "status.unchanged", org=org)
    if submitted:
        head = t(lang, "status.submitted", org=org, title=title, source=no_mentions(result.version.source or ""))
        return f"{head}\n{quote(result.version.text)}"
    lines = [t(lang, "status.saved", org=org, title=title), quote(result.version.text)]
    other = result.changed_meanwhile
    if other is not None:
        lines += [
            t(
                lang,
                "status.changed_meanwhile",
                role=_role(other.author_role, lang),
                at=_stamp(other, result.slot.council),
            ),
            quote(other.text),
        ]
    lines.append(t(lang, "status.editable_until_published"))
    return "\n".join(lines)


def resolve_result(result: ResolveResult) -> str:
    """The answer to a keep/replace/append button."""
    lang = result.slot.council.language
    org = no_mentions(result.slot.org.short)
    if result.action is DraftAction.KEEP:
        key = "status.resolved_kept" if result.version is not None else "status.resolved_discarded"
        return t(lang, key, org=org)
    if result.version is None:  # pragma: no cover - replace and append always leave a status
        return t(lang, "status.resolved_discarded", org=org)
    if not result.saved:
        return t(lang, "status.unchanged", org=org)
    return "\n".join(
        [
            t(lang, "status.resolved_saved", org=org, title=no_mentions(result.slot.meeting.title)),
            quote(result.version.text),
            t(lang, "status.editable_until_published"),
        ]
    )


def show(result: ShowResult) -> str:
    """``/status show``: per organisation, the stored text with its author and time."""
    lang, council = result.council.language, result.council
    parts = [t(lang, "status.show_heading", number=result.meeting.number, title=no_mentions(result.meeting.title))]
    for entry in result.entries:
        block = [t(lang, "status.show_org", org=no_mentions(entry.org.label))]
        current = entry.current
        if current is None:
            block.append(t(lang, "status.show_none"))
        else:
            name = no_mentions(entry.author.display_name) if entry.author else str(current.author_id)
            if current.by_secretary:
                line = t(
                    lang,
                    "status.show_by_secretary",
                    author=name,
                    when=_stamp(current, council),
                    source=no_mentions(current.source or ""),
                    version=current.version,
                )
            else:
                line = t(
                    lang,
                    "status.show_by_member",
                    author=f"{name} ({_role(current.author_role, lang)})",
                    when=_stamp(current, council),
                    version=current.version,
                )
            block += [line, quote(current.text)]
        if entry.pending_draft is not None:
            block.append(t(lang, "status.show_pending_draft"))
        if entry.role is None and not result.published:
            block.append(t(lang, "status.show_cannot_write"))
        parts.append("\n".join(block))
    parts.append(t(lang, "status.show_published" if result.published else "status.show_hint"))
    return "\n\n".join(parts)
