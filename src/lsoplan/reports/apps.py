from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lsoplan.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # An edit of a draft queues its documents (reports.jobs); the audit trail sees every write.
        from lsoplan.reports import jobs

        jobs.connect()
