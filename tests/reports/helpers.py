"""Opening generated files the way a reader's program would, for assertions."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn


def open_docx(content: bytes) -> Any:
    return docx.Document(io.BytesIO(content))


def headings(document: Any) -> list[tuple[int, str]]:
    """(level, text) for every paragraph in a Heading 1–3 style, in order."""
    out = []
    for p in document.paragraphs:
        name = p.style.name if p.style is not None else ""
        if name.startswith("Heading "):
            out.append((int(name.split()[1]), p.text))
    return out


def table_captions(document: Any) -> list[str]:
    out = []
    for t in document.tables:
        caption = t._tbl.tblPr.find(qn("w:tblCaption"))
        out.append(caption.get(qn("w:val")) if caption is not None else "")
    return out


def table_text(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def find_table(document: Any, caption_start: str) -> Any:
    for t, caption in zip(document.tables, table_captions(document), strict=True):
        if caption.startswith(caption_start):
            return t
    raise AssertionError(f"no table captioned {caption_start!r}: {table_captions(document)}")


def image_descriptions(document: Any) -> list[str]:
    return [el.get("descr", "") for el in document.element.body.iter(qn("wp:docPr"))]


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (poppler-utils)")
    return path


def pdf_text(content: bytes, tmp_path: Path) -> str:
    source = tmp_path / "doc.pdf"
    source.write_bytes(content)
    result = subprocess.run(
        [need("pdftotext"), "-layout", str(source), "-"], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def pdf_info(content: bytes, tmp_path: Path) -> dict[str, str]:
    source = tmp_path / "info.pdf"
    source.write_bytes(content)
    result = subprocess.run([need("pdfinfo"), str(source)], capture_output=True, check=True, timeout=60)
    lines = result.stdout.decode("utf-8").splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
