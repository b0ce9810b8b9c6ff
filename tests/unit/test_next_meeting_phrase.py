"""``/meeting next`` accepts the seeds' phrasings: a date, a place after "på", a remark after a dash."""

from __future__ import annotations

import pytest

from bot.domain.next_meeting import NextPhrase, split_next


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "onsdag 2.juni 2027 klokka 10-15 – møtested kommer, vi håper det kan gjennomføres fysisk",
            NextPhrase(
                "onsdag 2.juni 2027 klokka 10-15", None, "møtested kommer, vi håper det kan gjennomføres fysisk"
            ),
        ),
        (
            "Neste møte foreslås onsdag 2.juni 2027 klokka 10-15- møtested kommer",
            NextPhrase("onsdag 2.juni 2027 klokka 10-15", None, "møtested kommer"),
        ),
        (
            "5.desember 2027 på Sagatun Brukerstyrt senter – Hamar",
            NextPhrase("5.desember 2027", "Sagatun Brukerstyrt senter – Hamar", None),
        ),
        (
            "5.desember 2027 på Sagatun Brukerstyrt senter – Hamar – vi håper det kan gjennomføres fysisk",
            NextPhrase("5.desember 2027", "Sagatun Brukerstyrt senter – Hamar", "vi håper det kan gjennomføres fysisk"),
        ),
        ("2. juni 2027 kl 10-15", NextPhrase("2. juni 2027 kl 10-15")),
        (
            "June 2 2027 10:00-15:00 at Oslo - to be confirmed",
            NextPhrase("June 2 2027 10:00-15:00", "Oslo", "to be confirmed"),
        ),
    ],
)
def test_split(text, expected):
    assert split_next(text) == expected
