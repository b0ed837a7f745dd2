"""Small helpers every view uses: load in scope, authorise, run a service, show its errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest

from lsoplan.accounts.access import can_edit, get_for_user, require_role
from lsoplan.audit.services import Actor, FrozenVersionError
from lsoplan.programmes.models import ProgrammeVersion

T = TypeVar("T")


def actor(request: HttpRequest) -> Actor:
    return Actor.of(request.user)


def version_for(request: HttpRequest, pk: int) -> ProgrammeVersion:
    return get_for_user(
        request.user, ProgrammeVersion.objects.select_related("programme", "organisation"), pk=pk
    )


def editable(request: HttpRequest, obj: Any) -> None:
    """Editors only; frozen versions are refused by the services with a clear message."""
    require_role(request.user, obj)


def run_service(request: HttpRequest, form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Call a service; its validation errors land on the form's fields, nothing is saved."""
    try:
        return call()
    except FrozenVersionError as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error.messages[0] if hasattr(error, "messages") else str(error))
        else:
            form.add_error(None, exc.messages[0])
    if form.errors.get(NON_FIELD_ERRORS):
        messages.error(request, "Ändringen sparades inte. Se felen nedan.")
    return None


def version_context(request: HttpRequest, version: ProgrammeVersion, stage: str) -> dict[str, Any]:
    return {
        "version": version,
        "programme": version.programme,
        "stage": stage,
        "can_edit": can_edit(request.user, version),
    }
