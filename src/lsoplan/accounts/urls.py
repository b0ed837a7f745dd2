from django.urls import path

from lsoplan.accounts import views

urlpatterns = [
    path("organisation/<slug:slug>/personer/", views.people, name="people"),
    path("organisation/<slug:slug>/personer/ny/", views.person_add, name="person_add"),
    path("organisation/<slug:slug>/personer/<int:pk>/roll/", views.person_role, name="person_role"),
    path(
        "organisation/<slug:slug>/personer/<int:pk>/inaktivera/",
        views.person_deactivate,
        name="person_deactivate",
    ),
    path(
        "organisation/<slug:slug>/personer/<int:pk>/aktivera/",
        views.person_reactivate,
        name="person_reactivate",
    ),
]
