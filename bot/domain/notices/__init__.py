"""The messages the meeting features send, built as :class:`~bot.domain.outbox.OutgoingMessage`s.

Pure functions of domain objects and a language: the services call them inside the transaction that
decides a message is owed, and the outbox stores the result. All wording is in the ``meetings``
catalogue. Text members or the secretary typed goes through :func:`~bot.domain.text.no_mentions`.

The parts: ``_context`` (the meeting as messages see it, custom ids, buttons, shared lines), ``_calls``
(the invitation, call-up, release, seat moved and the reminders) and ``_changes`` (documents, changes,
cancellation, alerts to the secretary, registration requests, agenda titles).
"""

from bot.domain.notices._calls import (
    call_up,
    day_reminder,
    invitation,
    release,
    reminder,
    rsvp_reminder,
    rsvp_reminder_text,
    seat_moved,
    status_reminder,
    status_reminder_text,
)
from bot.domain.notices._changes import (
    cancel_notice,
    change_notice,
    document_notice,
    no_deputy_alert,
    registration_request,
)
from bot.domain.notices._context import (
    CALENDAR_ATTACHMENT,
    DOCUMENT_ATTACHMENT,
    REGISTRATION_ANSWERS,
    REGISTRATION_CUSTOM_ID,
    RSVP_CUSTOM_ID,
    WRITE_CUSTOM_ID,
    MeetingContext,
    agenda_lines,
    answer_label,
    answer_name,
    any_other_business_title,
    calendar_ref,
    call_buttons,
    invitation_files,
    purpose_name,
    rsvp_buttons,
    rsvp_custom_id,
    safe_details,
    status_round_title,
    theme_line,
    theme_question,
    write_button,
    write_custom_id,
)

__all__ = [
    "CALENDAR_ATTACHMENT",
    "DOCUMENT_ATTACHMENT",
    "REGISTRATION_ANSWERS",
    "REGISTRATION_CUSTOM_ID",
    "RSVP_CUSTOM_ID",
    "WRITE_CUSTOM_ID",
    "MeetingContext",
    "agenda_lines",
    "answer_label",
    "answer_name",
    "any_other_business_title",
    "calendar_ref",
    "call_buttons",
    "call_up",
    "cancel_notice",
    "change_notice",
    "day_reminder",
    "document_notice",
    "invitation",
    "invitation_files",
    "no_deputy_alert",
    "purpose_name",
    "registration_request",
    "release",
    "reminder",
    "rsvp_buttons",
    "rsvp_custom_id",
    "rsvp_reminder",
    "rsvp_reminder_text",
    "safe_details",
    "seat_moved",
    "status_reminder",
    "status_reminder_text",
    "status_round_title",
    "theme_line",
    "theme_question",
    "write_button",
    "write_custom_id",
]
