from django.urls import path

from lsoplan.reports import views

urlpatterns = [
    path("version/<int:pk>/dokument/", views.documents, name="version_documents"),
    path("version/<int:pk>/dokument/<slug:kind>.<slug:fmt>", views.download, name="version_document_file"),
    path(
        "version/<int:pk>/dokument/<slug:kind>.<slug:fmt>/igen",
        views.retry,
        name="version_document_retry",
    ),
    path("version/<int:pk>/jamfor/", views.diff, name="version_diff"),
]
