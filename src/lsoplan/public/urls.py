from django.urls import path

from lsoplan.public import views

urlpatterns = [
    path("allmanhet/<slug:slug>/", views.home, name="public_home"),
    path("allmanhet/<slug:slug>/program/", views.programme, name="public_programme"),
    path("allmanhet/<slug:slug>/program.pdf", views.programme_pdf, name="public_programme_pdf"),
    path("allmanhet/<slug:slug>/mal/", views.goals, name="public_goals"),
    path("allmanhet/<slug:slug>/uppfoljning.pdf", views.followup_pdf, name="public_followup_pdf"),
    path("allmanhet/<slug:slug>/statistik/", views.statistics, name="public_statistics"),
    path("allmanhet/<slug:slug>/synpunkter/", views.comment, name="public_comment"),
    path("allmanhet/<slug:slug>/synpunkter/tack/", views.comment_thanks, name="public_comment_thanks"),
    path("allmanhet/<slug:slug>/integritet/", views.privacy, name="public_privacy"),
    path(
        "allmanhet/<slug:slug>/oppna-data/handlingsprogram.json",
        views.open_programme,
        name="public_open_programme",
    ),
    path("allmanhet/<slug:slug>/oppna-data/mal.csv", views.open_goals, name="public_open_goals"),
]
