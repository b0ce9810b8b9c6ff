"""What a member's interaction looks like from the test side: the handle and the forms the bot opens.

An :class:`InteractionHandle` is returned by ``invoke``, ``click`` and ``submit_modal``. It records the
bot's answer as the sandbox receives it (the initial callback, edits of the original response and
follow-ups), and lets a test wait for it without sleeping.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.sandbox.state import Attachment, Json, Message, User

if TYPE_CHECKING:
    from bot.sandbox.server import SandboxServer

# Interaction types (what the member did).
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5

# Callback types (how the bot answered).
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
MODAL = 9

TEXT_INPUT = 4
LABEL = 18


@dataclass
class ModalField:
    """One text input on a form the bot opened."""

    custom_id: str
    label: str
    value: str = ""
    max_length: int = 4000
    min_length: int = 0
    required: bool = True
    style: int = 1


@dataclass
class Modal:
    """A form (modal) the bot opened in answer to an interaction."""

    custom_id: str
    title: str
    fields: list[ModalField] = field(default_factory=list)
    raw: Json = field(default_factory=dict)

    @classmethod
    def from_payload(cls, data: Json) -> Modal:
        """Read the modal out of a type-9 callback's ``data``."""
        fields: list[ModalField] = []

        def walk(items: list[Json], label: str | None) -> None:
            for item in items:
                if item.get("type") == TEXT_INPUT:
                    fields.append(
                        ModalField(
                            custom_id=str(item["custom_id"]),
                            label=str(item.get("label") or label or ""),
                            value=str(item.get("value") or ""),
                            max_length=int(item.get("max_length") or 4000),
                            min_length=int(item.get("min_length") or 0),
                            required=item.get("required", True) is not False,
                            style=int(item.get("style") or 1),
                        )
                    )
                walk(item.get("components", []), label)
                if isinstance(item.get("component"), dict):
                    walk([item["component"]], str(item.get("label") or ""))

        walk(data.get("components", []), None)
        return cls(str(data.get("custom_id", "")), str(data.get("title", "")), fields, data)

    def field(self, custom_id: str) -> ModalField:
        """The text input with this custom id."""
        for item in self.fields:
            if item.custom_id == custom_id:
                return item
        raise KeyError(f"the form has no field {custom_id!r}: {[f.custom_id for f in self.fields]}")


class InteractionHandle:
    """One interaction a member started, and everything the bot answered to it.

    The answer is read through :attr:`message` (the response the member sees first: the reply, the
    deferred placeholder once a follow-up filled it, or the message a button updated) and
    :attr:`followups`; :attr:`content`, :attr:`embeds`, :attr:`components` and :attr:`attachments`
    gather them all, in order.
    """

    def __init__(
        self,
        server: SandboxServer,
        interaction_id: int,
        token: str,
        kind: int,
        user: User,
        payload: Json,
        created: float | None = None,
    ) -> None:
        self.server = server
        self.id = interaction_id
        self.token = token
        self.kind = kind
        self.user = user
        self.payload = payload
        self.created = time.monotonic() if created is None else created
        self.response_type: int | None = None
        self.responded_at: float | None = None  # when the bot's first callback arrived (benchmarks)
        self.original: Message | None = None
        self.updated_message: Message | None = None
        self.followups: list[Message] = []
        self.modal: Modal | None = None
        self.choices: list[Json] | None = None
        self.placeholder_pending = False

    # -- waiting ---------------------------------------------------------------------------------

    @property
    def responded(self) -> bool:
        """Whether the bot acknowledged the interaction."""
        return self.response_type is not None

    async def wait_response(self, timeout: float = 5.0) -> InteractionHandle:
        """Wait until the bot acknowledges the interaction."""
        await self.server.wait_for(lambda: self.responded, timeout=timeout, what=f"a response to {self.describe()}")
        return self

    async def wait_done(self, timeout: float = 5.0) -> InteractionHandle:
        """Wait until the visible answer is final (a deferred "thinking" response has been filled in)."""
        await self.wait_response(timeout)
        await self.server.wait_for(
            lambda: not self.placeholder_pending, timeout=timeout, what=f"the follow-up to {self.describe()}"
        )
        return self

    async def wait_followups(self, count: int, timeout: float = 5.0) -> list[Message]:
        """Wait for at least ``count`` follow-up messages (the one that filled a placeholder not counted)."""
        await self.server.wait_for(
            lambda: len(self.followups) >= count, timeout=timeout, what=f"{count} follow-up(s) to {self.describe()}"
        )
        return self.followups

    # -- the answer --------------------------------------------------------------------------------

    @property
    def type(self) -> int | None:
        """The callback type the bot answered with (4 message, 5 deferred, 6, 7, 8, 9), None before."""
        return self.response_type

    @property
    def message(self) -> Message | None:
        """The first visible answer: the reply, the filled placeholder, or the message a click updated."""
        if self.original is not None and not self.original.deleted:
            return self.original
        if self.updated_message is not None and not self.updated_message.deleted:
            return self.updated_message
        return None

    @property
    def messages(self) -> list[Message]:
        """:attr:`message` then the follow-ups (deleted ones left out)."""
        first = [self.message] if self.message is not None else []
        return first + [m for m in self.followups if not m.deleted]

    @property
    def content(self) -> str:
        """All the text the bot answered with, one message per line."""
        return "\n".join(m.content for m in self.messages)

    @property
    def embeds(self) -> list[Json]:
        """Every embed in the answer."""
        return [e for m in self.messages for e in m.embeds]

    @property
    def components(self) -> list[Json]:
        """Every top-level component (action rows) in the answer."""
        return [c for m in self.messages for c in m.components]

    @property
    def attachments(self) -> list[Attachment]:
        """Files in the answer."""
        return [a for m in self.messages for a in m.attachments]

    @property
    def ephemeral(self) -> bool:
        """Whether the answer is visible only to the member."""
        return bool(self.messages) and all(m.ephemeral for m in self.messages)

    @property
    def allowed_mentions(self) -> Json | None:
        """The ``allowed_mentions`` of :attr:`message`."""
        return self.message.allowed_mentions if self.message is not None else None

    def custom_ids(self) -> list[str]:
        """Every component custom id in the answer, in order."""
        return [c for m in self.messages for c in m.custom_ids()]

    def describe(self) -> str:
        """A short label for error messages."""
        data = self.payload.get("data", {})
        return str(data.get("name") or data.get("custom_id") or self.id)
