"""PxWeb API v1: MCF's statistics database (rescue operations, fire deaths) and SCB's population.

The standard PxWeb v1 protocol: ``GET <table>`` returns the table's metadata
``{"title", "variables": [{"code", "text", "values", "valueTexts", "elimination"?, "time"?}]}``;
``POST <table>`` with ``{"query": [{"code", "selection": {"filter", "values"}}], "response":
{"format": "json"}}`` returns ``{"columns": [{"code", "text", "type"}], "comments": [...],
"data": [{"key": [...], "values": [...]}], "metadata": [...]}``. Column type ``d`` is a dimension,
``t`` the time, ``c`` a content (the figures). Variables left out of the query are eliminated
(summed) where the table allows it. Missing figures are written ``..`` (not available), ``...``
(not applicable) or ``.``; ``-`` means nil (zero).

One request per municipality with every year: the years are filtered here, so one recorded answer
serves any year range, and the publisher's cell limit is never near (B11: 28 years × 14 types).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lsoplan.lib.publicdata.errors import ResponseFormatError, UnknownTableError
from lsoplan.lib.publicdata.http import HttpClient, join_url
from lsoplan.lib.publicdata.observation import FINAL, MCF, PRELIMINARY, SCB, Observation

MCF_BASE = "https://statistik.mcf.se/PxWeb/api/v1/sv/PxData"
SCB_BASE = "https://api.scb.se/OV0104/v1/doris/sv/ssd"

MISSING = {"..": "uppgift saknas", "...": "uppgift kan inte förekomma", ".": "ej tillämpligt", "": "tomt"}
NIL = {"-", "–"}


@dataclass(frozen=True)
class TableSpec:
    """What lsoplan asks of one PxWeb table."""

    key: str
    source: str  # MCF or SCB
    base: str
    path: str
    title: str
    region: str  # the municipality variable
    time: str  # the year variable
    breakdown: str | None = None  # a dimension kept apart (e.g. event type); None: eliminated
    contents: tuple[str, ...] = ()  # ContentsCode values; () lets the table eliminate or pick
    region_filter: str = "item"  # SCB needs its value set ("vs:RegionKommun07") for codes
    verified: bool = True  # False: path and variables not yet checked against the live API
    note: str = ""

    @property
    def url(self) -> str:
        return join_url(self.base, *self.path.split("/"))


TABLES: dict[str, TableSpec] = {
    "B11": TableSpec(
        key="B11",
        source=MCF,
        base=MCF_BASE,
        path="B/B1/B11",
        title="Antal inträffade och befarade olyckor per övergripande händelsetyp och år",
        region="kommun",
        time="ar",
        breakdown="konvHandelsetypId",
        note="Räddningstjänstens insatser, 1998–; variabler enligt MCF:s statistikdatabas.",
    ),
    "A11": TableSpec(
        key="A11",
        source=MCF,
        base=MCF_BASE,
        path="A/A1/A11",
        title="Omkomna i bränder per kommun och år",
        region="kommun",
        time="ar",
        verified=False,
        note="Nod A 'Omkomna i bränder'; tabellens id och variabler är inte kontrollerade mot API:t.",
    ),
    "BE0101N1": TableSpec(
        key="BE0101N1",
        source=SCB,
        base=SCB_BASE,
        path="BE/BE0101/BE0101A/BefolkningNy",
        title="Folkmängd 31 december per kommun",
        region="Region",
        time="Tid",
        contents=("BE0101N1",),
        region_filter="vs:RegionKommun07",
    ),
}
POPULATION = TABLES["BE0101N1"]


@dataclass(frozen=True)
class Variable:
    code: str
    text: str
    values: tuple[str, ...]
    value_texts: tuple[str, ...]
    elimination: bool = False
    time: bool = False

    def label(self, value: str) -> str:
        try:
            return self.value_texts[self.values.index(value)]
        except (ValueError, IndexError):
            return value


@dataclass(frozen=True)
class TableMeta:
    title: str
    variables: tuple[Variable, ...] = field(default_factory=tuple)

    def variable(self, code: str, url: str) -> Variable:
        for v in self.variables:
            if v.code == code:
                return v
        raise ResponseFormatError(url, f"tabellen saknar variabeln '{code}' (har tabellen ändrats?)")


def parse_metadata(data: Any, url: str) -> TableMeta:
    if not isinstance(data, dict) or not isinstance(data.get("variables"), list):
        raise ResponseFormatError(url, "metadata saknar 'variables'")
    variables = []
    for v in data["variables"]:
        if not isinstance(v, dict) or not isinstance(v.get("code"), str):
            raise ResponseFormatError(url, "en variabel saknar 'code'")
        values, texts = v.get("values"), v.get("valueTexts", v.get("values"))
        if not isinstance(values, list) or not isinstance(texts, list) or len(values) != len(texts):
            raise ResponseFormatError(url, f"variabeln {v['code']} har inga giltiga värden")
        variables.append(
            Variable(
                code=v["code"],
                text=str(v.get("text", v["code"])),
                values=tuple(str(x) for x in values),
                value_texts=tuple(str(x) for x in texts),
                elimination=bool(v.get("elimination", False)),
                time=bool(v.get("time", False)),
            )
        )
    return TableMeta(str(data.get("title", "")), tuple(variables))


def build_query(spec: TableSpec, meta: TableMeta, municipality: str) -> dict[str, Any]:
    """The POST body for one municipality, every year, and the breakdown if the spec keeps one."""
    url = spec.url
    region = meta.variable(spec.region, url)
    meta.variable(spec.time, url)
    if municipality not in region.values:
        raise UnknownTableError(f"{spec.key}: tabellen har ingen kommun med koden {municipality}")
    query: list[dict[str, Any]] = [
        {"code": spec.region, "selection": {"filter": spec.region_filter, "values": [municipality]}},
        {"code": spec.time, "selection": {"filter": "all", "values": ["*"]}},
    ]
    if spec.breakdown:
        meta.variable(spec.breakdown, url)
        query.append({"code": spec.breakdown, "selection": {"filter": "all", "values": ["*"]}})
    if spec.contents:
        contents = meta.variable("ContentsCode", url)
        missing = [c for c in spec.contents if c not in contents.values]
        if missing:
            raise ResponseFormatError(url, f"tabellinnehållet {', '.join(missing)} finns inte längre")
        query.append({"code": "ContentsCode", "selection": {"filter": "item", "values": list(spec.contents)}})
    kept = {spec.region, spec.time, spec.breakdown, "ContentsCode" if spec.contents else None}
    for v in meta.variables:
        if v.code not in kept and not v.elimination and v.code != "ContentsCode":
            # the table would not sum this variable away for us: a changed table, not a guess
            raise ResponseFormatError(url, f"variabeln '{v.code}' kan inte utelämnas (har tabellen ändrats?)")
    return {"query": query, "response": {"format": "json"}}


def _check_data(url: str) -> Any:
    def check(data: Any) -> None:
        if not isinstance(data, dict):
            raise ResponseFormatError(url, "svaret är inte ett objekt")
        for name in ("columns", "data"):
            if not isinstance(data.get(name), list):
                raise ResponseFormatError(url, f"fältet '{name}' (en lista) saknas")

    return check


def preliminary_periods(data: dict[str, Any], time_code: str) -> set[str]:
    """Years the table's notes call preliminary ("Preliminära uppgifter")."""
    found: set[str] = set()
    for note in data.get("comments") or []:
        if not isinstance(note, dict):
            continue
        text = str(note.get("comment", "")).lower()
        if note.get("variable") == time_code and "prelimin" in text:
            found.add(str(note.get("value", "")))
    return found


def parse_value(raw: Any, url: str) -> tuple[float | None, str]:
    """A PxWeb cell: the number, or None and the publisher's symbol for a missing figure."""
    text = str(raw).strip() if raw is not None else ".."
    if text in MISSING:
        return None, text
    if text in NIL:
        return 0.0, text
    try:
        return float(text.replace(",", ".").replace("\u00a0", "").replace(" ", "")), ""
    except ValueError:
        raise ResponseFormatError(
            url, f"cellvärdet {raw!r} är varken ett tal eller ett känt tecken"
        ) from None


def parse_response(data: Any, spec: TableSpec, municipality: str, url: str) -> list[Observation]:
    _check_data(url)(data)
    columns = data["columns"]
    dims: list[str] = []
    contents: list[str] = []
    for col in columns:
        if not isinstance(col, dict) or not isinstance(col.get("code"), str):
            raise ResponseFormatError(url, "en kolumn saknar 'code'")
        (contents if col.get("type") == "c" else dims).append(col["code"])
    for needed in (spec.region, spec.time, spec.breakdown):
        if needed and needed not in dims:
            raise ResponseFormatError(url, f"kolumnen '{needed}' saknas i svaret")
    if not contents:
        raise ResponseFormatError(url, "svaret har ingen innehållskolumn (typ 'c')")
    preliminary = preliminary_periods(data, spec.time)
    result = []
    for row in data["data"]:
        if not isinstance(row, dict) or not isinstance(row.get("key"), list):
            raise ResponseFormatError(url, "en rad saknar 'key'")
        key, values = row["key"], row.get("values")
        if len(key) != len(dims) or not isinstance(values, list) or len(values) != len(contents):
            raise ResponseFormatError(url, "en rad har fel antal nycklar eller värden")
        at = dict(zip(dims, (str(k) for k in key), strict=True))
        if at[spec.region] != municipality:
            raise ResponseFormatError(url, f"svaret gäller kommun {at[spec.region]}, inte {municipality}")
        try:
            year = int(at[spec.time])
        except ValueError:
            raise ResponseFormatError(url, f"perioden {at[spec.time]!r} är inte ett år") from None
        dimension = f"{spec.breakdown}={at[spec.breakdown]}" if spec.breakdown else ""
        for code, raw in zip(contents, values, strict=True):
            value, symbol = parse_value(raw, url)
            prel = at[spec.time] in preliminary
            result.append(
                Observation(
                    source=spec.source,
                    dataset=spec.path if len(contents) == 1 else f"{spec.path}:{code}",
                    municipality=municipality,
                    period=year,
                    value=value,
                    status=symbol or ("preliminär" if prel else ""),
                    vintage=PRELIMINARY if prel else FINAL,
                    dimension=dimension,
                    url=url,
                )
            )
    return result


class PxWebClient:
    def __init__(self, http: HttpClient) -> None:
        self.http = http
        self._meta: dict[str, TableMeta] = {}

    def metadata(self, spec: TableSpec) -> TableMeta:
        if spec.url not in self._meta:

            def check(data: Any) -> None:
                parse_metadata(data, spec.url)

            self._meta[spec.url] = parse_metadata(self.http.get_json(spec.url, check=check), spec.url)
        return self._meta[spec.url]

    def values(
        self, spec: TableSpec, municipality: str, years: Iterable[int] | None = None
    ) -> list[Observation]:
        meta = self.metadata(spec)
        query = build_query(spec, meta, municipality)

        def check(data: Any) -> None:
            parse_response(data, spec, municipality, spec.url)  # a broken answer is never cached

        data = self.http.post_json(spec.url, query, check=check)
        observations = parse_response(data, spec, municipality, spec.url)
        wanted = set(years) if years is not None else None
        return [o for o in observations if wanted is None or o.period in wanted]
