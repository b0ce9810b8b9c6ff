"""THE DEPLOYMENT PROOF: the README's install commands, run as written, give a bot that works.

Every other test runs from the editable install in the source tree, so none of them can see a file
missing from the wheel. This one takes the README's "Install" block verbatim, copies the repository's
files (tracked and not ignored, as a fresh clone has them) to a temporary folder, and runs the block
there with bash: a fresh venv, the hash-checked lock, the wheel built from the copy and installed
with ``--no-deps``, ``check-config`` on the example configuration, and ``council-bot demo`` from a
folder outside the repository. The copy of the source is deleted before the demo runs, so the demo can
only read what the wheel installed. The absolute paths the README uses (``/opt/council-bot``,
``/etc/council-bot``, ``/var/lib/council-bot``) are moved under the temporary folder; nothing else in
the commands changes.

pip's cache makes the dependency install quick after the first run (``--no-index`` is not an option:
the build backend comes from the index).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from docx import Document

ROOT = Path(__file__).resolve().parents[2]
BEGIN = "<!-- install: begin (tests/deployment/test_readme_install.py runs this block as written) -->"
END = "<!-- install: end -->"
SYSTEM_PATHS = ("/opt/council-bot", "/etc/council-bot", "/var/lib/council-bot")

pytestmark = [pytest.mark.deployment, pytest.mark.timeout(900)]


def install_block() -> str:
    """The shell block between the README's install markers."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(BEGIN, 1)[1].split(END, 1)[0]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match is not None, "the install block must be a ```sh fence between the markers"
    return match.group(1)


def copy_checkout(destination: Path) -> None:
    """What a fresh clone holds: tracked files plus new ones not ignored (so uncommitted work is tested too)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def run_block(script: str, *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run part of the install block with bash, stopping at the first failing command; it must succeed
    (the failure message holds the end of its output)."""
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_install_block_uses_the_lock_and_no_editable_install():
    block = install_block()
    assert "--require-hashes -r requirements.lock" in block
    assert "pip install --no-deps ." in block
    assert " -e " not in block and "--editable" not in block
    assert "council-bot demo" in block


@pytest.mark.slow
def test_readme_install_block_gives_a_working_bot(tmp_path):
    root = tmp_path / "root"
    checkout = tmp_path / "council-bot"
    copy_checkout(checkout)
    script = install_block()
    for path in SYSTEM_PATHS:
        script = script.replace(path, f"{root}{path}")
    script = script.replace("python3.11 -m venv", f"{shutil.which('python3.11') or 'python3.11'} -m venv")
    # The demo line runs after the source is gone: split the block there.
    install, _, demo = script.partition("\ncd ")
    demo = "cd " + demo
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    started = time.monotonic()
    result = run_block(install, cwd=checkout, env=env)
    assert "configuration ok" in result.stdout
    installed = time.monotonic()

    shutil.rmtree(checkout)  # from here on only the installed package exists
    venv = root / "opt" / "council-bot"
    where = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import bot.templates, cogs; print(bot.templates.__file__, cogs.__file__)",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert all(p.startswith(str(venv / "lib")) for p in where.split()), where

    result = run_block(demo, cwd=tmp_path, env=env)
    assert "Traceback" not in result.stderr
    workdir = root / "var" / "lib" / "council-bot"
    # The demo ends by naming the files it wrote, one per line: the minutes as Markdown and Word among them.
    written = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("demo-output/")]
    [md] = [workdir / name for name in written if name.endswith(".md")]
    [docx] = [workdir / name for name in written if name.endswith(".docx")]
    assert md.parent == workdir / "demo-output" and md.suffix == ".md" and docx.suffix == ".docx", result.stdout
    assert md.is_file() and docx.is_file(), sorted(p.name for p in md.parent.iterdir())
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Møtereferat – Ekspertråd NKROP")
    assert "Marborg" in text
    word = Document(io.BytesIO(docx.read_bytes()))
    assert word.tables[0].rows[2].cells[1].text == "Nytt fra Nasjonal kompetansetjeneste ROP"
    finished = time.monotonic()
    print(f"deployment proof: install {installed - started:.1f} s, demo {finished - installed:.1f} s")  # noqa: T201
