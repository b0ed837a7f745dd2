"""Swedish wording for the operating system's file errors (``OSError.strerror`` is English)."""

from __future__ import annotations

import errno

_SWEDISH = {
    errno.ENOENT: "filen eller katalogen finns inte",
    errno.EISDIR: "det är en katalog, inte en fil",
    errno.ENOTDIR: "en del av sökvägen är inte en katalog",
    errno.EACCES: "åtkomst nekad",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.ENOSPC: "disken är full",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.EEXIST: "filen finns redan",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.EMFILE: "för många öppna filer",
    errno.EIO: "in- eller utmatningsfel",
}


def describe(exc: OSError) -> str:
    """What went wrong, in Swedish; unusual errors keep the system's own text and number."""
    if exc.errno in _SWEDISH:
        return _SWEDISH[exc.errno]
    return f"systemfel {exc.errno}: {exc.strerror}" if exc.errno else str(exc)
