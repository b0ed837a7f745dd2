"""`lsoplan stats …`: the follow-up statistics from the shell, JSON on stdout.

No Django here: these commands work on plain numbers and CSV files. The statistics modules are
imported inside each handler so that `lsoplan --help` and the other commands do not pay for scipy
and statsmodels at start-up.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from typing import Any

from lsoplan.cli import UsageError


def _number(text: str) -> float:
    """argparse type: a number, accepting a Swedish decimal comma ("0,95")."""
    from lsoplan.lib.stats.csvinput import parse_number

    try:
        return parse_number(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inte ett tal") from None


def _count(text: str) -> int:
    value = _number(text)
    if value < 0 or value != math.floor(value):
        raise argparse.ArgumentTypeError(f"{text!r} är inte ett heltal ≥ 0")
    return int(value)


def _positive(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} måste vara större än 0")
    return value


def _level(text: str) -> float:
    value = _number(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"nivån måste ligga mellan 0 och 1, inte {text!r}")
    return value


def _change(text: str) -> float:
    """A relative change as a fraction (-0.2) or a percentage (-20%)."""
    stripped = text.strip()
    if stripped.endswith("%"):
        return _number(stripped[:-1]) / 100
    return _number(stripped)


def _clean(value: Any) -> Any:
    """JSON has no infinity or NaN: an unbounded or undefined figure is written as null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _emit(payload: dict[str, Any]) -> int:
    json.dump(_clean(payload), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _period_label(text: str) -> int | str:
    """Periods are shown as given; whole numbers (years) become JSON numbers."""
    try:
        return int(text)
    except ValueError:
        return text


def _guard(action: Callable[[], int]) -> int:
    """Bad data found by the statistics (too few points, a diverging fit) is a usage error too."""
    from lsoplan.lib.stats.csvinput import CsvInputError

    try:
        return action()
    except CsvInputError as exc:
        raise UsageError(str(exc)) from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _poisson_ci(args: argparse.Namespace) -> int:
    from lsoplan.lib.stats.poisson import poisson_ci

    def run() -> int:
        result = poisson_ci(args.count, args.exposure, args.level)
        return _emit(
            {
                "estimate": result.estimate,
                "lower": result.lower,
                "upper": result.upper,
                "method": result.method,
            }
        )

    return _guard(run)


def _rate_ratio(args: argparse.Namespace) -> int:
    from lsoplan.lib.stats.poisson import rate_ratio_test

    def run() -> int:
        r = rate_ratio_test(args.count1, args.exposure1, args.count2, args.exposure2, args.level)
        return _emit(
            {
                "rate_ratio": r.rate_ratio,
                "lower": r.lower,
                "upper": r.upper,
                "p_value": r.p_value,
                "method": r.method,
            }
        )

    return _guard(run)


def _trend(args: argparse.Namespace) -> int:
    from lsoplan.lib.stats.csvinput import read_table
    from lsoplan.lib.stats.trend import poisson_trend

    def run() -> int:
        table = read_table(args.file, required=("period", "count"), optional=("exposure",))
        periods = table.number_column("period")
        counts = table.count_column("count")
        exposures = table.number_column("exposure", positive=True) if table.has("exposure") else None
        t = poisson_trend(
            periods, counts, exposures, level=args.level, overdispersed_model=args.overdispersed
        )
        return _emit(
            {
                "model": t.model,
                "intercept": t.intercept,
                "slope": t.slope,
                "rate_ratio_per_period": t.rate_ratio_per_period,
                "lower": t.lower,
                "upper": t.upper,
                "p_value": t.p_value,
                "deviance": t.deviance,
                "df_resid": t.df_resid,
                "dispersion": t.dispersion,
                "overdispersion_p_value": t.overdispersion_p_value,
                "reason": t.reason,
                "method": t.method,
            }
        )

    return _guard(run)


def _control_chart(args: argparse.Namespace) -> int:
    from lsoplan.lib.stats.control_charts import control_chart
    from lsoplan.lib.stats.csvinput import read_table

    def run() -> int:
        if args.chart == "i":
            table = read_table(args.file, required=("period", "value"))
            values: list[float] = table.number_column("value")
            sizes = None
        else:
            required = ("period", "count", "size") if args.chart == "u" else ("period", "count")
            table = read_table(args.file, required=required)
            values = [float(c) for c in table.count_column("count")]
            sizes = table.number_column("size", positive=True) if args.chart == "u" else None
        periods = [_period_label(p) for p in table.text_column("period")]
        chart = control_chart(args.chart, values, sizes, periods, args.phase1, run_length=args.run_length)
        return _emit(
            {
                "chart": chart.chart,
                "center": chart.center,
                "lcl": list(chart.lcl),
                "ucl": list(chart.ucl),
                "values": list(chart.values),
                "phase1": chart.phase1,
                "signals": [
                    {"period": s.period, "rule": s.rule, "description": s.description} for s in chart.signals
                ],
                "method": chart.method,
            }
        )

    return _guard(run)


def _detectability(args: argparse.Namespace) -> int:
    from lsoplan.lib.stats.detectability import detectability_of_change

    def run() -> int:
        d = detectability_of_change(
            args.baseline_rate, args.baseline_years, args.change, args.years, args.alpha, args.power
        )
        return _emit(
            {
                "power": d.power,
                "minimal_detectable_change": d.minimal_detectable_change,
                "expected_baseline_count": d.expected_baseline_count,
                "expected_followup_count": d.expected_followup_count,
                "method": d.method,
            }
        )

    return _guard(run)


def _funnel(args: argparse.Namespace) -> int:
    from lsoplan.lib.stats.csvinput import read_table
    from lsoplan.lib.stats.funnel import funnel_data

    def run() -> int:
        table = read_table(args.file, required=("unit", "count", "exposure"))
        units = table.text_column("unit")
        counts = table.count_column("count")
        exposures = table.number_column("exposure", positive=True)
        f = funnel_data(units, counts, exposures, args.target_rate)
        return _emit(
            {
                "target_rate": f.target_rate,
                "target_source": f.target_source,
                "prior_mean": f.prior_mean,
                "prior_shape": f.prior_shape,
                "shrinkage_method": f.shrinkage_method,
                "method": f.method,
                "units": [
                    {
                        "unit": u.unit,
                        "count": u.count,
                        "exposure": u.exposure,
                        "rate": u.rate,
                        "expected": u.expected,
                        "lower_95": u.lower_95,
                        "upper_95": u.upper_95,
                        "lower_998": u.lower_998,
                        "upper_998": u.upper_998,
                        "outside_95": u.outside_95,
                        "outside_998": u.outside_998,
                        "shrunken_rate": u.shrunken_rate,
                        "shrunken_lower": u.shrunken_lower,
                        "shrunken_upper": u.shrunken_upper,
                    }
                    for u in f.units
                ],
            }
        )

    return _guard(run)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="statistik för uppföljning: intervall, trender, styrdiagram, trattdiagram",
        description="Statistik för uppföljning av mål. Skriver JSON på standard ut.",
    )
    sub = parser.add_subparsers(dest="stats_command", metavar="DELKOMMANDO")
    sub.required = True

    p = sub.add_parser("poisson-ci", help="exakt intervall för ett antal eller en intensitet")
    p.add_argument("count", type=_count, metavar="COUNT", help="antal händelser")
    p.add_argument("--exposure", type=_positive, default=1.0, help="exponering (år, 1 000 inv …)")
    p.add_argument("--level", type=_level, default=0.95, help="konfidensnivå (standard 0,95)")
    p.set_defaults(func=_poisson_ci)

    p = sub.add_parser("rate-ratio", help="jämför två intensiteter exakt (kvot 1 / 2)")
    p.add_argument("count1", type=_count, metavar="COUNT1")
    p.add_argument("exposure1", type=_positive, metavar="EXPOSURE1")
    p.add_argument("count2", type=_count, metavar="COUNT2")
    p.add_argument("exposure2", type=_positive, metavar="EXPOSURE2")
    p.add_argument("--level", type=_level, default=0.95)
    p.set_defaults(func=_rate_ratio)

    p = sub.add_parser("trend", help="log-linjär trend (Poisson-GLM) ur CSV: period,count[,exposure]")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--level", type=_level, default=0.95)
    p.add_argument(
        "--overdispersed",
        choices=("quasi-poisson", "negative-binomial"),
        default="quasi-poisson",
        help="modell vid överspridning (standard quasi-poisson)",
    )
    p.set_defaults(func=_trend)

    p = sub.add_parser("control-chart", help="styrdiagram ur CSV: period,count[,size] eller period,value")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--chart", choices=("c", "u", "i"), required=True, help="c, u eller i (individer)")
    p.add_argument("--phase1", type=_count, default=None, help="antal första punkter som ger gränserna")
    p.add_argument(
        "--run-length", type=int, choices=(8, 9), default=9, help="regel 2: 9 (Nelson) eller 8 (WECO)"
    )
    p.set_defaults(func=_control_chart)

    p = sub.add_parser("detectability", help="styrka och minsta upptäckbara förändring")
    p.add_argument("--baseline-rate", type=_positive, required=True, help="händelser per år i basperioden")
    p.add_argument("--baseline-years", type=_positive, required=True, help="antal basår")
    p.add_argument("--change", type=_change, required=True, help="relativ förändring, t.ex. -0.2 eller -20%%")
    p.add_argument("--years", type=_positive, required=True, help="antal uppföljningsår")
    p.add_argument("--alpha", type=_level, default=0.05, help="signifikansnivå (ensidig, standard 0,05)")
    p.add_argument("--power", type=_level, default=0.8, help="önskad styrka (standard 0,8)")
    p.set_defaults(func=_detectability)

    p = sub.add_parser("funnel", help="trattdiagram och krympta nivåer ur CSV: unit,count,exposure")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--target-rate", type=_positive, default=None, help="målnivå (annars sammanvägd)")
    p.set_defaults(func=_funnel)
