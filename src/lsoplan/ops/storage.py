"""Static files in production: hashed names and compressed copies (WhiteNoise), minus source maps.

The vendored minified files (vega, vega-lite, vega-embed) end with a sourceMappingURL comment for a
map file that is not shipped. Django's manifest storage would rewrite that reference and, not
finding the file, make collectstatic fail; browsers only fetch maps with developer tools open, so
the comment is left untouched instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: Any) -> tuple[Any, ...]:
    def keep(pattern: Any) -> bool:
        text = pattern if isinstance(pattern, str) else pattern[0]
        return "sourceMappingURL" not in text

    return tuple((glob, tuple(p for p in rules if keep(p))) for glob, rules in patterns)


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(ManifestStaticFilesStorage.patterns)
