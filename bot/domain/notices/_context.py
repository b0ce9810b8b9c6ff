"""The meeting as the messages see it, the custom ids and buttons they carry, and the lines they share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from bot.domain.attendance import Answer
from bot.domain.dates import format_datetime, format_when
from bot.domain.documents import DocumentInfo, format_size
from bot.domain.meetings import AgendaItem, Meeting
from bot.domain.outbox import AttachmentRef, ButtonSpec, ButtonStyle, Purpose
from bot.domain.roster import Council, Organisation
from bot.domain.text import md_escape, no_mentions
from bot.i18n import Language, t

RSVP_CUSTOM_ID = "council:rsvp:{meeting}:{org}:{answer}"
REGISTRATION_CUSTOM_ID = "council:reg:{request}:{decision}"
REGISTRATION_ANSWERS: Mapping[str, tuple[str, ButtonStyle]] = MappingProxyType(
    {"approve": ("roster.approve", ButtonStyle.SUCCESS), "reject": ("roster.reject", ButtonStyle.DANGER)}
)
"""The secretary's answers to a registration request, in button order: each one's label (a catalogue key) and style."""
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

    def about(self, key: str, org: Organisation, /, **params: object) -> str:
        """A ``meetings`` message to someone answering for ``org``: ``org``, ``title`` and ``when`` filled in."""
        return t(
            self.language, f"meetings.{key}", org=no_mentions(org.label), title=self.title, when=self.when, **params
        )

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


def status_round_title(language: Language) -> str:
    """The title of the status round agenda item ("Hva skjer i organisasjonene?")."""
    return t(language, "meetings.status_round_title")


def any_other_business_title(language: Language) -> str:
    """The title of the last agenda item ("Eventuelt")."""
    return t(language, "meetings.any_other_business_title")


def purpose_name(purpose: Purpose, language: Language) -> str:
    """What an owed message was, for alerts ("innkallingen", "påminnelsen", …)."""
    return t(language, f"meetings.purpose_{purpose.value}")
