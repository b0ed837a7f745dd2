"""One published figure, as every client returns it: value, status, period, place and provenance."""

from __future__ import annotations

from dataclasses import dataclass

# The sources lsoplan reads, with the citation each publisher asks for.
KOLADA = "kolada"
MCF = "mcf"
SCB = "scb"
CITATIONS = {KOLADA: "Källa: Kolada", MCF: "Källa: MSB/MCF", SCB: "Källa: SCB"}

# Vintage, in the words lsoplan's measurements use.
PRELIMINARY = "preliminar"
FINAL = "slutlig"


@dataclass(frozen=True)
class Observation:
    """A value as the publisher gave it.

    ``value`` is None when the publisher marks the figure as missing (Kolada ``null``, PxWeb
    ``..``); ``status`` keeps the publisher's own flag verbatim so nothing is lost in translation,
    and ``vintage`` is lsoplan's reading of it (preliminary or final).
    """

    source: str  # KOLADA, MCF or SCB
    dataset: str  # KPI id ("N07415") or table id ("B/B1/B11")
    municipality: str  # SCB code, "0000" for the whole country, or a Kolada group id
    period: int  # year
    value: float | None
    status: str = ""
    vintage: str = FINAL
    dimension: str = ""  # e.g. "kon=T" or "konvHandelsetypId=1"; "" when the table has none
    url: str = ""

    @property
    def key(self) -> tuple[str, str, str, int, str]:
        return (self.source, self.dataset, self.municipality, self.period, self.dimension)
