"""Replies of the meeting, agenda and RSVP commands, as Discord Markdown (pure functions of results)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.attendance import Answer, CallUpDeputy, FlagNoDeputy, ListedAbsent, Outcome, ReleaseDeputy
from bot.domain.dates import format_date, format_datetime, format_short, format_when
from bot.domain.documents import format_size
from bot.domain.guests import guest_label
from bot.domain.meetings import Meeting, MeetingState
from bot.domain.notices import MeetingContext, agenda_lines, answer_name
from bot.domain.roster import Organisation, Role
from bot.domain.text import no_mentions
from bot.i18n import Language, t
from bot.services.agenda import AgendaChange, AttachResult
from bot.services.meetings import (
    AttendanceResult,
    ChangeResult,
    Dashboard,
    DashboardRow,
    GuestResult,
    MeetingList,
    NextResult,
    OpenResult,
)
from bot.services.reminders import RemindResult
from bot.services.rsvp import RsvpResult

_OUTCOME_EMOJI = {
    Outcome.REPRESENTATIVE: "✅",
    Outcome.DEPUTY: "🔁",
    Outcome.BOTH: "👥",
    Outcome.ABSENT: "❌",
}


def _m(language: Language, key: str, /, **params: object) -> str:
    return t(language, f"meetings.{key}", **params)


def summary(details: MeetingContext) -> str:
    """A meeting's heading, time, place and deadlines, as understood."""
    meeting, lang, tz = details.meeting, details.council.language, details.council.tz
    return _m(
        lang,
        "summary",
        number=meeting.number,
        title=details.title,
        when=format_when(meeting.when, tz, lang),
        place=details.place,
        rsvp_deadline=format_datetime(meeting.rsvp_deadline, tz, lang),
        status_deadline=format_datetime(meeting.status_deadline, tz, lang),
        state=_m(lang, f"state_{meeting.state.value}"),
    )


def agenda_text(details: MeetingContext) -> str:
    """A meeting's agenda under its heading."""
    lang = details.council.language
    heading = _m(lang, "agenda_heading", number=details.meeting.number, title=details.title)
    return f"{heading}\n{agenda_lines(details)}"


def created(details: MeetingContext) -> str:
    """Reply to ``/meeting create``."""
    lang = details.council.language
    return "\n\n".join(
        [
            _m(lang, "created", number=details.meeting.number),
            summary(details),
            agenda_text(details),
            _m(lang, "next_steps"),
        ]
    )


def edited(result: ChangeResult) -> str:
    """Reply to ``/meeting edit``."""
    lang = result.details.council.language
    parts = [_m(lang, "edited", number=result.details.meeting.number), summary(result.details)]
    if result.notified:
        parts.append(_m(lang, "invitees_told", count=result.notified))
    return "\n\n".join(parts)


def cancelled(result: ChangeResult) -> str:
    """Reply to ``/meeting cancel``."""
    lang = result.details.council.language
    meeting = result.details.meeting
    text = _m(lang, "cancel_done", number=meeting.number, title=result.details.title)
    if result.notified:
        text += "\n" + _m(lang, "invitees_told", count=result.notified)
    return text


def opened(result: OpenResult) -> str:
    """Reply to ``/meeting open``."""
    lang = result.details.council.language
    lines = [
        _m(
            lang,
            "opened",
            number=result.details.meeting.number,
            orgs=len(result.invited),
            messages=result.messages,
        )
    ]
    if result.already_invited:
        lines.append(_m(lang, "opened_already", count=result.already_invited))
    if result.deputies_invited:
        lines.append(_m(lang, "opened_deputies", orgs=_shorts(result.deputies_invited)))
    if result.without_representative:
        lines.append(_m(lang, "opened_no_representative", orgs=_shorts(result.without_representative)))
    if result.unreachable:
        lines.append(_m(lang, "opened_nobody", orgs=_shorts(result.unreachable)))
    lines.append(_m(lang, "opened_footer"))
    return "\n".join(lines)


def meeting_list(result: MeetingList) -> str:
    """Reply to ``/meeting list``."""
    lang, tz = result.council.language, result.council.tz
    if not result.upcoming and not result.past:
        return _m(lang, "list_empty")

    def line(meeting: Meeting) -> str:
        text = _m(
            lang,
            "list_line",
            number=meeting.number,
            title=no_mentions(meeting.title),
            date=format_date(meeting.start_at, tz, lang),
            state=_m(lang, f"state_{meeting.state.value}"),
        )
        return f"~~{text}~~" if meeting.state is MeetingState.CANCELLED else text

    parts = [_m(lang, "list_upcoming")]
    parts += [line(m) for m in result.upcoming] or [_m(lang, "list_none")]
    if result.past:
        parts.append(_m(lang, "list_past"))
        parts += [line(m) for m in result.past[:15]]
    return "\n".join(parts)


def dashboard(board: Dashboard) -> str:
    """``/meeting dashboard``: one line per organisation, readable on a phone."""
    details = board.details
    lang, tz, meeting = details.council.language, details.council.tz, details.meeting
    pending = board.count(Outcome.PENDING)
    head = [
        _m(lang, "dashboard_heading", number=meeting.number, title=details.title),
        format_when(meeting.when, tz, lang),
        _m(
            lang,
            "dashboard_deadlines",
            rsvp=format_short(meeting.rsvp_deadline, tz, lang),
            status=format_short(meeting.status_deadline, tz, lang),
        ),
        _m(
            lang,
            "dashboard_counts",
            coming=board.count(Outcome.REPRESENTATIVE) + board.count(Outcome.BOTH),
            deputy=board.count(Outcome.DEPUTY),
            absent=board.count(Outcome.ABSENT),
            pending=pending,
        ),
    ]
    if board.status_tracked:
        head.append(_m(lang, "dashboard_statuses", count=board.statuses, total=len(board.rows)))
    if meeting.state is MeetingState.PLANNED:
        head.append(_m(lang, "dashboard_not_open"))
    if meeting.state is MeetingState.CANCELLED:
        head.append(_m(lang, "dashboard_cancelled"))
    if board.pending_messages:
        head.append(_m(lang, "dashboard_pending_messages", count=board.pending_messages))
    lines = [_row(row, board, lang) for row in board.rows] or [_m(lang, "dashboard_no_orgs")]
    return "\n".join([*head, "", *lines, "", _m(lang, "dashboard_legend")])


def _row(row: DashboardRow, board: Dashboard, lang: Language) -> str:
    tz = board.details.council.tz
    inv = row.invitation
    short = no_mentions(row.org.short)
    rep = no_mentions(row.representative.display_name) if row.representative else None
    dep = no_mentions(row.deputy.display_name) if row.deputy else None
    if inv is None:
        parts = [f"• **{short}**", rep or _m(lang, "no_representative")]
        if dep:
            parts.append(_m(lang, "dashboard_deputy_short", name=dep))
        return " · ".join(parts)
    state = inv.state
    emoji = _OUTCOME_EMOJI.get(inv.outcome) or ("❔" if Answer.MAYBE in (state.representative, state.deputy) else "⏳")
    rep_part = (
        f"{rep}: {_answer_with_time(state.representative, inv.rep_answered_at, tz, lang)}"
        if rep
        else _m(lang, "no_representative")
    )
    if rep and row.rep_recorded_by and state.representative is not None:
        rep_part += " " + _m(lang, "dashboard_recorded_by", name=no_mentions(row.rep_recorded_by))
    parts = [f"{emoji} **{short}**", rep_part]
    if state.deputy_asked and dep:
        label = _m(lang, "dashboard_deputy_called" if state.deputy_called else "dashboard_deputy_invited")
        dep_part = f"{label} {dep}: {_answer_with_time(state.deputy, inv.deputy_answered_at, tz, lang)}"
        if row.deputy_recorded_by and state.deputy is not None:
            dep_part += " " + _m(lang, "dashboard_recorded_by", name=no_mentions(row.deputy_recorded_by))
        parts.append(dep_part)
    elif inv.deputy_released_at is not None and dep:
        parts.append(_m(lang, "dashboard_deputy_released", name=dep))
    elif state.no_deputy_flagged and not dep:
        parts.append(_m(lang, "dashboard_no_deputy"))
    if board.status_tracked:
        parts.append("📝✅" if row.has_status else "📝—")
    if inv.attended is not None:
        parts.append(_m(lang, "dashboard_attended" if inv.attended else "dashboard_not_attended"))
    if row.unreachable:
        names = [
            no_mentions(p.display_name)
            for p in (row.representative, row.deputy)
            if p is not None and p.user_id in row.unreachable
        ]
        parts.append(_m(lang, "dashboard_dm_problem", names=", ".join(names)))
    return " · ".join(parts)


def _answer_with_time(answer: Answer | None, when: datetime | None, tz: ZoneInfo, lang: Language) -> str:
    word = answer_name(answer, lang)
    if answer is None or when is None:
        return word
    return f"{word} ({format_short(when, tz, lang)})"


def rsvp(results: Sequence[RsvpResult]) -> str:
    """Reply to an RSVP button or ``/rsvp``."""
    paragraphs = []
    for result in results:
        lang, tz = result.council.language, result.council.tz
        org = no_mentions(result.org.short)
        deputy = no_mentions(result.deputy.display_name) if result.deputy else _m(lang, "the_deputy")
        key = "rsvp_thanks_deputy" if result.responder is Role.DEPUTY else "rsvp_thanks"
        lines = [
            _m(
                lang,
                key,
                org=org,
                answer=answer_name(result.answer, lang),
                title=no_mentions(result.meeting.title),
                when=format_when(result.meeting.when, tz, lang),
            )
        ]
        lines += _effects(result.effects, lang, org=org, deputy=deputy, prefix="rsvp")
        lines.append(_m(lang, "rsvp_can_change"))
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _effects(effects: Sequence[object], lang: Language, *, org: str, deputy: str, prefix: str) -> list[str]:
    """One line per consequence of an answer (``<prefix>_deputy_called``, ...); "listed absent" is shared."""
    lines = []
    for effect in effects:
        if isinstance(effect, CallUpDeputy):
            lines.append(_m(lang, f"{prefix}_deputy_called", deputy=deputy))
        elif isinstance(effect, ReleaseDeputy):
            lines.append(_m(lang, f"{prefix}_deputy_released", deputy=deputy))
        elif isinstance(effect, FlagNoDeputy):
            lines.append(_m(lang, f"{prefix}_no_deputy", org=org))
        elif isinstance(effect, ListedAbsent):
            lines.append(_m(lang, "rsvp_listed_absent", org=org))
    return lines


def rsvp_recorded(result: RsvpResult) -> str:
    """Reply to ``/meeting rsvp``: the answer as recorded and what it set off."""
    lang = result.council.language
    org = no_mentions(result.org.short)
    deputy = no_mentions(result.deputy.display_name) if result.deputy else _m(lang, "the_deputy")
    lines = [
        _m(
            lang,
            "rsvp_recorded",
            org=org,
            role=_m(lang, f"rsvp_role_{result.responder.value}"),
            answer=answer_name(result.answer, lang),
            number=result.meeting.number,
        )
    ]
    lines += _effects(result.effects, lang, org=org, deputy=deputy, prefix="rsvp_recorded")
    return "\n".join(lines)


def guests_changed(result: GuestResult, *, removed: bool) -> str:
    """Reply to ``/meeting guest add|remove``: what changed and the guests now."""
    lang = result.details.council.language
    number = result.details.meeting.number
    if removed:
        head = _m(lang, "guest_removed", name=no_mentions(result.name), number=number)
    else:
        label = no_mentions(guest_label(result.name, result.affiliation))
        head = _m(lang, "guest_added" if result.added else "guest_updated", name=label, number=number)
    listed = ["• " + no_mentions(g.label) for g in result.guests] or [_m(lang, "guests_none")]
    return "\n".join([head, "", _m(lang, "guests_heading", number=number), *listed])


def reminded(result: RemindResult, language: Language) -> str:
    """Reply to ``/meeting remind``."""
    text = _m(language, "reminded", number=result.meeting.number, rsvp=result.rsvp, status=result.status)
    if result.deputies_called:
        text += "\n" + _m(language, "reminded_deputies", count=result.deputies_called)
    return text


def attendance(result: AttendanceResult) -> str:
    """Reply to ``/meeting attendance``."""
    lang = result.details.council.language
    org = no_mentions(result.org.label)
    if not result.present:
        return _m(lang, "attendance_absent", org=org, number=result.details.meeting.number)
    if result.substitute:
        return _m(
            lang,
            "attendance_substitute",
            org=org,
            number=result.details.meeting.number,
            person=no_mentions(result.substitute),
        )
    person = no_mentions(result.person.display_name) if result.person else _m(lang, "nobody")
    role = _m(lang, f"attended_as_{result.role.value}") if result.role else ""
    return _m(lang, "attendance_present", org=org, number=result.details.meeting.number, person=person, role=role)


def next_meeting(result: NextResult) -> str:
    """Reply to ``/meeting next``: date, place and remark as understood, and the meeting created."""
    details = result.details
    lang, tz = details.council.language, details.council.tz
    proposed = details.meeting.next_when
    when = format_when(proposed, tz, lang) if proposed else ""
    lines = [_m(lang, "next_set", number=details.meeting.number, when=when)]
    if result.proposal.place:
        lines.append(_m(lang, "next_place", place=no_mentions(result.proposal.place)))
    if result.proposal.note:
        lines.append(_m(lang, "next_note", note=no_mentions(result.proposal.note)))
    key = "next_created" if result.created else "next_updated"
    lines.append(_m(lang, key, number=result.next_meeting.number))
    return "\n".join(lines)


def agenda_changed(change: AgendaChange, key: str) -> str:
    """Reply to ``/agenda add|edit|move|remove``: what happened and the agenda now."""
    lang = change.details.council.language
    text = _m(lang, key, position=change.item.position, title=no_mentions(change.item.title))
    text += "\n\n" + agenda_text(change.details)
    if change.invite_deputies_hint and key != "item_removed":
        text += "\n\n" + _m(lang, "hint_invite_deputies")
    return text


def _shorts(orgs: Sequence[Organisation]) -> str:
    return ", ".join(no_mentions(org.short) for org in orgs)


def document_attached(result: AttachResult) -> str:
    """Reply to ``/agenda attach``: what was attached where, who gets it now, and the agenda as it stands."""
    lang = result.details.council.language
    doc, item = result.document, result.item
    lines = [
        _m(
            lang,
            "document_attached",
            name=no_mentions(doc.filename),
            size=format_size(doc.size),
            position=item.position,
            title=no_mentions(item.title),
        )
    ]
    if result.details.meeting.is_open:
        lines.append(_m(lang, "document_attached_open", count=result.sent_to))
    else:
        lines.append(_m(lang, "document_attached_planned"))
    return "\n".join(lines) + "\n\n" + agenda_text(result.details)
