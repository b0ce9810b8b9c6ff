"""Logs never carry the token, and never carry message contents at INFO or above."""

from __future__ import annotations

import ast
import io
import logging
from pathlib import Path

from bot.logging_setup import RedactFilter, configure_logging

ROOT = Path(__file__).resolve().parents[2]
CONTENT_NAMES = {"content", "text", "note", "status", "body", "payload", "reason", "source"}


def test_the_token_is_redacted_everywhere():
    token = "MTIz.secret-token.abc"
    configure_logging("DEBUG", secrets=[token])
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter([token]))
    for name in ("bot.runtime.client", "discord.http", "aiohttp.client"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.debug("token %s", token)
        logger.info(f"Authorization: Bot {token}")
        logger.warning("nested %r", {"headers": {"Authorization": f"Bot {token}"}})
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert token not in output
    assert output.count("[redacted]") == 9


def _log_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("info", "warning", "error", "exception", "critical")
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("log", "logger", "_log")
        ):
            yield node


def test_no_log_call_at_info_or_above_passes_message_contents():
    offenders = []
    for path in list((ROOT / "bot").rglob("*.py")) + list((ROOT / "cogs").rglob("*.py")):
        if "sandbox" in path.parts:
            continue
        for call in _log_calls(ast.parse(path.read_text(encoding="utf-8"))):
            for arg in call.args[1:]:
                if isinstance(arg, ast.Call) and getattr(arg.func, "id", None) == "len":
                    continue  # a count of something is not its contents
                if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) and arg.value.id == "exc":
                    continue  # an HTTP error's status code
                for node in ast.walk(arg):
                    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
                    if name in CONTENT_NAMES:
                        offenders.append(f"{path.relative_to(ROOT)}:{call.lineno} logs {name}")
    assert offenders == []
