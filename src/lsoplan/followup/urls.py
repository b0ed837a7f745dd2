from django.urls import path

from lsoplan.followup import views

urlpatterns = [
    path("version/<int:pk>/uppfoljning/", views.followup, name="version_followup"),
]
