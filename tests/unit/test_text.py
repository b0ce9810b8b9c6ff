"""Mentions, Markdown escaping and message splitting."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.text import md_escape, messages_for_discord, no_mentions, split_message


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("Hei @everyone!", "@everyone"),
        ("Se @here", "@here"),
        ("til <@123456789012345678>", "<@123456789012345678>"),
        ("til <@!123456789012345678>", "<@!123456789012345678>"),
        ("rolle <@&42>", "<@&42>"),
        ("kanal <#42>", "<#42>"),
    ],
)
def test_no_mentions_neutralises(text, forbidden):
    out = no_mentions(text)
    assert forbidden not in out
    assert out.replace("\u200b", "") == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Overskrift", "\\# Overskrift"),
        ("- punkt", "\\- punkt"),
        ("> sitat", "\\> sitat"),
        ("1. først", "1\\. først"),
        ("1) Opplæringsprogram", "1\\) Opplæringsprogram"),
        ("se [lenke](https://x.no)", "se \\[lenke\\](https://x.no)"),
        ("```kode```", "\\`\\`\\`kode\\`\\`\\`"),
        ("---", "\\---"),
        ("a\n\n\n\nb", "a\n\nb"),
        ("Blåbær og ÆØÅ", "Blåbær og ÆØÅ"),
        ("midt i # teksten", "midt i # teksten"),
    ],
)
def test_md_escape_keeps_structure(text, expected):
    assert md_escape(text) == expected


def test_md_escape_inline():
    assert md_escape("*fet* _kursiv_ `kode` ||spoiler||", inline=True) == (
        "\\*fet\\* \\_kursiv\\_ \\`kode\\` \\|\\|spoiler\\|\\|"
    )


def test_split_prefers_paragraphs():
    paragraphs = ["Avsnitt " + str(i) + " " + "ord " * 100 for i in range(10)]
    text = "\n\n".join(paragraphs)
    parts = split_message(text, 2000)
    assert "".join(parts) == text
    assert all(len(p) <= 2000 for p in parts)
    for part in parts[:-1]:
        assert part.endswith("\n\n")


def test_split_short_and_empty():
    assert split_message("hei") == ["hei"]
    assert split_message("") == [""]
    assert messages_for_discord("  \n\n ") == []


def test_split_hard_cuts_only_overlong_words():
    word = "x" * 4500
    parts = split_message(word, 2000)
    assert [len(p) for p in parts] == [2000, 2000, 500]


words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=" \n"), min_size=1, max_size=30
)
separators = st.sampled_from([" ", "\n", "\n\n", "  ", " \n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(words, separators), max_size=400), st.integers(min_value=40, max_value=2000))
def test_split_properties(chunks, limit):
    text = "".join(w + s for w, s in chunks)
    parts = split_message(text, limit)
    assert "".join(parts) == text
    assert all(len(p) <= limit for p in parts)
    # No cut inside a word: every part boundary sits next to white space.
    position = 0
    for part in parts[:-1]:
        position += len(part)
        assert text[position - 1] in " \n" or text[position] in " \n"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_no_mentions_never_leaves_a_live_mention(text):
    out = no_mentions(text)
    assert not re.search(r"@(everyone|here)\b", out, re.IGNORECASE)
    assert not re.search(r"<@[!&]?\d+>", out)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[Les det godkjente referatet her](https://evil.example/x)",
            "\\[Les det godkjente referatet her\\](https://evil.example/x)",
        ),
        ("[](https://x.example)", "\\[\\](https://x.example)"),
        ("<b>fet</b> og <!-- kommentar -->", "\\<b>fet\\</b> og \\<!-- kommentar -->"),
        ("Tittel\n===", "Tittel\n\\==="),
        ("Tittel\n---", "Tittel\n\\---"),
        ("Tittel\n-", "Tittel\n\\-"),
        ("-# liten tekst", "\\-# liten tekst"),
        ("til <@123> og <#5>", "til <@123> og <#5>"),
        ("a < b og 3<4", "a < b og 3<4"),
    ],
)
def test_member_text_is_content_not_markup(text, expected):
    assert md_escape(text) == expected
