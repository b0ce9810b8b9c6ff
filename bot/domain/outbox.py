"""Messages the bot owes, as plain data: what to send, to whom, and how sending went.

An :class:`OutgoingMessage` is everything the outbox worker needs to build the Discord message —
text, buttons as :class:`ButtonSpec` (the worker turns them into components whose custom ids are
routed to the registered persistent buttons) and :class:`AttachmentRef`s (a kind and a reference
the worker resolves into a file when sending, so a minutes document is generated from the database
rather than stored twice). It round-trips through JSON, which is how the ``outbox`` table keeps it.

The JSON form (``version`` 1)::

    {"v": 1,
     "content": "text, at most a few thousand characters; the worker splits it at 2,000",
     "buttons": [{"custom_id": "council:rsvp:7:3:yes", "label": "Kommer", "style": "success"}],
     "attachments": [{"kind": "minutes", "ref": "7:md"}],
     "mention_user_id": null}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final

PAYLOAD_VERSION: Final = 1
MAX_BUTTONS: Final = 25
BACKOFF_BASE: Final = timedelta(seconds=30)
BACKOFF_CAP: Final = timedelta(hours=1)
CLAIM_LEASE: Final = timedelta(minutes=2)


class ButtonStyle(StrEnum):
    """Button colours, by Discord's names."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class ButtonSpec:
    """A button to put under the message; ``custom_id`` must match a registered persistent button."""

    custom_id: str
    label: str
    style: ButtonStyle = ButtonStyle.SECONDARY

    def __post_init__(self) -> None:
        if not self.custom_id.startswith("council:") or len(self.custom_id) > 100:
            raise ValueError(f"bad custom_id {self.custom_id!r}")


@dataclass(frozen=True, slots=True)
class AttachmentRef:
    """A file to attach, resolved by the worker when sending (e.g. ``kind="minutes", ref="7:docx"``)."""

    kind: str
    ref: str


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """The contents of one owed message.

    Attributes:
        content: the text (Markdown). Longer than 2,000 characters is sent as several messages.
        buttons: buttons under the (last) message.
        attachments: files attached to the (last) message.
        mention_user_id: the one user this message may ping (secretary alerts about a member);
            every other mention is suppressed.
    """

    content: str
    buttons: tuple[ButtonSpec, ...] = ()
    attachments: tuple[AttachmentRef, ...] = ()
    mention_user_id: int | None = None

    def __post_init__(self) -> None:
        if not self.content.strip() and not self.attachments:
            raise ValueError("an outgoing message needs content or an attachment")
        if len(self.buttons) > MAX_BUTTONS:
            raise ValueError("too many buttons")

    def to_json(self) -> str:
        """Serialise for the outbox table."""
        data: dict[str, Any] = {
            "v": PAYLOAD_VERSION,
            "content": self.content,
            "buttons": [{"custom_id": b.custom_id, "label": b.label, "style": b.style.value} for b in self.buttons],
            "attachments": [{"kind": a.kind, "ref": a.ref} for a in self.attachments],
            "mention_user_id": self.mention_user_id,
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> OutgoingMessage:
        """Read a message back from the outbox table."""
        data = json.loads(text)
        if data.get("v") != PAYLOAD_VERSION:
            raise ValueError(f"unknown outbox payload version {data.get('v')!r}")
        return cls(
            content=data["content"],
            buttons=tuple(
                ButtonSpec(b["custom_id"], b["label"], ButtonStyle(b.get("style", "secondary")))
                for b in data.get("buttons", ())
            ),
            attachments=tuple(AttachmentRef(a["kind"], a["ref"]) for a in data.get("attachments", ())),
            mention_user_id=data.get("mention_user_id"),
        )


class TargetKind(StrEnum):
    """Where a message goes."""

    USER = "user"
    """A direct message to a member."""
    CHANNEL = "channel"
    """A post in a server channel (the secretary channel)."""


class OutboxState(StrEnum):
    """Life of an outbox row."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    """Given up after too many errors; the secretary was alerted."""
    UNDELIVERABLE = "undeliverable"
    """The member's DMs are closed (Discord error 50007); the secretary was alerted."""
    DROPPED = "dropped"
    """No longer wanted (e.g. a reminder for a meeting that was cancelled)."""


class Purpose(StrEnum):
    """Why a message is owed; shown to the secretary when it cannot be delivered."""

    INVITATION = "invitation"
    CALL_UP = "call_up"
    RELEASE = "release"
    REMINDER = "reminder"
    CHANGE = "change"
    CANCELLATION = "cancellation"
    ALERT = "alert"
    STATUS_PROMPT = "status_prompt"
    MINUTES_COPY = "minutes_copy"
    DOCUMENT = "document"
    """A document attached to the agenda after the invitations went out."""
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A message to enqueue: the dedupe key makes enqueuing it twice a no-op."""

    dedupe_key: str
    target_kind: TargetKind
    target_id: int
    message: OutgoingMessage
    purpose: Purpose = Purpose.OTHER
    meeting_id: int | None = None
    org_id: int | None = None

    @classmethod
    def dm(
        cls,
        dedupe_key: str,
        user_id: int,
        message: OutgoingMessage,
        purpose: Purpose,
        *,
        meeting_id: int | None = None,
        org_id: int | None = None,
    ) -> OutboxItem:
        """A direct message to ``user_id``."""
        return cls(dedupe_key, TargetKind.USER, user_id, message, purpose, meeting_id, org_id)


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """A stored outbox row: the :class:`OutboxItem` that was enqueued, and how sending it goes."""

    id: int
    guild_id: int
    item: OutboxItem
    state: OutboxState
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    last_error: str | None = None
    message_id: int | None = None
    sent_at: datetime | None = None
    dm_channel_id: int | None = None
    """For a DM: the member's DM channel, when the bot has learned it (filled in when claimed)."""

    @property
    def nonce(self) -> str:
        """The Discord nonce for this row: a resend after a crash is recognised as the same message."""
        return f"council-{self.id}"


def backoff(attempts: int) -> timedelta:
    """How long to wait before attempt ``attempts + 1`` (30 s, 1 min, 2 min, … at most an hour)."""
    exponent = max(0, min(attempts - 1, 20))
    return min(BACKOFF_BASE * (1 << exponent), BACKOFF_CAP)
