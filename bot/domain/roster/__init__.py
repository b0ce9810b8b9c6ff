"""The roster: councils, organisations, and who represents them. Pure rules, no I/O.

The parts: ``_model`` (councils, organisations, seats, people, registration requests and the checks on
what the secretary types) and ``_csv`` (the roster as CSV out and in, and the seats an import changes).
"""

from bot.domain.fields import clean_text
from bot.domain.roster._csv import (
    CSV_COLUMNS,
    CSV_MAX_BYTES,
    CSV_MAX_ROWS,
    MAX_ID,
    CsvProblem,
    CsvRow,
    SeatPlan,
    format_roster_csv,
    parse_roster_csv,
    parse_user_id,
    plan_seats,
)
from bot.domain.roster._model import (
    COUNCIL_NAME_MAX,
    ERASED_ID,
    NAME_MAX,
    SHORT_MAX,
    Council,
    Organisation,
    OrgKind,
    Person,
    RegistrationRequest,
    Role,
    RosterEntry,
    Seat,
    is_secretary,
    nocase,
    validate_council,
    validate_kind,
    validate_org_name,
    validate_short,
)

__all__ = [
    "COUNCIL_NAME_MAX",
    "CSV_COLUMNS",
    "CSV_MAX_BYTES",
    "CSV_MAX_ROWS",
    "ERASED_ID",
    "MAX_ID",
    "NAME_MAX",
    "SHORT_MAX",
    "Council",
    "CsvProblem",
    "CsvRow",
    "OrgKind",
    "Organisation",
    "Person",
    "RegistrationRequest",
    "Role",
    "RosterEntry",
    "Seat",
    "SeatPlan",
    "clean_text",
    "format_roster_csv",
    "is_secretary",
    "nocase",
    "parse_roster_csv",
    "parse_user_id",
    "plan_seats",
    "validate_council",
    "validate_kind",
    "validate_org_name",
    "validate_short",
]
