"""Follow-up verdicts said in plain Swedish, for readers outside the organisation.

The planner's pages name the statistical verdict ("ingen säkerställd förändring"); a citizen needs
to know what it means. Keyed on the verdict codes of ``lib.verdict_model.CODES``.
"""

from __future__ import annotations

PLAIN: dict[str, str] = {
    "uppnatt": "Målet är nått.",
    "uppnatt_ej_sakerstallt": "Målet ser ut att vara nått, men skillnaden kan vara en slump.",
    "pa_vag": "Arbetet är på väg mot målet.",
    "ingen_sakerstalld_forandring": "Ingen säker förändring ännu: skillnaden kan vara en slump.",
    "forsamring": "Det har blivit sämre.",
    "ej_uppnatt": "Målet är inte nått.",
    "for_lite_data": "Det finns för lite uppgifter för att bedöma målet ännu.",
    "inget_malvarde": "Målet har inget mätbart värde att bedöma mot.",
}
UNKNOWN = "Målet har ingen bedömning ännu."


def plain_verdict(code: str | None) -> str:
    """One sentence a citizen understands; an unknown or missing code says there is no verdict."""
    if code is None:
        return PLAIN["inget_malvarde"]
    return PLAIN.get(code, UNKNOWN)
