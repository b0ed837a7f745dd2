"""Link secrets, link lifetime and attachment checks (no database)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from lsoplan.lib import remiss

MB = 1024 * 1024


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in names:
            z.writestr(name, "x")
    return buffer.getvalue()


def test_two_links_never_share_a_secret() -> None:
    assert remiss.new_token().token != remiss.new_token().token


def test_the_stored_digest_is_not_the_secret_but_matches_it() -> None:
    issued = remiss.new_token()
    assert issued.digest != issued.token and remiss.digest(issued.token) == issued.digest
    assert len(issued.token) >= 43


def test_a_link_works_through_the_last_day_of_the_grace_period() -> None:
    end = dt.date(2027, 3, 31)
    assert not remiss.is_expired(end, 14, dt.date(2027, 4, 14))
    assert remiss.is_expired(end, 14, dt.date(2027, 4, 15))


def test_a_remiss_without_end_date_does_not_expire() -> None:
    assert not remiss.is_expired(None, 14, dt.date(2099, 1, 1))


def test_a_real_pdf_is_accepted() -> None:
    assert remiss.attachment_error("svar.pdf", b"%PDF-1.7\n...", 10 * MB) == ""


def test_a_real_docx_is_accepted() -> None:
    content = _zip(["[Content_Types].xml", "word/document.xml"])
    assert remiss.attachment_error("Svar.DOCX", content, 10 * MB) == ""


def test_a_text_file_named_pdf_is_refused() -> None:
    error = remiss.attachment_error("svar.pdf", b"<html><script>alert(1)</script>", 10 * MB)
    assert error.startswith("Filen är inte en PDF-fil")


def test_a_zip_without_a_word_document_named_docx_is_refused() -> None:
    assert remiss.attachment_error("svar.docx", _zip(["evil.exe"]), 10 * MB).startswith("Filen är inte")


def test_a_pdf_named_docx_is_refused() -> None:
    assert remiss.attachment_error("svar.docx", b"%PDF-1.7", 10 * MB).startswith("Filen är inte")


def test_other_file_types_are_refused_by_name() -> None:
    assert "PDF- eller Word-fil" in remiss.attachment_error("svar.exe", b"MZ", 10 * MB)


def test_a_file_over_the_limit_is_refused() -> None:
    assert "för stor" in remiss.attachment_error("svar.pdf", b"%PDF-" + b"0" * MB, MB)
