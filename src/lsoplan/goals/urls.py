from django.urls import path

from lsoplan.goals import views, views_actionplan

urlpatterns = [
    path("version/<int:pk>/mal/", views.goal_chain, name="version_goals"),
    path("version/<int:pk>/smart/", views.smart_list, name="version_smart"),
    path("version/<int:pk>/sakerhetsmal/nytt/", views.safety_goal_create, name="safety_goal_create"),
    path(
        "version/<int:pk>/prestationsmal/nytt/", views.performance_goal_create, name="performance_goal_create"
    ),
    path("mal/<str:kind>/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("mal/<str:kind>/<int:pk>/indikator/ny/", views.indicator_create, name="indicator_create"),
    path("mal/prestationsmal/<int:pk>/atgard/ny/", views.measure_create, name="measure_create"),
    path("indikator/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("version/<int:pk>/handlingsplan/", views_actionplan.action_plan, name="version_actionplan"),
    path("atgard/<int:pk>/status/", views_actionplan.measure_status, name="measure_status"),
    path("indikator/<int:pk>/matvarden/", views.measurement_grid, name="measurement_grid"),
]
