"""The call to a meeting: invitation, deputy call-up and release, a seat changing hands, and the reminders."""

from __future__ import annotations

from bot.domain.attendance import Answer, CallUpReason
from bot.domain.notices._context import (
    MeetingContext,
    _asking_status,
    _details,
    agenda_lines,
    call_buttons,
    invitation_files,
    status_round_title,
    theme_line,
    write_button,
)
from bot.domain.outbox import OutgoingMessage
from bot.domain.roster import Organisation, Role
from bot.domain.text import no_mentions
from bot.i18n import t


def invitation(
    ctx: MeetingContext,
    org: Organisation,
    role: Role,
    *,
    alongside: bool,
    has_deputy: bool = True,
    asks_status: bool | None = None,
) -> OutgoingMessage:
    """The call to a meeting, sent by ``/meeting open`` to the representative (and deputies when wanted).

    The one place an invitation is built. Whoever writes the organisation's status (see
    :func:`bot.domain.status.prompt_recipients`: the representative, or a deputy invited because
    there is no representative) is asked for it in the same message — the theme question, the
    "Skriv status" button beside the RSVP buttons, or a plain reply; a deputy invited alongside the
    representative is not. One DM per person per call.

    Args:
        ctx: the meeting.
        org: the organisation the invitee answers for.
        role: whether the invitee is the representative or the deputy.
        alongside: for a deputy: invited together with the representative (an item of special
            interest to deputies) rather than because there is no representative.
        has_deputy: for the representative: whether a deputy can be called up if they cannot come.
        asks_status: whether the invitee writes the organisation's status (default: the
            representative, or a deputy not invited alongside one).
    """
    deadline = ctx.at(ctx.meeting.rsvp_deadline)
    status = _asking_status(ctx)
    if role is Role.REPRESENTATIVE:
        intro = ctx.t("invitation_intro_representative", org=no_mentions(org.label))
        key = "invitation_answer_representative" if has_deputy else "invitation_answer_no_deputy"
        answer = ctx.t(key, deadline=deadline)
    elif alongside:
        intro = ctx.t("invitation_intro_deputy_alongside", org=no_mentions(org.label))
        answer = ctx.t("invitation_answer_deputy", deadline=deadline)
        status = ""  # the representative sends the organisation's status
    else:
        intro = ctx.t("invitation_intro_deputy_no_representative", org=no_mentions(org.label))
        answer = ctx.t("invitation_answer_deputy", deadline=deadline)
    if asks_status is not None:
        status = _asking_status(ctx) if asks_status else ""
    content = ctx.t(
        "invitation",
        title=ctx.title,
        intro=intro,
        details=_details(ctx),
        agenda=agenda_lines(ctx),
        answer=answer,
        status=status,
    )
    if ctx.extra:
        content = content.strip() + "\n\n" + ctx.extra
    buttons = call_buttons(ctx.meeting.id, org.id, ctx.language, asks_status=bool(status))
    return OutgoingMessage(content.strip(), buttons, attachments=invitation_files(ctx))


def call_up(ctx: MeetingContext, org: Organisation, reason: CallUpReason) -> OutgoingMessage:
    """The deputy is asked to stand in for the representative: the RSVP buttons and "Skriv status"."""
    content = ctx.t(
        f"callup_{reason.value}",
        org=no_mentions(org.label),
        title=ctx.title,
        details=_details(ctx),
        agenda=agenda_lines(ctx),
        status_deadline=ctx.at(ctx.meeting.status_deadline),
    )
    theme = theme_line(ctx)
    if theme:
        content = f"{content.strip()}\n{theme}"
    buttons = call_buttons(ctx.meeting.id, org.id, ctx.language, asks_status=True)
    return OutgoingMessage(content.strip(), buttons, attachments=invitation_files(ctx))


def release(ctx: MeetingContext, org: Organisation) -> OutgoingMessage:
    """The representative comes after all: the deputy is released."""
    return OutgoingMessage(ctx.about("release", org))


def seat_moved(ctx: MeetingContext, org: Organisation, role: Role) -> OutgoingMessage:
    """The seat changed hands during the call: the previous holder no longer answers for the organisation."""
    return OutgoingMessage(ctx.about("seat_moved", org, role=t(ctx.language, f"roster.role_{role.value}")))


def reminder(
    ctx: MeetingContext, org: Organisation, *, rsvp: bool, current: Answer | None = None, status: bool, late: bool
) -> OutgoingMessage:
    """One reminder for one person in one round: to answer (or settle a "maybe"), to send the status, or both.

    Args:
        ctx: the meeting.
        org: the organisation the person answers for.
        rsvp: the person still owes an RSVP answer (``current`` is their answer so far).
        current: ``None`` or ``Answer.MAYBE``.
        status: the person writes the organisation's status and it is still missing.
        late: the RSVP deadline has passed.
    """
    parts = []
    if rsvp:
        parts.append(rsvp_reminder_text(ctx, org, current, late=late))
    if status:
        parts.append(status_reminder_text(ctx, org))
    if not parts:
        raise ValueError("a reminder needs something to remind of")
    if rsvp:
        buttons = call_buttons(ctx.meeting.id, org.id, ctx.language, asks_status=status)
    else:
        buttons = (write_button(ctx.meeting.id, org.id, ctx.language),)
    return OutgoingMessage("\n\n".join(parts), buttons)


def rsvp_reminder(ctx: MeetingContext, org: Organisation, current: Answer | None, *, late: bool) -> OutgoingMessage:
    """A reminder to answer the invitation (or to settle a "maybe")."""
    return reminder(ctx, org, rsvp=True, current=current, status=False, late=late)


def rsvp_reminder_text(ctx: MeetingContext, org: Organisation, current: Answer | None, *, late: bool) -> str:
    """The text of a reminder to answer."""
    content = ctx.about(
        "reminder_rsvp_maybe" if current is Answer.MAYBE else "reminder_rsvp",
        org,
        deadline=ctx.at(ctx.meeting.rsvp_deadline),
    )
    if late:
        content += "\n" + ctx.t("reminder_rsvp_late")
    return content


def status_reminder(ctx: MeetingContext, org: Organisation) -> OutgoingMessage:
    """A reminder that the organisation's status update for the status round is missing (asks the theme)."""
    return reminder(ctx, org, rsvp=False, status=True, late=False)


def status_reminder_text(ctx: MeetingContext, org: Organisation) -> str:
    """The text of a reminder to send the status, with the round's theme question."""
    content = ctx.about(
        "reminder_status",
        org,
        deadline=ctx.at(ctx.meeting.status_deadline),
        round=status_round_title(ctx.language),
    )
    theme = theme_line(ctx)
    return f"{content}\n{theme}" if theme else content


def day_reminder(ctx: MeetingContext, org: Organisation) -> OutgoingMessage:
    """The reminder on the day to someone expected to attend: time, place or link, and the agenda."""
    content = ctx.about("reminder_day", org, place=ctx.place, agenda=agenda_lines(ctx))
    return OutgoingMessage(content.strip())
