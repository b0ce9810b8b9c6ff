"""The golden-file check itself: a missing or different file fails; only ``--update-goldens`` writes."""

from __future__ import annotations

import pytest

from tests.conftest import check_golden


def test_a_missing_golden_file_fails_and_writes_nothing(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="missing"):
        check_golden("new.md", "text", update=False, directory=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_different_golden_file_fails(tmp_path):
    (tmp_path / "old.md").write_text("before", encoding="utf-8")
    with pytest.raises(AssertionError, match="differs"):
        check_golden("old.md", "after", update=False, directory=tmp_path)
    assert (tmp_path / "old.md").read_text(encoding="utf-8") == "before"


def test_update_rewrites_the_file(tmp_path):
    (tmp_path / "old.md").write_text("before", encoding="utf-8")
    check_golden("old.md", "after", update=True, directory=tmp_path)
    check_golden("new.md", "fresh", update=True, directory=tmp_path)
    assert (tmp_path / "old.md").read_text(encoding="utf-8") == "after"
    assert (tmp_path / "new.md").read_text(encoding="utf-8") == "fresh"
    check_golden("old.md", "after", update=False, directory=tmp_path)
