from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "lsoplan.ops"
    label = "ops"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lsoplan.ops import throttle

        throttle.connect_signals()
