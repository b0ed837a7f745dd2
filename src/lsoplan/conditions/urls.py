from django.urls import path

from lsoplan.conditions import views

urlpatterns = [
    path("version/<int:pk>/forutsattningar/", views.conditions, name="version_conditions"),
    path(
        "version/<int:pk>/forutsattningar/matris/<int:likelihood>/<int:consequence>/",
        views.matrix_cell,
        name="matrix_cell",
    ),
    path("version/<int:pk>/risker/ny/", views.risk_create, name="risk_create"),
    path("risk/<int:pk>/", views.risk_detail, name="risk_detail"),
    path("risk/<int:pk>/sarbarhet/", views.vulnerability_add, name="vulnerability_add"),
    path("version/<int:pk>/formaga/ny/", views.capability_create, name="capability_create"),
]
