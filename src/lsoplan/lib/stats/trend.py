"""Log-linear trend in event counts: Poisson GLM with an exposure offset, checked for overdispersion.

A municipality's yearly counts are modelled as count_t ~ Poisson(exposure_t * exp(a + b*t)), so
exp(b) is the multiplicative change in the rate per period. Year-to-year variation in real incident
data is often larger than Poisson (weather, a single arsonist), which would make a plain Poisson
trend look significant too easily; the Pearson chi-square test catches that and the model is then
switched to quasi-Poisson (default) or negative binomial.

statsmodels is imported inside the function: it takes about a second to import and the CLI and the
rest of this package must stay quick to load.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import special

from lsoplan.lib.stats import svformat
from lsoplan.lib.stats.poisson import Numbers, as_count, as_positive, check_level

OverdispersedModel = Literal["quasi-poisson", "negative-binomial"]

# A slope this steep (rate multiplied by more than a million per period) only comes out of a
# diverging fit, e.g. a single period with events and zeros elsewhere.
_MAX_ABS_SLOPE = math.log(1e6)


@dataclass(frozen=True)
class TrendResult:
    """Fitted log-linear trend. `intercept` and `slope` are on the log scale, per period as given."""

    model: str  # "poisson", "quasi-poisson" or "negative-binomial"
    intercept: float
    slope: float
    rate_ratio_per_period: float
    lower: float
    upper: float
    p_value: float
    level: float
    deviance: float
    df_resid: int
    dispersion: float  # Pearson chi2 / df of the Poisson fit (1 = Poisson-like)
    overdispersion_p_value: float
    nb_alpha: float | None  # NB2 variance parameter when the negative binomial was used
    n_periods: int
    reason: str
    method: str


def _design(periods: np.ndarray) -> tuple[np.ndarray, float]:
    # Centring the period keeps the design well conditioned for calendar years (2015, 2016, ...);
    # the intercept is moved back to "period as given" afterwards.
    centre = float(periods.mean())
    return np.column_stack([np.ones_like(periods), periods - centre]), centre


def _validate(
    periods: Numbers, counts: Numbers, exposures: Numbers | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if len(periods) != len(counts):
        raise ValueError(f"{len(periods)} perioder men {len(counts)} antal")
    if exposures is not None and len(exposures) != len(counts):
        raise ValueError(f"{len(counts)} antal men {len(exposures)} exponeringar")
    t = np.array([float(p) for p in periods], dtype=float)
    if not np.all(np.isfinite(t)):
        raise ValueError("perioderna måste vara ändliga tal")
    y = np.array([as_count(c) for c in counts], dtype=float)
    e = np.ones_like(y) if exposures is None else np.array([as_positive(x) for x in exposures], dtype=float)
    if len(y) < 3:
        raise ValueError(f"en trend kräver minst 3 perioder, fick {len(y)}")
    if len(np.unique(t)) < 2:
        raise ValueError("en trend kräver minst två olika perioder")
    if y.sum() == 0:
        raise ValueError("inga händelser under någon period; trenden kan inte skattas")
    return t, y, e


def _wald(slope: float, se: float, level: float, df: int | None) -> tuple[float, float, float]:
    """CI for exp(slope) and two-sided p; t with df when the scale was estimated, else normal."""
    if df is None:
        crit = float(special.ndtri(0.5 + level / 2))
        p_value = float(2 * special.ndtr(-abs(slope) / se))
    else:
        crit = float(special.stdtrit(df, 0.5 + level / 2))
        p_value = float(2 * special.stdtr(df, -abs(slope) / se))
    return math.exp(slope - crit * se), math.exp(slope + crit * se), p_value


def poisson_trend(
    periods: Numbers,
    counts: Numbers,
    exposures: Numbers | None = None,
    *,
    level: float = 0.95,
    overdispersion_alpha: float = 0.05,
    overdispersed_model: OverdispersedModel = "quasi-poisson",
) -> TrendResult:
    """Fit log(rate) = intercept + slope*period and report the rate ratio per period.

    Overdispersion is declared when Pearson X2 on df_resid degrees of freedom is significant at
    `overdispersion_alpha` (and X2/df > 1). Quasi-Poisson is the default remedy: it keeps the
    Poisson point estimate and widens the standard error by sqrt(X2/df), with t-based inference,
    which stays sensible with the 5-20 periods a municipality has; a negative binomial has to
    estimate an extra variance parameter that is poorly determined with so few points.
    """
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    level = check_level(level)
    if overdispersed_model not in ("quasi-poisson", "negative-binomial"):
        raise ValueError(f"okänd modell för överspridning: {overdispersed_model!r}")
    t, y, e = _validate(periods, counts, exposures)
    x, centre = _design(t)
    offset = np.log(e)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit: Any = GLM(y, x, family=families.Poisson(), offset=offset).fit()
    params = np.asarray(fit.params, dtype=float)
    bse = np.asarray(fit.bse, dtype=float)
    if not fit.converged or not np.all(np.isfinite(params)) or abs(params[1]) > _MAX_ABS_SLOPE:
        raise ValueError("Poissonmodellen konvergerade inte (t.ex. händelser i bara en period)")

    df_resid = round(float(fit.df_resid))
    pearson = float(fit.pearson_chi2)
    dispersion = pearson / df_resid if df_resid > 0 else math.nan
    over_p = float(special.chdtrc(df_resid, pearson)) if df_resid > 0 else math.nan
    overdispersed = df_resid > 0 and over_p < overdispersion_alpha and dispersion > 1
    deviance = float(fit.deviance)
    nb_alpha: float | None = None

    model = "poisson"
    slope, se, df_for_t = float(params[1]), float(bse[1]), None
    intercept_c = float(params[0])
    if not overdispersed:
        reason = (
            f"Ingen säkerställd överspridning (Pearson χ²/df = {svformat.number(dispersion, 2)}, "
            f"{svformat.p_value(over_p)}); Poissonmodellen behölls."
            if df_resid > 0
            else "För få perioder för att pröva överspridning; Poissonmodellen användes."
        )
    else:
        reason = (
            f"Överspridning: Pearson χ²/df = {svformat.number(dispersion, 2)} ({svformat.p_value(over_p)}). "
        )
        nb = _fit_negative_binomial(y, x, offset) if overdispersed_model == "negative-binomial" else None
        if nb is not None:
            model = "negative-binomial"
            intercept_c, slope, se, deviance, nb_alpha = nb
            reason += "Negativ binomialmodell (NB2) valdes som begärt; variansen = μ + α·μ²."
        else:
            model = "quasi-poisson"
            se = se * math.sqrt(dispersion)
            df_for_t = df_resid
            reason += (
                "Quasi-Poisson valdes: samma punktskattning som Poisson men standardfel "
                "uppskalade med √(χ²/df) och t-fördelning, robust med få perioder."
            )
            if overdispersed_model == "negative-binomial":
                reason += " (Den negativa binomialmodellen gick inte att skatta.)"

    lower, upper, p_value = _wald(slope, se, level, df_for_t)
    return TrendResult(
        model=model,
        intercept=intercept_c - slope * centre,
        slope=slope,
        rate_ratio_per_period=math.exp(slope),
        lower=lower,
        upper=upper,
        p_value=p_value,
        level=level,
        deviance=deviance,
        df_resid=df_resid,
        dispersion=dispersion,
        overdispersion_p_value=over_p,
        nb_alpha=nb_alpha,
        n_periods=len(y),
        reason=reason,
        method=_METHODS[model],
    )


_METHODS = {
    "poisson": (
        "Poisson-GLM med log-länk och log(exponering) som offset; Wald-intervall. Antar att "
        "variationen mellan perioder är Poissonfördelad (kontrollerat med Pearson χ²/df)."
    ),
    "quasi-poisson": (
        "Quasi-Poisson-GLM med log-länk och offset; skala = Pearson χ²/df, Wald-intervall med "
        "t-fördelning. Antar varians proportionell mot medelvärdet."
    ),
    "negative-binomial": (
        "Negativ binomial-GLM (NB2, α skattad med ML) med log-länk och offset; Wald-intervall. "
        "Antar varians μ + α·μ²."
    ),
}


def _fit_negative_binomial(
    y: np.ndarray, x: np.ndarray, offset: np.ndarray
) -> tuple[float, float, float, float, float] | None:
    """ML estimate of NB2 alpha, then a GLM at that alpha for coefficients and deviance.

    Returns (intercept, slope, se, deviance, alpha) on the centred design, or None when the
    likelihood has no interior maximum (alpha runs to 0 or the optimiser fails).
    """
    from statsmodels.discrete.discrete_model import NegativeBinomial
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            nb: Any = NegativeBinomial(y, x, offset=offset, loglike_method="nb2").fit(disp=0, maxiter=200)
        except (ValueError, np.linalg.LinAlgError):
            return None
        alpha = float(np.asarray(nb.params)[-1])
        if not nb.mle_retvals.get("converged", False) or not math.isfinite(alpha) or alpha <= 1e-8:
            return None
        glm: Any = GLM(y, x, family=families.NegativeBinomial(alpha=alpha), offset=offset).fit()
    params = np.asarray(glm.params, dtype=float)
    bse = np.asarray(glm.bse, dtype=float)
    if not glm.converged or not np.all(np.isfinite(params)):
        return None
    return float(params[0]), float(params[1]), float(bse[1]), float(glm.deviance), alpha
