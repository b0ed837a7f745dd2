"""URL arguments for the persona tests in tests/test_access.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.evaluation import helpers
from tests.factories import World

ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "version_evaluation": lambda w: {"pk": w.version.pk},
    "evaluation_create": lambda w: {"kind": "sakerhetsmal", "pk": w.safety_goal.pk},
    "evaluation_detail": lambda w: {"pk": helpers.evaluation(w).pk},
    "evaluation_close": lambda w: {"pk": helpers.evaluation(w).pk},
    "evaluation_reopen": lambda w: {"pk": helpers.evaluation(w).pk},
    "version_learning": lambda w: {"pk": w.version.pk},
    "action_create": lambda w: {"pk": w.version.pk},
    "survey_list": lambda w: {"pk": w.version.pk},
    "survey_detail": lambda w: {"pk": w.version.pk, "survey": helpers.survey(w).pk},
    "costbenefit_list": lambda w: {"pk": w.version.pk},
    "costbenefit_create": lambda w: {"pk": w.version.pk},
    "costbenefit_detail": lambda w: {"pk": helpers.analysis(w).pk},
    "cost_parameters": lambda w: {"pk": w.version.pk},
    "citizen_view_list": lambda w: {"pk": w.version.pk},
}
POST_ONLY = {"evaluation_close", "evaluation_reopen"}
