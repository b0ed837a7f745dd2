"""No write without a new data version: a completeness check over every ``services.py``.

A cached page result is keyed by the organisation's data version, so a write that does not bump it
would leave pages stale. The audit writer (``audit.services.record``, behind ``create``/``update``/
``delete``) bumps, so an audited service needs nothing more. This reads the source of every
function in every ``lsoplan.*.services`` module (new apps included, found by walking the package):
a function that writes rows (``save``, ``delete``, ``objects.create``, ``bulk_*``, ``update_or_create``
…) must, itself or through a function of its own module, call the audit writer,
``dataversion.bump``, or a service of another module (which this test checks in turn).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import lsoplan
from lsoplan.audit import dataversion
from lsoplan.audit.services import Actor, record

WRITE_METHODS = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "update_or_create",
    "get_or_create",
    "update",
    "set",
    "add",
    "remove",
    "clear",
}
# Calls that leave the bump to someone else: the audit writer and the version itself.
BUMPERS = {"record", "create", "update", "delete", "bump"}
BUMPING_MODULES = {"audit", "dataversion", "goals", "programmes", "conditions", "evaluation", "checks"}
# Public functions that write but change no page data, each with its reason (none so far).
EXEMPT: set[tuple[str, str]] = set()


def services_modules() -> list[ModuleType]:
    found = []
    for info in pkgutil.walk_packages(lsoplan.__path__, "lsoplan."):
        if info.name.endswith(".services"):
            found.append(importlib.import_module(info.name))
    return found


def _writes_and_calls(func: ast.FunctionDef) -> tuple[bool, bool, set[str]]:
    """(writes rows itself, bumps itself, names of local functions it calls)."""
    writes = bumps = False
    local: set[str] = set()
    for node in ast.walk(func):
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Attribute):
            owner = target.value
            owner_name = owner.id if isinstance(owner, ast.Name) else ""
            if owner_name in {"audit", "dataversion"} and target.attr in BUMPERS:
                bumps = True
            elif owner_name and owner_name[0].islower() and owner_name in BUMPING_MODULES:
                bumps = True  # another app's service, itself checked here
            elif target.attr in WRITE_METHODS and owner_name not in {
                "fields",
                "m2m",
                "changes",
                "seen",
                "dict",
            }:
                writes = True
        elif isinstance(target, ast.Name):
            if target.id in {"record", "bump"}:
                bumps = True
            local.add(target.id)
    return writes, bumps, local


def unbumped_writers(name: str, source: str) -> list[str]:
    """The module's public functions that reach a write but no bump (through its own helpers)."""
    tree = ast.parse(source)
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    facts = {fn_name: _writes_and_calls(fn) for fn_name, fn in functions.items()}

    def reaches(fn_name: str, want: int, seen: frozenset[str] = frozenset()) -> bool:
        if fn_name not in facts or fn_name in seen:
            return False
        if facts[fn_name][want]:
            return True
        return any(reaches(callee, want, seen | {fn_name}) for callee in facts[fn_name][2])

    return [
        fn_name
        for fn_name in functions
        if not fn_name.startswith("_")
        and (name, fn_name) not in EXEMPT
        and reaches(fn_name, 0)
        and not reaches(fn_name, 1)
    ]


@pytest.mark.parametrize("module", services_modules(), ids=lambda m: m.__name__)
def test_every_write_of_a_service_module_bumps_the_data_version(module: ModuleType) -> None:
    assert unbumped_writers(module.__name__, inspect.getsource(module)) == [], (
        "these functions write without the audit writer or dataversion.bump: cached pages would "
        "stay stale (call audit.services.create/update/delete/record, or dataversion.bump)"
    )


def test_the_check_finds_a_write_without_a_bump() -> None:
    """The check itself can fail: an unaudited save is caught, an audited one (through a helper) is not."""
    source = (
        "def sneaky(obj):\n    _store(obj)\n\n"
        "def honest(actor, obj):\n    _store(obj)\n    audit.record(actor, obj, 'update', {})\n\n"
        "def _store(obj):\n    obj.save()\n"
    )
    assert unbumped_writers("lsoplan.fake.services", source) == ["sneaky"]


@pytest.mark.django_db
def test_the_audit_writer_itself_bumps(world: object) -> None:
    from tests.factories import World

    assert isinstance(world, World)
    before = dataversion.numbers(world.org.pk)
    record(Actor(None, "test"), world.risk, "update", {"title": ["a", "b"]})
    assert dataversion.numbers(world.org.pk) != before
