"""Text that a spreadsheet must never run: formula injection in XLSX and CSV exports.

Excel and LibreOffice treat a cell whose text begins with ``=``, ``+``, ``-``, ``@`` (and, after a
leading tab or carriage return, the same) as a formula. A goal owner typed as
``=HYPERLINK("http://…/?d="&C3,"Läs mer")`` would otherwise become a clickable link that sends the
neighbouring cell away. Exports written by lsoplan carry user and file text, so every such text is
neutralised here, in one place, for both formats.

- XLSX: the cell is stored with the string type (openpyxl ``data_type = "s"``), so the text is kept
  exactly as typed and shown as text; nothing is added to it.
- CSV has no cell types: a leading apostrophe is the OWASP-recommended neutraliser, shown by Excel as
  a text marker and harmless to other readers.
"""

from __future__ import annotations

# U+2212 (minus sign) and the full-width forms are not formula starters in Excel or LibreOffice; the
# ASCII ones and the two whitespace characters that spreadsheet programs skip before a formula are.
FORMULA_STARTERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet program could read ``text`` as a formula or a command."""
    return text.startswith(FORMULA_STARTERS)


def csv_safe(value: object) -> object:
    """The value to write into a CSV cell: text that could run is prefixed with an apostrophe.

    Numbers pass unchanged (a negative number is data, not a formula): only ``str`` is touched.
    """
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value
