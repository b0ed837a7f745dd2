from django.apps import AppConfig


class PublicdataConfig(AppConfig):
    name = "lsoplan.publicdata"
    label = "publicdata"
    default_auto_field = "django.db.models.BigAutoField"
