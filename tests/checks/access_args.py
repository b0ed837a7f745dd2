"""Egenkontroll URLs for the persona tests in tests/test_access.py (version_checks is listed there)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from lsoplan.checks import services
from lsoplan.checks.models import Distribution
from lsoplan.programmes import services as programmes
from tests.factories import SYSTEM, World


def _distribution(w: World) -> Distribution:
    # Distributions exist only for an adopted version, so adopt the world's draft first.
    today = timezone.localdate()
    programmes.adopt(SYSTEM, w.version, body="kommunfullmaktige", date=today, paragraph="§ 3")
    return services.add_distribution(SYSTEM, w.version, recipient="lansstyrelsen", sent_on=today)


ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "check_run": lambda w: {"pk": w.version.pk},
    "check_run_detail": lambda w: {"pk": services.run_checks(SYSTEM, w.version).pk},
    "distribution_add": lambda w: {"pk": w.version.pk},
    "check_ports": lambda w: {"pk": w.version.pk},
}
POST_ONLY = {"check_run", "distribution_add", "check_ports"}
