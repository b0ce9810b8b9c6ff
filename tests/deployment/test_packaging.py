"""pyproject.toml ships every package and data file the bot loads (the wheel test then proves they load)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def source_dir(package: str) -> Path:
    mapped = SETUPTOOLS.get("package-dir", {})
    return ROOT / mapped[package] if package in mapped else ROOT / package.replace(".", "/")


def test_every_package_in_the_source_tree_is_listed():
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("bot", "cogs")
        for init in (ROOT / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    listed = set(SETUPTOOLS["packages"])
    assert found - listed == set(), "add these packages to [tool.setuptools] packages in pyproject.toml"
    assert listed - found == {"bot.templates"}
    assert (source_dir("bot.templates") / "__init__.py").is_file()


def test_every_data_file_is_shipped():
    globs = SETUPTOOLS["package-data"]
    files = {
        path
        for package in SETUPTOOLS["packages"]
        for path in source_dir(package).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }

    def shipped(path: Path) -> bool:
        for package, patterns in globs.items():
            folder = source_dir(package)
            if folder in path.parents:
                relative = path.relative_to(folder).as_posix()
                if any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
                    return True
        return False

    missing = sorted(str(path.relative_to(ROOT)) for path in files if not shipped(path))
    assert missing == [], "add these to [tool.setuptools.package-data] in pyproject.toml"
    assert any(path.suffix == ".j2" for path in files)
