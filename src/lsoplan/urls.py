from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lsoplan.web import editing, views

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/logga-in/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("program/", views.programme_list, name="programme_list"),
    path("program/nytt/", views.programme_create, name="programme_create"),
    path("program/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("historik/<str:model>/<str:object_id>/", views.object_history, name="object_history"),
    path("", include("lsoplan.accounts.urls")),
    path("", include("lsoplan.programmes.urls")),
    path("", include("lsoplan.conditions.urls")),
    path("", include("lsoplan.goals.urls")),
    path("", include("lsoplan.followup.urls")),
    path("", include("lsoplan.incidents.urls")),
    path("", include("lsoplan.areas.urls")),
    path("", include("lsoplan.evaluation.urls")),
    path("", include("lsoplan.checks.urls")),
    path("", include("lsoplan.reports.urls")),
    path("", include("lsoplan.publicdata.urls")),
    path("", include("lsoplan.consultation.urls")),
    path("", include("lsoplan.public.urls")),  # /allmanhet/<slug>/, no login
    path("", include("lsoplan.api.urls")),
    # Edit and delete of every kind a planner creates, from one registry (web/editing.py).
    path("", include(editing.urlpatterns())),
]

# Swedish error pages in the site layout (settings.CSRF_FAILURE_VIEW points at the fourth).
handler400 = "lsoplan.web.views.bad_request"
handler403 = "lsoplan.web.views.permission_denied"
handler404 = "lsoplan.web.views.page_not_found"
handler500 = "lsoplan.web.views.server_error"

# Single sign-on (OIDC, e.g. Microsoft Entra ID) only when the operator has configured it.
if settings.LSOPLAN_OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
