"""The chapter texts' formatting language (lib.markup): what it parses, and that nothing a planner
types can become markup the page or document did not ask for. No database."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template.defaultfilters import linebreaks
from hypothesis import given, settings
from hypothesis import strategies as st

from lsoplan.demo.content import CHAPTER_EDITS_V2, CHAPTERS
from lsoplan.demo.goals import NEIGHBOUR_CHAPTERS
from lsoplan.lib import markup
from lsoplan.lib.markup import Heading, RichList, RichParagraph, Span, TextTable
from lsoplan.lib.report_model import Paragraph, Section

DEMO_TEXTS = {
    **{f"v1-{k}": v for k, v in CHAPTERS.items()},
    **{f"v2-{k}": v for k, v in CHAPTER_EDITS_V2.items() if "###" not in v},
    **{f"grannkommun-{k}": v for k, v in NEIGHBOUR_CHAPTERS.items()},
}


@pytest.mark.parametrize("key", sorted(DEMO_TEXTS))
def test_plain_demo_text_gives_the_same_web_html_as_before(key: str) -> None:
    text = DEMO_TEXTS[key]
    assert markup.to_html(text) == linebreaks(text, autoescape=True)


@pytest.mark.parametrize("key", sorted(DEMO_TEXTS))
def test_plain_demo_text_gives_the_same_document_blocks_as_before(key: str) -> None:
    before, after = Section("1 Inledning"), Section("1 Inledning")
    before.text(DEMO_TEXTS[key])
    after.markup(DEMO_TEXTS[key])
    assert after.blocks == before.blocks


def test_a_single_line_break_stays_a_line_break() -> None:
    assert markup.to_html("första raden\nandra raden") == "<p>första raden<br>andra raden</p>"


def test_a_heading_sits_at_the_level_the_caller_gives() -> None:
    blocks = markup.parse("### Larmvägar\n\nText.", heading_level=2).blocks
    assert blocks[0] == Heading("Larmvägar", 2)


def test_any_number_of_hashes_is_one_sub_heading() -> None:
    for marks in ("#", "##", "###"):
        assert markup.parse(f"{marks} Rubrik", heading_level=3).blocks == (Heading("Rubrik", 3),)


def test_without_headings_a_heading_line_is_a_bold_paragraph() -> None:
    blocks = markup.parse("### Viktigt", heading_level=None).blocks
    assert blocks == (RichParagraph((Span("Viktigt", bold=True),)),)


def test_bold_italic_and_link_become_spans() -> None:
    (p,) = markup.parse("Ring **112**, läs *mer* på [MCF](https://www.mcf.se/).").blocks
    assert isinstance(p, RichParagraph)
    assert p.spans == (
        Span("Ring "),
        Span("112", bold=True),
        Span(", läs "),
        Span("mer", italic=True),
        Span(" på "),
        Span("MCF", href="https://www.mcf.se/"),
        Span("."),
    )


def test_a_numbered_list_keeps_its_first_number() -> None:
    (block,) = markup.parse("3. tre\n4. fyra").blocks
    assert isinstance(block, RichList) and block.ordered and block.start == 3
    assert [markup.plain_text(i.spans) for i in block.items] == ["tre", "fyra"]


def test_a_nested_list_is_a_child_of_its_item() -> None:
    (block,) = markup.parse("- a\n  - b\n- c").blocks
    assert isinstance(block, RichList)
    assert [markup.plain_text(i.spans) for i in block.items] == ["a", "c"]
    assert markup.plain_text(block.items[0].children[0].items[0].spans) == "b"


def test_lists_deeper_than_three_levels_join_the_third() -> None:
    (block,) = markup.parse("- 1\n  - 2\n    - 3\n      - 4").blocks
    assert isinstance(block, RichList)
    third = block.items[0].children[0].items[0].children[0]
    assert [markup.plain_text(i.spans) for i in third.items] == ["3", "4"]
    assert all(not i.children for i in third.items)


def test_a_table_has_a_header_rows_and_alignment() -> None:
    (block,) = markup.parse("| Station | Minuter |\n|---|--:|\n| Flen | 12 |\n| Malmköping |").blocks
    assert isinstance(block, TextTable)
    assert [markup.plain_text(h) for h in block.header] == ["Station", "Minuter"]
    assert [[markup.plain_text(c) for c in row] for row in block.rows] == [["Flen", "12"], ["Malmköping", ""]]
    assert block.align == ("", "right")


def test_a_table_wider_than_a_page_is_a_problem() -> None:
    header = "|" + "|".join(f"K{i}" for i in range(9)) + "|"
    found = markup.problems(header + "\n|" + "---|" * 9)
    assert found == ["En tabell har 9 kolumner; högst 8 får plats på en sida. Dela upp den i två tabeller."]


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "vbscript:msgbox",
        "data:text/html,<b>x</b>",
        "bilaga.pdf",
        "//ex.se",
    ],
)
def test_a_link_outside_http_https_and_mailto_is_refused_and_shows_as_text(target: str) -> None:
    parsed = markup.parse(f"[klicka]({target})")
    assert parsed.blocks == (RichParagraph((Span("klicka"),)),)
    assert len(parsed.problems) == 1 and "inte tillåten" in parsed.problems[0]


def test_mailto_and_http_links_are_kept() -> None:
    html = markup.to_html("[skriv](mailto:registrator@ex.se) eller [se](http://ex.se/?a=1&b=2)")
    assert '<a href="mailto:registrator@ex.se">skriv</a>' in html
    assert '<a href="http://ex.se/?a=1&amp;b=2">se</a>' in html


def test_raw_html_is_shown_as_text() -> None:
    html = markup.to_html('<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_quote_in_a_link_cannot_leave_the_attribute() -> None:
    html = markup.to_html('[x](https://ex.se/"onmouseover="alert(1))')
    assert 'onmouseover="' not in html


ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_TAGS |= {"table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRS = {"href", "start", "scope", "class", "id"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


_PIECES = st.sampled_from(
    [
        "<script>",
        "</p>",
        "<a href='javascript:x'>",
        "**",
        "*",
        "_",
        "[",
        "](",
        ")",
        "javascript:",
        "https://a.se",
        "mailto:x@y.se",
        "\n",
        "\n\n",
        "- ",
        "1. ",
        "### ",
        "|",
        "---",
        '"',
        "'",
        "&",
        "<",
        ">",
        "`",
        "\\",
        "onerror=",
        " ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=40).map("".join))
def test_whatever_is_typed_the_html_has_only_allowed_tags_and_safe_links(text: str) -> None:
    parser = _Tags()
    parser.feed(markup.to_html(text))
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert name in ALLOWED_ATTRS, name
            if name == "href":
                assert value is not None and markup.link_allowed(value), value


def test_section_markup_keeps_plain_paragraphs_as_paragraphs_and_adds_rich_blocks() -> None:
    s = Section("4 Risker", 1)
    s.markup("Inledning.\n\n### Brand\n\n- **Bostad**\n- Skog")
    assert s.blocks[0] == Paragraph("Inledning.")
    assert s.blocks[1] == Heading("Brand", 2)
    assert isinstance(s.blocks[2], RichList)


def test_a_sub_heading_never_goes_below_heading_3() -> None:
    s = Section("6.1 Förmåga", 3)
    s.markup("### Brand i byggnad")
    assert s.blocks == [Heading("Brand i byggnad", 3)]


def test_the_same_sub_heading_in_two_chapters_gets_two_anchors() -> None:
    from lsoplan.lib.report_model import Document

    doc = Document("T", "U", "O")
    for heading in ("1 Inledning", "2 Kommunen"):
        doc.section(heading).markup("### Bakgrund\n\nSe bilaga.")
    assert sorted(doc.anchors().values()) == [f"avsnitt-{i}" for i in range(1, 5)]
