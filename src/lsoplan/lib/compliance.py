"""Egenkontroll: a programme version checked against LSO, FSO, MSBFS 2021:1, the goal chain,
SMART and the freshness of its data.

The programme arrives as plain facts (``ProgrammeFacts``), built from the database by
``lsoplan.checks.selectors`` or by hand in tests, so the rules run without Django. The rules
themselves are data (``reference/data/egenkontroll_rules.yaml``): each names its legal reference,
its basis, its severity, whether its wording has been checked against the official text, and the
function that evaluates it (``compliance_rules`` for the law, ``compliance_quality`` for the goal
chain, SMART and data freshness). A rule yields one or more findings; a finding
says what was found in Swedish and where in lsoplan it is fixed (``Target``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from lsoplan.lib.goalchain import PerformanceGoalNode, SafetyGoalNode
from lsoplan.lib.swedish import long_date
from lsoplan.reference import DATA, Meta
from lsoplan.reference.lso import ChapterRef, msbfs_chapters

# Rule modules and tests take the date format from here with the rest of the engine.
sv_date = long_date

Status = Literal["ok", "brist", "okant", "ej_tillämplig"]
Severity = Literal["krav", "rekommendation"]
STATUSES: tuple[Status, ...] = ("ok", "brist", "okant", "ej_tillämplig")
SEVERITIES: tuple[Severity, ...] = ("krav", "rekommendation")
STATUS_LABELS: dict[str, str] = {
    "ok": "Uppfylld",
    "brist": "Brist",
    "okant": "Kan inte bedömas",
    "ej_tillämplig": "Ej tillämplig",
}
SEVERITY_LABELS: dict[str, str] = {"krav": "Krav", "rekommendation": "Rekommendation"}
# Where a finding is fixed. The web page turns each kind into a link; object_id is the version for
# the version-wide kinds and the object itself for the others.
TARGET_KINDS = frozenset(
    {
        "version",  # the version overview (adoption data)
        "consultation",  # recording the consultation
        "chapters",  # the chapter list
        "chapter",  # one chapter's text (object_id = chapter)
        "conditions",  # risks and capabilities
        "risk",  # one risk (object_id = risk)
        "capabilities",  # the capability list
        "capability_create",  # a new capability
        "goals",  # the goal chain
        "sakerhetsmal",  # one säkerhetsmål (object_id = goal)
        "prestationsmal",  # one prestationsmål (object_id = goal)
        "indicator",  # one indicator (object_id = indicator)
        "incidents",  # incident import
        "distribution",  # the distribution list on the egenkontroll page
        "ports",  # the ports question on the egenkontroll page
    }
)
RULES_FILE = "egenkontroll_rules.yaml"


# --- facts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionFacts:
    id: int
    number: int
    status: str  # utkast | remiss | antagen | ersatt
    period_start: int
    period_end: int
    adopted_on: dt.date | None = None
    adopted_body: str = ""
    adopted_paragraph: str = ""
    consultation_parties: tuple[str, ...] = ()  # one party per line in the form
    consultation_from: dt.date | None = None
    consultation_to: dt.date | None = None
    based_on: int | None = None  # number of the version this one was copied from: it is a change
    other_adopted: int | None = None  # number of another version of the programme that is adopted

    @property
    def is_adopted(self) -> bool:
        return self.status in ("antagen", "ersatt")


@dataclass(frozen=True)
class ChapterFact:
    key: str
    number: str
    title: str
    text: str = ""
    prescribed: bool = True  # from the MSBFS 2021:1 skeleton, or added by the municipality
    id: int | None = None


@dataclass(frozen=True)
class RiskFact:
    id: int
    title: str
    accident_type: str  # the MCF event type's name, or the municipality's own type
    likelihood: int
    consequence: int


@dataclass(frozen=True)
class CapabilityFact:
    id: int
    kind: str  # olyckstyp | samtidiga | omfattande | ledning | forebyggande
    readiness: str  # fred | hojd_beredskap
    description: str
    resources: str = ""
    risk_id: int | None = None


@dataclass(frozen=True)
class SmartVerdict:
    kind: str  # sakerhetsmal | prestationsmal
    goal_id: int
    label: str  # "Säkerhetsmål S1"
    status: str  # ok | brist | okant, the worst over the five criteria
    failing: tuple[str, ...] = ()  # criteria with brist
    unknown: tuple[str, ...] = ()  # criteria that could not be judged


@dataclass(frozen=True)
class IndicatorFact:
    id: int
    name: str
    goal_kind: str
    goal_id: int
    years: tuple[int, ...] = ()  # years with a current value
    implausible: tuple[str, ...] = ()  # stored values the plausibility rules refuse (lib.plausibility)


@dataclass(frozen=True)
class DistributionFact:
    recipient: str  # lansstyrelsen | mcf | samradsparter | annan
    sent_on: dt.date
    name: str = ""


def default_skeleton() -> tuple[ChapterRef, ...]:
    return msbfs_chapters()[1]


@dataclass(frozen=True)
class ProgrammeFacts:
    """Everything the rules look at, for one version on one day."""

    today: dt.date
    version: VersionFacts
    chapters: tuple[ChapterFact, ...] = ()
    skeleton: tuple[ChapterRef, ...] = field(default_factory=default_skeleton)
    risks: tuple[RiskFact, ...] = ()
    capabilities: tuple[CapabilityFact, ...] = ()
    safety_goals: tuple[SafetyGoalNode, ...] = ()
    performance_goals: tuple[PerformanceGoalNode, ...] = ()
    matrix_levels: tuple[int, int] = (5, 5)
    high_share: float = 0.48
    smart: tuple[SmartVerdict, ...] = ()
    indicators: tuple[IndicatorFact, ...] = ()
    incidents_available: bool = False  # False when the installation has no incident register
    latest_incident_alarm: dt.date | None = None  # None: no incident imported
    distributions: tuple[DistributionFact, ...] = ()
    ports_relevant: bool | None = None  # None: the municipality has not said
    authority_name: str = "Myndigheten för civilt försvar (MCF)"


# --- rules and findings ----------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    kind: str
    object_id: int | None = None
    label: str = ""  # the link text, e.g. "Kapitel 5 Förebyggande verksamhet"

    def __post_init__(self) -> None:
        if self.kind not in TARGET_KINDS:
            raise ValueError(f"unknown target kind {self.kind!r}")


@dataclass(frozen=True)
class Outcome:
    """What a check function returns; the engine adds the rule's metadata."""

    status: Status
    message: str
    target: Target | None = None


Check = Callable[[ProgrammeFacts], Sequence[Outcome]]


@dataclass(frozen=True)
class Rule:
    id: str
    area: str
    title: str
    reference: str
    basis: str
    severity: Severity
    verified: bool
    check: str
    checklist: str = ""
    note: str = ""


@dataclass(frozen=True)
class RuleSet:
    meta: Meta
    areas: tuple[tuple[str, str], ...]  # (key, label) in display order
    rules: tuple[Rule, ...]

    def area_label(self, key: str) -> str:
        return dict(self.areas).get(key, key)


@dataclass(frozen=True)
class Finding:
    rule_id: str
    title: str
    area: str
    status: Status
    severity: Severity
    reference: str
    verified: bool
    message: str
    target: Target | None = None

    @property
    def required_failure(self) -> bool:
        return self.status == "brist" and self.severity == "krav"

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "title": self.title,
            "area": self.area,
            "status": self.status,
            "severity": self.severity,
            "reference": self.reference,
            "verified": self.verified,
            "message": self.message,
            "target": None
            if self.target is None
            else {"kind": self.target.kind, "id": self.target.object_id, "label": self.target.label},
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Finding:
        target = raw.get("target")
        return cls(
            rule_id=str(raw["rule"]),
            title=str(raw["title"]),
            area=str(raw["area"]),
            status=cast(Status, raw["status"]),
            severity=cast(Severity, raw["severity"]),
            reference=str(raw["reference"]),
            verified=bool(raw["verified"]),
            message=str(raw["message"]),
            target=None
            if not target
            else Target(str(target["kind"]), target.get("id"), str(target.get("label", ""))),
        )


def worst(statuses: Sequence[str]) -> Status:
    """A rule's status over its findings: a brist outweighs an unknown, which outweighs an ok."""
    for status in ("brist", "okant", "ok"):
        if status in statuses:
            return cast(Status, status)
    return "ej_tillämplig"


@dataclass(frozen=True)
class Evaluation:
    findings: tuple[Finding, ...]
    rules: tuple[Rule, ...]
    rules_version: str

    def rule_status(self, rule_id: str) -> Status:
        return worst([f.status for f in self.findings if f.rule_id == rule_id])

    @property
    def summary(self) -> dict[str, int]:
        """Counted per rule, so that ten stale indicators weigh as one rule not met."""
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        krav_brist = 0
        for rule in self.rules:
            status = self.rule_status(rule.id)
            counts[status] += 1
            krav_brist += status == "brist" and rule.severity == "krav"
        return {**counts, "krav_brist": krav_brist, "rules": len(self.rules), "findings": len(self.findings)}

    @property
    def failed_required(self) -> bool:
        return any(f.required_failure for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "rules_version": self.rules_version,
            "summary": self.summary,
            "findings": [f.to_json() for f in self.findings],
        }


# --- helpers for the check functions ---------------------------------------------------------


def join_sv(items: Iterable[str]) -> str:
    """'a, b och c'."""
    parts = list(items)
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} och {parts[-1]}"


def some(labels: Sequence[str], limit: int = 5) -> str:
    """A list short enough for one sentence: 'a, b och c', or 'a, b, c m.fl.'."""
    return join_sv(labels) if len(labels) <= limit else f"{', '.join(labels[:limit])} m.fl."


def short(text: str, limit: int = 100) -> str:
    """The start of a description, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + " …"


def one(status: Status, message: str, target: Target | None = None) -> list[Outcome]:
    """A rule's single outcome, the common case."""
    return [Outcome(status, message, target)]


def version_target(facts: ProgrammeFacts, kind: str, label: str) -> Target:
    """A target on the version as a whole (a list page), labelled for the link."""
    return Target(kind, facts.version.id, label)


# --- loading and evaluating ------------------------------------------------------------------


def _checks() -> Mapping[str, Check]:
    # Imported here, not at the top: the rule functions import the fact types from this module.
    from lsoplan.lib.compliance_rules import CHECKS

    return CHECKS


def parse_rules(raw: Mapping[str, Any]) -> RuleSet:
    """Validate the rules file: unknown severities, areas or check functions fail loudly here."""
    meta = Meta.from_dict(raw)
    areas = tuple((str(a["key"]), str(a["label"])) for a in raw.get("areas") or [])
    area_keys = {key for key, _ in areas}
    checks = _checks()
    rules: list[Rule] = []
    seen: set[str] = set()
    for item in raw.get("items") or []:
        rule = Rule(
            id=str(item["id"]),
            area=str(item["area"]),
            title=str(item["title"]),
            reference=str(item["reference"]),
            basis=str(item["basis"]),
            severity=cast(Severity, item["severity"]),
            verified=item["verified"],
            check=str(item["check"]),
            checklist=str(item.get("checklist", "")),
            note=str(item.get("note", "")),
        )
        if rule.id in seen:
            raise ValueError(f"rule {rule.id}: the id is used twice")
        if rule.severity not in SEVERITIES:
            raise ValueError(f"rule {rule.id}: severity must be one of {SEVERITIES}")
        if not isinstance(rule.verified, bool):
            raise ValueError(f"rule {rule.id}: verified must be true or false")
        if rule.area not in area_keys:
            raise ValueError(f"rule {rule.id}: unknown area {rule.area!r}")
        if rule.check not in checks:
            raise ValueError(f"rule {rule.id}: unknown check function {rule.check!r}")
        seen.add(rule.id)
        rules.append(rule)
    return RuleSet(meta, areas, tuple(rules))


@cache
def load_rules(path: Path | None = None) -> RuleSet:
    raw = yaml.safe_load((path or DATA / RULES_FILE).read_text(encoding="utf-8"))
    return parse_rules(raw)


def evaluate(facts: ProgrammeFacts, ruleset: RuleSet | None = None) -> Evaluation:
    ruleset = ruleset or load_rules()
    checks = _checks()
    findings: list[Finding] = []
    for rule in ruleset.rules:
        outcomes = checks[rule.check](facts)
        if not outcomes:  # a check with nothing to say has found nothing wrong
            outcomes = [Outcome("ok", "Inga brister hittades.")]
        findings.extend(
            Finding(
                rule_id=rule.id,
                title=rule.title,
                area=rule.area,
                status=o.status,
                severity=rule.severity,
                reference=rule.reference,
                verified=rule.verified,
                message=o.message,
                target=o.target,
            )
            for o in outcomes
        )
    return Evaluation(tuple(findings), ruleset.rules, ruleset.meta.version)
