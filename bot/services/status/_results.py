"""What the status use cases return."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.meetings import Meeting
from bot.domain.roster import Council, Organisation, Person
from bot.domain.status import Author, DraftAction, StatusDraft, StatusVersion
from bot.i18n import Language


@dataclass(frozen=True, slots=True)
class StatusSlot:
    """Where a status belongs: one organisation's status for one meeting of a council."""

    council: Council
    meeting: Meeting
    org: Organisation


@dataclass(frozen=True, slots=True)
class StatusTarget:
    """A meeting and organisation a member may write the status for, with what is stored now."""

    slot: StatusSlot
    role: Author
    current: StatusVersion | None = None


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What a save did.

    Attributes:
        version: the current version after the save.
        previous: the version before it, if any.
        changed: ``False`` when the text was the same as the stored one (no new version).
    """

    slot: StatusSlot
    version: StatusVersion
    previous: StatusVersion | None
    changed: bool
    changed_meanwhile: StatusVersion | None = None
    """Saved by someone else after the writer opened the form (their text was replaced; both are kept)."""


@dataclass(frozen=True, slots=True)
class DraftPreview:
    """A DM was taken into a pending draft: show it back with keep/replace/append buttons.

    Attributes:
        draft: the pending draft (several messages in a row are joined into it).
        current: the status stored now, if any.
        others: other organisations or meetings the member could write for (named in the reply).
    """

    slot: StatusSlot
    draft: StatusDraft
    current: StatusVersion | None
    others: tuple[StatusTarget, ...] = ()


@dataclass(frozen=True, slots=True)
class DmRefusal:
    """A DM that was not taken; ``key`` and ``params`` say why.

    ``language`` is the council's, or ``None`` for a stranger no council knows (answer in bokmål
    with an English line).
    """

    key: str
    params: dict[str, Any]
    language: Language | None


@dataclass(frozen=True, slots=True)
class ResolveResult:
    """What a keep/replace/append button did.

    Attributes:
        draft: the draft, now resolved.
        version: the current status after the decision (``None`` when there is none).
        saved: whether a new version was stored.
    """

    slot: StatusSlot
    draft: StatusDraft
    action: DraftAction
    version: StatusVersion | None
    saved: bool


@dataclass(frozen=True, slots=True)
class ShowEntry:
    """One organisation in ``/status show``."""

    org: Organisation
    role: Author | None
    current: StatusVersion | None
    versions: int
    author: Person | None
    pending_draft: StatusDraft | None = None


@dataclass(frozen=True, slots=True)
class ShowResult:
    """``/status show``: what is stored for the caller's organisations."""

    council: Council
    meeting: Meeting
    entries: tuple[ShowEntry, ...]
    published: bool
