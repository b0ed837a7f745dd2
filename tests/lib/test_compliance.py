"""Egenkontroll rules on hand-built facts: a complete programme passes every rule, and one change at
a time makes each rule fail for the right reason."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from lsoplan.lib.compliance import (
    CapabilityFact,
    ChapterFact,
    DistributionFact,
    Evaluation,
    Finding,
    IndicatorFact,
    ProgrammeFacts,
    RiskFact,
    SmartVerdict,
    Target,
    VersionFacts,
    default_skeleton,
    evaluate,
    join_sv,
    load_rules,
    parse_rules,
    sv_date,
)
from lsoplan.lib.compliance_quality import report_deadline, reporting_cutoff
from lsoplan.lib.compliance_rules import CHECKS
from lsoplan.lib.goalchain import PerformanceGoalNode, SafetyGoalNode
from lsoplan.reference import DATA

TODAY = dt.date(2026, 11, 25)
TEXTS = {
    "styrning": "Förbundet samverkar med grannkommunerna och har avtal med SOS Alarm.",
    "raddningstjanst": "Hamnen i Eskilstuna och dess gränser i vatten redovisas på kartan i bilagan.",
}


def _chapters() -> tuple[ChapterFact, ...]:
    return tuple(
        ChapterFact(
            ref.key, ref.number, ref.title, TEXTS.get(ref.key, f"Text om {ref.title}."), True, 100 + i
        )
        for i, ref in enumerate(default_skeleton())
    )


def _capabilities() -> tuple[CapabilityFact, ...]:
    caps = [
        CapabilityFact(31, "olyckstyp", "fred", "Rökdykning", "Fyra stationer", risk_id=1),
        CapabilityFact(32, "olyckstyp", "fred", "Losstagning", "Hydraulverktyg", risk_id=2),
    ]
    for n, kind in enumerate(("samtidiga", "omfattande", "ledning")):
        caps.append(CapabilityFact(40 + n, kind, "fred", f"Förmåga {kind}", "Styrkor och avtal"))
    for n, kind in enumerate(("olyckstyp", "samtidiga", "omfattande", "ledning")):
        caps.append(CapabilityFact(50 + n, kind, "hojd_beredskap", f"Krig: {kind}", "Krigsorganisation"))
    return tuple(caps)


def complete() -> ProgrammeFacts:
    """An adopted programme in force that meets every rule."""
    return ProgrammeFacts(
        today=TODAY,
        version=VersionFacts(
            id=10,
            number=1,
            status="antagen",
            period_start=2025,
            period_end=2028,
            adopted_on=dt.date(2024, 12, 10),
            adopted_body="kommunfullmaktige",
            adopted_paragraph="§ 45",
            consultation_parties=("Länsstyrelsen i Södermanlands län", "Polismyndigheten"),
            consultation_from=dt.date(2024, 8, 1),
            consultation_to=dt.date(2024, 9, 30),
        ),
        chapters=_chapters(),
        risks=(
            RiskFact(1, "Brand i bostad", "Brand i byggnad", 4, 4),
            RiskFact(2, "Trafikolyckor på E20", "Trafikolycka", 3, 4),
        ),
        capabilities=_capabilities(),
        safety_goals=(
            SafetyGoalNode(1, "Säkerhetsmål S1", ("lso-1-3a",), (1,), 1),
            SafetyGoalNode(2, "Säkerhetsmål S2", ("lso-1-3",), (2,), 1),
        ),
        performance_goals=(
            PerformanceGoalNode(11, "Prestationsmål P1", (1,), 1, 2),
            PerformanceGoalNode(12, "Prestationsmål P2", (2,), 1, 1),
        ),
        smart=(
            SmartVerdict("sakerhetsmal", 1, "Säkerhetsmål S1", "ok"),
            SmartVerdict("prestationsmal", 11, "Prestationsmål P1", "ok"),
        ),
        indicators=(IndicatorFact(21, "Bränder i bostad", "sakerhetsmal", 1, (2023, 2024, 2025)),),
        incidents_available=True,
        latest_incident_alarm=dt.date(2026, 11, 20),
        distributions=(
            DistributionFact("lansstyrelsen", dt.date(2024, 12, 20)),
            DistributionFact("mcf", dt.date(2024, 12, 20)),
            DistributionFact("samradsparter", dt.date(2024, 12, 21)),
        ),
        ports_relevant=True,
    )


def _statuses(facts: ProgrammeFacts, rule_id: str) -> list[str]:
    return [f.status for f in evaluate(facts).findings if f.rule_id == rule_id]


def _findings(facts: ProgrammeFacts, rule_id: str) -> list[Finding]:
    return [f for f in evaluate(facts).findings if f.rule_id == rule_id]


def _version(**changes: object) -> Callable[[ProgrammeFacts], ProgrammeFacts]:
    return lambda f: dataclasses.replace(f, version=dataclasses.replace(f.version, **changes))


def _chapter_text(key: str, text: str) -> Callable[[ProgrammeFacts], ProgrammeFacts]:
    def change(f: ProgrammeFacts) -> ProgrammeFacts:
        chapters = tuple(dataclasses.replace(c, text=text) if c.key == key else c for c in f.chapters)
        return dataclasses.replace(f, chapters=chapters)

    return change


def _without_caps(pred: Callable[[CapabilityFact], bool]) -> Callable[[ProgrammeFacts], ProgrammeFacts]:
    return lambda f: dataclasses.replace(f, capabilities=tuple(c for c in f.capabilities if not pred(c)))


def test_complete_programme_meets_every_rule() -> None:
    evaluation = evaluate(complete())
    assert {f.rule_id for f in evaluation.findings} == {r.id for r in load_rules().rules}
    assert [(f.rule_id, f.message) for f in evaluation.findings if f.status != "ok"] == []
    assert not evaluation.failed_required
    assert evaluation.summary["ok"] == len(load_rules().rules)


# rule id → a change to the complete programme that must make exactly that rule fail.
BREAKS: dict[str, Callable[[ProgrammeFacts], ProgrammeFacts]] = {
    "lso-3-3-mal": lambda f: dataclasses.replace(
        f, safety_goals=tuple(dataclasses.replace(g, national_goals=("lso-1-3",)) for g in f.safety_goals)
    ),
    "lso-3-3-ordning": _chapter_text("forebyggande", "  "),
    "lso-3-8-mal": lambda f: dataclasses.replace(
        f, safety_goals=tuple(dataclasses.replace(g, national_goals=("lso-1-3a",)) for g in f.safety_goals)
    ),
    "lso-3-8-olyckstyp": _without_caps(lambda c: c.id == 32),  # the only one for traffic accidents
    "lso-3-8-samtidiga": _without_caps(lambda c: c.kind == "samtidiga" and c.readiness == "fred"),
    "lso-3-8-omfattande": _without_caps(lambda c: c.kind == "omfattande" and c.readiness == "fred"),
    "lso-3-8-ledning": _without_caps(lambda c: c.kind == "ledning" and c.readiness == "fred"),
    "lso-3-8-resurser": lambda f: dataclasses.replace(
        f,
        capabilities=tuple(dataclasses.replace(c, resources="") if c.id == 31 else c for c in f.capabilities),
    ),
    "lso-3-8-hojd-beredskap-delar": _without_caps(lambda c: c.id == 52),
    "lso-risker": lambda f: dataclasses.replace(f, risks=()),
    "fso-3-3-samverkan": _chapter_text("styrning", "Förbundet leds av direktionen."),
    "fso-3-3-hamnar": _chapter_text("raddningstjanst", "Räddningstjänsten har sju stationer."),
    "lso-samrad": _version(consultation_parties=(), consultation_from=None, consultation_to=None),
    "lso-giltighet": lambda f: dataclasses.replace(f, today=dt.date(2029, 2, 1)),
    "fso-3-4-utskick": lambda f: dataclasses.replace(f, distributions=f.distributions[1:]),
    "msbfs-kapitel": lambda f: dataclasses.replace(f, chapters=f.chapters[1:]),
    "msbfs-underkapitel": lambda f: dataclasses.replace(
        f, chapters=(*f.chapters, ChapterFact("eget", "6.7", "Egen rubrik", "Text", False, 999))
    ),
    "msbfs-kapiteltext": _chapter_text("inledning", ""),
    "mal-kedja": lambda f: dataclasses.replace(
        f, safety_goals=(*f.safety_goals, SafetyGoalNode(3, "Säkerhetsmål S3", ("lso-1-1",), (1,), 1))
    ),
    "mal-atgarder": lambda f: dataclasses.replace(
        f, performance_goals=(f.performance_goals[0], dataclasses.replace(f.performance_goals[1], measures=0))
    ),
    "mal-smart": lambda f: dataclasses.replace(
        f, smart=(SmartVerdict("sakerhetsmal", 1, "Säkerhetsmål S1", "brist", ("matbart", "tidsatt")),)
    ),
    "data-indikatorer": lambda f: dataclasses.replace(
        f, indicators=(IndicatorFact(21, "Bränder i bostad", "sakerhetsmal", 1, (2023, 2024)),)
    ),
    "data-handelser": lambda f: dataclasses.replace(f, latest_incident_alarm=dt.date(2026, 7, 30)),
    "data-rimlighet": lambda f: dataclasses.replace(
        f,
        indicators=tuple(
            dataclasses.replace(i, implausible=("Mätvärdet för 2024: Ett antal kan inte vara negativt.",))
            for i in f.indicators
        ),
    ),
}


def test_every_rule_has_a_failing_case() -> None:
    missing = {r.id for r in load_rules().rules} - set(BREAKS) - {"lso-3-8-hojd-beredskap"}
    assert missing == set()


@pytest.mark.parametrize("rule_id", sorted(BREAKS))
def test_one_change_breaks_the_rule(rule_id: str) -> None:
    facts = BREAKS[rule_id](complete())
    evaluation = evaluate(facts)
    assert "brist" in [f.status for f in evaluation.findings if f.rule_id == rule_id]
    for f in evaluation.findings:
        if f.status == "brist":
            assert f.message and f.message[0].isupper()
            assert f.target is not None, f"{f.rule_id}: a brist must say where to fix it"


def test_heightened_readiness_missing_fails_the_required_rule_only() -> None:
    facts = _without_caps(lambda c: c.readiness == "hojd_beredskap")(complete())
    assert _statuses(facts, "lso-3-8-hojd-beredskap") == ["brist"]
    assert _statuses(facts, "lso-3-8-hojd-beredskap-delar") == ["ej_tillämplig"]
    assert evaluate(facts).failed_required


def test_capability_per_type_names_the_uncovered_type_and_links_to_a_new_capability() -> None:
    [finding] = _findings(BREAKS["lso-3-8-olyckstyp"](complete()), "lso-3-8-olyckstyp")
    assert "Trafikolycka" in finding.message and "Trafikolyckor på E20" in finding.message
    assert finding.target == Target("capability_create", 10, "Ny förmåga")


def test_resources_point_at_the_capabilitys_risk() -> None:
    [finding] = _findings(BREAKS["lso-3-8-resurser"](complete()), "lso-3-8-resurser")
    assert finding.target is not None and (finding.target.kind, finding.target.object_id) == ("risk", 1)


def test_goals_linked_only_to_the_overall_goal_cannot_be_judged() -> None:
    facts = dataclasses.replace(
        complete(), safety_goals=(SafetyGoalNode(1, "Säkerhetsmål S1", ("lso-1-1",), (1,), 1),)
    )
    assert _statuses(facts, "lso-3-3-mal") == ["okant"]
    assert _statuses(dataclasses.replace(facts, safety_goals=()), "lso-3-8-mal") == ["brist"]


def test_ports_depend_on_the_answer() -> None:
    assert _statuses(dataclasses.replace(complete(), ports_relevant=None), "fso-3-3-hamnar") == ["okant"]
    assert _statuses(dataclasses.replace(complete(), ports_relevant=False), "fso-3-3-hamnar") == [
        "ej_tillämplig"
    ]
    [finding] = _findings(BREAKS["fso-3-3-hamnar"](complete()), "fso-3-3-hamnar")
    assert finding.target is not None and finding.target.kind == "chapter"


def test_consultation_of_a_draft_and_of_a_change() -> None:
    draft = _version(status="utkast", consultation_parties=(), consultation_from=None)(complete())
    [finding] = _findings(draft, "lso-samrad")
    assert finding.status == "brist" and finding.target == Target("consultation", 10, "Skicka på remiss")
    change = _version(based_on=1, number=2)(draft)
    assert _statuses(change, "lso-samrad") == ["okant"]


def test_adoption_validity() -> None:
    facts = complete()
    assert (
        "Antagen 10 december 2024 av kommunfullmäktige § 45" in _findings(facts, "lso-giltighet")[0].message
    )
    assert _statuses(_version(status="ersatt")(facts), "lso-giltighet") == ["ej_tillämplig"]
    assert _statuses(_version(status="antagen", adopted_on=None)(facts), "lso-giltighet") == ["brist"]
    draft = _version(status="utkast", adopted_on=None)(facts)
    assert _statuses(draft, "lso-giltighet") == ["brist"]  # the period has begun, nothing adopted
    assert _statuses(_version(other_adopted=1)(draft), "lso-giltighet") == ["ok"]
    assert _statuses(_version(period_start=2027, period_end=2030)(draft), "lso-giltighet") == [
        "ej_tillämplig"
    ]


def test_distribution_only_applies_to_an_adopted_version() -> None:
    draft = _version(status="remiss")(dataclasses.replace(complete(), distributions=()))
    assert _statuses(draft, "fso-3-4-utskick") == ["ej_tillämplig"]
    [finding] = _findings(dataclasses.replace(complete(), distributions=()), "fso-3-4-utskick")
    assert "länsstyrelsen" in finding.message and "samrådsparterna (2)" in finding.message
    assert finding.target == Target("distribution", 10, "Utskick")


def test_chapter_order_and_titles() -> None:
    facts = complete()
    swapped = dataclasses.replace(facts, chapters=(facts.chapters[1], facts.chapters[0], *facts.chapters[2:]))
    assert "ordning" in _findings(swapped, "msbfs-kapitel")[0].message
    renamed = dataclasses.replace(
        facts, chapters=(dataclasses.replace(facts.chapters[0], title="Förord"), *facts.chapters[1:])
    )
    [finding] = _findings(renamed, "msbfs-kapitel")
    assert "Inledning" in finding.message and finding.target == Target("chapter", 100, "Kapitel 1 Förord")


def test_extra_chapters_are_allowed_outside_the_closed_level() -> None:
    facts = complete()
    allowed = dataclasses.replace(
        facts,
        chapters=(
            *facts.chapters,
            ChapterFact("eget-1", "1.1", "Läsanvisning", "Text", False, 901),
            ChapterFact("eget-2", "6.1.1", "Brand i byggnad", "Text", False, 902),
        ),
    )
    assert _statuses(allowed, "msbfs-underkapitel") == ["ok"]
    [finding] = _findings(BREAKS["msbfs-underkapitel"](facts), "msbfs-underkapitel")
    assert "6.7 Egen rubrik" in finding.message and finding.target == Target(
        "chapter", 999, "Kapitel 6.7 Egen rubrik"
    )


def test_goal_chain_gaps_link_to_the_goal() -> None:
    findings = _findings(BREAKS["mal-kedja"](complete()), "mal-kedja")
    assert {(f.target.kind, f.target.object_id) for f in findings if f.target} == {("sakerhetsmal", 3)}


def test_smart_lists_the_failing_criteria() -> None:
    [finding] = _findings(BREAKS["mal-smart"](complete()), "mal-smart")
    assert finding.message == "Säkerhetsmål S1 är inte mätbart och tidsatt."
    unknown = SmartVerdict("prestationsmal", 11, "Prestationsmål P1", "okant", (), ("realistiskt",))
    assert _statuses(dataclasses.replace(complete(), smart=(unknown,)), "mal-smart") == ["okant"]


def test_stale_indicator_says_which_year() -> None:
    [finding] = _findings(BREAKS["data-indikatorer"](complete()), "data-indikatorer")
    assert "2025" in finding.message and "senaste värde gäller 2024" in finding.message
    assert finding.target == Target("indicator", 21, "Bränder i bostad")


def test_incidents_without_register_or_data_cannot_be_judged() -> None:
    assert _statuses(dataclasses.replace(complete(), incidents_available=False), "data-handelser") == [
        "okant"
    ]
    assert _statuses(dataclasses.replace(complete(), latest_incident_alarm=None), "data-handelser") == [
        "okant"
    ]
    # August is the latest month whose reports are all overdue on 25 November: one incident is enough.
    assert _statuses(
        dataclasses.replace(complete(), latest_incident_alarm=dt.date(2026, 8, 1)), "data-handelser"
    ) == ["ok"]
    [finding] = _findings(BREAKS["data-handelser"](complete()), "data-handelser")
    assert "31 augusti 2026" in finding.message and "31 oktober 2026" in finding.message


@pytest.mark.parametrize(
    ("operation", "deadline"),
    [
        (dt.date(2026, 3, 15), dt.date(2026, 5, 15)),
        (dt.date(2026, 12, 1), dt.date(2027, 1, 31)),  # December operations by 31 January
        (dt.date(2026, 12, 31), dt.date(2027, 1, 31)),
        (dt.date(2026, 10, 31), dt.date(2026, 12, 31)),
        (dt.date(2026, 12, 31 - 1), dt.date(2027, 1, 31)),
        (dt.date(2027, 1, 31), dt.date(2027, 3, 31)),
        (dt.date(2026, 7, 31), dt.date(2026, 9, 30)),  # no 31 September
    ],
)
def test_report_deadline(operation: dt.date, deadline: dt.date) -> None:
    assert report_deadline(operation) == deadline


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (dt.date(2026, 11, 25), dt.date(2026, 8, 1)),
        (dt.date(2027, 2, 1), dt.date(2026, 12, 1)),  # 31 January has passed
        (dt.date(2027, 1, 31), dt.date(2026, 11, 1)),  # November's deadline has passed, December's is today
        (dt.date(2027, 3, 15), dt.date(2026, 12, 1)),
    ],
)
def test_reporting_cutoff(today: dt.date, month: dt.date) -> None:
    first, last, deadline = reporting_cutoff(today)
    assert first == month and deadline < today and report_deadline(last) == deadline


def test_summary_counts_rules_not_findings() -> None:
    facts = dataclasses.replace(
        complete(),
        indicators=(
            IndicatorFact(21, "A", "sakerhetsmal", 1, ()),
            IndicatorFact(22, "B", "sakerhetsmal", 1, ()),
        ),
    )
    evaluation = evaluate(facts)
    assert len([f for f in evaluation.findings if f.rule_id == "data-indikatorer"]) == 2
    assert evaluation.summary["brist"] == 1 and evaluation.summary["krav_brist"] == 0
    assert not evaluation.failed_required  # a recommendation does not fail the check


def test_findings_survive_json() -> None:
    evaluation = evaluate(dataclasses.replace(complete(), risks=()))
    restored = [Finding.from_json(f.to_json()) for f in evaluation.findings]
    assert tuple(restored) == evaluation.findings
    again = Evaluation(tuple(restored), evaluation.rules, evaluation.rules_version)
    assert again.summary == evaluation.summary


def test_rules_file_is_complete_and_honest() -> None:
    ruleset = load_rules()
    assert ruleset.meta.version and ruleset.meta.source and ruleset.meta.retrieved
    assert {r.check for r in ruleset.rules} <= set(CHECKS)
    for rule in ruleset.rules:
        assert rule.basis and rule.reference and rule.title
        # LSO and FSO rules quote the consolidated text; MSBFS summaries and lsoplan's own rules do not.
        if rule.id.startswith(("lso-", "fso-")):
            assert rule.verified, rule.id
        if rule.id.startswith(("msbfs-", "mal-", "data-")):
            assert not rule.verified, rule.id
    required = {r.id for r in ruleset.rules if r.severity == "krav"}
    assert {"lso-3-3-mal", "lso-3-8-hojd-beredskap", "fso-3-4-utskick", "msbfs-kapitel"} <= required


def test_bad_rules_files_are_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load((DATA / "egenkontroll_rules.yaml").read_text(encoding="utf-8"))
    for change, fragment in [
        ({"check": "finns_inte"}, "unknown check"),
        ({"severity": "bör"}, "severity"),
        ({"area": "okänd"}, "unknown area"),
        ({"verified": "ja"}, "verified"),
    ]:
        broken = {**raw, "items": [{**raw["items"][0], **change}, *raw["items"][1:]]}
        with pytest.raises(ValueError, match=fragment):
            parse_rules(broken)
    twice = {**raw, "items": [raw["items"][0], raw["items"][0]]}
    with pytest.raises(ValueError, match="twice"):
        parse_rules(twice)


def test_target_kinds_are_checked() -> None:
    with pytest.raises(ValueError):
        Target("okänd", 1)


def test_swedish_helpers() -> None:
    assert join_sv(["a"]) == "a" and join_sv(["a", "b", "c"]) == "a, b och c"
    assert sv_date(dt.date(2026, 3, 5)) == "5 mars 2026"
