"""Minutes use cases: notes, drafts, publishing with copies to every representative and deputy, addenda.

Compiling and rendering take CPU (the Word document most: about 190 ms at 200 organisations), so
every flow goes *read, release, render, write*: the inputs are read, the document is compiled and
rendered in a worker thread (:func:`asyncio.to_thread`) with no transaction open, and only then one
short write transaction re-checks what must still hold (the draft version, not yet published) and
stores the result. The event loop keeps answering clicks meanwhile, and no write waits on a render.

The parts: ``_results`` (what the use cases return, the seams other features plug into),
``_archive`` (reading the inputs, rendering, storing versions — shared with the approval of minutes),
``_notes`` (notes and the edit form) and ``_publishing`` (drafts, publication, addenda, files).
"""

from __future__ import annotations

from bot.services.minutes._archive import MinutesArchive, refs
from bot.services.minutes._notes import MinutesNotes
from bot.services.minutes._publishing import MinutesPublishing
from bot.services.minutes._results import (
    ATTACHMENT_KIND,
    Format,
    MemorySource,
    MinutesResult,
    NoStatuses,
    NotesEdited,
    NotesForm,
    PublishHook,
    Rendered,
    StatusSource,
)

__all__ = [
    "ATTACHMENT_KIND",
    "Format",
    "MemorySource",
    "MinutesArchive",
    "MinutesResult",
    "MinutesService",
    "NoStatuses",
    "NotesEdited",
    "NotesForm",
    "PublishHook",
    "Rendered",
    "StatusSource",
    "refs",
]


class MinutesService(MinutesNotes, MinutesPublishing):
    """Rules for the minutes. Plain ids in, plain values out."""
