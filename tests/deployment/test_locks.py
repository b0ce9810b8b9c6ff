"""The locks cover pyproject.toml: every dependency is pinned with hashes (else: run ``make lock``)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def names(requirements: list[str]) -> set[str]:
    return {
        re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].strip().lower().replace("_", "-").replace(".", "-")
        for r in requirements
    }


def locked(path: Path) -> dict[str, str]:
    """``name -> version`` of a lock, checking every pin carries at least one hash."""
    pins: dict[str, str] = {}
    text = path.read_text(encoding="utf-8")
    for block in re.split(r"\n(?=[a-z0-9])", text):
        match = re.match(r"([a-z0-9][a-z0-9._-]*)==([^ ;\\\n]+)", block)
        if match is None:
            continue
        assert "--hash=sha256:" in block, f"{match.group(1)} has no hash in {path.name}"
        pins[match.group(1).replace("_", "-").replace(".", "-")] = match.group(2)
    return pins


@pytest.fixture(scope="module")
def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_runtime_lock_pins_every_runtime_dependency(project):
    missing = names(project["dependencies"]) - set(locked(ROOT / "requirements.lock"))
    assert not missing, f"not in requirements.lock: {sorted(missing)} (run make lock)"


def test_dev_lock_pins_everything_and_agrees_with_the_runtime_lock(project):
    dev = locked(ROOT / "requirements-dev.lock")
    wanted = names(project["dependencies"]) | names(project["optional-dependencies"]["dev"])
    missing = wanted - set(dev)
    assert not missing, f"not in requirements-dev.lock: {sorted(missing)} (run make lock)"
    runtime = locked(ROOT / "requirements.lock")
    assert {name: dev.get(name) for name in runtime} == runtime  # production runs the tested versions
