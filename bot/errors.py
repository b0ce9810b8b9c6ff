"""The error hierarchy.

A ``UserError`` is an expected failure: the interaction error handler shows it to the user in their
language, using ``message_key`` to look up the text in the catalogues of :mod:`bot.i18n`. Any other
exception is a bug and is logged with a reference.
"""

from __future__ import annotations

from typing import Any


class CouncilError(Exception):
    """Base class for every error raised on purpose by council-bot."""


class ConfigError(CouncilError):
    """The configuration file is missing, malformed or has a wrong key."""


class UserError(CouncilError):
    """An expected failure caused by what a user asked for; shown to them, changes nothing.

    Args:
        message_key: key in the message catalogues, e.g. ``"roster.org_not_found"``.
        **params: values substituted into the message.
    """

    def __init__(self, message_key: str, **params: Any) -> None:
        super().__init__(message_key)
        self.message_key = message_key
        self.params = params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message_key!r}, {self.params!r})"


class NotFound(UserError):  # noqa: N818 - names read as the situation, per the design
    """Something the user named does not exist (in this server)."""


class NotAllowed(UserError):  # noqa: N818
    """The user may not do this."""


class InvalidInput(UserError):  # noqa: N818
    """The input cannot be understood or breaks a limit."""


class Conflict(UserError):  # noqa: N818
    """The request clashes with the current state (duplicate, already done, too late)."""
