"""The mapping files that come with lsoplan (``mappings/*.toml`` at the repository root).

They are looked up in the package first (``lsoplan/incidents/mappings/``, for an installation
from a wheel, where the repository is not there) and then at the repository root (a checkout or
an editable install). A user can always give a path to a mapping file of their own.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lsoplan.lib.incidents import ImportMapping, MappingError, load_mapping

_PACKAGE = Path(__file__).resolve().parent / "mappings"
_REPOSITORY = Path(__file__).resolve().parents[3] / "mappings"


def mapping_dirs() -> list[Path]:
    return [d for d in (_PACKAGE, _REPOSITORY) if d.is_dir()]


def shipped_mappings() -> dict[str, Path]:
    """File stem → path, e.g. ``{"lfb": …/lfb.toml, "sf_fire": …/sf_fire.toml}``."""
    found: dict[str, Path] = {}
    for directory in mapping_dirs():
        for path in sorted(directory.glob("*.toml")):
            found.setdefault(path.stem, path)
    return found


@cache
def _load(path: Path, mtime: float) -> ImportMapping:  # mtime: a changed file is read again
    return load_mapping(path)


def shipped(name: str) -> ImportMapping:
    path = shipped_mappings().get(name)
    if path is None:
        raise MappingError(f"det finns ingen medföljande mappning som heter '{name}'")
    return _load(path, path.stat().st_mtime)


def resolve(argument: str) -> ImportMapping:
    """A mapping from a path (``M.toml``) or the name of a shipped one (``lfb``)."""
    path = Path(argument)
    if path.suffix == ".toml" or path.exists():
        if not path.exists() and path.name.removesuffix(".toml") in shipped_mappings():
            return shipped(path.name.removesuffix(".toml"))
        return load_mapping(path)
    return shipped(argument)


def choices() -> list[tuple[str, str]]:
    """(name, label) for a form: the shipped mappings that can be read."""
    out = []
    for name in shipped_mappings():
        try:
            out.append((name, shipped(name).name))
        except MappingError:
            continue  # a broken file must not break the upload page
    return out
