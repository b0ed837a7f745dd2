"""Synthetic incidents for the demo: ten years and more for the organisation's municipalities.

Drawn with a fixed seed from the rates, profiles and response-time parameters in
``reference/data/demo_incident_rates.yaml`` (each with its source or marked as an assumption),
written as a file in the native format and imported through ``import_incidents``, so the demo
has an import in its history like a real installation. The same seed gives the same incidents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import numpy as np
import polars as pl
import shapely
import yaml

from lsoplan import reference
from lsoplan.accounts.models import Organisation
from lsoplan.audit.services import Actor
from lsoplan.incidents.indicators import IncidentFilter, yearly_values
from lsoplan.incidents.services import ImportOutcome, import_incidents
from lsoplan.lib.geo.crs import SWEREF99TM, transform
from lsoplan.reference import Meta
from lsoplan.reference.boundaries import municipality_boundaries

SEED = 20261125
RATES_FILE = "demo_incident_rates.yaml"
LOCAL = "Europe/Stockholm"
POPULATION_YEAR = 2024  # the only year in reference/data/population.csv


@cache
def demo_rates() -> tuple[Meta, dict[str, Any]]:
    raw = yaml.safe_load((reference.DATA / RATES_FILE).read_text(encoding="utf-8"))
    return Meta.from_dict(raw), raw


def _weights(values: Iterable[float]) -> np.ndarray:
    array = np.asarray(list(values), dtype=float)
    return array / array.sum()


def _pick(table: Mapping[Any, Any], key: int) -> Any:
    return table.get(key, table.get(str(key), table["default"]))


def _median_minutes(population: int, rows: list[dict[str, float]]) -> float:
    return next(float(r["median"]) for r in rows if population < r["below"])


def _local_text(instants: pl.Series) -> pl.Series:
    """Swedish wall-clock text; times in the repeated autumn hour carry their offset, since the
    wall-clock text alone would not say which of the two hours is meant."""
    local = instants.dt.convert_time_zone(LOCAL)
    naive = local.dt.replace_time_zone(None)
    ambiguous = naive.dt.replace_time_zone(LOCAL, ambiguous="null").is_null()
    plain = local.dt.strftime("%Y-%m-%d %H:%M:%S")
    explicit = local.dt.strftime("%Y-%m-%dT%H:%M:%S%:z")
    return pl.select(pl.when(ambiguous).then(explicit).otherwise(plain)).to_series()


def generate_demo_incidents(
    codes: Iterable[str], *, seed: int = SEED, years: Iterable[int] = range(2014, 2026)
) -> pl.DataFrame:
    """The demo incidents, one row per incident: text columns of the native format plus the
    instants ``_larm``, ``_framme`` and ``_slut`` (UTC); ``to_native_csv`` writes the file."""
    _meta, cfg = demo_rates()
    codes = sorted(codes)  # the draws follow this order, so any order of the same codes agrees
    rng = np.random.default_rng(seed)
    population = reference.population()
    hours = _weights(cfg["hours"])
    utc = pl.Datetime("us", "UTC")
    frames: list[pl.DataFrame] = []
    for year in years:
        for code in codes:
            pop = population[(code, POPULATION_YEAR)]
            areas = cfg["areas"].get(code) or [{"name": "", "weight": 1, "factor": 1}]
            area_p = _weights(a["weight"] for a in areas)
            base_median = _median_minutes(pop, cfg["response"]["median_minutes_by_population"])
            for item in cfg["items"]:
                kind = int(item["id"])
                trend = (1 + cfg["trend_per_year"].get(kind, 0.0)) ** (year - cfg["trend_base_year"])
                shock = cfg["shocks"].get(year, {}).get(kind, 1.0)
                n = int(rng.poisson(item["per_1000"] * pop / 1000 * trend * shock))
                if n == 0:
                    continue
                frames.append(_draw(rng, cfg, kind, code, year, n, hours, areas, area_p, base_median, utc))
    if not frames:
        return pl.DataFrame(
            schema={**{c: pl.String() for c in NATIVE}, "_larm": utc, "_framme": utc, "_slut": utc}
        )
    table = pl.concat(frames).sort("_larm")
    number = pl.int_range(1, pl.len() + 1).over("_year", "kommun").cast(pl.String).str.zfill(5)
    table = table.with_columns(handelse_id=pl.format("{}-{}-{}", pl.col("_year"), pl.col("kommun"), number))
    return _with_places(table, cfg["areas"], np.random.default_rng(seed + 1))


def _with_places(
    table: pl.DataFrame, areas: dict[str, list[dict[str, Any]]], rng: np.random.Generator
) -> pl.DataFrame:
    """x, y (SWEREF 99 TM, whole metres) scattered around each incident's town centre.

    A stream of its own (seed + 1), drawn after everything else, so that adding places left every
    other figure of the demo as it was. Towns are tighter than the countryside around villages.
    """
    centres: dict[tuple[str, str], tuple[float, float, float]] = {}
    for code, towns in areas.items():
        if not all("lat" in t for t in towns):
            continue
        xs, ys = transform(
            np.array([t["lon"] for t in towns]), np.array([t["lat"] for t in towns]), "EPSG:4326", SWEREF99TM
        )
        for town, x, y in zip(towns, xs, ys, strict=True):
            centres[(code, town["name"])] = (x, y, 1200.0 if town["weight"] >= 0.5 else 2500.0)
    keys = list(zip(table["kommun"].to_list(), table["omrade"].to_list(), strict=True))
    found = [centres.get(k) for k in keys]
    noise = rng.normal(size=(len(keys), 2))
    x = [round(c[0] + n[0] * c[2]) if c else None for c, n in zip(found, noise, strict=True)]
    y = [round(c[1] + n[1] * c[2]) if c else None for c, n in zip(found, noise, strict=True)]
    # A draw that lands outside its municipality (in a lake, over the border) is put at the town
    # centre instead: the demo's own data should not set off the import's boundary warning.
    boundaries = municipality_boundaries()
    for code in areas:
        rows = [i for i, k in enumerate(keys) if k[0] == code and x[i] is not None]
        if code not in boundaries or not rows:
            continue
        px = np.array([x[i] for i in rows], dtype=float)
        py = np.array([y[i] for i in rows], dtype=float)
        inside = shapely.contains_xy(boundaries[code], px, py)
        for i, ok in zip(rows, inside, strict=True):
            centre = found[i]
            if not ok and centre is not None:
                x[i], y[i] = round(centre[0]), round(centre[1])
    return table.with_columns(
        x=pl.Series(x, dtype=pl.Int64).cast(pl.String), y=pl.Series(y, dtype=pl.Int64).cast(pl.String)
    )


NATIVE = (
    "handelse_id",
    "kommun",
    "handelsetyp",
    "larm_tid",
    "framme_tid",
    "avslutad_tid",
    "omrade",
    "omkomna",
    "skadade",
    "byggnadstyp",
    "brandorsak",
    "x",
    "y",
)


def to_native_csv(table: pl.DataFrame) -> bytes:
    """The generated incidents as a file in the native format (semicolons, Swedish local time)."""
    times = {"larm_tid": "_larm", "framme_tid": "_framme", "avslutad_tid": "_slut"}
    out = table.with_columns(
        **{
            name: pl.col(source).map_batches(_local_text, return_dtype=pl.String)
            for name, source in times.items()
        }
    )
    return out.select(NATIVE).write_csv(separator=";").encode("utf-8")


def _draw(
    rng: np.random.Generator,
    cfg: dict[str, Any],
    kind: int,
    code: str,
    year: int,
    n: int,
    hours: np.ndarray,
    areas: list[dict[str, Any]],
    area_p: np.ndarray,
    base_median: float,
    utc: pl.DataType,
) -> pl.DataFrame:
    months = rng.choice(12, size=n, p=_weights(_pick(cfg["months"], kind))) + 1
    days_in = np.array(
        [(dt.date(year + (m == 12), m % 12 + 1, 1) - dt.date(year, m, 1)).days for m in months]
    )
    days = (rng.random(n) * days_in).astype(int)
    seconds = rng.choice(24, size=n, p=hours) * 3600 + rng.integers(0, 3600, size=n)
    starts = np.array([dt.datetime(year, m, 1) for m in months], dtype="datetime64[s]")
    naive = starts + days.astype("timedelta64[D]") + seconds.astype("timedelta64[s]")
    # Wall-clock times that do not exist (spring forward) move an hour on; repeated ones take the first.
    wall = pl.Series(naive.astype("datetime64[us]"))
    local = wall.dt.replace_time_zone(LOCAL, ambiguous="earliest", non_existent="null")
    later = (wall + dt.timedelta(hours=1)).dt.replace_time_zone(LOCAL, ambiguous="earliest")
    larm = local.fill_null(later).dt.convert_time_zone("UTC")
    area_index = rng.choice(len(areas), size=n, p=area_p)
    factors = np.array([areas[i]["factor"] for i in area_index])
    median_s = base_median * 60 * factors
    response = np.exp(rng.normal(np.log(median_s), cfg["response"]["sigma"]))
    missing = rng.random(n) < _pick(cfg["response"]["missing_share"], kind)
    duration = np.exp(
        rng.normal(np.log(_pick(cfg["duration"]["median_minutes"], kind) * 60), cfg["duration"]["sigma"], n)
    )
    casualties = cfg["casualties"].get(kind, {"dead": 0.0, "injured": 0.0})
    building = [""] * n
    cause = [""] * n
    if kind == 1:
        building = list(
            rng.choice(list(cfg["building_types"]), size=n, p=_weights(cfg["building_types"].values()))
        )
        cause = list(rng.choice(list(cfg["fire_causes"]), size=n, p=_weights(cfg["fire_causes"].values())))
    response_us = pl.Series((np.round(response) * 1_000_000).astype(np.int64)).cast(pl.Duration("us"))
    duration_us = pl.Series((np.round(duration) * 1_000_000).astype(np.int64)).cast(pl.Duration("us"))
    framme = larm + response_us
    return pl.DataFrame(
        {
            "_year": [year] * n,
            "kommun": [code] * n,
            "handelsetyp": [str(kind)] * n,
            "_larm": larm.cast(utc),
            "_framme": pl.Series(framme).cast(utc).scatter(np.flatnonzero(missing), None),
            "_slut": (framme + duration_us).cast(utc),
            "omrade": [areas[i]["name"] for i in area_index],
            "omkomna": rng.binomial(1, casualties["dead"], n).astype(str),
            "skadade": rng.binomial(2, casualties["injured"] / 2, n).astype(str),
            "byggnadstyp": building,
            "brandorsak": cause,
        }
    )


def demo_indicator_values(
    codes: Iterable[str],
    source_config: Mapping[str, Any],
    *,
    seed: int = SEED,
    years: Iterable[int] = range(2014, 2026),
) -> dict[int, float]:
    """The yearly values an incident indicator with ``source_config`` will get from the demo
    incidents, without a database (e.g. to set the demo indicator's baseline before loading)."""
    years = list(years)
    table = generate_demo_incidents(codes, seed=seed, years=years)
    frame = table.select(
        pl.col("kommun"),
        pl.col("handelsetyp").cast(pl.Int16),
        pl.col("_larm").alias("larm_tid"),
        pl.col("_framme").alias("framme_tid"),
        pl.col("omrade"),
        pl.col("byggnadstyp"),
    )
    return yearly_values(frame, IncidentFilter.from_config(source_config), years)


def load_demo_incidents(
    organisation: Organisation,
    *,
    seed: int = SEED,
    years: Iterable[int] = range(2014, 2026),
    actor: Actor | None = None,
) -> ImportOutcome:
    """Generate and import the demo incidents for ``organisation``'s municipalities.

    Incidents later than now (if ``years`` reaches the current year) are left out, since the
    import refuses times in the future.
    """
    codes = sorted(organisation.municipalities.values_list("code", flat=True))
    years = list(years)
    table = generate_demo_incidents(codes, seed=seed, years=years)
    table = table.filter(pl.col("_slut") < dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    data = to_native_csv(table)
    outcome = import_incidents(
        actor or Actor(None, "demo"),
        organisation,
        data,
        file_name=f"demo-handelser-{min(years)}-{max(years)}.csv",
    )
    if not outcome.ok:  # the generator's fault, never the user's: say exactly what broke
        raise ValueError(f"demo incidents rejected: {[p.to_dict() for p in outcome.problems[:5]]}")
    return outcome
