from django.urls import path

from lsoplan.incidents import views

urlpatterns = [
    path("version/<int:pk>/handelser/", views.stats, name="version_incidents"),
    path("version/<int:pk>/handelser/importera/", views.upload, name="incident_upload"),
    path("version/<int:pk>/handelser/importera/<str:token>/", views.preview, name="incident_preview"),
    path("version/<int:pk>/handelser/importer/", views.history, name="incident_history"),
    path("version/<int:pk>/handelser/importer/<int:batch>/angra/", views.undo, name="incident_undo"),
    path("indikator/<int:pk>/handelser/", views.indicator_filter, name="incident_indicator"),
]
