"""The languages of the bot (one table) and their message catalogues.

:data:`LOCALES` is the one place a language is declared: its code, its name, the Discord locales
that see the slash commands in it, and how dates are read and written in it. Everything that picks
or offers a language (configuration, ``/council setup``, the CLI, date parsing and formatting, the
minutes, the slash-command translator) reads this table. The module is pure (no ``discord``).

Every user-facing string lives in ``bot/locales/<lang>/<area>.toml``. A key is ``<area>.<name>``,
for example ``roster.org_added`` from ``locales/nb/roster.toml``. Parameters use ``str.format``
syntax (``"{org} er lagt til"``). Every language must hold the same keys (a test checks this).

In production a missing key or placeholder is logged and a fallback text is shown, so a gap never
crashes an interaction. Under test the catalogue is *strict* (``tests/conftest.py`` switches it on,
also for bot processes the tests start, through the ``COUNCIL_BOT_STRICT_I18N`` environment variable):
the same gap raises :class:`MissingMessageError`, so a test cannot pass on fallback text.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from string import Formatter
from typing import Any, Final, TypeAlias

log = logging.getLogger(__name__)

Language: TypeAlias = str
"""A language code of :data:`LOCALES` (``nb``, ``en``); :func:`as_language` maps anything else to one."""


@dataclass(frozen=True, slots=True)
class LocaleInfo:
    """Everything the bot needs to know about one language besides its catalogue and templates."""

    code: str
    """The code of ``bot/locales/<code>/`` and ``templates/<code>/``, stored as the council's language."""
    name: str
    """The name in English, as offered by ``/council setup`` (translated by the command catalogues)."""
    native: str
    """The name in the language itself, as ``/council info`` shows it."""
    discord: tuple[str, ...]
    """Discord locales that see the slash commands in this language (from ``commands*.toml``) and whose
    users are answered in it before a council is set up; none for English, the commands' source text."""
    babel: str
    """Babel locale for month and weekday names."""
    dateparser: str
    """dateparser language code for reading dates."""
    docx: str
    """Language tag written into a .docx file's properties."""
    date_example: str
    """A date and time the parser understands, shown when one was not understood."""
    long_date: str
    """Babel pattern of a date with its weekday."""
    plain_date: str
    """Babel pattern of a date."""
    clock: str
    """Babel pattern of a time of day."""
    short: str
    """Babel pattern of a compact date and time (dashboards)."""
    day_and_clock: str
    """How a date and a time join (``{day}``, ``{clock}``)."""


LOCALES: Final[Mapping[Language, LocaleInfo]] = {
    row.code: row
    for row in (
        LocaleInfo(
            code="nb",
            name="Norwegian (bokmål)",
            native="norsk (bokmål)",
            discord=("no",),
            babel="nb",
            dateparser="nb",
            docx="nb-NO",
            date_example="2. juni 2027 kl 10-15",
            long_date="EEEE d. MMMM y",
            plain_date="d. MMMM y",
            clock="HH.mm",
            short="d.M. 'kl.' HH.mm",
            day_and_clock="{day} kl. {clock}",
        ),
        LocaleInfo(
            code="en",
            name="English",
            native="English",
            discord=("en-US", "en-GB"),
            babel="en",
            dateparser="en",
            docx="en-GB",
            date_example="June 2 2027 10:00-15:00",
            long_date="EEEE d MMMM y",
            plain_date="d MMMM y",
            clock="HH:mm",
            short="d MMM HH:mm",
            day_and_clock="{day}, {clock}",
        ),
    )
}
"""The languages of the bot; the first is the default. Adding a language: a catalogue folder, a
templates folder, and one row here."""
LANGUAGES: Final[tuple[Language, ...]] = tuple(LOCALES)
DEFAULT_LANGUAGE: Final[Language] = LANGUAGES[0]


STRICT_ENV: Final = "COUNCIL_BOT_STRICT_I18N"
"""Set to ``1`` to make a missing key or placeholder raise instead of falling back (tests do)."""

_strict = os.environ.get(STRICT_ENV) == "1"


class MissingMessageError(LookupError):
    """A message key or one of its placeholders is missing (raised only in strict mode)."""


def set_strict(strict: bool) -> None:
    """Make a missing key or placeholder raise :class:`MissingMessageError` (tests) or fall back (production)."""
    global _strict
    _strict = strict


def is_strict() -> bool:
    """Whether a missing key or placeholder raises."""
    return _strict


def locale_of(language: str) -> LocaleInfo:
    """The table row of ``language`` (the default language's row for an unknown code)."""
    return LOCALES.get(language) or LOCALES[DEFAULT_LANGUAGE]


def language_choices() -> str:
    """The languages a council may choose, for messages: ``nb (norsk (bokmål)), en (English)``."""
    return ", ".join(f"{row.code} ({row.native})" for row in LOCALES.values())


def reading_order(language: str) -> tuple[Language, ...]:
    """Languages to read typed dates in: the council's first, then the others."""
    first = as_language(language)
    return (first, *(code for code in LANGUAGES if code != first))


def locales_dir() -> Traversable:
    """The catalogues, read through the installed package (never a path in the source tree)."""
    return files("bot") / "locales"


def _flatten(prefix: str, table: Mapping[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}"
        if isinstance(value, Mapping):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


@cache
def catalogue(language: Language) -> Mapping[str, str]:
    """Return every message of ``language`` keyed ``area.name``."""
    messages: dict[str, str] = {}
    entries = [e for e in (locales_dir() / language).iterdir() if e.name.endswith(".toml")]
    for entry in sorted(entries, key=lambda e: e.name):
        _flatten(entry.name.removesuffix(".toml"), tomllib.loads(entry.read_text(encoding="utf-8")), messages)
    return messages


def as_language(value: str | None) -> Language:
    """Map a stored language code or a Discord locale (``en-US``, ``no``) to a language of the table.

    Anything unknown is the default language.
    """
    wanted = (value or "").strip().lower()
    for row in LOCALES.values():
        if wanted == row.code or wanted.split("-")[0] == row.code or wanted in (d.lower() for d in row.discord):
            return row.code
    return DEFAULT_LANGUAGE


def t(language: Language, key: str, /, **params: Any) -> str:
    """Translate ``key`` into ``language``, substituting ``params``.

    A missing key falls back to the other language and then to the key itself, so a gap never
    crashes an interaction; the catalogue tests keep gaps from being committed. In strict mode
    (:func:`set_strict`) a missing key or placeholder raises :class:`MissingMessageError` instead.
    """
    text = catalogue(language).get(key)
    if text is None:
        if _strict:
            raise MissingMessageError(f"no message {key!r} in language {language!r}")
        fallback = next((code for code in LANGUAGES if code != language), DEFAULT_LANGUAGE)
        text = catalogue(DEFAULT_LANGUAGE if language != DEFAULT_LANGUAGE else fallback).get(key, key)
        log.warning("missing message %s for language %s", key, language)
    if not params:
        if _strict and any(field is not None for _, field, _, _ in Formatter().parse(text)):
            raise MissingMessageError(f"message {key!r} ({language}) needs parameters and got none")
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError) as exc:
        if _strict:
            raise MissingMessageError(
                f"message {key!r} ({language}) cannot be filled with {sorted(params)}: {exc!r}"
            ) from exc
        log.warning("bad parameters for message %s", key)
        return text
