"""A report_model.Document as a Word file (python-docx).

Accessibility and navigation come from Word's own structures, not from looks: real Heading 1–3
styles (the navigation pane and the table of contents read them), a repeated header row in every
table, table titles in ``tblCaption``, alternative text on every image (the drawing's ``docPr
descr``), Swedish as the document language, and colours with enough contrast. The table of
contents is a TOC field whose stored result already lists the headings; Word fills in the page
numbers when it opens the file (``updateFields``), LibreOffice shows the stored list.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from lsoplan.lib.markup import Heading, Inline, RichList, RichParagraph, TextTable
from lsoplan.lib.report_model import BulletList, Document, Figure, Paragraph, Section, Table, keep_together

LANGUAGE = "sv-SE"
TEXT_WIDTH_CM = 16.0  # A4 minus 2,5 cm margins
# The PDF's typography: Liberation Sans there, Arial here (the same metrics), the same sizes.
FONT = "Arial"
BODY_PT, TABLE_PT = 10.5, 9.0
HEADING_PT = {1: 17.0, 2: 13.5, 3: 11.5}
HEADING_SPACE_EM = {1: (0.0, 0.6), 2: (1.2, 0.4), 3: (1.0, 0.3)}  # print.css margins of h1–h3
# Average and widest character widths at TABLE_PT, for the narrowest column a word fits in.
CHAR_CM = 0.19
CELL_PADDING_CM = 0.4
INK = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)  # 8.6:1 on white
MUTED = RGBColor(0x4A, 0x4A, 0x4A)
HEADER_FILL = "DCE6F0"
SHADE_FILL = {"lag": "DCEFDC", "medel": "FFF1C2", "hog": "F7C9C9"}
# Elements that follow w:updateFields in CT_Settings: it must be inserted before the first of them.
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
)


def _el(tag: str, **attrs: str) -> Any:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _set_lang(rpr: Any) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = _el("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _styles(d: Any) -> None:
    styles = d.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    _set_lang(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    normal = styles["Normal"]
    _font(normal, BODY_PT)
    normal.font.color.rgb = INK
    # The PDF's rhythm: CSS line-height 1.4 is about Word's "multiple 1.2" for Arial (whose own
    # line is 1.15 em), and .6em after a paragraph; so a chapter fills as many pages in both.
    normal.paragraph_format.line_spacing = 1.1
    normal.paragraph_format.space_after = Pt(BODY_PT * 0.6)
    for name, size, colour in (("Title", 28, ACCENT), ("Subtitle", 14, MUTED)):
        style = styles[name]
        _font(style, size)
        style.font.color.rgb = colour
    for level, points in HEADING_PT.items():
        style = styles[f"Heading {level}"]
        _font(style, points)
        style.font.color.rgb = ACCENT
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.line_spacing = 1.05  # CSS line-height 1.2
        before, after = HEADING_SPACE_EM[level]
        style.paragraph_format.space_before = Pt(points * before)
        style.paragraph_format.space_after = Pt(points * after)
    # Each chapter starts a page, as in the PDF (h1 break-before: page), so the two paginate alike.
    styles["Heading 1"].paragraph_format.page_break_before = True
    caption = styles["Caption"]
    caption.font.color.rgb = INK
    caption.font.size = Pt(9.5)
    caption.paragraph_format.keep_with_next = True
    note = styles.add_style("Notering", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(9)
    note.font.italic = True
    note.font.color.rgb = MUTED
    lead = styles.add_style("Ingress", WD_STYLE_TYPE.PARAGRAPH)
    lead.base_style = normal
    lead.font.size = Pt(12)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)  # Word's built-in name
    link.font.color.rgb = ACCENT
    link.font.underline = True
    for level in (1, 2, 3):
        # Word's built-in name ("toc N", shown as "Innehåll N"), so updating the field keeps the look.
        toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = normal
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)
        # The page number at the right margin after a dotted leader, as in the PDF's contents.
        toc.paragraph_format.tab_stops.add_tab_stop(
            Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )


def _font(style: Any, points: float) -> None:
    """One typeface for every script slot, so no theme font (Calibri) slips in."""
    style.font.size = Pt(points)
    style.font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), FONT)
    for theme in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)


def column_widths(texts: list[list[str]], weights: tuple[float, ...], total_cm: float) -> list[float]:
    """Column widths (cm): by the weights, but never narrower than the column's longest word.

    Fixed narrow columns split words ("Genomfö/rd"); each column gets at least room for its
    longest word, taken from the columns that have room to spare.
    """
    columns = len(weights)
    need = [
        max((len(word) for row in texts for word in row[c].split()), default=1) * CHAR_CM + CELL_PADDING_CM
        for c in range(columns)
    ]
    widths = [total_cm * w / sum(weights) for w in weights]
    if sum(need) >= total_cm:  # not everything fits: share out in proportion to the need
        return [total_cm * n / sum(need) for n in need]
    for _ in range(columns):
        short = [c for c in range(columns) if widths[c] < need[c] - 1e-9]
        if not short:
            break
        missing = sum(need[c] - widths[c] for c in short)
        for c in short:
            widths[c] = need[c]
        spare = [c for c in range(columns) if c not in short and widths[c] > need[c]]
        room = sum(widths[c] - need[c] for c in spare)
        for c in spare:
            widths[c] -= missing * (widths[c] - need[c]) / room
    return widths


def _settings(d: Any) -> None:
    """Swedish decimal comma for fields, and ask Word to refresh the TOC's page numbers."""
    settings = d.settings.element
    for tag, value in (("decimalSymbol", ","), ("listSeparator", ";")):
        found = settings.find(qn(f"w:{tag}"))
        if found is not None:
            found.set(qn("w:val"), value)
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANGUAGE)
    update = _el("w:updateFields", val="true")
    successor = next((c for c in settings if c.tag in {qn(f"w:{t}") for t in _AFTER_UPDATE_FIELDS}), None)
    if successor is not None:
        successor.addprevious(update)
    else:
        settings.append(update)


def _page(d: Any, model: Document) -> None:
    section = d.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    section.different_first_page_header_footer = True  # no footer on the title page
    footer = section.footer.paragraphs[0]
    footer.style = d.styles["Notering"]
    footer.add_run(f"{model.organisation} · {model.title} · sida ")
    _field(footer, "PAGE", "1")
    if model.marking:
        # Every page of a version that is not adopted says so, the title page included.
        for header in (section.header, section.first_page_header):
            p = header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(model.marking)
            run.bold = True
            run.font.size = Pt(10)
            run.font.color.rgb = RGBColor(0xA4, 0x16, 0x1A)


def _field(paragraph: Any, instruction: str, cached: str) -> None:
    """A simple field (PAGE …) with a stored result, as Word writes it."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", cached),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            instr = _el("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "text":
            run.text = text or ""
        else:
            run._r.append(_el("w:fldChar", fldCharType=kind))


def _core(d: Any, model: Document) -> None:
    props = d.core_properties
    props.title = f"{model.title} – {model.subtitle}"
    props.subject = model.subject
    props.author = model.organisation
    props.last_modified_by = model.organisation
    props.language = model.language
    props.keywords = "handlingsprogram; LSO; skydd mot olyckor"
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now
    props.revision = 1
    props.comments = model.subject


def _text(paragraph: Any, text: str) -> None:
    """Single line breaks inside a paragraph stay line breaks."""
    for i, line in enumerate(keep_together(text).split("\n")):
        run = paragraph.add_run()
        if i:
            run.add_break()
        run.add_text(line)


def _title_page(d: Any, model: Document) -> None:
    d.add_paragraph(model.organisation, style="Subtitle")
    d.add_paragraph(model.title, style="Title")
    d.add_paragraph(model.subtitle, style="Subtitle")
    if model.notice:
        p = d.add_paragraph()
        run = p.add_run(model.notice)
        run.bold = True
        run.font.size = Pt(14)
        run.font.color.rgb = RGBColor(0xA4, 0x16, 0x1A)
    for fact in model.facts:
        p = d.add_paragraph()
        p.paragraph_format.space_after = Pt(3)
        label = p.add_run(f"{fact.label}: ")
        label.bold = True
        p.add_run(keep_together(fact.value))
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(d: Any, model: Document, pages: Mapping[str, int] | None) -> None:
    """The TOC field. Its stored result lists the headings, with the page numbers of the PDF laid
    out from the same model when ``pages`` is given (each chapter starts a page in both, in the
    same fonts and sizes), so LibreOffice and Word show numbers before the field is updated; Word
    updates it on opening (``updateFields``)."""
    d.add_paragraph("Innehåll", style="TOC Heading")
    anchors = model.anchors()
    outline = [(level, heading, anchors[key]) for level, heading, key in model.headings()]
    first = d.add_paragraph(style="toc 1")
    for kind in ("begin", "instr", "separate"):
        run = first.add_run()
        if kind == "instr":
            instr = _el("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = ' TOC \\o "1-3" \\h \\z \\u '
            run._r.append(instr)
        else:
            run._r.append(_el("w:fldChar", fldCharType=kind))
    paragraph = first
    for i, (level, heading, anchor) in enumerate(outline):
        if i:
            paragraph = d.add_paragraph(style=f"toc {level}")
        paragraph.add_run(heading)
        if pages and anchor in pages:
            paragraph.add_run().add_tab()
            paragraph.add_run(str(pages[anchor]))
    end = paragraph.add_run()
    end._r.append(_el("w:fldChar", fldCharType="end"))
    # The first chapter heading starts the next page (page_break_before): no break here,
    # which would leave an empty page.


def _shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    tcpr.append(_el("w:shd", val="clear", color="auto", fill=fill))


def _table(d: Any, t: Table, number: int) -> None:
    d.add_paragraph(f"Tabell {number}. {t.caption}", style="Caption")
    cols = len(t.header)
    table = d.add_table(rows=1 + len(t.rows), cols=cols)
    table.style = d.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    # Word fits columns to their content (autofit); LibreOffice lays out by the grid, which is
    # computed so that no column is narrower than its longest word.
    table.autofit = True
    weights = t.widths or tuple(1.0 for _ in t.header)
    texts = [list(t.header), *t.text_rows()]
    widths = [Cm(w) for w in column_widths(texts, weights, TEXT_WIDTH_CM)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))  # python-docx writes one ("auto"); schema order
    if tbl_w is None:
        tbl_w = _el("w:tblW")
        table._tbl.tblPr.insert(1, tbl_w)
    tbl_w.set(qn("w:w"), "5000")
    tbl_w.set(qn("w:type"), "pct")  # the full text width
    numeric = t.numeric_columns()
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.width = widths[c]
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            _text(paragraph, texts[r][c])
            for run in paragraph.runs:
                run.font.size = Pt(TABLE_PT)
            if c in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if r == 0 or (t.row_header and c == 0):
                for run in paragraph.runs:
                    run.bold = True
            if r == 0:
                _shade(cell, HEADER_FILL)
            elif t.shades is not None:
                level = t.shades[r - 1][c]
                if level:
                    _shade(cell, SHADE_FILL[level])
    # The header row repeats on every page and tells screen readers which cells are headers.
    table.rows[0]._tr.get_or_add_trPr().append(_el("w:tblHeader"))
    # tblCaption (Word's table "title" for alt text) comes last in tblPr, after tblLook.
    table._tbl.tblPr.append(_el("w:tblCaption", val=t.caption[:250]))
    d.add_paragraph().paragraph_format.space_after = Pt(2)


def _figure(d: Any, f: Figure, number: int) -> None:
    d.add_picture(io.BytesIO(f.png), width=Cm(min(f.width_cm, TEXT_WIDTH_CM)))
    paragraph = d.paragraphs[-1]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    for tag in ("wp:docPr", "pic:cNvPr"):
        for element in paragraph._p.iter(qn(tag)):
            element.set("descr", f.alt)
            element.set("name", f"Figur {number}")
    d.add_paragraph(f"Figur {number}. {f.caption}", style="Caption")


# --- a planner's formatted text (lib.markup) ---------------------------------------------------


def _spans(paragraph: Any, spans: Inline, size: float | None = None, *, bold: bool = False) -> None:
    """Runs with the spans' bold and italic; a link is a w:hyperlink to an external relationship
    (only http, https and mailto reach here: lib.markup drops the rest)."""
    for span in spans:
        target = paragraph
        if span.href:
            r_id = paragraph.part.relate_to(span.href, RT.HYPERLINK, is_external=True)
            link = _el("w:hyperlink")
            link.set(qn("r:id"), r_id)
            link.set(qn("w:history"), "1")
            paragraph._p.append(link)
        for i, line in enumerate(keep_together(span.text).split("\n")):
            run = target.add_run()
            if i:
                run.add_break()
            if line:
                run.add_text(line)
            run.bold = span.bold or bold or None
            run.italic = span.italic or None
            if size is not None:
                run.font.size = Pt(size)
            if span.href:
                run.style = "Hyperlink"
                link.append(run._r)  # moved from the paragraph into the hyperlink


def _restarted_numbering(d: Any, style: str, start: int) -> str:
    """A new w:num on the style's list definition, starting at ``start``: each numbered list in
    a text counts from its own first number instead of continuing the previous list."""
    numbering = d.part.numbering_part.numbering_definitions._numbering
    style_num = d.styles[style].element.pPr.numPr.numId.val
    abstract = next(n for n in numbering.num_lst if n.numId == style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return str(num.numId)


def _list(d: Any, block: RichList, depth: int) -> None:
    style = ("List Number" if block.ordered else "List Bullet") + ("" if depth == 1 else f" {depth}")
    num_id = _restarted_numbering(d, style, block.start) if block.ordered else None
    for item in block.items:
        paragraph = d.add_paragraph(style=style)
        if num_id is not None:
            ppr = paragraph._p.get_or_add_pPr()
            num_pr = _el("w:numPr")
            num_pr.append(_el("w:ilvl", val="0"))
            num_pr.append(_el("w:numId", val=num_id))
            ppr.insert(1, num_pr)  # after w:pStyle
        _spans(paragraph, item.spans)
        for child in item.children:
            _list(d, child, min(depth + 1, 3))


def _text_table(d: Any, t: TextTable) -> None:
    """A table from a text: header row repeated on every page and marked as header, columns no
    narrower than their longest word, as the data tables."""
    cols = len(t.header)
    table = d.add_table(rows=1 + len(t.rows), cols=cols)
    table.style = d.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = True
    texts = [["".join(s.text for s in cell) for cell in row] for row in (t.header, *t.rows)]
    widths = [Cm(w) for w in column_widths(texts, tuple(1.0 for _ in t.header), TEXT_WIDTH_CM)]
    align = t.align + ("",) * (cols - len(t.align))
    for r, (row, cells) in enumerate(zip(table.rows, (t.header, *t.rows), strict=True)):
        for c, (cell, spans) in enumerate(zip(row.cells, cells, strict=True)):
            cell.width = widths[c]
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            _spans(paragraph, spans, TABLE_PT, bold=r == 0)
            if align[c] == "right":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif align[c] == "center":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if r == 0:
                _shade(cell, HEADER_FILL)
    table.rows[0]._tr.get_or_add_trPr().append(_el("w:tblHeader"))
    d.add_paragraph().paragraph_format.space_after = Pt(2)


class _Counter:
    tables = 0
    figures = 0


def _section(d: Any, s: Section, counter: _Counter) -> None:
    d.add_heading(s.heading, level=s.level)
    for block in s.blocks:
        if isinstance(block, Paragraph):
            style = {"body": None, "note": "Notering", "lead": "Ingress"}[block.style]
            _text(d.add_paragraph(style=style), block.text)
        elif isinstance(block, BulletList):
            for item in block.items:
                _text(d.add_paragraph(style="List Bullet"), item)
        elif isinstance(block, Table):
            counter.tables += 1
            _table(d, block, counter.tables)
        elif isinstance(block, Figure):
            counter.figures += 1
            _figure(d, block, counter.figures)
        elif isinstance(block, Heading):
            d.add_heading(block.text, level=block.level)
        elif isinstance(block, RichParagraph):
            _spans(d.add_paragraph(), block.spans)
        elif isinstance(block, RichList):
            _list(d, block, 1)
        elif isinstance(block, TextTable):
            _text_table(d, block)
    for child in s.children:
        _section(d, child, counter)


def render_docx(model: Document, pages: Mapping[str, int] | None = None) -> bytes:
    """The Word file; ``pages`` (render_pdf.render_pdf_with_pages) fills in the contents' numbers."""
    d = docx.Document()
    _styles(d)
    _settings(d)
    _page(d, model)
    _core(d, model)
    _title_page(d, model)
    _contents(d, model, pages)
    counter = _Counter()
    for section in model.sections:
        _section(d, section, counter)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
