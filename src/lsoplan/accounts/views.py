"""The people page: an organisation's administratör lists, adds, re-roles and deactivates members.

Only administrators of the organisation reach it (läsare and redaktör get 403); anyone who is not
an active member of it gets 404, as for every other organisation's object. Every write goes
through ``accounts.services`` and so into the audit trail.

New members get a first password from the administrator, not a set-password link: lsoplan sends
no e-mail (many installations have no mail relay configured), and a link would have to be handed
over by hand just like a password. The password is validated like any other and the change is
audited without it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lsoplan.accounts import services
from lsoplan.accounts.access import membership, organisations_of
from lsoplan.accounts.forms import PersonForm, RoleForm
from lsoplan.accounts.models import Membership, Organisation, Role
from lsoplan.web.viewutils import actor, run_service


def _administered(request: HttpRequest, slug: str) -> Organisation:
    org = organisations_of(request.user).filter(slug=slug).first()
    if org is None:
        raise Http404
    own = membership(request.user, org.pk)
    if own is None or not own.allows(Role.ADMINISTRATOR):
        raise PermissionDenied("Bara organisationens administratörer kan hantera personer.")
    return org


def _member(org: Organisation, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), pk=pk, organisation=org)


@login_required
def people(request: HttpRequest, slug: str) -> HttpResponse:
    org = _administered(request, slug)
    members = Membership.objects.filter(organisation=org).select_related("user")
    members = members.order_by("-active", "user__username")
    rows = [(m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in members]
    return render(request, "accounts/people.html", {"organisation": org, "rows": rows})


@login_required
def person_add(request: HttpRequest, slug: str) -> HttpResponse:
    org = _administered(request, slug)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = run_service(
            request,
            form,
            lambda: services.create_user(
                actor(request),
                username=data["username"],
                organisation=org,
                role=data["role"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            ),
        )
        if user is not None:
            label = Role(data["role"]).label.lower()
            messages.success(request, f"{user.get_username()} är tillagd som {label}.")
            return redirect("people", slug=org.slug)
    status = 400 if form.errors else 200
    return render(request, "accounts/person_form.html", {"organisation": org, "form": form}, status=status)


@login_required
@require_POST
def person_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _administered(request, slug)
    member = _member(org, pk)
    form = RoleForm(request.POST, prefix=f"m{member.pk}")
    changed = None
    if form.is_valid():
        role = form.cleaned_data["role"]
        changed = run_service(request, form, lambda: services.change_role(actor(request), member, role))
    if changed is not None:
        label = Role(form.cleaned_data["role"]).label.lower()
        messages.success(request, f"{member.user.get_username()} är nu {label}.")
        return redirect("people", slug=org.slug)
    for error in form.errors.get("role", []) + form.non_field_errors():
        messages.error(request, str(error))
    return redirect("people", slug=org.slug)


@login_required
def person_deactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _administered(request, slug)
    member = _member(org, pk)
    if request.method == "POST":
        try:
            services.deactivate_member(actor(request), member)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            name = member.user.get_username()
            messages.success(request, f"{name} är inaktiverad och kommer inte längre åt organisationen.")
        return redirect("people", slug=org.slug)
    return render(request, "accounts/person_deactivate.html", {"organisation": org, "member": member})


@login_required
@require_POST
def person_reactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _administered(request, slug)
    member = _member(org, pk)
    services.reactivate_member(actor(request), member)
    messages.success(request, f"{member.user.get_username()} är aktiv igen.")
    return redirect("people", slug=org.slug)
