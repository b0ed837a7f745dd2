"""Demo content for Utvärdering and Lärande, written through the services like the rest of the demo.

``load_demo_evaluation(planner, version, year)`` is meant to be called by ``lsoplan.demo`` after the
measurements are in and before the next draft is made, so that the adopted version has a closed
evaluation with an improvement action, an open one, a citizens' survey and a cost-benefit
calculation — and the open action can be carried into the draft. The survey answers are invented
(marked so in their source), shaped like a municipal trygghetsmätning.
"""

from __future__ import annotations

import datetime as dt

from lsoplan.audit.services import Actor
from lsoplan.evaluation import services
from lsoplan.evaluation.models import Evaluation
from lsoplan.goals.models import Measure, SafetyGoal
from lsoplan.programmes.models import ProgrammeVersion

SURVEY_CSV = """fråga;svarsalternativ;andel;antal_svarande
Hur trygg känner du dig i ditt hem när det gäller brand?;Mycket trygg;52;1046
Hur trygg känner du dig i ditt hem när det gäller brand?;Ganska trygg;38;1046
Hur trygg känner du dig i ditt hem när det gäller brand?;Ganska eller mycket otrygg;10;1046
Finns det en fungerande brandvarnare i din bostad?;Ja;88;1102
Finns det en fungerande brandvarnare i din bostad?;Nej eller vet inte;12;1102
Hur stort förtroende har du för räddningstjänsten?;Stort eller mycket stort;91;1088
Hur stort förtroende har du för räddningstjänsten?;Litet eller inget;3;1088
Hur stort förtroende har du för räddningstjänsten?;Ingen åsikt;6;1088
"""


def load_demo_evaluation(planner: Actor, version: ProgrammeVersion, year: int) -> list[Evaluation]:
    """Evaluate the version's first two säkerhetsmål for ``year``; returns the evaluations."""
    survey = services.import_survey(
        planner,
        version.organisation,
        name="Trygghetsmätning",
        year=year,
        source="Demodata: påhittade svar i samma form som en kommunal trygghetsmätning",
        data=SURVEY_CSV.encode("utf-8"),
        file_name="trygghetsmatning.csv",
    )
    goals = list(SafetyGoal.objects.filter(version=version).order_by("order", "id")[:2])
    evaluations = []
    for n, goal in enumerate(goals):
        evaluation = services.create_evaluation(
            planner,
            goal,
            period_start=year,
            period_end=year,
            surveys=[survey],
            why=(
                "Hembesöken nådde färre flerbostadshus än planerat under första halvåret, "
                "och uppföljningen visar ingen säkerställd förändring ännu."
                if n == 0
                else ""
            ),
            side_effects="Fler automatlarm efter utbytet av brandlarm i äldreboenden." if n == 0 else "",
            citizens_view=(
                "Nio av tio har stort förtroende för räddningstjänsten; var åttonde saknar fungerande "
                "brandvarnare (trygghetsmätningen, felmarginal cirka ±2 procentenheter)."
                if n == 0
                else ""
            ),
        )
        evaluations.append(evaluation)
    if not evaluations:
        return evaluations
    first = evaluations[0]
    owner = first.goal.owner if first.goal is not None and first.goal.owner else "Förebyggande avdelningen"
    services.create_action(
        planner,
        version,
        title="Riktade hembesök i flerbostadshus med många bränder",
        owner=owner,
        description="Prioritera områden med flest bostadsbränder 2019–2023; följ upp kvartalsvis.",
        due_date=dt.date(year + 1, 6, 30),
        status="pagar",
        evaluation=first,
    )
    services.close_evaluation(
        planner,
        first,
        assessment="delvis",
        assessment_text="Arbetet går åt rätt håll men effekten går inte att säkerställa ännu.",
    )
    measure = Measure.objects.filter(version=version).order_by("id").first()
    if measure is not None:
        services.create_analysis(
            planner,
            version,
            measure,
            title="Hembesök – kostnad mot undvikna bränder",
            one_off_cost=80_000,
            yearly_cost=350_000,
            years=10,
            discount_rate=0.035,
            avoided_fires=1.0,
            avoided_serious=0.05,
            assumptions=(
                "Antagande: hembesöken förhindrar en brand i bostad och var tjugonde svår skada per år. "
                "Demodata, inte en utredd effekt."
            ),
        )
    return evaluations
