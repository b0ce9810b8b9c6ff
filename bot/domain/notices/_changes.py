"""What changes after the call: documents, time or place, cancellation; alerts and registration requests."""

from __future__ import annotations

from bot.domain.documents import DocumentInfo
from bot.domain.notices._context import (
    DOCUMENT_ATTACHMENT,
    REGISTRATION_ANSWERS,
    REGISTRATION_CUSTOM_ID,
    MeetingContext,
    calendar_ref,
    rsvp_buttons,
)
from bot.domain.outbox import AttachmentRef, ButtonSpec, OutgoingMessage
from bot.domain.roster import Council, Organisation, RegistrationRequest
from bot.domain.text import md_escape, no_mentions
from bot.i18n import t


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
        for decision, (key, style) in REGISTRATION_ANSWERS.items()
    )
    return OutgoingMessage(text, buttons)
