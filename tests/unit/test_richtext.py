"""The secretary's structured notes: lists, sub-points, sub-headings and links survive as structure."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.demo import HOST_REPORT
from bot.domain.richtext import Heading, ListBlock, Paragraph, parse, plain, to_markdown


def test_numbered_points_with_parenthesis_become_one_numbered_list():
    blocks = parse("Innledning.\n\n1) Opplæringsprogram\n2) Fidelityvurderinger\n3) Regionale nettverk")
    assert isinstance(blocks[0], Paragraph)
    [numbered] = [b for b in blocks if isinstance(b, ListBlock)]
    assert numbered.ordered
    assert [plain(i.runs) for i in numbered.items] == ["Opplæringsprogram", "Fidelityvurderinger", "Regionale nettverk"]
    md = to_markdown(blocks)
    assert "1. Opplæringsprogram\n2. Fidelityvurderinger\n3. Regionale nettverk" in md
    assert "\\1" not in md


def test_wrapped_lines_continue_the_point_and_sub_points_nest():
    text = "1. Første punkt som\nfortsetter her\n  - under a\n  - under b\n2. Andre"
    [block] = parse(text)
    assert isinstance(block, ListBlock)
    first, second = block.items
    assert plain(first.runs) == "Første punkt som fortsetter her"
    [sub] = first.children
    assert not sub.ordered
    assert [plain(i.runs) for i in sub.items] == ["under a", "under b"]
    assert plain(second.runs) == "Andre"
    assert to_markdown((block,)) == "1. Første punkt som fortsetter her\n   - under a\n   - under b\n2. Andre"


def test_a_list_may_start_at_any_number_and_keeps_it():
    [block] = parse("4) Fire\n5) Fem")
    assert isinstance(block, ListBlock)
    assert block.start == 4
    assert to_markdown((block,)) == "4. Fire\n5. Fem"


def test_points_separated_by_blank_lines_stay_one_list():
    [block] = parse("1. En\n\n2. To\n\n3. Tre")
    assert isinstance(block, ListBlock)
    assert len(block.items) == 3


def test_headings_links_and_emphasis():
    blocks = parse("## Ansatte i tjenesten\nSe https://rop.no/aktuelt/x/. og [nettsiden](https://rop.no) – **viktig**")
    assert isinstance(blocks[0], Heading)
    assert plain(blocks[0].runs) == "Ansatte i tjenesten"
    paragraph = blocks[1]
    assert isinstance(paragraph, Paragraph)
    links = [r for r in paragraph.lines[0] if r.kind == "link"]
    assert [(r.text, r.url) for r in links] == [
        ("https://rop.no/aktuelt/x/", "https://rop.no/aktuelt/x/"),
        ("nettsiden", "https://rop.no"),
    ]
    md = to_markdown(blocks)
    assert md.startswith("### Ansatte i tjenesten\n\n")
    assert "<https://rop.no/aktuelt/x/>." in md
    assert "[nettsiden](https://rop.no)" in md
    assert "**viktig**" in md


def test_only_web_links_become_links_and_mentions_never_ping():
    blocks = parse("[klikk](javascript:alert(1)) @everyone <@123456789012345678>")
    md = to_markdown(blocks)
    assert "](javascript" not in md.replace("\\]", "")
    assert "@everyone" not in md
    assert "<@123456789012345678>" not in md


def test_paragraph_lines_that_look_like_markdown_are_escaped_without_showing_a_backslash_before_digits():
    md = to_markdown(parse("Tekst\n> ikke et sitat\n+ ikke et punkt"))
    assert "\\> ikke et sitat" in md
    assert "\\+ ikke et punkt" in md


def test_the_host_report_keeps_its_structure():
    assert 3500 <= len(HOST_REPORT) <= 4000
    blocks = parse(HOST_REPORT)
    numbered = [b for b in blocks if isinstance(b, ListBlock) and b.ordered]
    assert len(numbered) == 1
    assert len(numbered[0].items) == 6
    assert len(numbered[0].items[0].children[0].items) == 3
    assert sum(isinstance(b, Heading) for b in blocks) == 4
    md = to_markdown(blocks)
    for n in range(1, 7):
        assert re.search(rf"^{n}\. ", md, re.MULTILINE)
    assert not re.search(r"\\\d", md)


@given(st.text(alphabet=st.sampled_from(list("ab 1.)-*#\n[]()<>@_~`|\\:/h")), max_size=300))
def test_any_text_parses_and_never_shows_a_backslash_before_a_digit(text):
    md = to_markdown(parse(text))
    assert "@everyone" not in md
    for line in md.split("\n"):
        assert not re.match(r"\s*\\\d", line)
