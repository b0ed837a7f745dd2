from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "lsoplan.areas"
    label = "areas"
    verbose_name = "Stationer och insatsområden"
    default_auto_field = "django.db.models.BigAutoField"
