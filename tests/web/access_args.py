"""The registry's edit and delete URLs for the persona tests in tests/test_access.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lsoplan.web.editing import registry
from tests.factories import World
from tests.web.samples import SAMPLES


def _args(slug: str, route: str) -> Callable[[World], dict[str, Any]]:
    def fill(w: World) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"pk": SAMPLES[slug](w).pk}
        if "<str:kind>" in route:
            kwargs["kind"] = slug
        return kwargs

    return fill


ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {}
for _k in registry().values():
    if _k.edit_route and _k.update is not None:
        ARGS.setdefault(_k.edit_name or f"{_k.slug}_edit", _args(_k.slug, _k.edit_route))
    if _k.delete_route and _k.delete is not None:
        ARGS.setdefault(_k.delete_name or f"{_k.slug}_delete", _args(_k.slug, _k.delete_route))
