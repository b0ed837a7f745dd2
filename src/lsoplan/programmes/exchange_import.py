"""Reading a programme file (see ``exchange``) into a new programme of an organisation.

The whole file is checked first, against the JSON Schema and then for what a schema cannot say
(references that lead nowhere, unknown national goals or event types, values outside the risk
matrix). Only a file without problems is written, in one transaction and through the domain
services, so the audit trail records the import like any other change.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from lsoplan.accounts.models import Organisation
from lsoplan.audit import services as audit
from lsoplan.audit.services import Actor
from lsoplan.conditions import services as conditions
from lsoplan.conditions.models import EventType
from lsoplan.goals import services as goals
from lsoplan.goals.models import IndicatorSeries, Measurement, NationalGoal
from lsoplan.lib import plausibility, safe_json
from lsoplan.lib.control_chars import control_problem
from lsoplan.lib.plausibility import Issue, ValueKind
from lsoplan.lib.targets import infer_indicator_kind, infer_target
from lsoplan.programmes.exchange import (
    DATE_PATTERN,
    DATETIME_PATTERN,
    REF_PREFIX,
    Problem,
    ProgrammeFileError,
    build_schema,
)
from lsoplan.programmes.models import Chapter, Programme, ProgrammeVersion, VersionStatus
from lsoplan.programmes.services import ADOPTION_IN_FUTURE, add_missing_chapters

# --- reading -----------------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} är inte ett tillåtet tal i JSON")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys; in a hand-edited file that hides a mistake.
    counts = Counter(key for key, _ in pairs)
    doubled = [key for key, n in counts.items() if n > 1]
    if doubled:
        raise ValueError(f'nyckeln "{doubled[0]}" förekommer två gånger i samma objekt')
    return dict(pairs)


def parse(raw: bytes) -> Any:
    """Bytes to JSON data; anything that is not UTF-8 JSON is a problem at ``$``."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProgrammeFileError([Problem("$", f"filen är inte UTF-8 (byte {exc.start})")]) from exc
    try:
        return safe_json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        msg = f"ogiltig JSON på rad {exc.lineno}, kolumn {exc.colno} ({safe_json.describe_decode_error(exc)})"
        raise ProgrammeFileError([Problem("$", msg)]) from exc
    except ValueError as exc:
        raise ProgrammeFileError([Problem("$", str(exc))]) from exc


# --- checking ----------------------------------------------------------------------------------

_TYPE_NAMES = {
    "string": "text",
    "integer": "ett heltal",
    "number": "ett tal",
    "boolean": "true eller false",
    "array": "en lista",
    "object": "ett objekt",
    "null": "null",
}
_PATTERN_HINTS = {
    DATE_PATTERN: "ska vara ett datum på formen ÅÅÅÅ-MM-DD",
    DATETIME_PATTERN: "ska vara en tidpunkt i UTC, t.ex. 2026-03-05T10:15:00.000000Z",
    **{
        rf"^{prefix}-[1-9][0-9]*$": f'ska vara en referens som "{prefix}-1"' for prefix in REF_PREFIX.values()
    },
}


def _schema_message(error: SchemaError) -> str:
    """The Swedish wording of a schema error; jsonschema's own messages are English."""
    # Typed loosely on purpose: what validator_value holds depends on the keyword checked.
    kind: Any = error.validator
    expected: Any = error.validator_value
    instance: Any = error.instance
    schema: Any = error.schema
    if kind == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        return "ska vara " + " eller ".join(_TYPE_NAMES.get(n, n) for n in names)
    if kind == "required":
        missing = [k for k in expected if k not in instance]
        return "saknar " + ", ".join(f'"{k}"' for k in missing)
    if kind == "additionalProperties":
        known = set(schema.get("properties", {}))
        return "okänt fält " + ", ".join(f'"{k}"' for k in sorted(set(instance) - known))
    if kind in ("enum", "const"):
        values = expected if kind == "enum" else [expected]
        return "ska vara något av " + ", ".join(json.dumps(v, ensure_ascii=False) for v in values)
    if kind == "pattern":
        return _PATTERN_HINTS.get(expected, f"ska matcha mönstret {expected}")
    messages = {
        "minLength": "får inte vara tomt",
        "maxLength": f"får vara högst {expected} tecken",
        "minimum": f"får inte vara mindre än {expected}",
        "maximum": f"får inte vara större än {expected}",
        "minItems": f"ska ha minst {expected} element",
        "uniqueItems": "innehåller samma värde flera gånger",
    }
    return messages.get(str(kind), error.message)


def _sort_key(path: Iterable[Any]) -> list[tuple[int, Any]]:
    return [(0, p) if isinstance(p, int) else (1, str(p)) for p in path]


def schema_problems(data: Any) -> list[Problem]:
    validator = Draft202012Validator(build_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: _sort_key(e.absolute_path))
    problems = [Problem(e.json_path, _schema_message(e)) for e in errors]
    return list(dict.fromkeys(problems))  # "required" reports each missing key; say it once


def _parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value is not None else None


def _parse_datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value is not None else None


@dataclass
class _Checker:
    """Collects the problems a schema cannot express; assumes the file passed the schema."""

    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    today: dt.date = field(default_factory=timezone.localdate)
    # What each series measures (from the indicators that use it), for the plausibility rules.
    kinds: dict[str, ValueKind] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)  # shown, but the file can be imported

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def issues(self, path: str, issues: list[Issue]) -> None:
        """Plausibility errors (lib.plausibility) at the JSON path of the field they name."""
        for issue in issues:
            found = Problem(f"{path}.{issue.field}", issue.message)
            (self.warnings if issue.warning else self.problems).append(found)

    def refs(self, key: str) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(self.data[key]):
            if item["ref"] in seen:
                self.add(f"$.{key}[{i}].ref", f'referensen "{item["ref"]}" används redan')
            seen.add(item["ref"])
        return seen

    def known(self, path: str, value: str, known: set[str]) -> None:
        if value not in known:
            self.add(path, f'okänd referens "{value}"')

    def dates(self, path: str, obj: dict[str, Any], names: Iterable[str], parse: Any) -> None:
        for name in names:
            try:
                parse(obj[name])
            except ValueError:
                self.add(f"{path}.{name}", f'"{obj[name]}" är inget giltigt datum')

    def run(self) -> list[Problem]:
        data = self.data
        programme, version = data["programme"], data["version"]
        if programme["period_end"] < programme["period_start"]:
            self.add("$.programme.period_end", "sista år kan inte ligga före första år")
        self.dates("$.version", version, ("adopted_on", "consultation_from", "consultation_to"), _parse_date)
        self.check_lifecycle(version)

        risk_refs, sg_refs = self.refs("risks"), self.refs("safety_goals")
        self.refs("performance_goals")
        series_refs = self.refs("series")
        event_types = set(EventType.objects.values_list("id", flat=True))
        n_likelihood, n_consequence = len(version["likelihood_labels"]), len(version["consequence_labels"])
        for i, risk in enumerate(data["risks"]):
            path = f"$.risks[{i}]"
            if risk["event_type"] is not None and risk["event_type"] not in event_types:
                self.add(
                    f"{path}.event_type", f"okänd händelsetyp {risk['event_type']} (MCF konvHandelsetypId)"
                )
            if risk["event_type"] is None and not risk["custom_type"].strip():
                self.add(path, "ange en händelsetyp (event_type) eller en egen olyckstyp (custom_type)")
            if not 1 <= risk["likelihood"] <= n_likelihood:
                self.add(f"{path}.likelihood", f"sannolikheten ska vara mellan 1 och {n_likelihood}")
            if not 1 <= risk["consequence"] <= n_consequence:
                self.add(f"{path}.consequence", f"konsekvensen ska vara mellan 1 och {n_consequence}")
        for i, cap in enumerate(data["capabilities"]):
            if cap["risk"] is not None:
                self.known(f"$.capabilities[{i}].risk", cap["risk"], risk_refs)

        national = set(NationalGoal.objects.values_list("key", flat=True))
        used_series: set[str] = set()
        for i, goal in enumerate(data["safety_goals"]):
            for j, key in enumerate(goal["national_goals"]):
                if key not in national:
                    self.add(f"$.safety_goals[{i}].national_goals[{j}]", f'okänt nationellt mål "{key}"')
            for j, ref in enumerate(goal["risks"]):
                self.known(f"$.safety_goals[{i}].risks[{j}]", ref, risk_refs)
            used_series |= self.check_indicators(f"$.safety_goals[{i}]", goal["indicators"], series_refs)
        for i, goal in enumerate(data["performance_goals"]):
            for j, ref in enumerate(goal["safety_goals"]):
                self.known(f"$.performance_goals[{i}].safety_goals[{j}]", ref, sg_refs)
            used_series |= self.check_indicators(f"$.performance_goals[{i}]", goal["indicators"], series_refs)
            for j, measure in enumerate(goal["measures"]):
                path = f"$.performance_goals[{i}].measures[{j}]"
                self.dates(path, measure, [n for n in ("due_date",) if measure.get(n)], _parse_date)
                for name in ("cost_once", "cost_yearly"):
                    self.issues(path, plausibility.check_cost(name, measure[name]))
        for i, series in enumerate(data["series"]):
            if series["ref"] not in used_series:
                self.add(f"$.series[{i}]", f'serien "{series["ref"]}" används inte av någon indikator')
            self.check_measurements(
                f"$.series[{i}]", series["measurements"], self.kinds.get(series["ref"], ValueKind())
            )
        return self.problems

    def check_lifecycle(self, version: dict[str, Any]) -> None:
        # The same rules the services apply on the way to each status, so an imported version
        # looks like one that got there through the application.
        status = version["status"]
        if status in (VersionStatus.ANTAGEN, VersionStatus.ERSATT):
            for name in ("adopted_body", "adopted_on", "adopted_paragraph"):
                if not version[name]:
                    self.add(f"$.version.{name}", f"krävs när status är {status}")
        try:
            adopted_on = _parse_date(version["adopted_on"])
        except ValueError:
            adopted_on = None  # reported by dates()
        if adopted_on is not None and adopted_on > self.today:
            self.add("$.version.adopted_on", ADOPTION_IN_FUTURE)
        if status == VersionStatus.REMISS:
            for name in ("consultation_parties", "consultation_from"):
                if not (version[name] or "").strip():
                    self.add(f"$.version.{name}", "krävs när status är remiss")

    def check_indicators(
        self, path: str, indicators: list[dict[str, Any]], series_refs: set[str]
    ) -> set[str]:
        used = set()
        programme = self.data["programme"]
        period = (programme["period_start"], programme["period_end"])
        for k, ind in enumerate(indicators):
            self.known(f"{path}.indicators[{k}].series", ind["series"], series_refs)
            used.add(ind["series"])
            own = ValueKind(ind["is_count"], ind["unit"])
            known = self.kinds.get(ind["series"])
            self.kinds[ind["series"]] = own if known is None else ValueKind.strictest([known, own])
            found = plausibility.check_indicator(
                own,
                direction=ind["direction"],
                baseline_value=ind["baseline_value"],
                baseline_start=ind["baseline_start"],
                baseline_end=ind["baseline_end"],
                target_value=ind["target_value"],
                target_year=ind["target_year"],
                target_reason=ind.get("target_reason", ""),
                period=period,
                today=self.today,
            )
            self.issues(f"{path}.indicators[{k}]", found)
            w_start, w_end = ind["target_window_start"], ind["target_window_end"]
            if w_start is not None and w_end is not None and w_end < w_start:
                self.add(
                    f"{path}.indicators[{k}].target_window_end", "målperiodens slut ligger före dess början"
                )
        return used

    def check_measurements(self, path: str, rows: list[dict[str, Any]], kind: ValueKind) -> None:
        current: set[int] = set()
        for k, row in enumerate(rows):
            self.dates(f"{path}.measurements[{k}]", row, ("entered_at", "replaced_at"), _parse_datetime)
            if row["replaced_at"] is None:
                if row["year"] in current:
                    self.add(
                        f"{path}.measurements[{k}]", f"det finns redan ett gällande värde för {row['year']}"
                    )
                current.add(row["year"])
                # Only values in force: a replaced row is history, kept as it was entered.
                found = plausibility.check_measurement(
                    kind, year=row["year"], value=row["value"], vintage=row["vintage"], today=self.today
                )
                self.issues(f"{path}.measurements[{k}]", found)


def _control_problems(value: Any, path: str = "$") -> list[Problem]:
    """Texts with NUL, other control or bidirectional override characters (see lib.control_chars)."""
    if isinstance(value, str):
        message = control_problem(value)
        return [Problem(path, message)] if message else []
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _control_problems(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _control_problems(item, f"{path}[{i}]")]
    return []


_SEMANTICS = ("target_kind", "target_window_start", "target_window_end", "indicator_kind")


def upgrade(data: Any) -> Any:
    """A version-1 file as version 2: each indicator's target kind and indicator kind are read from
    its goal's text (``lib.targets``), as they are for an indicator created by hand.

    Defensive about structure: whatever is malformed is left for the schema check to report.
    """
    if not isinstance(data, dict) or data.get("format_version") != 1:
        return data
    data = copy.deepcopy(data)
    programme = data.get("programme")
    period = None
    if isinstance(programme, dict):
        start, end = programme.get("period_start"), programme.get("period_end")
        if isinstance(start, int) and isinstance(end, int):
            period = (start, end)
    for key, performance in (("safety_goals", False), ("performance_goals", True)):
        goals_ = data.get(key)
        for goal in goals_ if isinstance(goals_, list) else []:
            if not isinstance(goal, dict) or not isinstance(goal.get("indicators"), list):
                continue
            raw = goal.get("text")
            text = raw if isinstance(raw, str) else ""
            for ind in goal["indicators"]:
                if isinstance(ind, dict) and not any(k in ind for k in _SEMANTICS):
                    ind.update(_inferred(ind, text, period, performance=performance))
    data["format_version"] = 2
    return data


def _inferred(
    ind: dict[str, Any], text: str, period: tuple[int, int] | None, *, performance: bool
) -> dict[str, Any]:
    year = ind.get("target_year")
    direction = ind.get("direction") if ind.get("direction") in ("lower", "higher") else None
    reading = infer_target(
        text, target_year=year if isinstance(year, int) else None, period=period, direction=direction
    )
    name, unit = ind.get("name"), ind.get("unit")
    kind = infer_indicator_kind(
        name if isinstance(name, str) else "",
        unit if isinstance(unit, str) else "",
        text,
        performance_goal=performance,
    )
    return {
        "target_kind": reading.kind,
        "target_window_start": reading.window_start,
        "target_window_end": reading.window_end,
        "indicator_kind": kind.kind,
    }


def validate(data: Any) -> list[Problem]:
    """Every problem in the file, schema first; an empty list means the file can be imported."""
    data = upgrade(data)
    problems = schema_problems(data) or _control_problems(data)
    if problems:
        return problems  # the semantic checks rely on the structure the schema guarantees
    return sorted(_Checker(data).run(), key=lambda p: _sort_key(_path_parts(p.path)))


def warnings(data: Any) -> list[Problem]:
    """What the plausibility rules only warn about (a target year outside the programme period)."""
    if schema_problems(data) or _control_problems(data):
        return []
    checker = _Checker(data)
    checker.run()
    return checker.warnings


def _path_parts(path: str) -> list[Any]:
    # "$.risks[2].likelihood" → ["risks", 2, "likelihood"], to sort like jsonschema's paths.
    parts = re.findall(r"\.([^.\[]+)|\[(\d+)\]", path)
    return [name if name else int(index) for name, index in parts]


# --- writing -----------------------------------------------------------------------------------


@dataclass
class ImportResult:
    programme: Programme
    version: ProgrammeVersion
    counts: dict[str, int]
    unknown_users: list[str]


def import_programme(data: Any, organisation: Organisation, actor: Actor) -> ImportResult:
    """Create a new programme in ``organisation`` from a file's data, or raise ``ProgrammeFileError``."""
    data = upgrade(data)
    problems = validate(data)
    if problems:
        raise ProgrammeFileError(problems)
    writer = _Writer(data, organisation, actor)
    try:
        with transaction.atomic():
            return writer.run()
    except ValidationError as exc:
        # The checks above should catch everything; if a model rule still objects, the
        # transaction is already rolled back and the user gets the place where it happened.
        raise ProgrammeFileError([Problem(writer.path, "; ".join(exc.messages))]) from exc


@dataclass
class _Writer:
    data: dict[str, Any]
    organisation: Organisation
    actor: Actor
    path: str = "$"
    counts: Counter[str] = field(default_factory=Counter)

    def run(self) -> ImportResult:
        data, org, actor = self.data, self.organisation, self.actor
        self.path = "$.programme"
        programme = audit.create(actor, Programme, organisation=org, **data["programme"])
        meta = data["version"]
        self.path = "$.version"
        # Created as a draft: the services refuse to add content to an adopted (frozen) version,
        # so the status and decision fields are set last.
        version = audit.create(
            actor,
            ProgrammeVersion,
            organisation=org,
            programme=programme,
            number=meta["number"],
            status=VersionStatus.UTKAST,
            likelihood_labels=meta["likelihood_labels"],
            consequence_labels=meta["consequence_labels"],
        )
        for i, chapter in enumerate(data["chapters"]):
            self.path = f"$.chapters[{i}]"
            audit.create(actor, Chapter, organisation=org, version=version, **chapter)

        event_types = {et.pk: et for et in EventType.objects.all()}
        risks = {}
        for i, item in enumerate(data["risks"]):
            self.path = f"$.risks[{i}]"
            fields = {k: v for k, v in item.items() if k not in ("ref", "vulnerabilities", "event_type")}
            risk = conditions.create_risk(
                actor, version, event_type=event_types.get(item["event_type"]), **fields
            )
            risks[item["ref"]] = risk
            for j, vuln in enumerate(item["vulnerabilities"]):
                self.path = f"$.risks[{i}].vulnerabilities[{j}]"
                conditions.add_vulnerability(actor, risk, vuln["description"])
        for i, item in enumerate(data["capabilities"]):
            self.path = f"$.capabilities[{i}]"
            conditions.add_capability(actor, version, **{**item, "risk": risks.get(item["risk"])})
        self.counts.update(risks=len(risks))

        # Series before indicators, in file order, so indicators can point at them.
        series = {}
        for i, item in enumerate(data["series"]):
            self.path = f"$.series[{i}]"
            series[item["ref"]] = IndicatorSeries.objects.create(organisation=org, name=item["name"])

        national = {g.pk: g for g in NationalGoal.objects.all()}
        safety_goals = {}
        for i, item in enumerate(data["safety_goals"]):
            self.path = f"$.safety_goals[{i}]"
            goal = goals.create_safety_goal(
                actor,
                version,
                national_goals=[national[key] for key in item["national_goals"]],
                risks=[risks[ref] for ref in item["risks"]],
                **_plain(item, "ref", "national_goals", "risks", "indicators"),
            )
            safety_goals[item["ref"]] = goal
            self.indicators(goal, item["indicators"], series)
        for i, item in enumerate(data["performance_goals"]):
            self.path = f"$.performance_goals[{i}]"
            pgoal = goals.create_performance_goal(
                actor,
                version,
                safety_goals=[safety_goals[ref] for ref in item["safety_goals"]],
                **_plain(item, "ref", "safety_goals", "measures", "indicators"),
            )
            for j, measure in enumerate(item["measures"]):
                self.path = f"$.performance_goals[{i}].measures[{j}]"
                costs = {
                    k: Decimal(measure[k]) if measure[k] is not None else None
                    for k in ("cost_once", "cost_yearly")
                }
                due = {"due_date": _parse_date(measure.get("due_date"))}
                goals.create_measure(actor, pgoal, **{**measure, **costs, **due})
            self.counts.update(measures=len(item["measures"]))
            self.indicators(pgoal, item["indicators"], series)
        self.counts.update(safety_goals=len(safety_goals), performance_goals=len(data["performance_goals"]))

        unknown_users = self.measurements(series)

        self.path = "$.version"
        lifecycle = {
            k: v for k, v in meta.items() if k not in ("number", "likelihood_labels", "consequence_labels")
        }
        for name in ("adopted_on", "consultation_from", "consultation_to"):
            lifecycle[name] = _parse_date(lifecycle[name])
        version = audit.update(actor, version, **lifecycle)
        # A draft written under an older chapter skeleton gets the chapters it now lacks.
        add_missing_chapters(actor, version)
        return ImportResult(programme, version, dict(self.counts), unknown_users)

    def indicators(self, goal: Any, items: list[dict[str, Any]], series: dict[str, IndicatorSeries]) -> None:
        base = self.path
        for k, item in enumerate(items):
            self.path = f"{base}.indicators[{k}]"
            goals.create_indicator(self.actor, goal, **{**item, "series": series[item["series"]]})
        self.counts.update(indicators=len(items))

    def measurements(self, series: dict[str, IndicatorSeries]) -> list[str]:
        """Write every row as it stands in the file, keeping its timestamps and correction state.

        ``goals.record_measurement`` would stamp corrections with the current time, so rows go
        through ``audit.create`` directly. ``entered_by`` names a user account; one that does not
        exist here is left empty and reported.
        """
        rows = [
            (i, k, row)
            for i, item in enumerate(self.data["series"])
            for k, row in enumerate(item["measurements"])
        ]
        user_model = get_user_model()
        names = {row["entered_by"] for _, _, row in rows if row["entered_by"] is not None}
        users = {
            u.get_username(): u
            for u in user_model._default_manager.filter(**{f"{user_model.USERNAME_FIELD}__in": names})
        }
        for i, k, row in rows:
            self.path = f"$.series[{i}].measurements[{k}]"
            audit.create(
                self.actor,
                Measurement,
                organisation=self.organisation,
                series=series[self.data["series"][i]["ref"]],
                **{
                    **row,
                    "entered_by": users.get(row["entered_by"]),
                    "entered_at": _parse_datetime(row["entered_at"]),
                    "replaced_at": _parse_datetime(row["replaced_at"]),
                },
            )
        self.counts.update(measurements=len(rows))
        return sorted(names - set(users))


def _plain(item: dict[str, Any], *skip: str) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in skip}
