"""Status updates: text validation, draft join/append rules, who writes, which meeting collects."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.attendance import Answer
from bot.domain.meetings import Meeting, MeetingState
from bot.domain.notices import MeetingContext
from bot.domain.notices import invitation as invitation_message
from bot.domain.outbox import OutgoingMessage
from bot.domain.roster import Council, Organisation, OrgKind, Role
from bot.domain.status import (
    STATUS_FORM_MAX,
    Author,
    DraftAction,
    apply_draft,
    clean_status,
    is_collecting,
    join_draft,
    prompt_recipients,
    snowflake_at,
    validate_source,
    validate_status,
    writer_role,
)
from bot.errors import InvalidInput
from tests.attendance import DEP, REP, invitation

OTHER = 33
OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)


# -- text ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Hei  ", "Hei"),
        ("linje 1\r\nlinje 2\rlinje 3", "linje 1\nlinje 2\nlinje 3"),
        ("a\u2028b\u2029c", "a\nb\nc"),
        ("tab\there", "tab\there"),
        ("bell\x07 null\x00 esc\x1b[31m", "bell null esc[31m"),
        ("avsnitt 1\n\n\n\navsnitt 2", "avsnitt 1\n\navsnitt 2"),
        ("trailing   \nspaces", "trailing\nspaces"),
        ("\u202eevil\u202c text", "evil text"),
        ("familie 👨\u200d👩\u200d👧 ok", "familie 👨\u200d👩\u200d👧 ok"),
        ("Pårørende – «ROP» æøå", "Pårørende – «ROP» æøå"),
    ],
)
def test_clean_status(raw, clean):
    assert clean_status(raw) == clean


@pytest.mark.parametrize("raw", ["", "   ", "\n\n\t", "\x00\x07", "\u202e"])
def test_empty_status_is_refused(raw):
    with pytest.raises(InvalidInput) as err:
        validate_status(raw)
    assert err.value.message_key == "status.empty"


def test_status_at_the_limit_is_accepted_and_over_it_refused_with_limit_and_length():
    assert validate_status("x" * 3000, 3000) == "x" * 3000
    with pytest.raises(InvalidInput) as err:
        validate_status("x" * 3001, 3000)
    assert err.value.message_key == "status.too_long"
    assert err.value.params == {"limit": 3000, "length": 3001}


def test_limit_never_exceeds_what_the_form_holds():
    with pytest.raises(InvalidInput) as err:
        validate_status("x" * (STATUS_FORM_MAX + 1), 10_000)
    assert err.value.params["limit"] == STATUS_FORM_MAX


def test_length_is_counted_after_cleaning():
    assert validate_status("  " + "x" * 10 + "\x00\x00  ", 10) == "x" * 10


# -- drafts --------------------------------------------------------------------------------------------


def test_messages_in_a_row_are_joined_on_new_lines():
    draft = join_draft("", "Første melding", 100)
    draft = join_draft(draft, "  andre  ", 100)
    assert draft == "Første melding\nandre"


def test_joining_past_the_limit_is_refused_and_says_the_joined_length():
    with pytest.raises(InvalidInput) as err:
        join_draft("x" * 8, "yy", 10)
    assert err.value.message_key == "status.draft_too_long"
    assert err.value.params == {"limit": 10, "length": 11}


def test_joining_an_empty_message_is_refused():
    with pytest.raises(InvalidInput) as err:
        join_draft("tekst", " \n ", 100)
    assert err.value.message_key == "status.empty"


@pytest.mark.parametrize(
    ("current", "action", "expected"),
    [
        ("gammel", DraftAction.KEEP, None),
        (None, DraftAction.KEEP, None),
        ("gammel", DraftAction.REPLACE, "ny"),
        (None, DraftAction.REPLACE, "ny"),
        ("gammel", DraftAction.APPEND, "gammel\n\nny"),
        (None, DraftAction.APPEND, "ny"),
    ],
)
def test_apply_draft(current, action, expected):
    assert apply_draft(current, "ny", action, 100) == expected


def test_appending_past_the_limit_is_refused():
    with pytest.raises(InvalidInput) as err:
        apply_draft("x" * 8, "yy", DraftAction.APPEND, 11)
    assert err.value.message_key == "status.append_too_long"
    assert err.value.params == {"limit": 11, "length": 12}


def test_source_defaults_and_is_one_line_with_a_limit():
    assert validate_source(None, "mottatt på e-post") == "mottatt på e-post"
    assert validate_source("  ", "mottatt på e-post") == "mottatt på e-post"
    assert validate_source("e-post fra\nMarius", "x") == "e-post fra Marius"
    with pytest.raises(InvalidInput) as err:
        validate_source("x" * 201, "x")
    assert err.value.message_key == "status.source_too_long"


# -- who writes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inv", "user", "seat", "expected"),
    [
        (invitation(), REP, Role.REPRESENTATIVE, Author.REPRESENTATIVE),
        (
            invitation(representative=Answer.NO, deputy_called=True),
            REP,
            None,
            Author.REPRESENTATIVE,
        ),  # written submission
        (invitation(), DEP, Role.DEPUTY, None),  # not asked: the representative writes
        (invitation(deputy_invited=True), DEP, Role.DEPUTY, Author.DEPUTY),  # deputy-interest item
        (invitation(representative=Answer.NO, deputy_called=True), DEP, Role.DEPUTY, Author.DEPUTY),
        (invitation(deputy_called=True, deputy=Answer.YES), DEP, None, Author.DEPUTY),
        (invitation(deputy_called=True, deputy=Answer.NO), DEP, Role.DEPUTY, None),  # declined: does not attend
        (invitation(rep=None, deputy_invited=True), DEP, Role.DEPUTY, Author.DEPUTY),  # no representative
        (invitation(), OTHER, None, None),
        (invitation(), OTHER, Role.REPRESENTATIVE, Author.REPRESENTATIVE),  # assigned after the call
        (None, REP, Role.REPRESENTATIVE, Author.REPRESENTATIVE),  # meeting not opened for the org
        (None, DEP, Role.DEPUTY, None),
        (None, OTHER, None, None),
    ],
)
def test_writer_role(inv, user, seat, expected):
    assert writer_role(user, inv, seat) is expected


@pytest.mark.parametrize(
    ("inv", "expected"),
    [
        (invitation(), [(REP, Author.REPRESENTATIVE)]),
        (invitation(dep=None), [(REP, Author.REPRESENTATIVE)]),
        (invitation(deputy_invited=True), [(REP, Author.REPRESENTATIVE)]),  # alongside: the representative writes
        (
            invitation(representative=Answer.NO, deputy_called=True),
            [(REP, Author.REPRESENTATIVE), (DEP, Author.DEPUTY)],
        ),
        (invitation(representative=Answer.NO, deputy_called=True, deputy=Answer.NO), [(REP, Author.REPRESENTATIVE)]),
        (invitation(rep=None, deputy_invited=True), [(DEP, Author.DEPUTY)]),
        (invitation(rep=None, dep=None), []),
    ],
)
def test_prompt_recipients(inv, expected):
    assert prompt_recipients(inv) == expected


# -- which meeting collects ----------------------------------------------------------------------------


def meeting(start: datetime, state: MeetingState = MeetingState.OPEN) -> Meeting:
    return Meeting(
        id=7,
        guild_id=1,
        number=3,
        title="Ekspertrådsmøte",
        place="Zoom",
        start_at=start,
        end_at=start + timedelta(hours=3),
        rsvp_deadline=start - timedelta(days=7),
        status_deadline=start - timedelta(days=3),
        state=state,
        created_by=1,
        created_at=NOW - timedelta(days=30),
    )


@pytest.mark.parametrize(
    ("start", "state", "published", "expected"),
    [
        (NOW + timedelta(days=10), MeetingState.OPEN, None, True),
        (NOW + timedelta(days=10), MeetingState.PLANNED, None, False),
        (NOW + timedelta(days=10), MeetingState.CANCELLED, None, False),
        (NOW + timedelta(days=10), MeetingState.OPEN, NOW, False),
        (NOW - timedelta(hours=2), MeetingState.OPEN, None, True),  # earlier today: still the same day
        (NOW - timedelta(days=1), MeetingState.OPEN, None, False),
    ],
)
def test_is_collecting(start, state, published, expected):
    assert is_collecting(meeting(start, state), published, NOW, OSLO) is expected


def test_today_is_the_councils_day_not_utc():
    # 23:30 UTC on 1 December is 00:30 on 2 December in Oslo: a meeting on 1 December (Oslo) is over.
    now = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert not is_collecting(meeting(start), None, now, OSLO)
    assert is_collecting(meeting(start), None, now, ZoneInfo("UTC"))


def test_snowflake_matches_discord():
    assert snowflake_at(NOW) == discord.utils.time_snowflake(NOW, high=False)
    assert snowflake_at(NOW) < snowflake_at(NOW + timedelta(milliseconds=1))


# -- the invitation asks for the status -----------------------------------------------------------------


def test_invitation_has_the_form_button_says_a_reply_works_and_cannot_ping():
    council = Council(1, "Ekspertråd NKROP", "Morten", 1, 2, 3, "nb", "Europe/Oslo")
    org = Organisation(5, 1, "Landsforeningen @everyone", "LPP", OrgKind.RELATIVES, 1)
    ctx = MeetingContext(council, meeting(NOW + timedelta(days=10)))
    message = invitation_message(ctx, org, Role.REPRESENTATIVE, alongside=False)
    assert isinstance(message, OutgoingMessage)
    assert [b.custom_id for b in message.buttons] == [
        "council:rsvp:7:5:yes", "council:rsvp:7:5:no", "council:rsvp:7:5:maybe", "council:status:write:7:5",
    ]  # fmt: skip
    assert message.buttons[-1].label == "Skriv status"
    assert "svar på denne meldingen" in message.content
    assert "@everyone" not in message.content
    assert OutgoingMessage.from_json(message.to_json()) == message
    # A deputy invited alongside the representative answers only whether they come.
    alongside = invitation_message(ctx, org, Role.DEPUTY, alongside=True)
    assert [b.custom_id for b in alongside.buttons] == [
        "council:rsvp:7:5:yes", "council:rsvp:7:5:no", "council:rsvp:7:5:maybe",
    ]  # fmt: skip
    assert "svar på denne meldingen" not in alongside.content


# -- open-ended input ----------------------------------------------------------------------------------

LIMIT = 50


def attempt(rule, *args):
    """``(result, None)`` or ``(None, message key)`` when the rule refuses with ``InvalidInput``."""
    try:
        return rule(*args), None
    except InvalidInput as exc:
        return None, exc.message_key


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=120))
def test_any_text_is_either_a_clean_status_within_the_limit_or_invalid_input(text):
    cleaned, refused = attempt(validate_status, text, LIMIT)
    if refused is not None:
        assert refused in {"status.empty", "status.too_long"}
        return
    assert 0 < len(cleaned) <= LIMIT
    assert cleaned == cleaned.strip()
    assert all(ch in "\n\t" or unicodedata.category(ch) != "Cc" for ch in cleaned)
    cleaned.encode("utf-8")  # storable


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=40),
    st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=30), max_size=5),
    st.sampled_from(list(DraftAction)),
)
def test_drafts_and_decisions_never_exceed_the_limit(current, messages, action):
    draft = ""
    for message in messages:
        joined, refused = attempt(join_draft, draft, message, LIMIT)
        assert refused in {None, "status.empty", "status.too_long", "status.draft_too_long"}
        draft = joined if joined is not None else draft
        assert len(draft) <= LIMIT
    if not draft:
        return
    stored = clean_status(current)[:LIMIT] or None
    result, refused = attempt(apply_draft, stored, draft, action, LIMIT)
    assert refused in {None, "status.append_too_long"}
    assert result is None or 0 < len(result) <= LIMIT
