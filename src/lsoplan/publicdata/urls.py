from django.urls import path

from lsoplan.publicdata import views

urlpatterns = [
    path("indikator/<int:pk>/kolada/", views.indicator_kolada, name="indicator_kolada"),
    path("version/<int:pk>/offentlig-statistik/", views.version_publicdata, name="version_publicdata"),
]
