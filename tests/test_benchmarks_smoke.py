"""`make bench` keeps working: every scenario in a tiny configuration (structure, not timing)."""

from __future__ import annotations

import json

from benchmarks.run import main


def test_benchmarks_run_small(tmp_path):
    out = tmp_path / "bench"
    argv = ["--out", str(out), "--orgs", "4", "--samples", "6", "--warmup", "1", "--members", "6", "--stored", "8",
            "--rate", "500", "--rtt", "0", "20", "--sizes", "3", "30", "--repeats", "1", "--stall-orgs", "5",
            "--stall-rows", "50"]  # fmt: skip
    assert main(argv) == 0
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    [latency] = results["latency"]
    assert latency["rsvp_click"]["n"] == 6
    assert latency["dashboard"]["p99_ms"] > 0
    assert latency["rss_mib"] > 0
    fast, slow = results["delivery"]
    assert (fast["rtt_ms"], slow["rtt_ms"]) == (0, 20)
    first, second = slow["calls"]
    assert (first["dm_channels_unknown"], second["dm_channels_unknown"]) == (6, 0)
    assert (first["dm_channel_opens"], second["dm_channel_opens"]) == (6, 0)  # remembered for the second call
    assert first["dm_messages"] == second["dm_messages"] == 6  # one DM per member per call
    assert first["message_posts"] == second["message_posts"] == 6  # and nothing else (no alert)
    assert first["ratio"] > 0 and second["ratio"] > 0
    assert 0 < slow["bot_rss_mib"] < 1000
    assert set(results["minutes"]["sizes"]) == {"3", "30"}
    assert "30/3" in results["minutes"]["growth_ratios"]
    table = (out / "results.md").read_text(encoding="utf-8")
    assert "| minutes, 30 orgs |" in table
    assert "| second call (DM channels known), 6 members, 20 ms RTT |" in table
    stalls = results["loop_stalls"]
    assert stalls["draft"]["organisations"] == 5 and stalls["draft"]["samples"] > 0
    assert stalls["csv_import"]["rows"] == 50 and stalls["csv_import"]["longest_stall_ms"] >= 0
    assert "| /roster import, 50 rows | longest event-loop stall" in table
