from django.urls import path

from lsoplan.checks import views

urlpatterns = [
    path("version/<int:pk>/egenkontroll/", views.checks, name="version_checks"),
    path("version/<int:pk>/egenkontroll/kor/", views.run, name="check_run"),
    path("egenkontroll/<int:pk>/", views.run_detail, name="check_run_detail"),
    path("version/<int:pk>/egenkontroll/utskick/", views.distribution_add, name="distribution_add"),
    path("version/<int:pk>/egenkontroll/hamnar/", views.ports, name="check_ports"),
]
