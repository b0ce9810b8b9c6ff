"""The error handler's last branch: a bug while handling a command or a button, through the real bot.

A service method is made to raise an exception the bot does not expect (a fault injected into the
running bot). The user must get the ephemeral "something went wrong (reference …)" in the council's
language, and the log must carry the reference, the server and user ids and the traceback.
"""

from __future__ import annotations

import logging
import re

import pytest

from bot.i18n import Language, t
from bot.sandbox.harness import Harness


class InjectedFaultError(RuntimeError):
    """The injected bug."""


async def boom(*_args: object, **_kwargs: object) -> None:
    raise InjectedFaultError("injected fault")


def reference_in(language: Language, text: str) -> str:
    """The reference quoted in the "unexpected" message, which must otherwise match the catalogue exactly."""
    before, after = t(language, "errors.unexpected", ref="\0").split("\0")
    match = re.fullmatch(re.escape(before) + r"([0-9a-f]{6})" + re.escape(after), text)
    assert match, text
    return match.group(1)


def logged_bug(caplog: pytest.LogCaptureFixture, ref: str) -> logging.LogRecord:
    [record] = [r for r in caplog.records if f"ref={ref}" in r.getMessage()]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], InjectedFaultError)
    return record


@pytest.mark.parametrize("language", ["nb", "en"])
async def test_a_bug_in_a_command_is_reported_with_a_reference(
    harness: Harness, language: Language, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
):
    council = await harness.set_up_council(language=language)
    member = await harness.person(council, "Åse")
    monkeypatch.setattr(harness.bot.services.roster, "roster", boom)
    with caplog.at_level(logging.ERROR, logger="bot"):
        handle = await harness.run(member, council, "roster show")
    assert handle.ephemeral
    ref = reference_in(language, handle.content)
    record = logged_bug(caplog, ref)
    message = record.getMessage()
    assert "/roster show" in message
    assert f"guild={council.guild.id}" in message
    assert f"user={member.id}" in message
    # The bug is gone once the fault is: the same command answers normally again.
    monkeypatch.undo()
    shown = await harness.run(member, council, "roster show")
    assert shown.content == t(language, "roster.empty")


@pytest.mark.parametrize("language", ["nb", "en"])
async def test_a_bug_in_a_button_is_reported_with_a_reference(
    harness: Harness, language: Language, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
):
    council = await harness.set_up_council(language=language)
    carl = await harness.person(council, "Carl")
    await harness.run(council.secretary, council, "org add", name="Marborg", short="Marborg", kind="user")
    await harness.run(carl, council, "register", org="Marborg", role="deputy")
    [request] = await harness.wait_channel(council.secretary_channel, 1)
    monkeypatch.setattr(harness.bot.services.roster, "decide_registration", boom)
    with caplog.at_level(logging.ERROR, logger="bot"):
        click = await harness.server.click(council.secretary, request, request.custom_ids()[0])
        await click.wait_done()
    assert click.ephemeral
    ref = reference_in(language, click.content)
    message = logged_bug(caplog, ref).getMessage()
    assert "registration button" in message
    assert f"guild={council.guild.id}" in message
    assert f"user={council.secretary.id}" in message
    # Nothing was decided: the request keeps its buttons and can still be approved.
    assert len(request.custom_ids()) == 2
