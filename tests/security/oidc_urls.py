"""The URL configuration with single sign-on switched on, as lsoplan.urls has it when
LSOPLAN_OIDC_CLIENT_ID is set (the tests switch it on without restarting)."""

from django.urls import include, path

from lsoplan.urls import urlpatterns as base

urlpatterns = [*base, path("oidc/", include("mozilla_django_oidc.urls"))]
