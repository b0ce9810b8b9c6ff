"""The messages the meeting features send, built as :class:`~bot.domain.outbox.OutgoingMessage`s.

Pure functions of domain objects and a language: the services call them inside the transaction that
decides a message is owed, and the outbox stores the result. All wording is in the ``meetings``
catalogue. Text members or the secretary typed goes through :func:`~bot.domain.text.no_mentions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.attendance import Answer, CallUpReason, Responder
from bot.domain.dates import format_datetime, format_when
from bot.domain.meetings import AgendaItem, Meeting
from bot.domain.outbox import ButtonSpec, ButtonStyle, OutgoingMessage, Purpose
from bot.domain.roster import Council, Organisation
from bot.domain.text import no_mentions
from bot.i18n import Language, t

RSVP_CUSTOM_ID = "council:rsvp:{meeting}:{org}:{answer}"
_STYLES = {Answer.YES: ButtonStyle.SUCCESS, Answer.NO: ButtonStyle.DANGER, Answer.MAYBE: ButtonStyle.SECONDARY}


@dataclass(frozen=True, slots=True)
class MeetingContext:
    """What every meeting message needs: the council (language, zone, convener), the meeting, its agenda."""

    council: Council
    meeting: Meeting
    agenda: Sequence[AgendaItem] = ()
    extra: str = ""
    """A paragraph other features add to the invitation (open action items from earlier meetings)."""

    @property
    def language(self) -> Language:
        """The council's language."""
        return self.council.language

    @property
    def tz(self) -> ZoneInfo:
        """The council's time zone."""
        return self.council.tz

    def t(self, key: str, /, **params: object) -> str:
        """Translate a ``meetings`` message into the council's language."""
        return t(self.language, f"meetings.{key}", **params)

    @property
    def when(self) -> str:
        """The meeting's time, e.g. "onsdag 2. desember 2020 kl. 10.00–13.00"."""
        return format_when(self.meeting.when, self.tz, self.language)

    def at(self, moment: datetime) -> str:
        """A point in time in the council's zone and language."""
        return format_datetime(moment, self.tz, self.language)

    @property
    def title(self) -> str:
        """The meeting's title, safe to post."""
        return no_mentions(self.meeting.title)

    @property
    def place(self) -> str:
        """The meeting's place, or "to be announced"."""
        return no_mentions(self.meeting.place) if self.meeting.place else self.t("place_unknown")


def rsvp_custom_id(meeting_id: int, org_id: int, answer: Answer) -> str:
    """The custom id of an RSVP button (matched by the persistent ``RsvpButton``)."""
    return RSVP_CUSTOM_ID.format(meeting=meeting_id, org=org_id, answer=answer.value)


def rsvp_buttons(meeting_id: int, org_id: int, language: Language) -> tuple[ButtonSpec, ...]:
    """The three RSVP buttons: Kommer / Kan ikke (vara stiller) / Usikker."""
    return tuple(
        ButtonSpec(rsvp_custom_id(meeting_id, org_id, answer), answer_label(answer, language), _STYLES[answer])
        for answer in (Answer.YES, Answer.NO, Answer.MAYBE)
    )


def answer_label(answer: Answer, language: Language) -> str:
    """The button label of an answer."""
    return t(language, f"meetings.button_{answer.value}")


def answer_name(answer: Answer | None, language: Language) -> str:
    """An answer as a word for the dashboard and replies ("Kommer", "Kan ikke", "Usikker", "Ikke svart")."""
    return t(language, f"meetings.answer_{answer.value if answer else 'none'}")


def agenda_lines(ctx: MeetingContext) -> str:
    """The numbered agenda with leads, as Markdown lines; a legend when items interest deputies."""
    lines = []
    for item in ctx.agenda:
        line = f"{item.position}. {no_mentions(item.title)}"
        if item.lead:
            line += ctx.t("agenda_led_by", lead=no_mentions(item.lead))
        if item.deputy_interest:
            line += " ⭐"
        lines.append(line)
    if any(item.deputy_interest for item in ctx.agenda):
        lines.append(ctx.t("agenda_deputy_legend"))
    return "\n".join(lines) if lines else ctx.t("agenda_empty")


def _details(ctx: MeetingContext) -> str:
    return ctx.t("details", when=ctx.when, place=ctx.place, convener=no_mentions(ctx.council.convener))


def invitation(
    ctx: MeetingContext, org: Organisation, role: Responder, *, alongside: bool, has_deputy: bool = True
) -> OutgoingMessage:
    """The call to a meeting, sent by ``/meeting open`` to the representative (and deputies when wanted).

    Args:
        ctx: the meeting.
        org: the organisation the invitee answers for.
        role: whether the invitee is the representative or the deputy.
        alongside: for a deputy: invited together with the representative (an item of special
            interest to deputies) rather than because there is no representative.
        has_deputy: for the representative: whether a deputy can be called up if they cannot come.
    """
    deadline = ctx.at(ctx.meeting.rsvp_deadline)
    status = ctx.t("invitation_status", deadline=ctx.at(ctx.meeting.status_deadline))
    if role is Responder.REPRESENTATIVE:
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
    return OutgoingMessage(content.strip(), rsvp_buttons(ctx.meeting.id, org.id, ctx.language))


def call_up(ctx: MeetingContext, org: Organisation, reason: CallUpReason) -> OutgoingMessage:
    """The deputy is asked to stand in for the representative, with the same buttons."""
    content = ctx.t(
        f"callup_{reason.value}",
        org=no_mentions(org.label),
        title=ctx.title,
        details=_details(ctx),
        agenda=agenda_lines(ctx),
        status_deadline=ctx.at(ctx.meeting.status_deadline),
    )
    return OutgoingMessage(content.strip(), rsvp_buttons(ctx.meeting.id, org.id, ctx.language))


def release(ctx: MeetingContext, org: Organisation) -> OutgoingMessage:
    """The representative comes after all: the deputy is released."""
    return OutgoingMessage(ctx.t("release", org=no_mentions(org.label), title=ctx.title, when=ctx.when))


def rsvp_reminder(ctx: MeetingContext, org: Organisation, current: Answer | None, *, late: bool) -> OutgoingMessage:
    """A reminder to answer the invitation (or to settle a "maybe")."""
    key = "reminder_rsvp_maybe" if current is Answer.MAYBE else "reminder_rsvp"
    content = ctx.t(
        key,
        org=no_mentions(org.label),
        title=ctx.title,
        when=ctx.when,
        deadline=ctx.at(ctx.meeting.rsvp_deadline),
    )
    if late:
        content += "\n" + ctx.t("reminder_rsvp_late")
    return OutgoingMessage(content, rsvp_buttons(ctx.meeting.id, org.id, ctx.language))


def status_reminder(ctx: MeetingContext, org: Organisation) -> OutgoingMessage:
    """A reminder that the organisation's status update for the status round is missing."""
    return OutgoingMessage(
        ctx.t(
            "reminder_status",
            org=no_mentions(org.label),
            title=ctx.title,
            when=ctx.when,
            deadline=ctx.at(ctx.meeting.status_deadline),
            round=status_round_title(ctx.language),
        )
    )


def change_notice(
    ctx: MeetingContext, org: Organisation, *, old_when: str | None, old_place: str | None
) -> OutgoingMessage:
    """The time or place of a meeting someone was invited to has changed."""
    lines = [ctx.t("change_heading", title=ctx.title)]
    lines.append(ctx.t("change_when", when=ctx.when, old=old_when) if old_when else ctx.t("when_line", when=ctx.when))
    lines.append(
        ctx.t("change_place", place=ctx.place, old=no_mentions(old_place) or ctx.t("place_unknown"))
        if old_place is not None
        else ctx.t("place_line", place=ctx.place)
    )
    lines.append(ctx.t("change_footer", org=no_mentions(org.label)))
    return OutgoingMessage("\n".join(lines), rsvp_buttons(ctx.meeting.id, org.id, ctx.language))


def cancel_notice(ctx: MeetingContext) -> OutgoingMessage:
    """A meeting someone was invited to is cancelled."""
    reason = ctx.meeting.cancel_reason
    content = ctx.t("cancel_notice", title=ctx.title, when=ctx.when)
    if reason:
        content += "\n" + ctx.t("cancel_reason", reason=no_mentions(reason))
    return OutgoingMessage(content)


def no_deputy_alert(ctx: MeetingContext, org: Organisation, *, deadline_passed: bool) -> OutgoingMessage:
    """Tell the secretary channel an organisation needs its deputy and has none."""
    key = "alert_no_deputy_deadline" if deadline_passed else "alert_no_deputy_declined"
    return OutgoingMessage(ctx.t(key, org=no_mentions(org.label), title=ctx.title, number=ctx.meeting.number))


def status_round_title(language: Language) -> str:
    """The title of the status round agenda item ("Hva skjer i organisasjonene?")."""
    return t(language, "meetings.status_round_title")


def any_other_business_title(language: Language) -> str:
    """The title of the last agenda item ("Eventuelt")."""
    return t(language, "meetings.any_other_business_title")


def purpose_name(purpose: Purpose, language: Language) -> str:
    """What an owed message was, for alerts ("innkallingen", "påminnelsen", …)."""
    return t(language, f"meetings.purpose_{purpose.value}")
