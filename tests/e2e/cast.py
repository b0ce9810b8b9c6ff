"""The organisations and people the end-to-end flows seat, shared so each test states only what differs.

Each ``SEATS_*`` maps a key to ``(name, org short, role)`` for :meth:`bot.sandbox.harness.Harness.seat`.
"""

from __future__ import annotations

from bot.sandbox.harness import Council, Harness

LPP = "Landsforeningen for pasienter og pårørende"
LPP_RIO = {"rep_lpp": ("Åse", "LPP", "representative"), "dep_lpp": ("Bjørn", "LPP", "deputy"),
           "rep_rio": ("Carl", "RIO", "representative")}  # fmt: skip

ORGS_WITH_BAR = {"LPP": LPP, "RIO": "RIO", "BAR": "Barn av rusmisbrukere"}
SEATS_WITH_BAR = {**LPP_RIO, "rep_bar": ("Dina", "BAR", "representative"), "dep_bar": ("Erik", "BAR", "deputy")}

ORGS_WITH_MH = {"LPP": LPP, "RIO": "RIO", "MH": "Mental Helse"}
SEATS_WITH_MH = {**LPP_RIO, "rep_mh": ("Dina", "MH", "representative"), "dep_mh": ("Erik", "MH", "deputy")}


async def call_the_december_meeting(harness: Harness, council: Council) -> None:
    """The secretary creates the meeting of 2 December 2026 with one item beside the standard ones, and opens it."""
    await harness.run(council.secretary, council, "meeting create", when="2. desember 2026 kl 10-13", place="Zoom")
    await harness.run(council.secretary, council, "agenda add", title="Nytt fra NKROP", lead="Kari Nysveen")
    await harness.run(council.secretary, council, "meeting open")
