"""Status updates for the round "Hva skjer i organisasjonene?": pure rules, no I/O.

Every organisation invited to a meeting may send one status update (a paragraph of news). Each save
is a new :class:`StatusVersion`; the current status is the latest. The rules here:

* **Text**: :func:`clean_status` normalises line breaks and strips control characters (newlines and
  tabs stay); :func:`validate_status` refuses empty text and text over the configured limit
  (``limits.status_max_chars``, at most the form field's own 4,000), saying the limit and the length.
* **DM drafts**: a plain DM reply is not saved at once. Several messages sent in a row are joined
  into one pending :class:`StatusDraft` (:func:`join_draft`); the member then keeps the stored status,
  replaces it with the draft, or appends the draft to it (:func:`apply_draft`).
* **Who writes** (:func:`writer_role`): the representative always; the deputy when the deputy attends
  (invited, or called up and not declined); the secretary on an organisation's behalf, with a source.
* **Which meeting collects** (:func:`is_collecting`): opened, not cancelled, minutes not published,
  and starting today or later in the council's time zone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from bot.domain.attendance import Answer, Invitation
from bot.domain.fields import TextField
from bot.domain.meetings import Meeting
from bot.domain.roster import Role
from bot.domain.text import squeeze_blank_lines, xml_safe
from bot.errors import InvalidInput

STATUS_FORM_MAX: Final = 4000
"""Discord's maximum for a text field in a form; no configured limit may exceed it."""
DEFAULT_STATUS_MAX: Final = 3000
SOURCE_MAX: Final = 200
MESSAGE_JOIN: Final = "\n"
"""Between DM messages sent in a row: they are one thought typed in pieces."""
APPEND_JOIN: Final = "\n\n"
"""Between the stored status and an appended draft: a new paragraph."""
DRAFT_CUSTOM_ID: Final = "council:status:draft:{draft}:{action}"
DISCORD_EPOCH_MS: Final = 1_420_070_400_000

# Bidirectional overrides and isolates can reorder what others see; they are format characters (Cf)
# like the zero-width joiner, which emoji need, so they are listed rather than dropped by category.
_BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS: Final = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"})
_SOURCE: Final = TextField(SOURCE_MAX, "status.source_too_long")


class Author(StrEnum):
    """In which capacity a status version was written."""

    REPRESENTATIVE = "representative"
    DEPUTY = "deputy"
    SECRETARY = "secretary"
    """Entered by the secretary on the organisation's behalf (e.g. received by e-mail)."""


class Via(StrEnum):
    """How a status version arrived."""

    FORM = "form"
    DM = "dm"
    COMMAND = "command"


class DraftAction(StrEnum):
    """What a member does with a DM draft."""

    KEEP = "keep"
    """Keep the stored status as it is; the draft is dropped."""
    REPLACE = "replace"
    """The draft becomes the status."""
    APPEND = "append"
    """The draft is added to the stored status as a new paragraph."""


class DraftState(StrEnum):
    """Life of a DM draft."""

    PENDING = "pending"
    KEPT = "kept"
    REPLACED = "replaced"
    APPENDED = "appended"


_RESOLVED: Final = {
    DraftAction.KEEP: DraftState.KEPT,
    DraftAction.REPLACE: DraftState.REPLACED,
    DraftAction.APPEND: DraftState.APPENDED,
}


@dataclass(frozen=True, slots=True)
class StatusVersion:
    """One saved version of an organisation's status for a meeting."""

    id: int
    guild_id: int
    meeting_id: int
    org_id: int
    version: int
    text: str
    author_id: int
    author_role: Author
    via: Via
    created_at: datetime
    source: str | None = None

    @property
    def by_secretary(self) -> bool:
        """Whether the secretary entered it on the organisation's behalf."""
        return self.author_role is Author.SECRETARY


@dataclass(frozen=True, slots=True)
class StatusDraft:
    """DM text waiting for the member to keep, replace or append; messages in a row are joined."""

    id: int
    guild_id: int
    meeting_id: int
    org_id: int
    user_id: int
    author_role: Author
    text: str
    messages: int
    last_message_id: int
    state: DraftState
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None = None

    @property
    def is_pending(self) -> bool:
        """Whether the member has not decided yet."""
        return self.state is DraftState.PENDING


# -- text --------------------------------------------------------------------------------------------


def _keep(ch: str) -> bool:
    if ch in "\n\t":
        return True
    if ch in _BIDI_CONTROLS:
        return False
    return unicodedata.category(ch) not in ("Cc", "Cs")


def clean_status(text: str) -> str:
    """Normalise a status: one kind of line break, no control characters, no trailing blanks.

    Newlines and tabs stay; other control characters, lone surrogates and bidirectional overrides are
    removed; more than one blank line in a row becomes one; the whole text is stripped.
    """
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    text = "".join(ch for ch in xml_safe(text) if _keep(ch))
    return "\n".join(squeeze_blank_lines(line.rstrip() for line in text.split("\n"))).strip()


def effective_limit(limit: int) -> int:
    """The configured limit, never above what the form can hold nor below one character."""
    return max(1, min(limit, STATUS_FORM_MAX))


def validate_status(text: str, limit: int = DEFAULT_STATUS_MAX) -> str:
    """Return the cleaned status or raise ``InvalidInput`` (empty, or longer than ``limit``)."""
    cleaned = clean_status(text)
    if not cleaned:
        raise InvalidInput("status.empty")
    limit = effective_limit(limit)
    if len(cleaned) > limit:
        raise InvalidInput("status.too_long", limit=limit, length=len(cleaned))
    return cleaned


def join_draft(existing: str, addition: str, limit: int = DEFAULT_STATUS_MAX) -> str:
    """Add a DM message to a pending draft (on a new line); refuse when the joined text is too long.

    Raises:
        InvalidInput: the message is empty, or the joined draft would pass ``limit``
            (``status.draft_too_long``; the draft stays as it was).
    """
    cleaned = validate_status(addition, limit)
    joined = f"{existing}{MESSAGE_JOIN}{cleaned}" if existing else cleaned
    limit = effective_limit(limit)
    if len(joined) > limit:
        raise InvalidInput("status.draft_too_long", limit=limit, length=len(joined))
    return joined


def apply_draft(current: str | None, draft: str, action: DraftAction, limit: int = DEFAULT_STATUS_MAX) -> str | None:
    """The status text after a draft is resolved; ``None`` when nothing is to be saved.

    ``keep`` keeps the stored status (or saves nothing when there is none); ``replace`` saves the draft;
    ``append`` adds the draft to the stored status as a new paragraph (the draft alone when none).

    Raises:
        InvalidInput: appending would pass ``limit`` (``status.append_too_long``).
    """
    if action is DraftAction.KEEP:
        return None
    if action is DraftAction.REPLACE or not current:
        return validate_status(draft, limit)
    combined = f"{current}{APPEND_JOIN}{draft}"
    limit = effective_limit(limit)
    cleaned = clean_status(combined)
    if len(cleaned) > limit:
        raise InvalidInput("status.append_too_long", limit=limit, length=len(cleaned))
    return cleaned


def resolved_state(action: DraftAction) -> DraftState:
    """The state a draft ends in after ``action``."""
    return _RESOLVED[action]


def validate_source(source: str | None, default: str) -> str:
    """Where a secretary's submission came from, one line ("mottatt på e-post" when not given)."""
    return _SOURCE.clean(source or "") or default


def parse_action(value: str) -> DraftAction:
    """``keep``/``replace``/``append`` or ``InvalidInput``."""
    try:
        return DraftAction(value)
    except ValueError:
        raise InvalidInput("status.action_invalid") from None


# -- who writes --------------------------------------------------------------------------------------


def deputy_attends(invitation: Invitation) -> bool:
    """Whether the deputy attends for the organisation: asked (invited or called up) and not declined."""
    state = invitation.state
    return invitation.deputy_id is not None and state.deputy_asked and state.deputy is not Answer.NO


def writer_role(user_id: int, invitation: Invitation | None, seat: Role | None) -> Author | None:
    """In which capacity ``user_id`` may write the organisation's status, or ``None``.

    Args:
        user_id: the member.
        invitation: the organisation's invitation to the meeting (its snapshot of the seats), if any.
        seat: the seat the member holds in the organisation now, if any.

    The representative always may (an organisation that cannot attend still sends a written status),
    also one assigned after the call went out; the deputy only while the deputy attends.
    """
    if invitation is not None:
        if invitation.representative_id == user_id:
            return Author.REPRESENTATIVE
        if invitation.deputy_id == user_id and deputy_attends(invitation):
            return Author.DEPUTY
    if seat is Role.REPRESENTATIVE:
        return Author.REPRESENTATIVE
    return None


def prompt_recipients(invitation: Invitation) -> list[tuple[int, Author]]:
    """Who is asked for the organisation's status: the representative, and the deputy who stands in.

    A deputy invited alongside the representative (an item of special interest to deputies) is not
    asked: the representative writes the organisation's status, as the invitation tells them.
    """
    people: list[tuple[int, Author]] = []
    if invitation.representative_id is not None:
        people.append((invitation.representative_id, Author.REPRESENTATIVE))
    stands_in = invitation.representative_id is None or invitation.state.deputy_called
    if invitation.deputy_id is not None and stands_in and deputy_attends(invitation):
        people.append((invitation.deputy_id, Author.DEPUTY))
    return people


def is_collecting(meeting: Meeting, published_at: datetime | None, now: datetime, tz: ZoneInfo) -> bool:
    """Whether a meeting collects status updates from DMs now.

    It must be opened (invitations sent), not cancelled, without published minutes, and start today
    or later on the council's calendar, so news sent on the morning of the meeting still counts.
    """
    if not meeting.is_open or published_at is not None:
        return False
    return meeting.start_at.astimezone(tz).date() >= now.astimezone(tz).date()


def snowflake_at(when: datetime) -> int:
    """The smallest Discord id a message sent at ``when`` can have (ids start with a timestamp)."""
    millis = int(when.astimezone(UTC).timestamp() * 1000) - DISCORD_EPOCH_MS
    return max(0, millis) << 22


# -- messages ----------------------------------------------------------------------------------------


FORM_CUSTOM_ID: Final = "council:status:form:{meeting}:{org}:{user}:{base}"
FORM_PATTERN: Final = re.compile(r"council:status:form:([0-9]{1,19}):([0-9]{1,19}):([0-9]{1,20}):([0-9]{1,9})")
FORM_TEXT_ID: Final = "council:status:form:text"


def form_custom_id(meeting_id: int, org_id: int, user_id: int, base_version: int) -> str:
    """The status form's custom id: one per opener and per version it was opened on.

    Discord keeps one open form per custom id, so two writers of one organisation (the representative
    and a called-up deputy) must never share one; the version tells, on submit, whether someone
    saved in between. The submit is handled by its custom id, so it is answered after a restart too.
    """
    return FORM_CUSTOM_ID.format(meeting=meeting_id, org=org_id, user=user_id, base=base_version)


def parse_form_custom_id(custom_id: str) -> tuple[int, int, int, int] | None:
    """``(meeting, org, user, base version)`` of a status form's custom id, or ``None``."""
    match = FORM_PATTERN.fullmatch(custom_id)
    if match is None:
        return None
    meeting, org, user, base = (int(g) for g in match.groups())
    return meeting, org, user, base


def draft_custom_id(draft_id: int, action: DraftAction) -> str:
    """The custom id of a keep/replace/append button under a DM preview (``StatusDraftButton``)."""
    return DRAFT_CUSTOM_ID.format(draft=draft_id, action=action.value)
