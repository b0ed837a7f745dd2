"""Compare two versions of a programme object by object: added, removed and changed, field by field.

Each version's content comes in as plain records (dicts), one list per kind (chapters, risks,
goals …). A record carries its ``lineage`` — the id an object keeps when a new draft copies it —
and a ``label`` to show. Records with the same lineage in both versions are the same object;
the fields named in the kind's spec are compared, and long texts also get a word-level diff.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from lsoplan.lib.stats.svformat import number

Status = Literal["added", "removed", "changed"]
STATUS_LABELS: dict[str, str] = {"added": "Tillagd", "removed": "Borttagen", "changed": "Ändrad"}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    long_text: bool = False  # compared word by word and summarised, not shown whole


@dataclass(frozen=True)
class KindSpec:
    key: str
    title: str  # plural, for headings ("Säkerhetsmål")
    singular: str  # for change-log lines ("säkerhetsmål")
    fields: tuple[FieldSpec, ...]


def _f(name: str, label: str, long_text: bool = False) -> FieldSpec:
    return FieldSpec(name, label, long_text)


# The kinds a programme version holds, in the order the document presents them.
KINDS: tuple[KindSpec, ...] = (
    KindSpec("chapters", "Kapitel", "kapitel", (_f("title", "Rubrik"), _f("text", "Text", long_text=True))),
    KindSpec(
        "risks",
        "Risker",
        "risk",
        (
            _f("title", "Rubrik"),
            _f("accident_type", "Olyckstyp"),
            _f("likelihood", "Sannolikhet"),
            _f("consequence", "Konsekvens"),
            _f("description", "Beskrivning", long_text=True),
        ),
    ),
    KindSpec(
        "safety_goals",
        "Säkerhetsmål",
        "säkerhetsmål",
        (
            _f("code", "Beteckning"),
            _f("text", "Måltext"),
            _f("owner", "Ansvarig"),
            _f("national_goals", "Nationella mål"),
            _f("risks", "Risker"),
        ),
    ),
    KindSpec(
        "performance_goals",
        "Prestationsmål",
        "prestationsmål",
        (
            _f("code", "Beteckning"),
            _f("text", "Måltext"),
            _f("owner", "Ansvarig"),
            _f("safety_goals", "Säkerhetsmål"),
        ),
    ),
    KindSpec(
        "measures",
        "Åtgärder",
        "åtgärd",
        (
            _f("text", "Åtgärd"),
            _f("goal", "Prestationsmål"),
            _f("owner", "Ansvarig"),
            _f("status", "Status"),
            _f("due_year", "Klar år"),
            _f("cost_once", "Engångskostnad (kr)"),
            _f("cost_yearly", "Årlig kostnad (kr)"),
        ),
    ),
    KindSpec(
        "indicators",
        "Indikatorer",
        "indikator",
        (
            _f("name", "Namn"),
            _f("goal", "Mål"),
            _f("unit", "Enhet"),
            _f("direction", "Riktning"),
            _f("baseline", "Utgångsvärde"),
            _f("baseline_period", "Utgångsperiod"),
            _f("target", "Målvärde"),
            _f("target_year", "Målår"),
        ),
    ),
    KindSpec(
        "capabilities",
        "Förmåga och resurser",
        "förmåga",
        (
            _f("kind", "Slag"),
            _f("readiness", "Beredskapsläge"),
            _f("risk", "Risk"),
            _f("description", "Förmåga", long_text=True),
            _f("planned", "Planerad förmåga", long_text=True),
            _f("resources", "Resurser", long_text=True),
        ),
    ),
)
KIND_BY_KEY = {k.key: k for k in KINDS}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: Any
    new: Any
    long_text: bool = False

    @property
    def old_text(self) -> str:
        return display(self.old)

    @property
    def new_text(self) -> str:
        return display(self.new)

    def words(self) -> list[tuple[str, str]]:
        return word_diff(
            self.old_text if self.old is not None else "", self.new_text if self.new is not None else ""
        )

    def detail(self) -> str:
        """'old → new', or for long texts how many words changed."""
        if self.long_text:
            return text_change_summary(_str(self.old), _str(self.new))
        return f"{self.old_text} → {self.new_text}"

    def summary(self) -> str:
        return f"{self.label}: {self.detail()}"


@dataclass(frozen=True)
class ItemChange:
    lineage: str
    status: Status
    label: str
    old_label: str = ""  # when the label itself changed
    fields: tuple[FieldChange, ...] = ()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class KindDiff:
    spec: KindSpec
    added: tuple[ItemChange, ...] = ()
    removed: tuple[ItemChange, ...] = ()
    changed: tuple[ItemChange, ...] = ()
    unchanged: int = 0

    @property
    def items(self) -> tuple[ItemChange, ...]:
        return self.added + self.changed + self.removed

    @property
    def has_changes(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True)
class VersionDiff:
    kinds: tuple[KindDiff, ...] = field(default_factory=tuple)

    @property
    def has_changes(self) -> bool:
        return any(k.has_changes for k in self.kinds)

    def counts(self) -> dict[str, int]:
        return {
            "added": sum(len(k.added) for k in self.kinds),
            "removed": sum(len(k.removed) for k in self.kinds),
            "changed": sum(len(k.changed) for k in self.kinds),
        }

    def kind(self, key: str) -> KindDiff:
        for k in self.kinds:
            if k.spec.key == key:
                return k
        raise KeyError(key)


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def display(value: Any) -> str:
    """A value as a reader sees it: Swedish numbers, lists joined, '–' for nothing."""
    if value is None or value == "" or value == ():
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float):
        return number(float(value), 0 if float(value).is_integer() else None)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def _normalise(value: Any) -> Any:
    """Differences no reader would call a change: line endings, trailing spaces, list order."""
    if isinstance(value, str):
        lines = value.replace("\r\n", "\n").strip().split("\n")
        return "\n".join(line.rstrip() for line in lines) or None
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(sorted(str(v) for v in value)) or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


_WORD = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff as (op, text) with op 'equal', 'delete' or 'insert'; whitespace is kept."""
    a, b = _WORD.findall(old), _WORD.findall(new)
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                out.append(("insert", "".join(b[j1:j2])))
    return out


def text_change_summary(old: str, new: str) -> str:
    """'texten ändrad: 12 ord tillagda, 3 ord borttagna' (or added/removed outright)."""
    if not old.strip():
        return "text tillagd"
    if not new.strip():
        return "texten borttagen"
    ops = word_diff(old, new)
    added = sum(len(t.split()) for op, t in ops if op == "insert")
    removed = sum(len(t.split()) for op, t in ops if op == "delete")
    parts = []
    if added:
        parts.append(f"{added} ord tillagda" if added != 1 else "1 ord tillagt")
    if removed:
        parts.append(f"{removed} ord borttagna" if removed != 1 else "1 ord borttaget")
    return "texten ändrad: " + (", ".join(parts) if parts else "bara blanksteg")


def _by_lineage(records: Sequence[Mapping[str, Any]], kind: str) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for record in records:
        key = str(record["lineage"])
        if key in out:
            raise ValueError(f"{kind}: två poster har samma lineage {key}")
        out[key] = record
    return out


def diff_records(
    spec: KindSpec, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> KindDiff:
    """Compare one kind; added and changed follow the new version's order, removed the old one's."""
    before, after = _by_lineage(old, spec.key), _by_lineage(new, spec.key)
    added, removed, changed = [], [], []
    unchanged = 0
    for key, record in after.items():
        label = str(record.get("label", ""))
        if key not in before:
            added.append(ItemChange(key, "added", label))
            continue
        previous = before[key]
        fields = tuple(
            FieldChange(f.name, f.label, previous.get(f.name), record.get(f.name), f.long_text)
            for f in spec.fields
            if _normalise(previous.get(f.name)) != _normalise(record.get(f.name))
        )
        if fields:
            old_label = str(previous.get("label", ""))
            changed.append(ItemChange(key, "changed", label, old_label if old_label != label else "", fields))
        else:
            unchanged += 1
    for key, record in before.items():
        if key not in after:
            removed.append(ItemChange(key, "removed", str(record.get("label", ""))))
    return KindDiff(spec, tuple(added), tuple(removed), tuple(changed), unchanged)


def diff_versions(
    old: Mapping[str, Sequence[Mapping[str, Any]]],
    new: Mapping[str, Sequence[Mapping[str, Any]]],
    kinds: Sequence[KindSpec] = KINDS,
) -> VersionDiff:
    """Compare every kind; a kind missing on one side counts as empty there."""
    return VersionDiff(tuple(diff_records(k, old.get(k.key, ()), new.get(k.key, ())) for k in kinds))


def changelog_rows(diff: VersionDiff) -> list[tuple[str, str, str]]:
    """(what, change, details) per changed object, for the document's change log."""
    rows = []
    for kind in diff.kinds:
        for item in kind.items:
            what = f"{kind.spec.singular.capitalize()}: {item.label}"
            if item.status == "changed":
                details = "; ".join(f.summary() for f in item.fields)
                if item.old_label:
                    details = f"tidigare '{item.old_label}'; {details}"
            else:
                details = ""
            rows.append((what, item.status_label, details))
    return rows
