"""The demo programme's goal chain: säkerhetsmål and prestationsmål with indicators and measures.

Split from ``lsoplan.demo.content`` to keep modules small; the same rules apply: goal texts may hold
``{base}`` and ``{target}``, and goals marked ``# SVAGT:`` are weak on purpose. Do not "fix" them.
"""

from __future__ import annotations

from lsoplan.demo.content import MEASURE_DONE_V2, GoalDef, IndicatorDef, MeasureDef, RiskDef

_FOREBYGGANDE = "Avdelningschef förebyggande"
_RADDNING = "Avdelningschef räddningstjänst"
_TILLSYN = "Enhetschef tillsyn"
_UTBILDNING = "Enhetschef information och utbildning"

SAFETY_GOALS: tuple[GoalDef, ...] = (
    GoalDef(
        "S1",
        "Antalet bränder i bostad ska minska med 20 % till 2026 jämfört med medelvärdet för 2016–2019.",
        _FOREBYGGANDE,
        ("lso-1-3a", "lso-1-1"),
        ("bostad",),
        indicators=(
            IndicatorDef(
                "bostadsbrand",
                "Bränder i bostad",
                "antal",
                "lower",
                "per_1000",
                True,
                (2016, 2019),
                target_change=-0.20,
                target_year=2026,
            ),
            IndicatorDef(
                "brandvarnare",
                "Andel hushåll med fungerande brandvarnare",
                "%",
                "higher",
                baseline=(2016, 2019),
                target=92.0,
                target_year=2026,
            ),
        ),
    ),
    GoalDef(
        # Version 1 says only the vision; version 2 makes it measurable (GOAL_EDITS_V2).
        "S2",
        "Ingen ska omkomma i bränder.",
        "Förbundsdirektör",
        ("lso-1-3a", "lso-1-1"),
        ("bostad",),
        indicators=(
            IndicatorDef(
                "omkomna",
                "Omkomna i bränder",
                "antal",
                "lower",
                "none",
                True,
                (2016, 2019),
                target_change=-0.30,
                target_year=2026,
            ),
        ),
    ),
    GoalDef(
        "S3",
        "Responstidens median (från 112-samtal till första resurs på plats) ska vara högst {target} "
        "minuter till 2026, jämfört med {base} minuter i genomsnitt för 2016–2019.",
        _RADDNING,
        ("lso-1-3",),
        ("bostad", "trafik", "skog"),
        indicators=(
            IndicatorDef(
                "responstid",
                "Responstid, median",
                "minuter",
                "lower",
                baseline=(2016, 2019),
                target=12.0,
                target_year=2026,
            ),
        ),
    ),
    GoalDef(
        # SVAGT: over-ambitious. Halving against a series that has been flat for ten years; the
        # base year is 2021 because that was the last full year when the programme was adopted.
        "S4",
        "Antalet trafikolyckor med räddningsinsats ska halveras till 2026 jämfört med 2021.",
        _FOREBYGGANDE,
        ("lso-1-3a",),
        ("trafik",),
        indicators=(
            IndicatorDef(
                "trafikolycka",
                "Trafikolyckor med räddningsinsats",
                "antal",
                "lower",
                "per_1000",
                True,
                (2021, 2021),
                target_change=-0.50,
                target_year=2026,
            ),
        ),
    ),
    # SVAGT: MSB's own example of a vague goal; no owner, no indicator.
    GoalDef(
        "S5",
        "Vi ska vara en säker och trygg kommun för alla som bor, verkar och vistas här.",
        "",
        ("lso-1-1",),
        ("fall",),
    ),
    GoalDef(
        # SVAGT: MSB's example of a goal without baseline or definition ("fungerande").
        "S6",
        "Andelen verksamheter med fungerande systematiskt brandskyddsarbete (SBA) ska öka.",
        _TILLSYN,
        ("lso-1-3a",),
        ("vardboende",),
        indicators=(IndicatorDef("sba", "Andel tillsynsobjekt utan brister i SBA", "%", "higher"),),
    ),
    GoalDef(
        # SVAGT: no prestationsmål serves this goal.
        "S7",
        "Antalet drunkningar och drunkningstillbud med räddningsinsats ska minska med 30 % till 2026 "
        "jämfört med medelvärdet för 2016–2019.",
        f"{_FOREBYGGANDE}, i samverkan med kommunernas fritidsförvaltningar",
        ("lso-1-3a",),
        ("drunkning",),
        indicators=(
            IndicatorDef(
                "drunkning",
                "Drunkningar och drunkningstillbud",
                "antal",
                "lower",
                "none",
                True,
                (2016, 2019),
                target_change=-0.30,
                target_year=2026,
            ),
        ),
    ),
    GoalDef(
        "S8",
        "Minst 95 % av bränderna i skog och mark ska släckas innan de har spridit sig till mer än en "
        "hektar, varje år 2023–2026, jämfört med {base} % i genomsnitt för 2016–2019.",
        _RADDNING,
        ("lso-1-3",),
        ("skog",),
        indicators=(
            IndicatorDef(
                "skogsbrand_begransad",
                "Andel bränder i skog och mark under en hektar",
                "%",
                "higher",
                baseline=(2016, 2019),
                target=95.0,
                target_year=2026,
            ),
        ),
    ),
)


def _output(
    series: str, name: str, target: float, unit: str = "antal", normalisation: str = "none", decimals: int = 0
) -> IndicatorDef:
    """An output indicator: higher is better, baseline 2016–2019, target for 2026."""
    return IndicatorDef(
        series,
        name,
        unit,
        "higher",
        normalisation,
        False,
        (2016, 2019),
        target=target,
        target_year=2026,
        decimals=decimals,
    )


PERFORMANCE_GOALS: tuple[GoalDef, ...] = (
    GoalDef(
        "P1",
        "Förbundet ska genomföra minst 450 tillsyner enligt LSO per år 2023–2026, jämfört med i "
        "genomsnitt {base} per år 2016–2019.",
        _TILLSYN,
        safety_goals=("S6", "S1"),
        indicators=(_output("tillsyner", "Genomförda tillsyner enligt LSO", 450),),
        measures=(
            MeasureDef(MEASURE_DONE_V2, _TILLSYN, "pagaende", 2024, 350_000, 60_000),
            MeasureDef(
                "Anställa ytterligare en brandinspektör", "Förbundsdirektör", "genomford", 2023, None, 650_000
            ),
        ),
    ),
    GoalDef(
        "P2",
        "Räddningstjänsten ska genomföra minst 1 500 hembesök med kontroll av brandvarnare per år "
        "2023–2026, jämfört med i genomsnitt {base} per år 2016–2019.",
        _UTBILDNING,
        safety_goals=("S1", "S2", "S5"),
        indicators=(_output("hembesok", "Genomförda hembesök", 1500),),
        measures=(
            MeasureDef(
                "Riktade hembesök till äldre ensamboende i samverkan med hemtjänsten",
                _UTBILDNING,
                "pagaende",
                2026,
                None,
                250_000,
            ),
            MeasureDef(
                "Dela ut brandvarnare och batterier vid hembesök", _UTBILDNING, "pagaende", 2026, None, 40_000
            ),
        ),
    ),
    GoalDef(
        "P3",
        "Minst 4 000 personer per år ska utbildas i brandskydd eller hjärt-lungräddning 2023–2026, "
        "jämfört med i genomsnitt {base} per år 2016–2019.",
        _UTBILDNING,
        safety_goals=("S1", "S2"),
        # Absolute counts: the goal is 4 000 people a year, not a rate per 1 000 inhabitants.
        indicators=(_output("utbildade", "Utbildade personer", 4000),),
        measures=(
            MeasureDef(
                "Brandskyddsutbildning vartannat år för all personal i kommunernas vård och omsorg",
                _UTBILDNING,
                "planerad",
                2025,
                None,
                120_000,
            ),
        ),
    ),
    GoalDef(
        "P4",
        "Minst 98 % av brandskyddskontrollerna ska genomföras inom föreskriven frist varje år 2023–2026, "
        "jämfört med {base} % i genomsnitt 2016–2019.",
        f"{_TILLSYN} (avtal med sotningsentreprenörerna)",
        safety_goals=("S1",),
        indicators=(
            _output("brandskyddskontroll", "Brandskyddskontroller inom frist", 98.0, "%", decimals=1),
        ),
        measures=(
            MeasureDef(
                "Kvartalsvis uppföljning av entreprenörernas fristlistor", _TILLSYN, "genomford", 2023
            ),
        ),
    ),
    GoalDef(
        "P5",
        "Anspänningstiden för heltidsstyrkorna ska vara högst 90 sekunder vid minst 90 % av larmen varje "
        "år 2023–2026, jämfört med {base} % i genomsnitt 2016–2019.",
        "Stationschef Eskilstuna",
        safety_goals=("S3",),
        indicators=(
            _output(
                "anspanning", "Larm med anspänningstid högst 90 sekunder (heltid)", 90.0, "%", decimals=1
            ),
        ),
        measures=(
            MeasureDef(
                "Förvarning från SOS Alarm direkt till stationerna",
                _RADDNING,
                "pagaende",
                2025,
                400_000,
                30_000,
            ),
        ),
    ),
    GoalDef(
        "P6",
        "RIB-styrkorna ska vara fullt bemannade minst 97 % av årets timmar 2026, jämfört med {base} % i "
        "genomsnitt 2016–2019.",
        _RADDNING,
        safety_goals=("S3",),
        indicators=(
            _output("rib_bemanning", "Timmar med full bemanning i RIB-styrkorna", 97.0, "%", decimals=1),
        ),
        measures=(
            MeasureDef(
                "Rekryteringskampanj för RIB-personal i Flen och Malmköping",
                _RADDNING,
                "pagaende",
                2024,
                150_000,
            ),
            MeasureDef(
                "Avtal med medlemskommunerna om att anställda får lämna arbetet vid larm",
                "Förbundsdirektör",
                "genomford",
                2023,
            ),
        ),
    ),
    GoalDef(
        # SVAGT: no indicator, so it cannot be followed up.
        "P7",
        "Förbundet ska genomföra minst en ledningsövning per år 2023–2026 med scenario under höjd "
        "beredskap, tillsammans med länsstyrelsen och medlemskommunerna.",
        "Stabschef",
        safety_goals=("S3",),
        measures=(
            MeasureDef(
                "Ta fram en övningsplan för höjd beredskap 2023–2026",
                "Stabschef",
                "genomford",
                2023,
                None,
                80_000,
            ),
        ),
    ),
    GoalDef(
        "P8",
        "Räddningstjänsten ska genomföra minst 30 informationsinsatser om trafiksäkerhet per år "
        "2023–2026 i skolor och på arbetsplatser, jämfört med i genomsnitt {base} per år 2016–2019.",
        _UTBILDNING,
        safety_goals=("S4",),
        indicators=(_output("trafikinformation", "Informationsinsatser om trafiksäkerhet", 30),),
        measures=(
            MeasureDef(
                "Gemensam trafiksäkerhetsvecka med Polismyndigheten och Trafikverket",
                _UTBILDNING,
                "planerad",
                2025,
                None,
                25_000,
            ),
        ),
    ),
    # SVAGT: well written, but no säkerhetsmål (and no measure) behind it.
    GoalDef(
        "P9",
        "Minst 95 % av eleverna i årskurs 5 i förbundets kommuner ska få brandskyddsutbildning varje år "
        "2023–2026, jämfört med {base} % i genomsnitt 2016–2019.",
        _UTBILDNING,
        indicators=(
            _output("skolelever", "Elever i årskurs 5 med brandskyddsutbildning", 95.0, "%", decimals=1),
        ),
    ),
    GoalDef(
        "P10",
        "Samtliga styrkor ska genomföra minst två övningar i släckning av skogsbrand per år 2023–2026; "
        "andelen ska vara 100 %, jämfört med {base} % i genomsnitt 2016–2019.",
        "Utbildningsansvarig räddningstjänst",
        safety_goals=("S8",),
        indicators=(
            _output("skogsbrandsovning", "Styrkor med två skogsbrandsövningar", 100.0, "%", decimals=1),
        ),
        measures=(MeasureDef("Köpa in två skogsbrandsvagnar", _RADDNING, "genomford", 2023, 900_000),),
    ),
    GoalDef(
        "P11",
        "Förbundet ska ge minst 200 rådgivningar om systematiskt brandskyddsarbete per år 2023–2026 till "
        "företag och föreningar, jämfört med i genomsnitt {base} per år 2016–2019.",
        _TILLSYN,
        safety_goals=("S6",),
        indicators=(_output("sba_radgivning", "Rådgivningar om systematiskt brandskyddsarbete", 200),),
        measures=(
            MeasureDef(
                "Frukostseminarier om SBA för småföretag, fyra per år",
                _TILLSYN,
                "pagaende",
                2026,
                None,
                30_000,
            ),
        ),
    ),
)

# The neighbour's small programme: enough to show that organisations do not see each other's data.
NEIGHBOUR_RISKS: tuple[RiskDef, ...] = (
    RiskDef(
        "bostad",
        "Brand i bostad",
        1,
        "",
        4,
        4,
        "Bostadsbränder är den olyckstyp som orsakar flest dödsfall i brand i kommunen.",
    ),
    RiskDef(
        "trafik",
        "Trafikolycka på riksvägarna 52 och 55",
        2,
        "",
        4,
        3,
        "Trafikolyckor är den vanligaste olyckstypen med räddningsinsats i kommunen.",
    ),
)
NEIGHBOUR_SAFETY_GOAL = GoalDef(
    "S1",
    "Antalet bränder i bostad ska minska med 15 % till 2026 jämfört med medelvärdet för 2016–2019.",
    "Räddningschef",
    ("lso-1-3a",),
    ("bostad",),
    indicators=(
        IndicatorDef(
            "katrineholm_bostadsbrand",
            "Bränder i bostad",
            "antal",
            "lower",
            "per_1000",
            True,
            (2016, 2019),
            target_change=-0.15,
            target_year=2026,
        ),
    ),
)
NEIGHBOUR_PERFORMANCE_GOAL = GoalDef(
    "P1",
    "Räddningstjänsten ska genomföra minst 300 hembesök per år 2023–2026.",
    "Räddningschef",
    safety_goals=("S1",),
    measures=(
        MeasureDef(
            "Hembesök i flerbostadshus i centrala Katrineholm",
            "Räddningschef",
            "pagaende",
            2026,
            None,
            60_000,
        ),
    ),
)
NEIGHBOUR_CHAPTERS: dict[str, str] = {
    "inledning": "Katrineholms kommuns handlingsprogram enligt LSO (demonstrationsdata). Kommunen "
    "har {pop_0483} invånare enligt SCB den 1 november 2024.",
}
