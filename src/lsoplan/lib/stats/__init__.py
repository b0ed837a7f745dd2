"""Statistics for following up safety goals with small numbers (no Django).

Small municipalities have a handful of events a year, so every figure shown to a planner comes
with its uncertainty and a verdict that separates signal from noise. Each function takes plain
numbers or sequences and returns a frozen dataclass with a `method` string naming the method and
its assumptions.

Modules:
  poisson         exact Poisson intervals, the exact conditional rate-ratio test (R poisson.test)
  trend           Poisson GLM trend with overdispersion check (quasi-Poisson / negative binomial)
  control_charts  c-, u- and individuals charts with Nelson / Western Electric rules
  detectability   power and minimal detectable change for a planned goal
  funnel          funnel-plot limits and empirical-Bayes shrunken rates for peer comparison
  status          goal status in plain Swedish
  csvinput        the CSV reader used by `lsoplan stats`
  svformat        Swedish number formatting for the sentences

Importing this package loads numpy and scipy.special only; statsmodels and scipy.optimize are
imported by the functions that need them.
"""

from lsoplan.lib.stats.control_charts import (
    ControlChart,
    Signal,
    c_chart,
    control_chart,
    find_signals,
    individuals_chart,
    u_chart,
)
from lsoplan.lib.stats.detectability import (
    Detectability,
    detectability_of_change,
    minimal_detectable_change,
    power_of_change,
)
from lsoplan.lib.stats.funnel import Funnel, FunnelCurve, FunnelUnit, funnel_curve, funnel_data, funnel_limits
from lsoplan.lib.stats.poisson import (
    BinomialTest,
    PoissonInterval,
    RateRatioTest,
    binomial_test,
    poisson_ci,
    rate_ratio_test,
)
from lsoplan.lib.stats.status import (
    ACHIEVED,
    ACHIEVED_NOT_ASSURED,
    NO_ASSURED_CHANGE,
    ON_TRACK,
    STATUSES,
    TOO_LITTLE_DATA,
    WORSENED,
    GoalStatus,
    continuous_goal_status,
    count_goal_status,
    goal_status,
    period_label,
)
from lsoplan.lib.stats.trend import TrendResult, poisson_trend

__all__ = [
    "ACHIEVED",
    "ACHIEVED_NOT_ASSURED",
    "NO_ASSURED_CHANGE",
    "ON_TRACK",
    "STATUSES",
    "TOO_LITTLE_DATA",
    "WORSENED",
    "BinomialTest",
    "ControlChart",
    "Detectability",
    "Funnel",
    "FunnelCurve",
    "FunnelUnit",
    "GoalStatus",
    "PoissonInterval",
    "RateRatioTest",
    "Signal",
    "TrendResult",
    "binomial_test",
    "c_chart",
    "continuous_goal_status",
    "control_chart",
    "count_goal_status",
    "detectability_of_change",
    "find_signals",
    "funnel_curve",
    "funnel_data",
    "funnel_limits",
    "goal_status",
    "individuals_chart",
    "minimal_detectable_change",
    "period_label",
    "poisson_ci",
    "poisson_trend",
    "power_of_change",
    "rate_ratio_test",
    "u_chart",
]
