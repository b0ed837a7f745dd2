from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "lsoplan.consultation"
    label = "consultation"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Samråd"
