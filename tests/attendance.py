"""An organisation's invitation in a chosen attendance state, for unit tests of the rules that read one."""

from __future__ import annotations

from bot.domain.attendance import Answer, AttendanceState, Invitation

REP, DEP = 11, 22
"""The representative and the deputy of the invited organisation."""


def invitation(
    rep: int | None = REP,
    dep: int | None = DEP,
    *,
    representative: Answer | None = None,
    deputy: Answer | None = None,
    deputy_invited: bool = False,
    deputy_called: bool = False,
) -> Invitation:
    """Organisation 1's invitation to meeting 1 with these seat holders and answers.

    A deputy called up has been called once (``callups``); the timestamps are left unset, as none of the
    rules under test read them.
    """
    state = AttendanceState(
        representative=representative,
        deputy=deputy,
        deputy_invited=deputy_invited,
        deputy_called=deputy_called,
        callups=int(deputy_called),
    )
    return Invitation(1, 1, 1, 1, rep, dep, state)
