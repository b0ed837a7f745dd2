"""The small formatting language of chapter texts: a Markdown subset, parsed into plain data.

Planners write sub-headings (``### Rubrik``), bullet and numbered lists, ``**fetstil**``,
``*kursiv*``, links (``[text](https://…)``, only http, https and mailto) and simple tables. The
text is parsed by markdown-it-py with only those rules switched on and raw HTML switched off, so
``<script>`` stays the characters a planner typed; the result is a list of blocks (below) that the
web page, the PDF and the Word file each render in their own way, escaping every piece of text.

Text without any markup parses to plain paragraphs (``RichParagraph`` with unformatted spans), which
the renderers print exactly as they printed free text before: blank lines part paragraphs and a
single line break stays a line break.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
MAX_LIST_DEPTH = 3  # a list inside a list inside a list; deeper levels join the third
MAX_COLUMNS = 8  # wider tables do not fit a portrait A4 page at a readable size
DEEPEST_HEADING = 3  # documents use Heading 1–3 (report_model.MAX_LEVEL)

Align = Literal["", "left", "right", "center"]


@dataclass(frozen=True)
class Span:
    """A run of text with one formatting; ``href`` makes it a link. "\\n" is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None

    @property
    def plain(self) -> bool:
        return not (self.bold or self.italic or self.href)


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a text, at a document level (1–3) chosen by the caller."""

    text: str
    level: int


@dataclass(frozen=True)
class RichParagraph:
    spans: Inline

    @property
    def plain(self) -> bool:
        return all(s.plain for s in self.spans)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class ListItem:
    spans: Inline
    children: tuple[RichList, ...] = ()


@dataclass(frozen=True)
class RichList:
    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class TextTable:
    """A table written in the text: one header row, no caption (it belongs to the prose)."""

    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    align: tuple[Align, ...]


MarkupBlock = Heading | RichParagraph | RichList | TextTable


@dataclass(frozen=True)
class Parsed:
    blocks: tuple[MarkupBlock, ...]
    # One Swedish line per thing the text asks for that is not allowed (a javascript: link, a
    # table too wide to print); the blocks render it harmlessly anyway (the link as its words).
    problems: tuple[str, ...] = ()


def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["heading", "list", "table", "emphasis", "link", "newline", "escape"])
    # Every destination reaches _link, which keeps the allowed schemes and reports the rest; the
    # parser's own check would silently turn a refused link into an empty href.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


_MD = _parser()


def link_allowed(href: str) -> bool:
    return href.strip().lower().startswith(ALLOWED_SCHEMES) and len(href.strip()) > len("mailto:")


def parse(text: str, *, heading_level: int | None = DEEPEST_HEADING) -> Parsed:
    """Blocks of a text. ``heading_level`` is the level of a sub-heading (one below the chapter's
    own; documents keep it within Heading 1–3); ``None`` (a risk description, which sits under a
    heading of the deepest level already) prints a heading line as a bold paragraph instead."""
    return _parse(text or "", heading_level)


# The chapter page renders every chapter on every view, and markdown-it-py is pure Python: a
# typical chapter parses in milliseconds, but 100 000 characters of brackets or table rows take
# seconds. The result is immutable, so a page view after the first reuses it.
@lru_cache(maxsize=256)
def _parse(text: str, heading_level: int | None) -> Parsed:
    conv = _Converter(heading_level)
    tokens = _MD.parse(text)
    blocks = conv.blocks(tokens, 0, len(tokens), depth=0)
    return Parsed(tuple(blocks), tuple(dict.fromkeys(conv.problems)))


def problems(text: str) -> list[str]:
    """What a form or service refuses in a text, one Swedish line each (empty: fine)."""
    return list(parse(text).problems)


class _Converter:
    def __init__(self, heading_level: int | None):
        self.heading_level = heading_level
        self.problems: list[str] = []

    def blocks(self, tokens: list[Token], start: int, end: int, depth: int) -> list[MarkupBlock]:
        out: list[MarkupBlock] = []
        i = start
        while i < end:
            t = tokens[i]
            close = _closing(tokens, i)
            if t.type == "heading_open":
                spans = self.inline(tokens[i + 1])
                if self.heading_level is None:
                    out.append(RichParagraph(tuple(Span(s.text, True, s.italic, s.href) for s in spans)))
                else:
                    text = " ".join("".join(s.text for s in spans).split())
                    out.append(Heading(text, self.heading_level))
            elif t.type == "paragraph_open":
                out.append(RichParagraph(self.inline(tokens[i + 1])))
            elif t.type in ("bullet_list_open", "ordered_list_open"):
                out.extend(self.list_(tokens, i, close, depth))
            elif t.type == "table_open":
                out.append(self.table(tokens, i, close))
            i = close + 1
        return out

    def list_(self, tokens: list[Token], start: int, end: int, depth: int) -> list[MarkupBlock]:
        """A list; beyond MAX_LIST_DEPTH the items of deeper lists join the deepest allowed one."""
        items: list[ListItem] = []
        i = start + 1
        while i < end:
            if tokens[i].type != "list_item_open":
                i += 1
                continue
            close = _closing(tokens, i)
            spans: list[Span] = []
            children: list[RichList] = []
            flattened: list[ListItem] = []
            for block in self.blocks(tokens, i + 1, close, depth + 1):
                if isinstance(block, RichList):
                    if depth + 1 < MAX_LIST_DEPTH:
                        children.append(block)
                    else:
                        flattened.extend(block.items)
                elif isinstance(block, RichParagraph | Heading):
                    piece = block.spans if isinstance(block, RichParagraph) else (Span(block.text, True),)
                    if spans:
                        spans.append(Span("\n"))
                    spans.extend(piece)
                elif isinstance(block, TextTable):
                    self.problems.append("En tabell kan inte stå inuti en lista; skriv den efter listan.")
            items.append(ListItem(tuple(_merge(spans)), tuple(children)))
            items.extend(flattened)
            i = close + 1
        items = [it for it in items if it.spans or it.children]
        ordered = tokens[start].type == "ordered_list_open"
        start_at = tokens[start].attrs.get("start", 1) if ordered else 1
        return [RichList(tuple(items), ordered, int(start_at) if isinstance(start_at, int | str) else 1)]

    def table(self, tokens: list[Token], start: int, end: int) -> TextTable:
        rows: list[tuple[Inline, ...]] = []
        align: list[Align] = []
        current: list[Inline] = []
        for i in range(start, end):
            t = tokens[i]
            if t.type == "tr_open":
                current = []
            elif t.type in ("th_open", "td_open"):
                current.append(self.inline(tokens[i + 1]))
                if t.type == "th_open":
                    style = str(t.attrs.get("style", ""))
                    align.append(style.removeprefix("text-align:") if style else "")  # type: ignore[arg-type]
            elif t.type == "tr_close":
                rows.append(tuple(current))
        header, body = rows[0], rows[1:]
        if len(header) > MAX_COLUMNS:
            self.problems.append(
                f"En tabell har {len(header)} kolumner; högst {MAX_COLUMNS} får plats på en sida. "
                "Dela upp den i två tabeller."
            )
        # The parser pads short rows; a long row's extra cells are dropped, as every viewer does.
        body = [tuple(r[: len(header)]) + ((),) * (len(header) - len(r)) for r in body]
        return TextTable(header, tuple(body), tuple(align))

    def inline(self, token: Token) -> Inline:
        spans: list[Span] = []
        bold = italic = 0
        href: str | None = None
        for child in token.children or []:
            kind = child.type
            if kind == "text":
                spans.append(Span(child.content, bold > 0, italic > 0, href))
            elif kind in ("softbreak", "hardbreak"):
                spans.append(Span("\n", bold > 0, italic > 0, href))
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                target = str(child.attrs.get("href", ""))
                if link_allowed(target):
                    href = target
                else:
                    shown = target if len(target) <= 40 else target[:40] + "…"
                    self.problems.append(
                        f"Länken till '{shown}' är inte tillåten: bara länkar som börjar med https://, "
                        "http:// eller mailto: går att använda."
                    )
            elif kind == "link_close":
                href = None
        return tuple(_merge(spans))


def _closing(tokens: list[Token], i: int) -> int:
    """Index of the token that closes tokens[i] (itself for a token that opens nothing)."""
    if tokens[i].nesting != 1:
        return i
    level = 0
    for j in range(i, len(tokens)):
        level += tokens[j].nesting
        if level == 0:
            return j
    return len(tokens) - 1


def _merge(spans: list[Span]) -> list[Span]:
    """Neighbouring spans with the same formatting become one; empty spans go."""
    out: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        if out and (out[-1].bold, out[-1].italic, out[-1].href) == (s.bold, s.italic, s.href):
            out[-1] = Span(out[-1].text + s.text, s.bold, s.italic, s.href)
        else:
            out.append(s)
    return out


def plain_text(spans: Inline) -> str:
    return "".join(s.text for s in spans)


def has_markup(parsed: Parsed) -> bool:
    return any(not (isinstance(b, RichParagraph) and b.plain) for b in parsed.blocks)


# --- HTML -------------------------------------------------------------------------------------
# Built here from escaped pieces only: every text and every href goes through html.escape, and an
# href is one of the allowed schemes. Django marks the result safe at the edge (a template filter).


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def inline_html(spans: Inline) -> str:
    out = []
    for s in spans:
        piece = _esc(s.text).replace("\n", "<br>")
        if s.italic:
            piece = f"<em>{piece}</em>"
        if s.bold:
            piece = f"<strong>{piece}</strong>"
        if s.href:
            piece = f'<a href="{_esc(s.href)}">{piece}</a>'
        out.append(piece)
    return "".join(out)


def _list_html(block: RichList) -> str:
    tag = "ol" if block.ordered else "ul"
    start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
    items = []
    for item in block.items:
        inner = inline_html(item.spans) + "".join(_list_html(c) for c in item.children)
        items.append(f"<li>{inner}</li>")
    return f"<{tag}{start}>{''.join(items)}</{tag}>"


def _table_html(block: TextTable) -> str:
    def cell(tag: str, spans: Inline, align: str, scope: str = "") -> str:
        cls = f' class="{_ALIGN_CLASS[align]}"' if align in _ALIGN_CLASS else ""
        return f"<{tag}{scope}{cls}>{inline_html(spans)}</{tag}>"

    align = block.align + ("",) * (len(block.header) - len(block.align))
    head = "".join(cell("th", h, a, ' scope="col"') for h, a in zip(block.header, align, strict=True))
    body = "".join(
        "<tr>" + "".join(cell("td", c, a) for c, a in zip(row, align, strict=True)) + "</tr>"
        for row in block.rows
    )
    return f'<table class="text-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


_ALIGN_CLASS = {"right": "num", "center": "center"}


def block_html(block: MarkupBlock, heading_id: str = "") -> str:
    if isinstance(block, Heading):
        ident = f' id="{_esc(heading_id)}"' if heading_id else ""
        level = max(1, min(block.level, 6))
        return f"<h{level}{ident}>{_esc(block.text)}</h{level}>"
    if isinstance(block, RichParagraph):
        return f"<p>{inline_html(block.spans)}</p>"
    if isinstance(block, RichList):
        return _list_html(block)
    return _table_html(block)


def to_html(text: str, *, heading_level: int | None = DEEPEST_HEADING) -> str:
    """The web page's HTML for a text. Plain text gives exactly what Django's ``linebreaks``
    filter gave before: one ``<p>`` per blank-line part, ``<br>`` for a single line break."""
    parsed = parse(text, heading_level=heading_level)
    return "\n\n".join(block_html(b) for b in parsed.blocks)
