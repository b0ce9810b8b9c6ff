"""Replies of the memory features (decisions, action items, approval, circulation, history), as text."""

from __future__ import annotations

from bot.domain.dates import format_date
from bot.domain.memory import ActionLine, Presence
from bot.domain.text import no_mentions
from bot.i18n import Language, t
from bot.services.actions import ActionList, ActionResult, DashboardMemory, DecisionRef, describe
from bot.services.approval import ApproveResult, CirculateResult, CommentTarget
from bot.services.history import OrgHistory

HISTORY_PAGE = 12
"""Meetings per page of ``/org history`` (short enough to read on a phone)."""


def _m(language: Language, key: str, /, **params: object) -> str:
    return t(language, f"memory.{key}", **params)


def decision_added(ref: DecisionRef, language: Language) -> str:
    """Reply to ``/minutes decision``."""
    return _m(
        language,
        "decision_added",
        id=ref.id,
        position=ref.item.position,
        title=no_mentions(ref.item.title),
        number=ref.meeting.number,
        text=no_mentions(ref.text),
    )


def decision_changed(ref: DecisionRef, removed: bool, language: Language) -> str:
    """Reply to ``/minutes decision-edit`` and ``/minutes decision-remove``."""
    key = "decision_removed" if removed else "decision_edited"
    return _m(language, key, id=ref.id, position=ref.item.position, number=ref.meeting.number)


def _action_reply(result: ActionResult, key: str, number: int) -> str:
    council = result.council
    return _m(council.language, key, number=number) + "\n" + _line(result.line, council.language, council.tz.key)


def action_added(result: ActionResult) -> str:
    """Reply to ``/action add``."""
    return _action_reply(result, "action_added", result.meeting.number)


def action_done(result: ActionResult) -> str:
    """Reply to ``/action done``."""
    return _action_reply(result, "action_marked_done", result.item.number)


def action_list(found: ActionList) -> str:
    """``/action list``: one line per item, numbered, with owner, due date and state."""
    lang, tz = found.council.language, found.council.tz.key
    heading = _m(lang, "list_heading_open" if found.show == "open" else "list_heading_all", count=len(found.lines))
    if not found.lines:
        return heading + "\n" + _m(lang, "list_empty")
    lines = []
    for line in found.lines:
        text = _line(line, lang, tz)
        if not line.done and line.due is not None and line.due <= found.now:
            text += " " + _m(lang, "overdue_mark")
        lines.append(text)
    return heading + "\n" + "\n".join(lines)


def _line(line: ActionLine, language: Language, tz: str) -> str:
    text = "- " + describe(line, language, tz)
    if line.meeting_number is not None:
        text += " " + _m(language, "from_meeting", number=line.meeting_number)
    if not line.done:
        text += " – " + _m(language, "state_open")
    return text


def approved(result: ApproveResult) -> str:
    """Reply to ``/minutes approve``."""
    council = result.council
    lang = council.language
    return _m(
        lang,
        "approved_reply",
        number=result.meeting.number,
        date=format_date(result.approved_at, council.tz, lang),
        at=_m(lang, "approved_at_meeting", number=result.at_meeting.number) if result.at_meeting else "",
    ).strip()


def comment_saved(target: CommentTarget) -> str:
    """The answer to the comment form under a circulated draft."""
    return _m(target.council.language, "comment_saved", number=target.meeting.number)


def circulated(result: CirculateResult) -> str:
    """Reply to ``/minutes circulate``."""
    council = result.council
    return _m(
        council.language,
        "circulated_reply",
        number=result.meeting.number,
        version=result.version,
        count=result.recipients,
        deadline=format_date(result.circulation.deadline, council.tz, council.language),
    )


def dashboard_extra(found: DashboardMemory) -> str:
    """What the dashboard adds: overdue action items and comments on the circulated draft."""
    lang, tz = found.council.language, found.council.tz.key
    parts: list[str] = []
    if found.overdue:
        parts.append(_m(lang, "dashboard_overdue", count=len(found.overdue)))
        parts += [_line(line, lang, tz) for line in found.overdue]
    if found.comments:
        if parts:
            parts.append("")
        parts.append(_m(lang, "dashboard_comments", count=len(found.comments)))
        for person, org, comment in found.comments:
            label = f"{person} ({org})" if org else person
            text = " ".join(no_mentions(comment.text).split())
            parts.append(f"- **{label}**: {text[:300]}" + ("…" if len(text) > 300 else ""))
    return "\n".join(parts)


def history_pages(found: OrgHistory) -> list[str]:
    """``/org history``: pages of at most :data:`HISTORY_PAGE` meetings, newest first."""
    lang, tz = found.council.language, found.council.tz
    head = _m(lang, "history_heading", org=no_mentions(found.org.label))
    counts = {p: sum(1 for e in found.entries if e.presence is p) for p in Presence}
    attended = counts[Presence.REPRESENTATIVE] + counts[Presence.DEPUTY] + counts[Presence.BOTH]
    summary = _m(
        lang,
        "history_summary",
        meetings=len(found.entries),
        attended=attended,
        apologies=counts[Presence.APOLOGY],
        silent=counts[Presence.NO_ANSWER],
        statuses=sum(1 for e in found.entries if e.status_sent),
    )
    rows = []
    for entry in found.entries:
        who = ", ".join(entry.people)
        presence = _m(lang, f"presence_{entry.presence.value}", who=who)
        status = _m(lang, "status_sent" if entry.status_sent else "status_missing")
        rows.append(f"**{entry.meeting_number}.** {format_date(entry.start, tz, lang)} – {presence} · {status}")
    if not rows:
        rows = [_m(lang, "history_none")]
    actions = [_m(lang, "history_open_actions", count=len(found.open_actions))]
    actions += [_line(line, lang, tz.key) for line in found.open_actions] or [_m(lang, "list_empty")]
    pages: list[str] = []
    chunks = [rows[i : i + HISTORY_PAGE] for i in range(0, len(rows), HISTORY_PAGE)]
    for index, chunk in enumerate(chunks, start=1):
        page = [head, summary, ""] if index == 1 else [head + " " + _m(lang, "page", page=index, pages=len(chunks))]
        if len(chunks) > 1 and index == 1:
            page[0] += " " + _m(lang, "page", page=1, pages=len(chunks))
        page += chunk
        if index == len(chunks):
            page += ["", *actions]
        pages.append("\n".join(page))
    return pages
