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
from bot.domain.documents import DocumentInfo, format_size
from bot.domain.meetings import AgendaItem, Meeting
from bot.domain.outbox import AttachmentRef, ButtonSpec, ButtonStyle, OutgoingMessage, Purpose
from bot.domain.roster import Council, Organisation, RegistrationRequest
from bot.domain.text import md_escape, no_mentions
from bot.i18n import Language, t

RSVP_CUSTOM_ID = "council:rsvp:{meeting}:{org}:{answer}"
REGISTRATION_CUSTOM_ID = "council:reg:{request}:{decision}"
WRITE_CUSTOM_ID = "council:status:write:{meeting}:{org}"
CALENDAR_ATTACHMENT = "calendar"
"""Outbox attachment kind of a meeting's ``.ics`` (ref: the meeting id), made from the meeting as it stands."""
DOCUMENT_ATTACHMENT = "document"
"""Outbox attachment kind of an agenda document (ref: the document id)."""
_STYLES = {Answer.YES: ButtonStyle.SUCCESS, Answer.NO: ButtonStyle.DANGER, Answer.MAYBE: ButtonStyle.SECONDARY}


@dataclass(frozen=True, slots=True)
class MeetingContext:
    """What every meeting message needs: the council (language, zone, convener), the meeting, its agenda."""

    council: Council
    meeting: Meeting
    agenda: Sequence[AgendaItem] = ()
    extra: str = ""
    """A paragraph other features add to the invitation (open action items from earlier meetings)."""
    documents: Sequence[DocumentInfo] = ()

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


def write_custom_id(meeting_id: int, org_id: int) -> str:
    """The custom id of the "Skriv status" button (the persistent ``StatusWriteButton``)."""
    return WRITE_CUSTOM_ID.format(meeting=meeting_id, org=org_id)


def write_button(meeting_id: int, org_id: int, language: Language) -> ButtonSpec:
    """The button that opens the form for the organisation's status ("Skriv status")."""
    return ButtonSpec(write_custom_id(meeting_id, org_id), t(language, "status.button_write"), ButtonStyle.PRIMARY)


def call_buttons(meeting_id: int, org_id: int, language: Language, *, asks_status: bool) -> tuple[ButtonSpec, ...]:
    """The buttons of a DM that calls someone to a meeting: RSVP, and "Skriv status" when they write it.

    One DM per person per call: the same message takes the answer and the organisation's news (or a
    plain reply to it, which the status feature reads as the news).
    """
    buttons = rsvp_buttons(meeting_id, org_id, language)
    return (*buttons, write_button(meeting_id, org_id, language)) if asks_status else buttons


def answer_label(answer: Answer, language: Language) -> str:
    """The button label of an answer."""
    return t(language, f"meetings.button_{answer.value}")


def answer_name(answer: Answer | None, language: Language) -> str:
    """An answer as a word for the dashboard and replies ("Kommer", "Kan ikke", "Usikker", "Ikke svart")."""
    return t(language, f"meetings.answer_{answer.value if answer else 'none'}")


def safe_details(text: str) -> str:
    """Background text the secretary typed, safe to post: no pings, no Markdown that breaks the message."""
    return md_escape(no_mentions(text), inline=True)


def agenda_lines(ctx: MeetingContext) -> str:
    """The numbered agenda with leads, background text and documents, as Markdown; a legend for deputies."""
    lines = []
    files: dict[int, list[DocumentInfo]] = {}
    for doc in ctx.documents:
        files.setdefault(doc.agenda_item_id, []).append(doc)
    for item in ctx.agenda:
        line = f"{item.position}. {no_mentions(item.title)}"
        if item.lead:
            line += ctx.t("agenda_led_by", lead=no_mentions(item.lead))
        if item.deputy_interest:
            line += " ⭐"
        lines.append(line)
        if item.details:
            key = "agenda_theme" if item.is_status_round else "agenda_details"
            lines.append("> " + ctx.t(key, details=safe_details(item.details)))
        for doc in files.get(item.id, ()):
            lines.append(
                "> " + ctx.t("agenda_document", name=md_escape(doc.filename, inline=True), size=format_size(doc.size))
            )
    if any(item.deputy_interest for item in ctx.agenda):
        lines.append(ctx.t("agenda_deputy_legend"))
    return "\n".join(lines) if lines else ctx.t("agenda_empty")


def theme_question(ctx: MeetingContext) -> str | None:
    """The status round's theme question (its ``details``), safe to post, if the secretary set one."""
    for item in ctx.agenda:
        if item.is_status_round and item.details:
            return safe_details(item.details)
    return None


def theme_line(ctx: MeetingContext) -> str:
    """The line that asks the theme question in status prompts and reminders ("" without one)."""
    question = theme_question(ctx)
    return ctx.t("status_theme", question=question) if question else ""


def calendar_ref(ctx: MeetingContext) -> AttachmentRef:
    """The meeting's ``.ics``, made when the message is sent (so it is the meeting as it then stands)."""
    return AttachmentRef(CALENDAR_ATTACHMENT, str(ctx.meeting.id))


def invitation_files(ctx: MeetingContext) -> tuple[AttachmentRef, ...]:
    """What goes with an invitation or a call-up: the documents attached to the agenda, and the ``.ics``."""
    docs = tuple(AttachmentRef(DOCUMENT_ATTACHMENT, str(doc.id)) for doc in ctx.documents)
    return (*docs, calendar_ref(ctx))


def _details(ctx: MeetingContext) -> str:
    return ctx.t("details", when=ctx.when, place=ctx.place, convener=no_mentions(ctx.council.convener))


def _asking_status(ctx: MeetingContext) -> str:
    """The invitation's paragraph asking for the organisation's news, with the round's theme question."""
    status = ctx.t("invitation_status", deadline=ctx.at(ctx.meeting.status_deadline))
    theme = theme_line(ctx)
    return f"{status}\n{theme}" if theme else status


def invitation(
    ctx: MeetingContext,
    org: Organisation,
    role: Responder,
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
    return OutgoingMessage(ctx.t("release", org=no_mentions(org.label), title=ctx.title, when=ctx.when))


def seat_moved(ctx: MeetingContext, org: Organisation, role: Responder) -> OutgoingMessage:
    """The seat changed hands during the call: the previous holder no longer answers for the organisation."""
    return OutgoingMessage(
        ctx.t(
            "seat_moved",
            org=no_mentions(org.label),
            title=ctx.title,
            when=ctx.when,
            role=t(ctx.language, f"roster.role_{role.value}"),
        )
    )


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
    return content


def status_reminder(ctx: MeetingContext, org: Organisation) -> OutgoingMessage:
    """A reminder that the organisation's status update for the status round is missing (asks the theme)."""
    return reminder(ctx, org, rsvp=False, status=True, late=False)


def status_reminder_text(ctx: MeetingContext, org: Organisation) -> str:
    """The text of a reminder to send the status, with the round's theme question."""
    content = ctx.t(
        "reminder_status",
        org=no_mentions(org.label),
        title=ctx.title,
        when=ctx.when,
        deadline=ctx.at(ctx.meeting.status_deadline),
        round=status_round_title(ctx.language),
    )
    theme = theme_line(ctx)
    return f"{content}\n{theme}" if theme else content


def day_reminder(ctx: MeetingContext, org: Organisation) -> OutgoingMessage:
    """The reminder on the day to someone expected to attend: time, place or link, and the agenda."""
    content = ctx.t(
        "reminder_day",
        org=no_mentions(org.label),
        title=ctx.title,
        when=ctx.when,
        place=ctx.place,
        agenda=agenda_lines(ctx),
    )
    return OutgoingMessage(content.strip())


def document_notice(ctx: MeetingContext, org: Organisation, doc: DocumentInfo) -> OutgoingMessage:
    """A document attached after the invitations went out, sent to those already invited."""
    item = next((i for i in ctx.agenda if i.id == doc.agenda_item_id), None)
    content = ctx.t(
        "document_notice",
        title=ctx.title,
        when=ctx.when,
        org=no_mentions(org.label),
        position=item.position if item else "?",
        item=no_mentions(item.title) if item else "",
        name=md_escape(doc.filename, inline=True),
    )
    return OutgoingMessage(content, attachments=(AttachmentRef(DOCUMENT_ATTACHMENT, str(doc.id)),))


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
    lines.append(ctx.t("calendar_updated"))
    return OutgoingMessage(
        "\n".join(lines), rsvp_buttons(ctx.meeting.id, org.id, ctx.language), attachments=(calendar_ref(ctx),)
    )


def cancel_notice(ctx: MeetingContext) -> OutgoingMessage:
    """A meeting someone was invited to is cancelled."""
    reason = ctx.meeting.cancel_reason
    content = ctx.t("cancel_notice", title=ctx.title, when=ctx.when)
    if reason:
        content += "\n" + ctx.t("cancel_reason", reason=no_mentions(reason))
    content += "\n" + ctx.t("calendar_cancelled")
    return OutgoingMessage(content, attachments=(calendar_ref(ctx),))


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


def registration_request(
    council: Council, request: RegistrationRequest, org: Organisation, display_name: str
) -> OutgoingMessage:
    """The secretary channel's copy of a ``/register`` request, with Approve and Reject buttons."""
    lang = council.language
    text = t(
        lang,
        "roster.request_posted",
        user=f"<@{request.user_id}>",
        name=no_mentions(display_name),
        role=t(lang, f"roster.role_{request.role.value}"),
        org=no_mentions(org.label),
    )
    buttons = tuple(
        ButtonSpec(REGISTRATION_CUSTOM_ID.format(request=request.id, decision=decision), t(lang, key), style)
        for decision, key, style in (
            ("approve", "roster.approve", ButtonStyle.SUCCESS),
            ("reject", "roster.reject", ButtonStyle.DANGER),
        )
    )
    return OutgoingMessage(text, buttons)
