from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "lsoplan.public"
    label = "public"
    verbose_name = "Allmänheten"
    default_auto_field = "django.db.models.BigAutoField"
