"""Rules for the test suite itself: slow tests are marked, so a developer can deselect them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
STARTS_A_PROCESS = re.compile(
    r"(?<![.\w])start_bot\("  # tests/e2e/bot_process.py: the bot as a real process (not harness.start_bot)
    r"|create_subprocess_exec\(|subprocess\.(run|Popen|check_call|check_output)\("
)


def _marks(decorators: list[ast.expr]) -> set[str]:
    names = set()
    for decorator in decorators:
        node = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
    return names


def _module_marks(tree: ast.Module) -> set[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets):
            values = node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
            return _marks(values)
    return set()


def test_every_test_that_starts_a_process_is_marked_slow():
    unmarked, marked = [], 0
    for path in sorted(TESTS.rglob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        module = _module_marks(tree)
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or not node.name.startswith("test_"):
                continue
            body = ast.get_source_segment(source, node) or ""
            if STARTS_A_PROCESS.search(body):
                if "slow" in _marks(node.decorator_list) | module:
                    marked += 1
                else:
                    unmarked.append(f"{path.relative_to(TESTS)}::{node.name}")
    assert unmarked == [], "mark these @pytest.mark.slow"
    assert marked >= 5  # the crash, stop, start, kill-during-write and deployment tests


def test_the_slow_marker_is_registered():
    import tomllib

    config = tomllib.loads((TESTS.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]
    assert any(m.startswith("slow:") for m in config["ini_options"]["markers"])
    assert "--strict-markers" in config["ini_options"]["addopts"]
