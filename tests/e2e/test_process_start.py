"""A real ``council-bot run`` that cannot start says why in one line and exits 2, never a traceback."""

from __future__ import annotations

import asyncio

import pytest

from bot.sandbox import SandboxServer
from tests.e2e.bot_process import seed_council, start_bot


@pytest.mark.slow
async def test_wrong_token_is_one_clear_line_and_exit_code_2(sandbox: SandboxServer, tmp_path):
    council = await seed_council(sandbox, tmp_path, 1)
    log = tmp_path / "bot.log"
    bot = await start_bot(council.config, log, token="not-the-bot-token")
    code = await asyncio.wait_for(bot.wait(), timeout=30)
    text = log.read_text(encoding="utf-8")
    assert code == 2, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines == [lines[-1]], text  # one line
    assert "Discord refused the token (401 Unauthorized)" in lines[-1]
    assert "not-the-bot-token" not in text
    assert not sandbox.sessions
