from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "lsoplan.programmes"
    label = "programmes"
    default_auto_field = "django.db.models.BigAutoField"
