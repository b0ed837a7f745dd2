"""What a backup archive holds, and how every model is classified for it.

An archive is a ZIP file:

- ``manifest.json``: format and version, when and by which lsoplan/Django it was written, the
  scope (the whole instance or one organisation), the applied migrations, and for every member
  its row count or size and its SHA-256;
- ``data/<app>.<model>.jsonl``: the rows of one model in Django's JSON Lines serialisation,
  in dependency order (a model's foreign keys point only at models listed before it);
- ``uploads/<path>``: uploaded files under ``MEDIA_ROOT``;
- ``manifest.hmac``: HMAC-SHA256 of ``manifest.json``'s bytes under the backup key, which is not
  in the archive (``lsoplan.ops.backup_key``). The manifest holds every member's SHA-256, so the
  signature covers the whole archive; restore refuses any member the manifest does not list.

Each model has one *kind*, which decides what an organisation's archive takes of it and how a
restore treats rows that are already there. A model that points at organisation data without its
own ``organisation`` field cannot be classified, and ``classify`` refuses it, so a new model cannot
silently fall out of organisation backups (a test runs ``classify`` on every model).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from lsoplan.accounts.models import Organisation

FORMAT = "lsoplan-backup"
# 2: signed (manifest.hmac). Version 1 archives carried only checksums anyone could recompute.
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
SIGNATURE = "manifest.hmac"
DATA_DIR = "data/"
UPLOADS_DIR = "uploads/"

# Rebuilt by migrate or worthless in another database: sessions, content types and permissions
# (migrate creates them; users' permissions are stored by natural key), login failures, data
# versions (cache keys, meaningful only beside the cache of the database that wrote them).
# Document jobs (reports.jobs) are bookkeeping of the queue, as derived as the document cache.
EXCLUDED = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "admin.logentry",
        "ops.loginfailure",
        "reports.documentjob",
        "audit.dataversion",
    }
)

# organisation: the Organisation rows; owned: rows with an ``organisation`` foreign key;
# user: accounts (an organisation archive takes its members and the users its rows point at);
# shared: rows that belong to no organisation, such as reference data (municipalities, event types,
# national goals), kept in every archive and inserted on restore only where missing.
Kind = Literal["organisation", "owned", "user", "shared"]


class ClassificationError(Exception):
    """A model points at organisation data but has no organisation field of its own."""


@dataclass(frozen=True)
class ModelInfo:
    model: type[models.Model]
    kind: Kind

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def member(self) -> str:
        return f"{DATA_DIR}{self.label}.jsonl"


def _targets(model: type[models.Model]) -> list[type[models.Model]]:
    """Models this one's foreign keys and many-to-many fields point at (itself excluded)."""
    found: list[type[models.Model]] = []
    for field in model._meta.get_fields():
        if not (field.concrete or field.many_to_many) or not field.is_relation or field.auto_created:
            continue
        if not (field.many_to_one or field.one_to_one or field.many_to_many):
            continue
        target = field.related_model
        if isinstance(target, type) and target is not model:
            found.append(target)
    return found


def _has_organisation(model: type[models.Model]) -> bool:
    try:
        field = model._meta.get_field("organisation")
    except Exception:
        return False
    return bool(getattr(field, "related_model", None) is Organisation)


def classify(model: type[models.Model]) -> Kind:
    if model is Organisation:
        return "organisation"
    if model is get_user_model():
        return "user"
    if _has_organisation(model):
        return "owned"
    scoped = [t for t in _targets(model) if t is Organisation or _has_organisation(t)]
    if scoped:
        raise ClassificationError(
            f"{model._meta.label} pekar på organisationsdata ({scoped[0]._meta.label}) men har inget "
            "eget fält organisation: ärv lsoplan.accounts.models.OrgOwned så att säkerhetskopian "
            "kan avgränsas till en organisation."
        )
    return "shared"


def _dependency_order(infos: list[ModelInfo]) -> list[ModelInfo]:
    """Models before the models that point at them; ties broken by label, so the order is stable."""
    by_model = {info.model: info for info in infos}
    ordered: list[ModelInfo] = []
    state: dict[type[models.Model], str] = {}

    def visit(model: type[models.Model]) -> None:
        if state.get(model) == "done":
            return
        if state.get(model) == "visiting":
            return  # a cycle: both sides are nullable foreign keys, checked at commit
        state[model] = "visiting"
        for target in sorted(_targets(model), key=lambda m: m._meta.label_lower):
            if target in by_model:
                visit(target)
        state[model] = "done"
        ordered.append(by_model[model])

    for info in sorted(infos, key=lambda i: i.label):
        visit(info.model)
    return ordered


def archived_models() -> list[ModelInfo]:
    """Every model an archive holds, classified, in dependency order."""
    infos = [
        ModelInfo(model, classify(model))
        for model in apps.get_models()
        if model._meta.label_lower not in EXCLUDED and not model._meta.proxy
    ]
    return _dependency_order(infos)


def file_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
