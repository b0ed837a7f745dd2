"""Objects for the evaluation tests, made through the real services."""

from __future__ import annotations

from lsoplan.evaluation import services
from lsoplan.evaluation.models import CostBenefitAnalysis, Evaluation, ImprovementAction, Survey
from tests.factories import SYSTEM, World

SURVEY_CSV = (
    "fråga;svarsalternativ;andel;antal_svarande\n"
    "Hur trygg känner du dig i din bostad?;Mycket trygg;45,3;812\n"
    "Hur trygg känner du dig i din bostad?;Ganska trygg;40,0;812\n"
    "Har du en fungerande brandvarnare?;Ja;91;1204\n"
)


def evaluation(w: World, **fields: object) -> Evaluation:
    return services.create_evaluation(SYSTEM, w.safety_goal, period_start=2016, period_end=2020, **fields)  # type: ignore[arg-type]


def action(w: World, **fields: object) -> ImprovementAction:
    values: dict[str, object] = {"title": "Fler hembesök i flerbostadshus", "owner": "Förebyggande"} | fields
    return services.create_action(SYSTEM, w.version, **values)  # type: ignore[arg-type]


def survey(w: World) -> Survey:
    return services.import_survey(
        SYSTEM,
        w.org,
        name="Trygghetsmätning",
        year=2024,
        source="Egen enkät",
        data=SURVEY_CSV.encode("utf-8"),
        file_name="trygghet.csv",
    )


def analysis(w: World) -> CostBenefitAnalysis:
    return services.create_analysis(
        SYSTEM,
        w.version,
        w.measure,
        title="Hembesök",
        one_off_cost=50_000,
        yearly_cost=200_000,
        years=10,
        discount_rate=0.035,
        avoided_fires=0.5,
        avoided_serious=0.05,
    )
