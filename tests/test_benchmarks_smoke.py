"""`make bench` keeps working: every scenario in a tiny configuration (structure, not timing)."""

from __future__ import annotations

import json

from benchmarks.run import main


def test_benchmarks_run_small(tmp_path):
    out = tmp_path / "bench"
    argv = ["--out", str(out), "--orgs", "4", "--samples", "6", "--warmup", "1", "--members", "6", "--rate", "500",
            "--sizes", "3", "30", "--repeats", "1", "--stall-orgs", "5", "--stall-rows", "50"]  # fmt: skip
    assert main(argv) == 0
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    [latency] = results["latency"]
    assert latency["rsvp_click"]["n"] == 6
    assert latency["dashboard"]["p99_ms"] > 0
    assert latency["rss_mib"] > 0
    assert results["call"]["requests_served"] >= 6
    assert results["call"]["ratio"] > 0
    assert set(results["minutes"]["sizes"]) == {"3", "30"}
    assert "30/3" in results["minutes"]["growth_ratios"]
    assert "| minutes, 30 orgs |" in (out / "results.md").read_text(encoding="utf-8")
    stalls = results["loop_stalls"]
    assert stalls["draft"]["organisations"] == 5 and stalls["draft"]["samples"] > 0
    assert stalls["csv_import"]["rows"] == 50 and stalls["csv_import"]["longest_stall_ms"] >= 0
    assert "| /roster import, 50 rows | longest event-loop stall" in (out / "results.md").read_text(encoding="utf-8")
