from django.urls import path

from lsoplan.consultation import views, views_party

urlpatterns = [
    path("version/<int:pk>/samrad/", views.consultation, name="consultation"),
    path("version/<int:pk>/samrad/instanser/", views.party_add, name="consultation_party_add"),
    path(
        "version/<int:pk>/samrad/fran-listan/", views.parties_from_list, name="consultation_parties_from_list"
    ),
    path("version/<int:pk>/samrad/lankar/", views.links_issue, name="consultation_links"),
    path("version/<int:pk>/samrad/allman/", views.public_set, name="consultation_public"),
    path(
        "version/<int:pk>/samrad/samradsredogorelse.<str:fmt>",
        views.report_download,
        name="consultation_report",
    ),
    path("samrad/instans/<int:pk>/aterkalla/", views.link_revoke, name="consultation_revoke"),
    path("samrad/svar/<int:pk>/bilaga/", views.attachment, name="consultation_attachment"),
    # Without login: a party's link, and an organisation's public remiss.
    path("remiss/<str:token>/", views_party.party_page, name="remiss_party"),
    path("remiss/<str:token>/utkast.pdf", views_party.party_pdf, name="remiss_party_pdf"),
    path("allmanhet/<slug:slug>/remiss/", views_party.public_page, name="remiss_public"),
    path("allmanhet/<slug:slug>/remiss/utkast.pdf", views_party.public_pdf, name="remiss_public_pdf"),
]
