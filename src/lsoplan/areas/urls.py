from django.urls import path

from lsoplan.areas import views

urlpatterns = [
    path("version/<int:pk>/formaga/", views.capability, name="version_capability"),
    path("version/<int:pk>/formaga/stationer/ny/", views.station_create, name="station_create"),
    path("version/<int:pk>/formaga/omraden/", views.areas_upload, name="areas_upload"),
]
