"""A report_model.Document as PDF: an HTML template with a print stylesheet, laid out by WeasyPrint.

The PDF is tagged (``pdf_tags``: headings, tables, lists and figures with their alt text become
the structure tree screen readers use), carries the document language and title, and has PDF
bookmarks for the headings. WeasyPrint needs Pango from the operating system (Debian:
libpango-1.0-0, libpangoft2-1.0-0); without it rendering fails with a clear message.
"""

from __future__ import annotations

import base64
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from lsoplan.lib import markup
from lsoplan.lib.markup import Heading, Inline, RichList, RichParagraph, Span, TextTable
from lsoplan.lib.report_model import (
    BulletList,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
    is_numeric,
    keep_together,
)


class PdfUnavailableError(RuntimeError):
    """WeasyPrint or the system libraries it needs are missing."""


def _table(t: Table, number: int) -> dict[str, Any]:
    numeric = t.numeric_columns()
    rows = []
    for r, (values, texts) in enumerate(zip(t.rows, t.text_rows(), strict=True)):
        rows.append(
            [
                {
                    "text": keep_together(text),
                    "numeric": c in numeric and is_numeric(value),
                    "row_header": t.row_header and c == 0,
                    "shade": (t.shades[r][c] or "") if t.shades is not None else "",
                }
                for c, (value, text) in enumerate(zip(values, texts, strict=True))
            ]
        )
    header = [{"text": keep_together(h), "numeric": c in numeric} for c, h in enumerate(t.header)]
    caption = keep_together(t.caption)
    return {"kind": "table", "number": number, "caption": caption, "header": header, "rows": rows}


def _spans(spans: Inline) -> Inline:
    return tuple(Span(keep_together(x.text), x.bold, x.italic, x.href) for x in spans)


def _kept_together(b: RichParagraph | RichList | TextTable) -> RichParagraph | RichList | TextTable:
    """The same block with "30 %" and "§ 52" held together, as plain paragraphs are."""
    if isinstance(b, RichParagraph):
        return RichParagraph(_spans(b.spans))
    if isinstance(b, RichList):
        return RichList(
            tuple(
                markup.ListItem(_spans(i.spans), tuple(_kept_together(c) for c in i.children))  # type: ignore[misc]
                for i in b.items
            ),
            b.ordered,
            b.start,
        )
    return TextTable(
        tuple(_spans(h) for h in b.header), tuple(tuple(_spans(c) for c in r) for r in b.rows), b.align
    )


class _View:
    """The document as dicts and lists a template can walk, numbering tables and figures."""

    def __init__(self, model: Document):
        self.anchors = model.anchors()
        self.tables = 0
        self.figures = 0
        self.sections = [self.section(s) for s in model.sections]
        self.toc = [
            {"level": level, "heading": heading, "id": self.anchors[key]}
            for level, heading, key in model.headings()
        ]

    def section(self, s: Section) -> dict[str, Any]:
        blocks: list[dict[str, Any]] = []
        for b in s.blocks:
            if isinstance(b, Paragraph):
                blocks.append({"kind": "p", "text": keep_together(b.text), "style": b.style})
            elif isinstance(b, BulletList):
                blocks.append({"kind": "ul", "items": [keep_together(i) for i in b.items]})
            elif isinstance(b, Table):
                self.tables += 1
                blocks.append(_table(b, self.tables))
            elif isinstance(b, Heading):
                blocks.append({"kind": "h", "level": b.level, "text": b.text, "id": self.anchors[id(b)]})
            elif isinstance(b, RichParagraph | RichList | TextTable):
                # lib.markup escapes every text and href; only the allowed schemes become links.
                html = markup.block_html(_kept_together(b))
                blocks.append({"kind": "html", "html": mark_safe(html)})
            elif isinstance(b, Figure):
                self.figures += 1
                src = "data:image/png;base64," + base64.b64encode(b.png).decode("ascii")
                blocks.append(
                    {
                        "kind": "figure",
                        "number": self.figures,
                        "src": src,
                        "alt": b.alt,
                        "caption": keep_together(b.caption),
                        "width_cm": f"{min(b.width_cm, 16.0):.1f}",
                    }
                )
        return {
            "id": self.anchors[id(s)],
            "level": s.level,
            "heading": s.heading,
            "blocks": blocks,
            "children": [self.section(c) for c in s.children],
        }


def render_html(model: Document) -> str:
    view = _View(model)
    lang = model.language.split("-")[0]
    facts = [{"label": f.label, "value": keep_together(f.value)} for f in model.facts]
    return render_to_string(
        "reports/print/document.html",
        {"doc": model, "facts": facts, "sections": view.sections, "toc": view.toc, "lang": lang},
    )


def _html(model: Document) -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango missing from the system
        raise PdfUnavailableError(
            "PDF kan inte skapas: WeasyPrint eller systembiblioteket Pango saknas "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
        ) from exc
    # Everything a document needs is inline (images as data: URLs): never fetch anything else.
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=render_html(model), base_url=None, url_fetcher=fetcher)


# PDF/UA-1: tagged, and the XMP metadata carries the pdfuaid identifier; header cells are tied to
# their data cells (IDs and Headers) from the scope attributes of the HTML table. Layout and writing
# get the same options, as weasyprint.HTML.write_pdf gives them.
OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "pdf_identifier": None}


def _write(laid_out: Any) -> bytes:
    pdf: bytes = laid_out.write_pdf(**OPTIONS)
    return pdf


def render_pdf(model: Document) -> bytes:
    return _write(_html(model).render(**OPTIONS))


def render_pdf_with_pages(model: Document) -> tuple[bytes, dict[str, int]]:
    """The PDF and, from the same layout, the page each heading starts on (by its anchor,
    ``Document.anchors()``): the Word file's table of contents can show them before Word
    updates its fields (render_docx ``pages``)."""
    laid_out = _html(model).render(**OPTIONS)
    pages = {
        anchor: number
        for number, page in enumerate(laid_out.pages, 1)
        for anchor in page.anchors
        if anchor.startswith("avsnitt-")
    }
    return _write(laid_out), pages


def document_context(model: Document) -> dict[str, Any]:
    """The document as a template reads it (sections, table of contents, title-page facts), for a
    page that shows it inside the site, such as the draft a remiss party reads."""
    view = _View(model)
    facts = [{"label": f.label, "value": keep_together(f.value)} for f in model.facts]
    return {"doc": model, "facts": facts, "sections": view.sections, "toc": view.toc}
