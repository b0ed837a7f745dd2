"""Kolada, the open database of municipal key figures (API v3, tolerating the older v2 shape).

Routes used (https://api.kolada.se/v3/, Swagger at /v3/docs):

- ``/kpi?title=…`` and ``/kpi/<id>``: KPI metadata;
- ``/data/kpi/<id>/municipality/<code>``: values for every year;
- ``/municipality_groups?title=…`` and ``/municipality_groups/<id,…>``: groups and members.

Every answer is an envelope ``{"values": [...], "count"?, "next_url"? }``; v2 called the link to
the next page ``next_page``, so both are followed. A data object is ``{"kpi", "municipality",
"period", "values": [{"gender", "status", "value", "count"?}]}``; ``value`` is null when Kolada has
no figure. Attribution "Källa: Kolada" is a condition of use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from lsoplan.lib.publicdata.errors import ResponseFormatError, UnknownKpiError
from lsoplan.lib.publicdata.http import HttpClient, join_url
from lsoplan.lib.publicdata.observation import FINAL, KOLADA, PRELIMINARY, Observation

KOLADA_V3 = "https://api.kolada.se/v3"
POPULATION_KPI = "N01951"  # Invånare totalt, antal (31 december)
KPI_ID = re.compile(r"^[A-Z]\d{5}$")
MAX_PAGES = 200  # a guard against a publisher that keeps pointing to a next page


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    description: str = ""
    municipality_type: str = ""
    is_divided_by_gender: bool = False
    operating_area: str = ""
    publication_date: str = ""
    publ_period: str = ""
    auspice: str = ""


@dataclass(frozen=True)
class MunicipalityGroup:
    id: str
    title: str
    members: tuple[str, ...]
    member_titles: tuple[str, ...] = ()


def kolada_vintage(status: str) -> str:
    """Kolada's status flag read as preliminary or final.

    Kolada leaves ``status`` empty for ordinary figures and uses it for exceptions ("Missing" for
    no value). A flag that says preliminary ("P", "Prel", "Preliminär…") counts as preliminary;
    everything else as final, since the figure is what Kolada publishes as the year's value.
    """
    flag = status.strip().lower()
    return PRELIMINARY if flag == "p" or flag.startswith("prel") else FINAL


def check_envelope(url: str) -> Any:
    def check(data: Any) -> None:
        if not isinstance(data, dict) or not isinstance(data.get("values"), list):
            raise ResponseFormatError(url, "fältet 'values' (en lista) saknas")
        for link in ("next_url", "next_page"):
            if data.get(link) is not None and not isinstance(data[link], str):
                raise ResponseFormatError(url, f"fältet '{link}' är inte en adress")

    return check


class KoladaClient:
    def __init__(self, http: HttpClient, base_url: str = KOLADA_V3, *, per_page: int = 5000) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.per_page = per_page
        self.pages_read = 0

    # --- metadata -------------------------------------------------------------------------------

    def search_kpis(self, title: str) -> list[Kpi]:
        """KPIs whose title contains ``title`` (case-insensitive), sorted by id.

        Kolada searches on its side; the same filter runs here too, so an answer with more than
        was asked for (a recording of the whole catalogue, say) gives the same result.
        """
        needle = title.strip().lower()
        if not needle:
            return []
        url = join_url(
            self.base_url, "kpi", query=[("title", title.strip()), ("per_page", str(self.per_page))]
        )
        kpis = [parse_kpi(item, url) for item in self._items(url)]
        return sorted((k for k in kpis if needle in k.title.lower()), key=lambda k: k.id)

    def kpi(self, kpi_id: str) -> Kpi:
        kpi_id = kpi_id.strip().upper()
        if not KPI_ID.match(kpi_id):
            raise UnknownKpiError(kpi_id)
        url = join_url(self.base_url, "kpi", kpi_id)
        for item in self._items(url):
            kpi = parse_kpi(item, url)
            if kpi.id == kpi_id:
                return kpi
        raise UnknownKpiError(kpi_id)

    def municipality_groups(self, *, title: str = "", ids: Iterable[str] = ()) -> list[MunicipalityGroup]:
        id_list = [i.strip() for i in ids if i.strip()]
        if id_list:
            url = join_url(self.base_url, "municipality_groups", ",".join(id_list))
        else:
            url = join_url(
                self.base_url,
                "municipality_groups",
                query=[("title", title), ("per_page", str(self.per_page))],
            )
        needle = title.strip().lower()
        groups = [parse_group(item, url) for item in self._items(url)]
        return [g for g in groups if needle in g.title.lower()]

    # --- data -----------------------------------------------------------------------------------

    def values(self, kpi_id: str, municipality: str, years: Iterable[int] | None = None) -> list[Observation]:
        """Every value of a KPI for one municipality (or group, or ``0000`` for the country).

        One request per municipality and KPI, for all years: the years are filtered here, so a
        recorded answer serves any year range and one request covers a whole series.
        """
        kpi_id = kpi_id.strip().upper()
        if not KPI_ID.match(kpi_id):
            raise UnknownKpiError(kpi_id)
        wanted = set(years) if years is not None else None
        url = join_url(
            self.base_url,
            "data",
            "kpi",
            kpi_id,
            "municipality",
            municipality,
            query=[("per_page", str(self.per_page))],
        )
        found: list[Observation] = []
        for item in self._items(url):
            for obs in parse_data_item(item, url):
                if obs.dataset != kpi_id or obs.municipality != municipality:
                    raise ResponseFormatError(
                        url, f"svaret gäller {obs.dataset}/{obs.municipality}, inte {kpi_id}/{municipality}"
                    )
                if wanted is None or obs.period in wanted:
                    found.append(obs)
        return found

    # --- paging ---------------------------------------------------------------------------------

    def _items(self, url: str) -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        next_url: str | None = url
        while next_url:
            if next_url in seen or len(seen) >= MAX_PAGES:
                raise ResponseFormatError(url, "sidbläddringen tar inte slut (next_url pekar bakåt)")
            seen.add(next_url)
            page = self.http.get_json(next_url, check=check_envelope(next_url))
            self.pages_read += 1
            for item in page["values"]:
                if not isinstance(item, dict):
                    raise ResponseFormatError(next_url, "en post i 'values' är inte ett objekt")
                yield item
            # v3 names the link next_url, v2 next_page; an empty page ends the walk either way.
            link = page.get("next_url") or page.get("next_page")
            next_url = link if page["values"] else None


def _text(item: dict[str, Any], name: str) -> str:
    value = item.get(name)
    return "" if value is None else str(value)


def parse_kpi(item: dict[str, Any], url: str) -> Kpi:
    if not isinstance(item.get("id"), str) or not isinstance(item.get("title"), str):
        raise ResponseFormatError(url, "ett nyckeltal saknar 'id' eller 'title'")
    divided = item.get("is_divided_by_gender")
    return Kpi(
        id=item["id"],
        title=item["title"],
        description=_text(item, "description"),
        municipality_type=_text(item, "municipality_type"),
        # v3 sends a boolean, v2 sent 0/1
        is_divided_by_gender=bool(divided) and str(divided).lower() not in ("0", "false"),
        operating_area=_text(item, "operating_area"),
        publication_date=_text(item, "publication_date"),
        publ_period=_text(item, "publ_period"),
        auspice=_text(item, "auspice") or _text(item, "auspices"),
    )


def parse_group(item: dict[str, Any], url: str) -> MunicipalityGroup:
    members = item.get("members")
    if not isinstance(item.get("id"), str) or not isinstance(item.get("title"), str):
        raise ResponseFormatError(url, "en kommungrupp saknar 'id' eller 'title'")
    if not isinstance(members, list):
        raise ResponseFormatError(url, f"kommungruppen {item['id']} saknar 'members'")
    codes: list[str] = []
    titles: list[str] = []
    for m in members:
        # documented as {"id", "title"}; some clients see bare ids, so take either
        if isinstance(m, dict) and isinstance(m.get("id"), str):
            codes.append(m["id"])
            titles.append(_text(m, "title"))
        elif isinstance(m, str):
            codes.append(m)
            titles.append("")
        else:
            raise ResponseFormatError(url, f"en medlem i {item['id']} saknar id")
    return MunicipalityGroup(item["id"], item["title"], tuple(codes), tuple(titles))


def _period(raw: Any, url: str) -> int:
    # v3 sends the year as a number, v2 as a string
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ResponseFormatError(url, f"perioden {raw!r} är inte ett år")
    try:
        year = int(raw)
    except ValueError:
        raise ResponseFormatError(url, f"perioden {raw!r} är inte ett år") from None
    if not 1900 <= year <= 2200:
        raise ResponseFormatError(url, f"perioden {raw!r} är inte ett år")
    return year


def _value(raw: Any, url: str) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ResponseFormatError(url, f"värdet {raw!r} är inte ett tal")
    return float(raw)


def parse_data_item(item: dict[str, Any], url: str) -> list[Observation]:
    for name in ("kpi", "municipality", "period", "values"):
        if name not in item:
            raise ResponseFormatError(url, f"en datapost saknar fältet '{name}'")
    if not isinstance(item["values"], list):
        raise ResponseFormatError(url, "fältet 'values' i en datapost är inte en lista")
    period = _period(item["period"], url)
    result = []
    for v in item["values"]:
        if not isinstance(v, dict) or "value" not in v:
            raise ResponseFormatError(url, "ett värde saknar fältet 'value'")
        status = _text(v, "status")
        result.append(
            Observation(
                source=KOLADA,
                dataset=str(item["kpi"]),
                municipality=str(item["municipality"]),
                period=period,
                value=_value(v["value"], url),
                status=status,
                vintage=kolada_vintage(status),
                dimension=f"kon={_text(v, 'gender') or 'T'}",
                url=url,
            )
        )
    return result


def totals(observations: Iterable[Observation]) -> list[Observation]:
    """The values for both sexes together (``kon=T``), which is what indicators use."""
    return [o for o in observations if o.dimension == "kon=T"]
