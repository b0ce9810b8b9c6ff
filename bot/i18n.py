"""Message catalogues (Norwegian bokmål and English) and the slash-command translator.

Every user-facing string lives in ``bot/locales/<lang>/<area>.toml``. A key is ``<area>.<name>``,
for example ``roster.org_added`` from ``locales/nb/roster.toml``. Parameters use ``str.format``
syntax (``"{org} er lagt til"``). Both languages must hold the same keys (a test checks this).
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Final, Literal

log = logging.getLogger(__name__)

Language = Literal["nb", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("nb", "en")
DEFAULT_LANGUAGE: Final[Language] = "nb"


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
    """Map a stored or Discord locale string to a supported language (default nb)."""
    if value and value.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def t(language: Language, key: str, /, **params: Any) -> str:
    """Translate ``key`` into ``language``, substituting ``params``.

    A missing key falls back to the other language and then to the key itself, so a gap never
    crashes an interaction; the catalogue test keeps gaps from being committed.
    """
    text = catalogue(language).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE if language != DEFAULT_LANGUAGE else "en").get(key, key)
        log.warning("missing message %s for language %s", key, language)
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        log.warning("bad parameters for message %s", key)
        return text
