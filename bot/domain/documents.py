"""Documents attached to agenda items: which files are accepted, and how big they may be.

Members receive them with the invitation (seed 004 is such a slide deck), so only the formats these
organisations read are taken — PDF, slides and word-processor documents — and each file's first bytes
must match its extension, so a renamed executable or an image is refused with a clear message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from bot.errors import InvalidInput

MAX_DOCUMENTS_PER_MEETING: Final = 9
"""Discord carries at most 10 files per message; the invitation also carries the calendar file."""
FILENAME_MAX: Final = 100
MB: Final = 1024 * 1024

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ACCEPTED: Final[dict[str, tuple[str, tuple[bytes, ...]]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "doc": ("application/msword", _OLE),
    "odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    "rtf": ("application/rtf", (b"{\\rtf",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "ppt": ("application/vnd.ms-powerpoint", _OLE),
    "odp": ("application/vnd.oasis.opendocument.presentation", _ZIP),
}
"""Extension -> (content type, accepted first bytes)."""

_UNSAFE = re.compile(r"[^\w.\- ()]+")


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A stored document, without its bytes (what messages and listings need)."""

    id: int
    guild_id: int
    meeting_id: int
    agenda_item_id: int
    filename: str
    content_type: str
    size: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """How big documents may be, in bytes."""

    per_file: int
    per_meeting: int

    @classmethod
    def from_mb(cls, per_file_mb: float, per_meeting_mb: float) -> DocumentLimits:
        """Limits given in MiB, as the configuration has them."""
        return cls(int(per_file_mb * MB), int(per_meeting_mb * MB))


def extension(filename: str) -> str:
    """The lower-case extension of a file name ("" when there is none)."""
    _, dot, ext = filename.rpartition(".")
    return ext.lower() if dot else ""


def accepted_list() -> str:
    """The accepted extensions for messages: ".pdf, .docx, …"."""
    return ", ".join(f".{ext}" for ext in ACCEPTED)


def clean_filename(filename: str) -> str:
    """A safe file name: no folders, no control or odd characters, at most ``FILENAME_MAX`` long."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" ._") or "document"
    ext = extension(base)
    if len(base) > FILENAME_MAX:
        stem = base[: FILENAME_MAX - len(ext) - 1].rstrip(" ._")
        base = f"{stem}.{ext}" if ext else stem
    return base


def format_size(size: int) -> str:
    """A size for people: "740 KB", "3.2 MB"."""
    if size < MB:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / MB:.1f} MB"


def check_upload(filename: str, size: int, *, limits: DocumentLimits, stored: int, count: int) -> str:
    """Check a file before it is downloaded; return its content type.

    Args:
        filename: the name as uploaded.
        size: its size in bytes, as Discord reports it.
        limits: the configured limits.
        stored: bytes already attached to the meeting.
        count: documents already attached to the meeting.

    Raises:
        InvalidInput: another type, empty, too big, or the meeting is full; the message states the limit.
    """
    ext = extension(filename)
    if ext not in ACCEPTED:
        raise InvalidInput("meetings.document_type", accepted=accepted_list())
    if size <= 0:
        raise InvalidInput("meetings.document_empty")
    if size > limits.per_file:
        raise InvalidInput("meetings.document_too_big", size=format_size(size), limit=format_size(limits.per_file))
    if count >= MAX_DOCUMENTS_PER_MEETING:
        raise InvalidInput("meetings.documents_too_many", limit=MAX_DOCUMENTS_PER_MEETING)
    if stored + size > limits.per_meeting:
        raise InvalidInput(
            "meetings.documents_too_big",
            limit=format_size(limits.per_meeting),
            left=format_size(max(0, limits.per_meeting - stored)) if stored < limits.per_meeting else "0 KB",
        )
    return ACCEPTED[ext][0]


def check_content(filename: str, data: bytes) -> None:
    """The downloaded bytes must be what the extension says (a PDF starts with ``%PDF-``…)."""
    ext = extension(filename)
    _, magics = ACCEPTED.get(ext, ("", ()))
    if not data or not any(data.startswith(magic) for magic in magics):
        raise InvalidInput("meetings.document_not_what_it_says", ext=ext or "?")
