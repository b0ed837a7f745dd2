"""A document as plain data: a title page, then sections with headings, text, tables and figures.

The builders in ``lsoplan.reports`` fill it from the database; the renderers turn the same outline
into DOCX and PDF. Keeping it free of Django and of any file format means both files say the same
thing, and tests can check a document's structure without opening a file. It also holds the
Swedish formats documents use ("1 234,5", "5 mars 2026").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from lsoplan.lib import markup
from lsoplan.lib.markup import Heading, RichList, RichParagraph, TextTable
from lsoplan.lib.swedish import long_date, sv_number

# Documents import their formatting from here; the definitions live in lib.swedish.
sv_date = long_date
__all__ = ["sv_date", "sv_number"]

MAX_LEVEL = 3  # Heading 1–3: deeper outlines are hard to navigate in Word's navigation pane
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

Cell = str | int | float | None
Shade = Literal["lag", "medel", "hog"] | None


NBSP = "\u00a0"
# Pairs a line must not split: "30 %", "§ 52", "3 kap.", "kap. 16 b §", "2 000 kr".
_KEEP_TOGETHER = (
    re.compile(r"(?<=\d) (?=%|‰|kr\b|st\b|km\b|min\b|kap\.|§)"),
    re.compile(r"(?<=§) (?=\d)"),
    re.compile(r"(?<=kap\.) (?=\d)"),
    re.compile(r"(?<=\d) (?=[a-z] §)"),
    re.compile(r"(?<= [a-z]) (?=§)"),
)


def keep_together(text: str) -> str:
    """Text with non-breaking spaces where a line break would separate a number from its unit."""
    for pattern in _KEEP_TOGETHER:
        text = pattern.sub(NBSP, text)
    return text


def format_cell(value: Cell, decimals: int | None = None) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float):
        return sv_number(value, decimals)
    return value


def is_numeric(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def paragraphs(text: str) -> list[str]:
    """Split free text into paragraphs at blank lines; single line breaks inside one are kept."""
    normalised = text.replace("\r\n", "\n").strip()
    if not normalised:
        return []
    return [p.strip() for p in normalised.split("\n\n") if p.strip()]


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "note", "lead"] = "body"  # note: smaller, for sources and caveats


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a caption and one header row; ``row_header`` makes the first column headers."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    decimals: int | None = None
    row_header: bool = False
    shades: tuple[tuple[Shade, ...], ...] | None = None  # risk matrix cells: low, medium, high
    widths: tuple[float, ...] | None = None  # relative column widths

    def __post_init__(self) -> None:
        if not self.caption.strip():
            raise ValueError("en tabell behöver en rubrik (caption)")
        if not self.header:
            raise ValueError(f"tabellen '{self.caption}' saknar kolumner")
        for i, row in enumerate(self.rows, 1):
            if len(row) != len(self.header):
                raise ValueError(
                    f"tabellen '{self.caption}', rad {i}: {len(row)} celler, men {len(self.header)} kolumner"
                )
        if self.shades is not None and [len(r) for r in self.shades] != [len(r) for r in self.rows]:
            raise ValueError(f"tabellen '{self.caption}': färgerna passar inte raderna")
        if self.widths is not None and len(self.widths) != len(self.header):
            raise ValueError(f"tabellen '{self.caption}': en bredd per kolumn behövs")

    def text_rows(self) -> list[list[str]]:
        return [[format_cell(c, self.decimals) for c in row] for row in self.rows]

    def numeric_columns(self) -> set[int]:
        """Columns whose filled cells are all numbers: renderers align them to the right."""
        out = set()
        for col in range(len(self.header)):
            values = [row[col] for row in self.rows if row[col] is not None]
            if values and all(is_numeric(v) for v in values):
                out.add(col)
        return out


@dataclass(frozen=True)
class Figure:
    """A chart as a PNG image; ``alt`` is read aloud instead of the image, so it says what it shows."""

    png: bytes
    alt: str
    caption: str
    width_cm: float = 15.0

    def __post_init__(self) -> None:
        if not self.png.startswith(PNG_SIGNATURE):
            raise ValueError(f"figuren '{self.caption}' är inte en PNG-bild")
        if not self.alt.strip():
            raise ValueError(f"figuren '{self.caption}' saknar alternativtext")


# Paragraph, BulletList, Table and Figure are what builders write; Heading, RichParagraph, RichList
# and TextTable come from a planner's formatted text (lib.markup).
Block = Paragraph | BulletList | Table | Figure | Heading | RichParagraph | RichList | TextTable


@dataclass
class Section:
    heading: str
    level: int = 1
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 1 <= self.level <= MAX_LEVEL:
            raise ValueError(f"rubriknivå {self.level} för '{self.heading}': bara 1–{MAX_LEVEL} används")
        if not self.heading.strip():
            raise ValueError("en rubrik kan inte vara tom")

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self

    def text(self, text: str, style: Literal["body", "note", "lead"] = "body") -> Section:
        """Add free text, one paragraph per blank-line separated part."""
        self.blocks.extend(Paragraph(p, style) for p in paragraphs(text))
        return self

    def markup(self, text: str, *, headings: bool = True) -> Section:
        """Add a planner's formatted text (lib.markup). Its sub-headings sit one level below this
        section (at most Heading 3); ``headings=False`` prints them as bold paragraphs. Plain
        paragraphs become ordinary ``Paragraph`` blocks, so unformatted text prints as before."""
        level = min(self.level + 1, MAX_LEVEL) if headings else None
        for block in markup.parse(text, heading_level=level).blocks:
            if isinstance(block, RichParagraph) and block.plain:
                self.blocks.append(Paragraph(block.text))
            elif isinstance(block, Heading):
                # A new object per use: anchors are keyed by id(), and parses are cached.
                self.blocks.append(Heading(block.text, block.level))
            else:
                self.blocks.append(block)
        return self

    def section(self, heading: str) -> Section:
        """A new subsection one level down (a ValueError past Heading 3)."""
        child = Section(heading, self.level + 1)
        self.children.append(child)
        return child

    def attach(self, child: Section) -> Section:
        """Attach a section built elsewhere, moving it (and its subsections) to the right level."""
        _relevel(child, self.level + 1)
        self.children.append(child)
        return child

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


def _relevel(section: Section, level: int) -> None:
    if level > MAX_LEVEL:
        raise ValueError(f"'{section.heading}' hamnar under rubriknivå {MAX_LEVEL}")
    section.level = level
    for child in section.children:
        _relevel(child, level + 1)


@dataclass(frozen=True)
class Fact:
    """A line of the title page, e.g. ('Antaget av', 'Förbundsdirektionen 8 december 2022, § 52')."""

    label: str
    value: str


@dataclass
class Document:
    title: str
    subtitle: str
    organisation: str
    facts: list[Fact] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    notice: str = ""  # e.g. "Utkast – inte antaget", shown on the title page
    # A marking on every page (running header and watermark), e.g. "UTKAST – inte antaget": a
    # printed page of a draft must not pass for the adopted programme.
    marking: str = ""
    # Remarks for the planner (missing data, contradictions): never printed in the document body,
    # shown beside the egenkontroll instead.
    advisories: list[str] = field(default_factory=list)
    language: str = "sv-SE"
    subject: str = ""

    def section(self, heading: str) -> Section:
        top = Section(heading, 1)
        self.sections.append(top)
        return top

    def walk(self) -> Iterator[Section]:
        for top in self.sections:
            yield from top.walk()

    def headings(self) -> Iterator[tuple[int, str, int]]:
        """(level, heading, key) in reading order: each section, then the sub-headings of its
        formatted text, then its subsections. ``key`` is the ``id()`` of the section or block."""
        for s in self.walk():
            yield s.level, s.heading, id(s)
            for b in s.blocks:
                if isinstance(b, Heading):
                    yield b.level, b.text, id(b)

    def outline(self) -> list[tuple[int, str]]:
        """(level, heading) in reading order: the table of contents and the navigation pane."""
        return [(level, heading) for level, heading, _ in self.headings()]

    def anchors(self) -> dict[int, str]:
        """A stable id per heading (by ``id()``), for links from the table of contents."""
        return {key: f"avsnitt-{i}" for i, (_, _, key) in enumerate(self.headings(), 1)}

    def blocks(self) -> Iterator[Block]:
        for s in self.walk():
            yield from s.blocks

    def tables(self) -> list[Table]:
        return [b for b in self.blocks() if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks() if isinstance(b, Figure)]


def table(
    caption: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    decimals: int | None = None,
    row_header: bool = False,
    widths: Sequence[float] | None = None,
) -> Table:
    """Build a Table from lists (the dataclass itself wants tuples, so it can stay frozen)."""
    return Table(
        caption,
        tuple(header),
        tuple(tuple(r) for r in rows),
        decimals=decimals,
        row_header=row_header,
        widths=tuple(widths) if widths is not None else None,
    )
