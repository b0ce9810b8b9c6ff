"""Logging that never shows the token and keeps message contents out of INFO."""

from __future__ import annotations

import logging
import sys


class RedactFilter(logging.Filter):
    """Replaces any occurrence of the given secrets in a log record with ``[redacted]``."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the formatted message (and drop its arguments so nothing leaks later)."""
        if not self.secrets:
            return True
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "[redacted]")
            record.msg, record.args = message, None
        return True


def _not_voice_notice(record: logging.LogRecord) -> bool:
    """discord.py warns at every start that voice is unsupported; this bot has no voice, so it is noise."""
    return not (record.name == "discord.client" and "voice will NOT be supported" in record.getMessage())


def configure_logging(level: str, *, secrets: list[str] | None = None) -> None:
    """Log to stderr at ``level``; discord.py's own chatter stays at WARNING unless DEBUG is asked for."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter(secrets or []))
    handler.addFilter(_not_voice_notice)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    if level.upper() != "DEBUG":
        logging.getLogger("discord").setLevel(logging.WARNING)
