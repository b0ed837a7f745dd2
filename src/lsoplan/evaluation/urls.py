from django.urls import path

from lsoplan.evaluation import views, views_citizens, views_costs, views_surveys

urlpatterns = [
    path("version/<int:pk>/utvardering/", views.evaluation_list, name="version_evaluation"),
    path("mal/<str:kind>/<int:pk>/utvardering/ny/", views.evaluation_create, name="evaluation_create"),
    path("utvardering/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("utvardering/<int:pk>/avsluta/", views.evaluation_close, name="evaluation_close"),
    path("utvardering/<int:pk>/oppna/", views.evaluation_reopen, name="evaluation_reopen"),
    path("version/<int:pk>/larande/", views.learning, name="version_learning"),
    path("version/<int:pk>/larande/ny/", views.action_create, name="action_create"),
    path("version/<int:pk>/medborgarundersokningar/", views_surveys.survey_list, name="survey_list"),
    path(
        "version/<int:pk>/medborgarundersokningar/<int:survey>/",
        views_surveys.survey_detail,
        name="survey_detail",
    ),
    path("version/<int:pk>/synpunkter/", views_citizens.citizen_view_list, name="citizen_view_list"),
    path("version/<int:pk>/kostnad-nytta/", views_costs.costbenefit_list, name="costbenefit_list"),
    path("version/<int:pk>/kostnad-nytta/ny/", views_costs.costbenefit_create, name="costbenefit_create"),
    path("kostnad-nytta/<int:pk>/", views_costs.costbenefit_detail, name="costbenefit_detail"),
    path("version/<int:pk>/kostnadsparametrar/", views_costs.cost_parameters, name="cost_parameters"),
]
