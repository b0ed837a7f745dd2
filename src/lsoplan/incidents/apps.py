from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "lsoplan.incidents"
    label = "incidents"
    default_auto_field = "django.db.models.BigAutoField"
