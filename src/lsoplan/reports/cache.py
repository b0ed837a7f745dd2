"""Rendered documents and chart images, kept on disk by what they contain.

Rendering is the expensive part of a document (WeasyPrint lays out a programme in seconds, each
chart is a vl-convert run), while the content behind it changes rarely: an adopted version is
frozen, and a draft changes only when someone edits it. So the finished bytes are stored under a
digest of everything that goes into them: the document model, the output format and the renderer's
own code. Nothing has to be invalidated: changed content gives a new key, an upgrade of lsoplan or
of a renderer's template gives new keys, and stale files are simply pruned by age.

The files live under ``settings.LSOPLAN_CACHE_DIR`` (derived data: safe to delete at any time, not
part of a backup). Workers of the same server share them; a lock file per key makes a second
worker wait for the first instead of laying out the same PDF twice.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

import lsoplan

KEEP_FILES = 500  # a few hundred documents and charts: tens of MiB at most
_HERE = Path(__file__).parent


def _directory(kind: str) -> Path:
    path = Path(settings.LSOPLAN_CACHE_DIR) / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


@cache
def code_revision() -> str:
    """A digest of the code and templates that turn a document model into bytes."""
    digest = hashlib.sha256(lsoplan.__version__.encode())
    sources = [_HERE / f"{name}.py" for name in ("render_docx", "render_pdf", "render_xlsx", "charts")]
    sources.append(_HERE.parent / "lib" / "markup.py")  # formatted text's HTML and blocks
    sources += sorted((_HERE / "templates" / "reports" / "print").rglob("*"))
    for path in sources:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _feed(digest: Any, value: Any) -> None:
    """Feed a model (dataclasses, sequences, dicts, text, numbers, bytes) into a digest.

    Each value is tagged with its type and length so that different structures cannot run together
    into the same byte stream.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(b"D" + type(value).__qualname__.encode())
        for f in dataclasses.fields(value):
            digest.update(f.name.encode())
            _feed(digest, getattr(value, f.name))
    elif isinstance(value, bytes):
        digest.update(b"B%d:" % len(value) + value)
    elif isinstance(value, str):
        raw = value.encode()
        digest.update(b"S%d:" % len(raw) + raw)
    elif isinstance(value, dict):
        digest.update(b"M%d:" % len(value))
        for key, item in value.items():
            _feed(digest, key)
            _feed(digest, item)
    elif isinstance(value, list | tuple):
        digest.update(b"L%d:" % len(value))
        for item in value:
            _feed(digest, item)
    elif value is None or isinstance(value, bool | int | float):
        digest.update(b"V" + repr(value).encode() + b";")
    else:  # dates and the like: their repr is exact and stable
        digest.update(b"R" + type(value).__qualname__.encode() + repr(value).encode() + b";")


def key_of(*parts: Any) -> str:
    digest = hashlib.sha256(code_revision().encode())
    for part in parts:
        _feed(digest, part)
    return digest.hexdigest()


def _prune(directory: Path, keep: int) -> None:
    files = [p for p in directory.iterdir() if p.suffix not in (".lock", ".tmp")]
    if len(files) <= keep:
        return
    files.sort(key=lambda p: p.stat().st_mtime)
    for path in files[: len(files) - keep]:
        path.unlink(missing_ok=True)
        path.with_suffix(".lock").unlink(missing_ok=True)


def _write(path: Path, content: bytes) -> None:
    # Written beside and renamed: a reader never sees half a file, even if the worker is killed.
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def peek(kind: str, key: str, suffix: str) -> bytes | None:
    """The bytes stored under ``key``, or None: never makes anything (a web request's way in)."""
    path = _directory(kind) / f"{key}.{suffix}"
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    os.utime(path)
    return content


def stored(kind: str, key: str, suffix: str, make: Callable[[], bytes]) -> bytes:
    """The bytes stored under ``key``, made (once, across workers) by ``make`` if missing."""
    directory = _directory(kind)
    path = directory / f"{key}.{suffix}"
    try:
        content = path.read_bytes()
        os.utime(path)  # pruning goes by last use
        return content
    except FileNotFoundError:
        pass
    with open(directory / f"{key}.lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            # Another worker may have made it while this one waited for the lock.
            return path.read_bytes()
        except FileNotFoundError:
            content = make()
            _write(path, content)
    _prune(directory, KEEP_FILES)
    return content


def clear(kinds: Iterable[str] = ("documents", "charts")) -> None:
    for kind in kinds:
        for path in _directory(kind).iterdir():
            path.unlink(missing_ok=True)
