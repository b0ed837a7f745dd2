"""The demo organisation: a kommunalförbund of four Sörmland municipalities with ten years of
measurements, incidents, an adopted programme and its draft successor, evaluations and surveys.

Everything is generated through the real services, so the demo exercises the audited write path.
Modules: ``loader`` (what is loaded and in which order, the rates the measurements are drawn from),
``content`` and ``goals`` (the texts, kept apart so they can be proofread), ``incidents`` (the
generated incident file) and ``evaluation`` (evaluations, surveys and cost–benefit analyses).
"""

from lsoplan.demo.loader import (
    DEMO_PASSWORD,
    RATES,
    SEED,
    YEARS,
    DemoInfo,
    generate_measurements,
    load_demo,
    population,
)

__all__ = [
    "DEMO_PASSWORD",
    "RATES",
    "SEED",
    "YEARS",
    "DemoInfo",
    "generate_measurements",
    "load_demo",
    "population",
]
