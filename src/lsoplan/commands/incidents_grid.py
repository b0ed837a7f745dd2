"""`lsoplan incidents grid`: response times on square cells, as JSON, CSV or GeoJSON."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any

from lsoplan.cli import UsageError, setup_django
from lsoplan.lib.geo.grid import CELL_SIZES, DEFAULT_CELL


def register_grid(sub: Any) -> None:
    grid = sub.add_parser(
        "grid",
        help="insatstider per ruta (rutnät i meter)",
        description="Antal händelser, median och 90:e percentil av insatstiden, andel inom N minuter "
        "och händelser per år för varje ruta med händelser. Rutorna följer koordinatsystemets origo "
        "(som SCB:s rutnätsstatistik); x och y är rutans nedre vänstra hörn.",
    )
    grid.add_argument("--org", required=True, metavar="SLUG")
    grid.add_argument(
        "--cell",
        type=int,
        default=DEFAULT_CELL,
        choices=CELL_SIZES,
        metavar="METER",
        help=f"rutans sida i meter: {', '.join(map(str, CELL_SIZES))} (standard {DEFAULT_CELL})",
    )
    grid.add_argument(
        "--crs", default="EPSG:3006", metavar="EPSG:N", help="rutnätets koordinatsystem, i meter"
    )
    grid.add_argument(
        "--within", default="10,20,30", metavar="MIN[,MIN…]", help="minuter (standard 10,20,30)"
    )
    grid.add_argument("--from", dest="from_year", type=int, metavar="ÅR")
    grid.add_argument("--to", dest="to_year", type=int, metavar="ÅR")
    grid.add_argument(
        "--type",
        dest="types",
        type=int,
        nargs="+",
        default=[],
        metavar="ID",
        help="händelsetyper (MCF konvHandelsetypId)",
    )
    grid.add_argument("--hours", metavar="FRÅN-TILL", help="klockslag i svensk tid, t.ex. 22-6 för natten")
    grid.add_argument(
        "--min-count", type=int, default=0, metavar="K", help="utelämna rutor med färre händelser"
    )
    grid.add_argument("--format", choices=("json", "csv", "geojson"), default="json")
    grid.set_defaults(func=run_grid)


def _hours(text: str | None) -> tuple[int | None, int | None]:
    if not text:
        return None, None
    parts = text.split("-")
    try:
        start, end = (int(p) for p in parts)
    except ValueError:
        raise UsageError(f"--hours ska vara två timmar, t.ex. 22-6 (fick '{text}')") from None
    return start, end


def run_grid(args: argparse.Namespace) -> int:
    from lsoplan.commands.incidents import _organisation, _within

    within = _within(args.within)
    from_hour, to_hour = _hours(args.hours)
    setup_django()
    from lsoplan.areas import selectors
    from lsoplan.lib.geo.crs import GeoError
    from lsoplan.lib.geo.grid import Filters

    organisation = _organisation(args.org)
    try:
        filters = Filters(args.from_year, args.to_year, tuple(args.types), from_hour, to_hour)
        selection = selectors.select(organisation, filters, crs=args.crs, profiles=False)
        cells = selectors.grid(selection, cell_m=args.cell, within_minutes=within, min_count=args.min_count)
    except GeoError as exc:
        raise UsageError(str(exc)) from None
    if selection.unplaced:
        print(f"lsoplan: {selection.unplaced} händelser saknar koordinater och ingår inte.", file=sys.stderr)
    sys.stdout.write(render(cells, args.format, cell_m=args.cell, crs=selection.crs))
    return 0


def render(cells: list[dict[str, Any]], fmt: str, *, cell_m: int, crs: str) -> str:
    if fmt == "json":
        return json.dumps(cells, ensure_ascii=False, indent=2) + "\n"
    if fmt == "geojson":
        features = [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [c["x"], c["y"]],
                            [c["x"] + cell_m, c["y"]],
                            [c["x"] + cell_m, c["y"] + cell_m],
                            [c["x"], c["y"] + cell_m],
                            [c["x"], c["y"]],
                        ]
                    ],
                },
                "properties": {k: v for k, v in c.items() if k not in ("x", "y")},
            }
            for c in cells
        ]
        # RFC 7946 assumes WGS 84; a projected grid says its CRS in the (2008) crs member, which
        # QGIS and GDAL read.
        doc = {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:{crs.replace(':', '::')}"}},
            "features": features,
        }
        return json.dumps(doc, ensure_ascii=False) + "\n"
    keys = list(cells[0]["share_within"]) if cells else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["x", "y", "n", "n_with_time", "median_s", "p90_s", *[f"share_within_{k}" for k in keys], "per_year"]
    )
    for c in cells:
        writer.writerow(
            [
                c["x"],
                c["y"],
                c["n"],
                c["n_with_time"],
                _blank(c["median_s"]),
                _blank(c["p90_s"]),
                *[_blank(c["share_within"][k]) for k in keys],
                _blank(c["per_year"]),
            ]
        )
    return out.getvalue()


def _blank(value: Any) -> Any:
    return "" if value is None else value
