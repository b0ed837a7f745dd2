from django.urls import path

from lsoplan.programmes import views, views_adoption

urlpatterns = [
    path("version/<int:pk>/", views.overview, name="version_overview"),
    path("version/<int:pk>/kapitel/", views.chapters, name="version_chapters"),
    path("version/<int:pk>/remiss/", views.consultation, name="version_consultation"),
    path("version/<int:pk>/anta/", views_adoption.adopt, name="version_adopt"),
    path("version/<int:pk>/ratta-beslut/", views_adoption.correct, name="version_adoption_correct"),
    path("version/<int:pk>/nytt-utkast/", views.new_draft, name="version_new_draft"),
    path("kapitel/<int:pk>/forhandsgranska/", views.chapter_preview, name="chapter_preview"),
    path("version/<int:pk>/historik/", views.version_history, name="version_history"),
]
